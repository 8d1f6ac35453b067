"""The rolling-origin backtest: origins, hand-checked baseline forecasts, no leakage, and the demo's champion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.analyses.forecast import backtest, models
from salesops_helpers.analyses.forecast.outlook import backtest_summary, build_outlook
from salesops_helpers.analyses.forecast.series import company_bookings
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import load_config
from salesops_helpers.data.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

START = pd.Timestamp("2022-01-01")


def _series(months: int, seed: int = 3) -> pd.Series:
    """A seasonal, growing monthly series (seeded)."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    values = 1000 + 10 * t + 200 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 50, months)
    return pd.Series(values, index=pd.date_range(START, periods=months, freq="MS"))


def test_origins_are_the_last_months_but_one_after_eighteen_months_of_training():
    # 30 months, 3 origins: training ends at positions 26, 27, 28 (the last month, 29, is only scored)
    assert backtest.origin_positions(30, 3) == [26, 27, 28]
    # the first origin needs 18 months of training (positions 0 .. 17), so its MASE scale rests on 18 - 12 = 6
    # year-on-year changes: positions 17 .. 28, 12 origins
    assert backtest.available_origins(30) == 12
    assert backtest.origin_positions(30, 12)[0] == 17
    with pytest.raises(backtest.TooShortError, match="30 months; 13 origins need at least 31"):
        backtest.origin_positions(30, 13)


def test_every_origins_scale_rests_on_at_least_six_year_on_year_changes():
    series = _series(22)
    rows = backtest.run_backtest(series, horizon=1, origins=3, models={"naive": models.naive}).forecasts
    # origins at positions 18, 19, 20: 19, 20, 21 months of training, 7, 8, 9 changes; the first by hand
    values = series.to_numpy()
    assert rows["scale"].iloc[0] == pytest.approx(np.mean(np.abs(values[12:19] - values[:7])))


def test_seasonal_naive_and_naive_forecasts_by_hand():
    y = np.array([float(v) for v in range(1, 14)])  # 1 .. 13
    # seasonal naive at h = 1, 2, 13: the same month a year before the forecast month: y[1], y[2], then y[1] again
    forecast = models.seasonal_naive(y, START, 13)
    assert forecast.mean[:2].tolist() == [2, 3] and forecast.mean[12] == 2
    # naive: 13 every month; month-on-month changes are all 1, so sigma = 1 and the 80% half-width at h = 4 is
    # 1.2816 * 1 * sqrt(4) = 2.563
    naive = models.naive(y, START, 4)
    assert naive.mean.tolist() == [13] * 4
    assert naive.upper[80][3] - 13 == pytest.approx(1.28155 * 2, rel=1e-4)


def test_the_airline_model_continues_a_series_growing_by_a_share_each_year_with_its_pattern():
    # y = 100 x 1.02^t x pattern(month): log y differenced by a month and by a year is exactly 0, so the airline
    # model on logs forecasts each month as the same month a year before times 1.02^12
    pattern = np.array([0.8, 0.9, 1.3, 1.0, 1.1, 0.7, 0.9, 1.2, 1.0, 1.05, 0.95, 1.1])
    t = np.arange(48)
    y = 100 * 1.02**t * pattern[t % 12]
    made = models.arima(y, START, 6)
    expected = y[36:42] * 1.02**12
    assert made.mean == pytest.approx(expected, rel=1e-3)
    assert (made.lower[80] < made.mean).all() and (made.upper[95] > made.upper[80]).all()


def test_the_airline_model_leaves_out_the_yearly_pattern_before_thirty_months_and_logs_only_above_zero():
    flat = np.full(29, 50.0)
    assert models.arima(flat, START, 3).mean == pytest.approx([50, 50, 50])
    with_zero = np.array([0.0, 3, 6, 9, 12, 15, 18, 21, 24, 27])  # a zero: no logarithm; a straight line
    assert np.isfinite(models.arima(with_zero, START, 2).mean).all()


@pytest.mark.slow
def test_forecasts_are_never_negative():
    falling = np.array([100.0, 80, 60, 40, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05])
    for name, model in models.MODELS.items():
        made = model(falling, START, 6)
        for values in [made.mean, *made.lower.values(), *made.upper.values()]:
            assert (values >= 0).all(), name


