"""Forecast accuracy measures and calibrated intervals, against numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.analyses.forecast import accuracy, intervals


def test_mase_scale_is_the_seasonal_naive_error_and_falls_back_to_naive_on_a_year_or_less():
    # 14 months: twelve at 10, then 13 and 16; year-on-year changes 13 - 10 = 3 and 16 - 10 = 6, mean 4.5
    assert accuracy.mase_scale(np.array([10.0] * 12 + [13, 16])) == pytest.approx(4.5)
    # 5 months (no year-on-year change): month-on-month |20-10|, |30-20|, |20-30|, |10-20| = 10 each, mean 10
    assert accuracy.mase_scale(np.array([10.0, 20, 30, 20, 10])) == pytest.approx(10)
    assert np.isnan(accuracy.mase_scale(np.array([5.0, 5, 5])))  # flat: no scale
    assert np.isnan(accuracy.mase_scale(np.array([5.0])))


def test_mase_wape_smape_bias_and_coverage_on_two_months():
    forecast, actual = np.array([12.0, 18.0]), np.array([10.0, 20.0])
    # errors +2 and -2; scaled by 2 and 4: 1 and 0.5, mean 0.75
    assert accuracy.mase(forecast, actual, np.array([2.0, 4.0])) == pytest.approx(0.75)
    # (2 + 2) / (10 + 20) = 0.1333
    assert accuracy.wape(forecast, actual) == pytest.approx(4 / 30)
    # mean of 2*2/(12+10) = 0.181818 and 2*2/(18+20) = 0.105263
    assert accuracy.smape(forecast, actual) == pytest.approx((4 / 22 + 4 / 38) / 2)
    assert accuracy.bias(forecast, actual) == pytest.approx(0)  # +2 - 2 = 0
    # forecasts 12 and 21: errors +2 and +1, (2 + 1) / 30 = 0.1 over-forecast
    assert accuracy.bias(np.array([12.0, 21.0]), actual) == pytest.approx(0.1)
    # 10 in [9, 11], 20 not in [21, 25], 30 in [25, 30]: 2 of 3
    assert accuracy.coverage(np.array([10, 20, 30]), np.array([9, 21, 25]), np.array([11, 25, 30])) == pytest.approx(
        2 / 3
    )
    assert accuracy.smape(np.array([0.0]), np.array([0.0])) == 0  # both zero counts as no error


def test_conformal_quantile_takes_the_finite_sample_rank():
    scores = np.array([4.5, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0])  # n = 9, unordered
    # 80%: rank ceil((9 + 1) * 0.8) = 8 -> 4.0; 95%: rank ceil(9.5) = 10 > 9 -> the largest, 4.5
    assert intervals.conformal_quantile(scores, 0.8) == 4.0
    assert intervals.conformal_quantile(scores, 0.95) == 4.5
    assert np.isnan(intervals.conformal_quantile(np.array([]), 0.8))


def test_calibrate_puts_the_quantile_times_the_scale_either_side_and_clips_at_zero():
    forecast = pd.DataFrame({"horizon": [1, 2], "forecast": [100.0, 20.0]})
    quantiles = pd.DataFrame({"horizon": [1, 2], "q_80": [2.0, 1.0], "q_95": [3.0, 3.0]})
    out = intervals.calibrate(forecast, quantiles, scale=10)
    # 100 +/- 2 * 10 and 100 +/- 3 * 10; 20 +/- 1 * 10 and 20 - 30 clipped to 0
    assert out[["lower_80", "upper_80", "lower_95", "upper_95"]].to_numpy().tolist() == [
        [80, 120, 70, 130],
        [10, 30, 0, 50],
    ]


def _rows(errors: list[float], half_width: float) -> pd.DataFrame:
    """One-month-ahead backtest rows at consecutive origins: forecast 10, actual 10 + error, scale 1."""
    origins = pd.date_range("2025-01-01", periods=len(errors), freq="MS")
    return pd.DataFrame(
        {
            "model": "m",
            "origin": origins,
            "horizon": 1,
            "month": origins + pd.DateOffset(months=1),
            "actual": [10 + e for e in errors],
            "forecast": 10.0,
            "scale": 1.0,
            "lower_80": 10 - half_width,
            "upper_80": 10 + half_width,
            "lower_95": 10 - 2 * half_width,
            "upper_95": 10 + 2 * half_width,
        }
    )


def test_coverage_check_calibrates_each_month_with_errors_known_at_its_origin_only():
    # Row k knows the k earlier rows' scores (their month is on or before its origin); with 8 needed, rows 8-11 count.
    # The level starts at 0.8 and moves by 0.1 x (misses - 0.2 x outcomes known) over the counted rows before.
    # row 8: no outcome yet, 0.8; 8 scores of 1 -> rank ceil(9 * 0.8) = 8 -> q = 1; error 0.5 inside
    # row 9: row 8 known, 0 misses -> 0.78; [0.5, 1 x 8] -> rank ceil(10 * 0.78) = 8 -> q = 1; error 2 outside
    # row 10: 1 miss in 2 -> 0.86; [0.5, 1 x 8, 2] -> rank ceil(11 * 0.86) = 10 -> q = 2; error 1 inside
    # row 11: 1 miss in 3 -> 0.84; [0.5, 1 x 9, 2] -> rank ceil(12 * 0.84) = 11 -> q = 2; error 1.2 inside: 3 of 4
    # (a fixed 0.8 would have given q = 1 at rows 10 and 11, and 2 of 4). Now: 1 miss in 4 -> 0.82.
    # raw intervals 10 +/- 1.5 hold errors 0.5, 1 and 1.2 but not 2: 3 of 4
    rows = _rows([1, 1, 1, 1, 1, 1, 1, 1, 0.5, 2, 1, 1.2], half_width=1.5)
    check = intervals.coverage_check(rows).set_index("level")
    assert check.loc[80, "rows"] == 4
    assert check.loc[80, "calibrated"] == pytest.approx(0.75)
    assert check.loc[80, "raw"] == pytest.approx(0.75)
    assert check.loc[80, "adapted"] == pytest.approx(0.82)


def test_adapted_level_rises_after_misses_and_falls_after_hits():
    assert intervals.adapted_level(0.8, misses=0, months=0) == 0.8
    assert intervals.adapted_level(0.8, misses=0, months=5) == pytest.approx(0.7)  # 0.8 - 0.1 x 0.2 x 5
    assert intervals.adapted_level(0.8, misses=2, months=5) == pytest.approx(0.9)  # 0.8 + 0.1 x (2 - 1)
    assert intervals.adapted_level(0.95, misses=1, months=20) == pytest.approx(0.95)  # 1 in 20 is 5%: no change


def test_conformal_quantile_takes_the_smallest_score_below_the_first_rank():
    assert intervals.conformal_quantile(np.array([3.0, 1.0, 2.0]), 0.1) == 1.0  # rank ceil(0.4) = 1
    assert intervals.conformal_quantile(np.array([3.0, 1.0, 2.0]), -0.2) == 1.0  # rank below 1
    assert intervals.conformal_quantile(np.array([3.0, 1.0, 2.0]), 1.3) == 3.0  # rank above n


def test_adapted_intervals_hold_when_errors_grow_where_fixed_levels_fall_short():
    # Errors of 1 to 10 in turn for 30 months, then every error doubles for the next 60 (a business that grew
    # without the scale following). A fixed 80% level keeps widths from the small errors and misses far more
    # often than 20% of months; the adapted level climbs until the intervals hold about 80% again.
    small = [float(1 + k % 10) for k in range(30)]
    rows = _rows(small + [2 * e for e in small + small], half_width=1.0)
    check = intervals.coverage_check(rows).set_index("level")
    grown = rows.iloc[30:]
    # the fixed level's coverage on the doubled months: the quantile of known scores at 0.8 each time
    hits = 0
    for k, row in grown.iterrows():
        known = (rows["actual"].iloc[:k] - 10).abs().to_numpy()
        hits += abs(row["actual"] - 10) <= intervals.conformal_quantile(known, 0.8)
    assert hits / len(grown) < 0.6
    assert 0.7 <= check.loc[80, "calibrated"] <= 0.9
    assert check.loc[80, "adapted"] > 0.8


def test_horizon_quantiles_pool_every_horizon_when_one_has_too_few_scores():
    rows = _rows([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], half_width=1)
    rows.loc[8:, "horizon"] = 2  # horizon 1 keeps 8 scores (1..8), horizon 2 has 2 (9, 10)
    quantiles = intervals.horizon_quantiles(rows, 2).set_index("horizon")
    # horizon 1: rank ceil(9 * 0.8) = 8 of [1..8] -> 8; horizon 2 pools all 10: rank ceil(11 * 0.8) = 9 -> 9
    assert quantiles.loc[1, "q_80"] == 8 and quantiles.loc[1, "scores"] == 8
    assert quantiles.loc[2, "q_80"] == 9 and quantiles.loc[2, "scores"] == 10


def test_horizon_quantiles_take_the_adapted_level_when_given():
    rows = _rows([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], half_width=1)
    # 10 scores 1..10: at 0.8 rank ceil(11 * 0.8) = 9 -> 9; adapted to 0.65, rank ceil(11 * 0.65) = 8 -> 8
    assert intervals.horizon_quantiles(rows, 1).loc[0, "q_80"] == 9
    assert intervals.horizon_quantiles(rows, 1, {80: 0.65}).loc[0, "q_80"] == 8
    assert intervals.horizon_quantiles(rows, 1, {80: 0.65}).loc[0, "q_95"] == 10  # 95 not given: rank 11 -> largest


def test_period_interval_sums_the_months_and_widens_by_the_sum_errors():
    origins = pd.date_range("2025-01-01", periods=2, freq="MS")
    rows = pd.DataFrame(
        {
            "origin": origins.repeat(2),
            "horizon": [1, 2, 1, 2],
            "actual": [12.0, 11.0, 9.0, 10.0],
            "forecast": [10.0, 10.0, 10.0, 10.0],
            "scale": [1.0, 1.0, 2.0, 2.0],
        }
    )
    # sums: origin 1 |23 - 20| / 1 = 3; origin 2 |19 - 20| / 2 = 0.5; 80%: rank ceil(3 * 0.8) = 3 > 2 -> 3
    ahead = pd.DataFrame({"horizon": [1, 2, 3], "forecast": [100.0, 50.0, 70.0]})
    out = intervals.period_interval(rows, ahead, [1, 2], scale=10)
    assert out["forecast"] == 150  # 100 + 50
    assert (out["lower_80"], out["upper_80"]) == (120, 180)  # 150 -/+ 3 * 10
    assert out["scores"] == 2


def test_coverage_check_leaves_out_rows_without_a_scale():
    # As above, but row 9 (error 2) comes from a flat training series: no scale, so no calibrated width. It is not
    # counted as a miss, and its score (NaN) is not known to later rows.
    # row 8: level 0.8, 8 scores of 1 -> q = 1, error 0.5 inside; row 10: row 8 known, no miss -> 0.78,
    # [1 x 8, 0.5], rank ceil(10 * 0.78) = 8 -> q = 1, error 1 inside; row 11: rows 8 and 10 known, no miss ->
    # 0.76, [1 x 8, 0.5, 1], rank ceil(11 * 0.76) = 9 -> q = 1, error 1.2 outside: 2 of 3
    # raw 10 +/- 1.5 holds 0.5, 1 and 1.2: 3 of 3
    rows = _rows([1, 1, 1, 1, 1, 1, 1, 1, 0.5, 2, 1, 1.2], half_width=1.5)
    rows.loc[9, "scale"] = np.nan
    check = intervals.coverage_check(rows).set_index("level")
    assert check.loc[80, "rows"] == 3
    assert check.loc[80, "calibrated"] == pytest.approx(2 / 3)
    assert check.loc[80, "raw"] == pytest.approx(1)


def test_period_quantiles_use_only_origins_with_every_horizon_scored():
    rows = pd.DataFrame(
        {
            "origin": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"] * 2 + ["2025-03-01"]),
            "horizon": [1, 2, 1, 2, 1],
            "actual": [12.0, 11.0, 30.0, np.nan, 50.0],
            "forecast": [10.0, 10.0, 10.0, 10.0, 10.0],
            "scale": [1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    # January: |23 - 20| / 1 = 3. February: horizon 2 not yet booked; March: no horizon-2 row. Only January counts:
    # one score, so both levels' rank (ceil(2 * 0.8) = 2, ceil(2 * 0.95) = 2) is above 1 -> the largest, 3
    quantiles = intervals.period_quantiles(rows, [1, 2])
    assert quantiles == {80: 3.0, 95: 3.0, 0: 1.0}
    assert np.isnan(intervals.period_quantiles(rows, [3])[80])  # no origin has horizon 3: no quantile