@pytest.mark.slow
def test_changing_the_future_does_not_change_forecasts_at_earlier_origins():
    """No leakage: the series after position 26 is rewritten; the origin at 26 must forecast exactly the same."""
    original = _series(30)
    changed = original.copy()
    changed.iloc[27:] = [5000.0, 0.0, 9000.0]
    columns = ["model", "origin", "horizon", "forecast", "lower_80", "upper_80", "lower_95", "upper_95", "scale"]
    # 30 months, 3 origins: training ends at positions 26 (before the change), 27 and 28 (after it)
    before = backtest.run_backtest(original, horizon=3, origins=3).forecasts
    after = backtest.run_backtest(changed, horizon=3, origins=3).forecasts
    assert set(before["model"]) == set(models.MODEL_NAMES)
    early = pd.Timestamp(original.index[26])
    pd.testing.assert_frame_equal(
        before.loc[before["origin"] <= early, columns].reset_index(drop=True),
        after.loc[after["origin"] <= early, columns].reset_index(drop=True),
    )
    later = before["origin"] > early
    assert not np.allclose(before.loc[later, "forecast"], after.loc[later, "forecast"])  # the test can fail


@pytest.mark.slow
def test_the_backtest_is_deterministic():
    series = _series(26)
    first = backtest.run_backtest(series, horizon=2, origins=1).forecasts
    second = backtest.run_backtest(series, horizon=2, origins=1).forecasts
    pd.testing.assert_frame_equal(first, second)


@pytest.mark.slow
def test_prophet_fitted_in_a_forked_process_gives_the_frame_of_one_process(monkeypatch):
    series = _series(30)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert backtest._fork() is not None  # Linux with two cores: Prophet is fitted beside the others
    beside = backtest.run_backtest(series, horizon=2, origins=3)
    monkeypatch.setattr(backtest, "_fork", lambda: None)
    alone = backtest.run_backtest(series, horizon=2, origins=3)
    pd.testing.assert_frame_equal(beside.forecasts, alone.forecasts, check_exact=True)
    assert set(beside.seconds) == set(alone.seconds) == {*models.MODELS, models.COMBINATION}
    assert beside.seconds["Prophet"] > 0


def test_a_process_given_one_core_fits_every_model_itself(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # as the batch gives each of two notebooks side by side
    assert backtest.cores() == 1 and backtest._fork() is None
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert backtest.cores() == 2


@pytest.mark.slow
def test_the_summary_has_one_row_per_model_and_names_the_best_pooled_mase():
    table, _ = backtest_summary(_series(26), horizon=2, origins=2)
    assert list(table.columns) == ["model", "mase", "wape", "smape", "bias", "coverage_80", "coverage_95", "seconds"]
    assert set(table["model"]) == set(models.MODEL_NAMES)


def test_the_champion_is_the_lowest_mase_and_the_first_listed_on_a_tie():
    table = pd.DataFrame({"model": ["x", "y", "z", "w"], "mase": [0.9, 0.7, 0.7, np.nan]})
    assert backtest.champion(table) == "y"  # 0.7 twice: y is listed before z; NaN never wins


def test_the_default_model_is_the_combination_unless_a_single_model_is_far_better():
    table = pd.DataFrame({"model": ["Theta", "combination", "naive"], "mase": [0.5, 0.6, 0.9]})
    assert backtest.champion(table) == "Theta"
    assert backtest.default_model(table) == "combination"
    unmeasured = table.assign(mase=[0.5, np.nan, 0.9])  # a combination without a finite MASE
    assert backtest.default_model(unmeasured) == "Theta"
    assert backtest.default_model(table[table["model"] != "combination"]) == "Theta"
    # more than 20% below the combination: 0.47 < 0.8 x 0.6 = 0.48 is the default; 0.49 is not
    assert backtest.default_model(table.assign(mase=[0.47, 0.6, 0.9])) == "Theta"
    assert backtest.default_model(table.assign(mase=[0.49, 0.6, 0.9])) == "combination"


@pytest.mark.slow
def test_a_flat_series_gets_no_forecast_and_says_why():
    # every month 0: every year-on-year change is 0, so every origin's MASE scale is missing and no model's MASE
    # can be computed: no default model
    zeros = pd.Series(0.0, index=pd.date_range(START, periods=21, freq="MS"))
    outlook = build_outlook(zeros, horizon=2, max_origins=2, min_origins=2)
    assert not outlook.ready
    assert "flat or all zero" in outlook.reason


def test_a_short_series_gets_no_backtest_and_says_why():
    outlook = build_outlook(_series(25))
    assert not outlook.ready
    # 12 origins after 18 months of training: 30 months
    assert "25 months" in outlook.reason and "at least 30" in outlook.reason


@pytest.mark.slow
def test_on_the_demo_company_the_champion_beats_seasonal_naive():
    config = load_config(DEFAULT_CONFIG)
    data = load_data(DEMO_DATA, config, cache=True)
    calendar = FiscalCalendar.from_config(config)
    bookings = company_bookings(data, calendar, pd.Timestamp("2026-10-31"))
    outlook = build_outlook(bookings.values)
    # the series runs from October 2023 to October 2026, 37 months: 37 - 18 = 19 origins
    assert outlook.origins == 19
    scores = outlook.accuracy.set_index("model")["mase"]
    assert outlook.default != "seasonal naive"
    assert scores[outlook.default] < scores["seasonal naive"]
    # the warm-up: the data begins in May 2023 and 90% of won deals close within 152 days, so October 2023 is first
    assert bookings.values.index[0] == pd.Timestamp("2023-10-01")


def test_with_many_teams_each_takes_its_share_of_the_company_forecast(monkeypatch):
    from salesops_helpers.analyses.forecast import outlook
    from salesops_helpers.calendar.fiscal import Period

    months = pd.date_range("2025-01-01", "2026-10-01", freq="MS")
    # last twelve months (November 2025 to October 2026): A books 600, B 300, C 100
    wide = pd.DataFrame({"A": 50.0, "B": 25.0, "C": 0.0}, index=months)
    wide.loc[months[-12:-2], "C"] = 10.0  # C: 10 a month for ten months
    quarter = Period("quarter", pd.Timestamp("2026-10-01"), pd.Timestamp("2026-12-31"), "2026 Q4")
    monkeypatch.setattr(outlook, "MOST_MODELLED_GROUPS", 2)
    table = outlook.group_forecasts(wide, "naive", quarter, [1, 2], company_rest=2000.0).set_index("group")
    assert table["last_twelve_months"].to_dict() == {"A": 600, "B": 300, "C": 100}
    # 2,000 for November and December split 60/30/10; October is booked
    assert table["forecast_rest"].to_dict() == pytest.approx({"A": 1200, "B": 600, "C": 200})
    assert table.loc["A", "quarter_total"] == pytest.approx(50 + 1200)
    # at or under the limit each team's own series is forecast: naive repeats its last month twice
    monkeypatch.setattr(outlook, "MOST_MODELLED_GROUPS", 3)
    own = outlook.group_forecasts(wide, "naive", quarter, [1, 2], company_rest=2000.0).set_index("group")
    assert own["forecast_rest"].to_dict() == pytest.approx({"A": 100, "B": 50, "C": 0})


@pytest.mark.slow
def test_the_backtest_command_names_the_champion_and_the_default_model(tmp_path, capsys):
    from salesops_helpers.cli import backtest as command

    path = tmp_path / "series.csv"
    _series(26).rename_axis("month").rename("bookings").to_csv(path)
    assert command.main(["--csv", str(path), "--horizon", "1", "--origins", "2"]) == 0
    printed = capsys.readouterr().out.splitlines()
    table, champion = backtest_summary(_series(26), horizon=1, origins=2)
    assert printed[-2] == f"champion (best pooled MASE): {champion}"
    assert printed[-1] == f"default model of the reports: {backtest.default_model(table)}"
    assert sum(line.split()[0] in {"ARIMA", "combination"} for line in printed) == 2


def test_ets_intervals_do_not_depend_on_the_global_random_state():
    # a growing series with a strong yearly swing: ETS picks a multiplicative form, whose intervals are simulated
    rng = np.random.default_rng(5)
    t = np.arange(40)
    values = 100 * 1.02**t * (1 + 0.3 * np.sin(2 * np.pi * t / 12)) * np.exp(rng.normal(0, 0.05, 40))
    series = pd.Series(values, index=pd.date_range(START, periods=40, freq="MS"))
    np.random.seed(1)
    first = backtest.run_backtest(series, horizon=2, origins=2, models={"ETS": models.ets}).forecasts
    np.random.seed(2)
    second = backtest.run_backtest(series, horizon=2, origins=2, models={"ETS": models.ets}).forecasts
    pd.testing.assert_frame_equal(first, second)
