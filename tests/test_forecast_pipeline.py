"""Pipeline forecasts, scenarios and monthly series read from an analyst's CSV, against hand-worked numbers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.analyses.forecast import pipeline_forecast, scenarios
from salesops_helpers.analyses.forecast.series import SeriesError, forecast_date, read_monthly_csv, warm_up_days
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import load_config
from salesops_helpers.data.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers.six_deals import write_folder


def test_weighted_pipeline_and_its_range_if_deals_close_independently():
    deals = pd.DataFrame({"amount": [100.0, 200.0], "p": [0.5, 0.1]})
    # 100 * 0.5 + 200 * 0.1 = 70; variance 100^2 * 0.25 + 200^2 * 0.09 = 2500 + 3600 = 6100, sd 78.10;
    # 80%: 70 -/+ 1.2816 * 78.10 = 100.09 -> lower clipped to 0, upper 170.09
    value, lower, upper = pipeline_forecast.weighted(deals, "p")
    assert value == pytest.approx(70)
    assert lower == 0
    assert upper == pytest.approx(70 + 1.281552 * 6100**0.5, rel=1e-5)


def test_pipeline_needed_divides_the_gap_by_the_open_pipelines_conversion():
    deals = pd.DataFrame({"amount": [100.0, 300.0], "historical": [0.5, 0.1]})
    # converts (50 + 30) / 400 = 20%: a gap of 100 takes 500 of pipeline
    assert pipeline_forecast.pipeline_needed(100, deals) == pytest.approx(500)
    assert pipeline_forecast.pipeline_needed(-5, deals) == 0
    assert np.isnan(pipeline_forecast.pipeline_needed(100, deals.iloc[:0]))  # no open pipeline: no figure


def test_blend_weights_are_inverse_mean_squared_errors():
    historical, series, _ = pipeline_forecast.BLENDED
    checked = pd.DataFrame(
        {
            "method": [historical] * 3 + [series] * 3,
            "quarter": ["Q1", "Q2", "Q3"] * 2,
            "forecast": [110.0, 90, 110, 120, 80, 120],
            "actual": [100.0] * 6,
        }
    )
    # squared errors 100 and 400: weights 1/100 and 1/400, normalised 0.8 and 0.2
    weights = pipeline_forecast.blend_weights(checked)
    assert weights[historical] == pytest.approx(0.8) and weights[series] == pytest.approx(0.2)
    assert pipeline_forecast.blend_weights(checked.iloc[[0, 3]]) is None  # one quarter each: too few
    # a third method (the deal probabilities, squared error 25) joins the weights: 1/100, 1/400 and 1/25
    deals = pd.DataFrame(
        {
            "method": [pipeline_forecast.DEAL_PROBABILITIES] * 3,
            "quarter": ["Q1", "Q2", "Q3"],
            "forecast": [95.0, 105, 95],
            "actual": [100.0] * 3,
        }
    )
    weights = pipeline_forecast.blend_weights(pd.concat([checked, deals]))
    assert weights == pytest.approx({historical: 4 / 21, series: 1 / 21, pipeline_forecast.DEAL_PROBABILITIES: 16 / 21})
    # a method alone cannot be weighed against anything
    assert pipeline_forecast.blend_weights(checked[checked["method"] == series]) is None


def test_blend_weights_count_quarters_not_month_ends():
    historical, series, _ = pipeline_forecast.BLENDED
    # three month ends each, but all forecasting one quarter: 1 distinct quarter < 3, so no weights
    checked = pd.DataFrame(
        {
            "method": [historical] * 3 + [series] * 3,
            "quarter": ["Q1"] * 6,
            "forecast": [110.0, 90, 110, 120, 80, 120],
            "actual": [100.0] * 6,
        }
    )
    assert pipeline_forecast.blend_weights(checked) is None


def test_the_time_series_model_is_the_default_as_it_stood_on_the_months_ended_by_that_day():
    months = pd.date_range("2025-01-01", periods=7, freq="MS")
    actual = [100.0, 100, 100, 60, 60, 60, 60]  # January-March at 100, April-July at 60
    rows = pd.concat(
        [
            pd.DataFrame({"model": name, "month": months, "forecast": value, "actual": actual, "scale": 1.0})
            for name, value in (("a", 100.0), ("b", 60.0))
        ],
        ignore_index=True,
    )
    # 31 March: January-March known, a errs 0, b 40 each: a. 30 March: March not over, still only a's zeros known.
    assert pipeline_forecast.default_model_by(rows, pd.Timestamp("2025-03-31")) == "a"
    assert pipeline_forecast.default_model_by(rows, pd.Timestamp("2025-03-30")) == "a"
    # 30 June: a (0 + 0 + 0 + 40 + 40 + 40) / 6 = 20, b (40 x 3 + 0 x 3) / 6 = 20: a tie, the first listed (a)
    assert pipeline_forecast.default_model_by(rows, pd.Timestamp("2025-06-30")) == "a"
    # 31 July: a 160 / 7 = 22.9, b 120 / 7 = 17.1: b
    assert pipeline_forecast.default_model_by(rows, pd.Timestamp("2025-07-31")) == "b"
    assert pipeline_forecast.default_model_by(rows, pd.Timestamp("2024-12-31")) is None  # nothing known yet
    # with a combination among the models it is the default unless a model erred more than 20% less: by 31 July
    # a combination forecasting 80 errs 20 each month, b 17.1 (not 20% less); by 31 March a errs 0 (far less)
    combined = pd.concat([rows, rows[rows["model"] == "a"].assign(model="combination", forecast=80.0)])
    assert pipeline_forecast.default_model_by(combined, pd.Timestamp("2025-07-31")) == "combination"
    assert pipeline_forecast.default_model_by(combined, pd.Timestamp("2025-03-31")) == "a"
    assert pipeline_forecast.default_model_by(combined, pd.Timestamp("2024-12-31")) is None


def _fake_data(history: bool = True) -> SimpleNamespace:
    """A company with one open deal (stage Open, 100, closing in 2030) and the configured probability of Open 0.5."""
    config = SimpleNamespace(open_stages=["Open"], stage_probability=lambda: {"Open": 0.5})
    opportunities = pd.DataFrame(
        {
            "opportunity_id": ["D1"],
            "created_date": [pd.Timestamp("2024-01-01")],
            "close_date": [pd.Timestamp("2030-01-01")],
            "outcome": ["open"],
            "stage": ["Open"],
            "amount": [100.0],
        }
    )
    return SimpleNamespace(
        config=config,
        opportunities=opportunities,
        history=pd.DataFrame({"opportunity_id": ["D1"]}) if history else None,
    )


def _pipeline_backtest(
    monkeypatch, bookings: pd.Series, history: bool = True, deals: pd.DataFrame | None = None
) -> pd.DataFrame:
    """pipeline_backtest on calendar quarters to 31 December 2025, the deal data faked: booked = the bookings of the
    months so far, no new business, no stage snapshots; time-series backtest rows of model a (100 a month) and b (40
    a month) at every origin, horizons 1-6, against the bookings."""
    data = _fake_data(history)
    monkeypatch.setattr(pipeline_forecast, "snapshots", lambda *args, **kwargs: {})
    monkeypatch.setattr(pipeline_forecast, "new_deal_share", lambda *args: 0.0)
    monkeypatch.setattr(pipeline_forecast, "open_deals_at", lambda data, day: data.opportunities.copy())
    monkeypatch.setattr(
        pipeline_forecast,
        "booked_between",
        lambda data, start, end: float(bookings[(bookings.index >= start) & (bookings.index <= end)].sum()),
    )
    origins = bookings.index
    rows = pd.DataFrame(
        [
            {
                "model": name,
                "origin": origin,
                "horizon": h,
                "month": origin + pd.DateOffset(months=h),
                "forecast": value,
                "actual": bookings.get(origin + pd.DateOffset(months=h), np.nan),
                "scale": 1.0,
            }
            for origin in origins
            for name, value in (("a", 100.0), ("b", 40.0))
            for h in range(1, 7)
        ]
    )
    return pipeline_forecast.pipeline_backtest(
        data, FiscalCalendar(start_month=1), pd.Timestamp("2025-12-31"), bookings, rows, deal_forecasts=deals
    )


def test_the_pipeline_backtest_does_not_use_quarters_not_yet_over(monkeypatch):
    months = pd.date_range("2024-01-01", "2025-12-01", freq="MS")
    bookings = pd.Series(100.0, index=months)
    changed = bookings.copy()
    changed[pd.Timestamp("2025-06-01")] = 1000.0  # June 2025: part of Q2 2025, not over on 31 May
    before = _pipeline_backtest(monkeypatch, bookings)
    after = _pipeline_backtest(monkeypatch, changed)
    one = before.set_index(["made_at", "method"])["forecast"]
    # 30 April 2025, Q2: booked 100 (April), May and June left (horizons 1, 2); model a is best on every month so
    # far (errs 0, b 60): 100 + 2 x 100 = 300. Historical stage-weighted: 100 booked + 100 x 0.5 = 150; configured:
    # the deal closes in 2030, weight 0: 100; run-rate: 100 + 2 x 100 = 300.
    day = pd.Timestamp("2025-04-30")
    assert one[(day, "time series")] == pytest.approx(300)
    assert one[(day, pipeline_forecast.BLENDED[0])] == pytest.approx(150)
    assert one[(day, pipeline_forecast.STAGE_METHODS[0])] == pytest.approx(100)
    assert one[(day, "run-rate")] == pytest.approx(300)
    # Up to 31 May 2025 nothing may change: Q2's June was not known. (Before the fix, the Q2 forecasts of 31 March
    # and 30 April entered the blend's weights on 31 May with errors that include June.)
    columns = ["made_at", "method", "forecast"]
    known = pd.Timestamp("2025-05-31")
    pd.testing.assert_frame_equal(
        before.loc[before["made_at"] <= known, columns].reset_index(drop=True),
        after.loc[after["made_at"] <= known, columns].reset_index(drop=True),
    )
    # From 30 June Q2 is over: its time-series error (300 against 1,200) now weighs the blend, which moves.
    blend = before.set_index(["made_at", "method"])["forecast"], after.set_index(["made_at", "method"])["forecast"]
    june = (pd.Timestamp("2025-06-30"), "blend")
    assert not np.isclose(blend[0][june], blend[1][june])


def test_the_deal_probabilities_forecast_joins_the_backtest_and_its_blend(monkeypatch):
    bookings = pd.Series(100.0, index=pd.date_range("2024-01-01", "2025-12-01", freq="MS"))
    days = pipeline_forecast.backtest_days(_fake_data(True), FiscalCalendar(start_month=1), pd.Timestamp("2025-12-31"))
    # of the 22 month ends to December 2025, those whose coming quarter had ended: March 2024 to November 2025
    assert days[0] == pd.Timestamp("2024-03-31") and days[-1] == pd.Timestamp("2025-11-30") and len(days) == 21
    # the deal probabilities forecast 300 at every month end but the first: each quarter books 300
    deals = pd.DataFrame({"made_at": days[1:], "forecast": 300.0})
    checked = _pipeline_backtest(monkeypatch, bookings, deals=deals)
    mine = checked[checked["method"] == pipeline_forecast.DEAL_PROBABILITIES]
    assert mine["made_at"].tolist() == days[-18:] and (mine["forecast"] == 300).all()
    # it is weighed with the others: as the time series (model a, 100 a month) it never errs, so the two share the
    # blend, and the historical stage-weighted forecast (150 or so against 300) all but drops out
    weights = pipeline_forecast.blend_weights(checked)
    assert weights[pipeline_forecast.DEAL_PROBABILITIES] == pytest.approx(0.5, abs=1e-6)
    assert weights["time series"] == pytest.approx(0.5, abs=1e-6)
    blend = checked[checked["method"] == "blend"].set_index("made_at")["forecast"]
    assert blend[pd.Timestamp("2025-11-30")] == pytest.approx(300, abs=0.01)


def test_without_stage_history_the_pipeline_backtest_leaves_out_the_stage_weighted_methods(monkeypatch):
    bookings = pd.Series(100.0, index=pd.date_range("2024-01-01", "2025-12-01", freq="MS"))
    checked = _pipeline_backtest(monkeypatch, bookings, history=False)
    assert set(checked["method"]) == {"run-rate", "time series"}
    scores = pipeline_forecast.pipeline_accuracy(checked).set_index("method")
    # every month end from June 2024 to November 2025 (the last 18 whose coming quarter is over) is one forecast
    assert scores["month_ends"].tolist() == [18, 18]


def test_stage_probabilities_count_only_windows_that_had_passed_and_lean_on_the_configured_ones():
    config = SimpleNamespace(
        open_stages=["Early", "Late", "Unseen"], stage_probability=lambda: {"Early": 0.2, "Late": 0.6, "Unseen": 0.4}
    )
    opportunities = pd.DataFrame(
        {
            "opportunity_id": ["D1", "D2", "D3", "D4"],
            "outcome": ["won", "won", "lost", "won"],
            "close_date": pd.to_datetime(["2025-03-15", "2025-06-10", "2025-04-01", "2025-04-10"]),
        }
    )
    data = SimpleNamespace(config=config, opportunities=opportunities)
    state = lambda ids, stages, amounts: pd.DataFrame({"opportunity_id": ids, "stage": stages, "amount": amounts})  # noqa: E731
    seen = {
        pd.Timestamp("2025-03-31"): state(["D4"], ["Early"], [1000.0]),
        pd.Timestamp("2025-02-28"): state(["D1", "D3"], ["Early", "Late"], [100.0, 300.0]),
        pd.Timestamp("2025-01-31"): state(["D1", "D2"], ["Early", "Late"], [100.0, 200.0]),
    }
    as_of, quarter = pd.Timestamp("2025-06-30"), FiscalCalendar(start_month=1).quarter(pd.Timestamp("2025-07-01"))
    # Q3 lies 1 to 92 days after 30 June. 31 March's window (1 April to 1 July) had not passed by 30 June: left out.
    # 28 February: 1 March to 31 May: D1 won 15 March (in), D3 lost. 31 January: 1 February to 3 May: D1 in, D2 won
    # 10 June (out). Early: 200 open, 200 won, raw 1, mean deal 100: (200 + 10 x 100 x 0.2) / (200 + 1000) = 1/3.
    # Late: 500 open, 0 won, mean 250: (0 + 10 x 250 x 0.6) / (500 + 2500) = 0.5. Unseen: the configured 0.4.
    table = pipeline_forecast.stage_probabilities(data, seen, as_of, quarter).set_index("stage")
    assert table["observed"].tolist() == [2, 2, 0]
    assert table.loc["Early", "raw"] == pytest.approx(1) and table.loc["Late", "raw"] == 0
    assert np.isnan(table.loc["Unseen", "raw"])
    assert table["probability"].tolist() == pytest.approx([1 / 3, 0.5, 0.4])


def _quarter_views(monkeypatch) -> tuple[pipeline_forecast.QuarterForecast, pipeline_forecast.QuarterForecast]:
    """Q3 and Q4 2025 (calendar quarters) seen on 31 July 2025, with three open deals."""
    bookings = pd.Series([1000.0] + [100.0] * 11 + [250.0], index=pd.date_range("2024-07-01", "2025-07-01", freq="MS"))
    deals = pd.DataFrame(
        {
            "opportunity_id": ["D1", "D2", "D3"],
            "stage": ["Early", "Late", "Late"],
            "amount": [100.0, 200.0, 400.0],
            "close_date": pd.to_datetime(["2025-06-15", "2025-09-10", "2025-11-01"]),
        }
    )
    share = {1: 0.1, 2: 0.3, 3: 0.5, 4: 0.6, 5: 0.7}
    monkeypatch.setattr(pipeline_forecast, "open_deals_at", lambda data, day: deals)
    monkeypatch.setattr(pipeline_forecast, "new_deal_share", lambda data, as_of, h: share[h])
    monkeypatch.setattr(
        pipeline_forecast,
        "booked_between",
        lambda data, start, end: float(bookings[(bookings.index >= start) & (bookings.index <= end)].sum()),
    )
    probabilities = pd.DataFrame({"stage": ["Early", "Late"], "configured": [0.2, 0.6], "probability": [0.3, 0.5]})
    calendar, as_of = FiscalCalendar(start_month=1), pd.Timestamp("2025-07-31")
    q3, q4 = pipeline_forecast.quarters_ahead(calendar, as_of)
    return (
        pipeline_forecast.quarter_forecast(None, q3, as_of, probabilities, bookings, first=True),
        pipeline_forecast.quarter_forecast(None, q4, as_of, probabilities, bookings, first=False),
    )


def test_a_quarters_pipeline_view_by_hand(monkeypatch):
    q3, q4 = _quarter_views(monkeypatch)
    # Q3 on 31 July: July's 250 booked; August and September left, 1 and 2 months ahead. Run-rate: the twelve
    # months after 31 July 2024 (July 2024's 1,000 left out): (11 x 100 + 250) / 12 = 112.5; new business
    # 112.5 x (0.1 + 0.3) = 45.
    assert q3.booked == 250 and q3.horizons == [1, 2] and q3.run_rate_month == pytest.approx(112.5)
    assert [f"{m:%Y-%m}" for m in q3.months_left] == ["2025-08", "2025-09"]
    assert q3.new_business == pytest.approx(45)
    # Due in Q3: D1 (its close date has passed: the first quarter keeps it) and D2; D3 closes in November.
    assert q3.open_deals["in_quarter"].tolist() == [True, True, False]
    assert q3.open_deals["configured"].tolist() == [0.2, 0.6, 0.0]
    assert q3.open_deals["historical"].tolist() == [0.3, 0.5, 0.5]  # whatever the close date
    # Q4: nothing booked yet, October to December 3, 4 and 5 months ahead, new business 112.5 x 1.8 = 202.5;
    # only D3 is due (D1's passed close date does not count for a later quarter).
    assert q4.booked == 0 and q4.horizons == [3, 4, 5] and q4.new_business == pytest.approx(202.5)
    assert q4.open_deals["configured"].tolist() == [0.0, 0.0, 0.6]


def test_method_table_and_its_blend_by_hand(monkeypatch):
    q3, _ = _quarter_views(monkeypatch)
    series = {"forecast": 500.0, "lower_80": 450.0, "upper_80": 550.0, "lower_95": 400.0, "upper_95": 600.0}
    historical = pipeline_forecast.BLENDED[0]
    table = pipeline_forecast.method_table(q3, series, {historical: 0.25, "time series": 0.75}).set_index("method")
    # booked 250 + new 45 = 295; configured 100 x 0.2 + 200 x 0.6 = 140 -> 435; historical 30 + 100 + 200 = 330
    # -> 625; run-rate 250 + 2 x 112.5 = 475; blend 0.25 x 625 + 0.75 x 500 = 531.25
    assert table["forecast"].to_dict() == pytest.approx(
        {
            pipeline_forecast.STAGE_METHODS[0]: 435,
            historical: 625,
            "run-rate": 475,
            "time series": 500,
            "blend": 531.25,
        }
    )
    # without weights the two count equally: (625 + 500) / 2; without a time series the blend is the historical
    assert pipeline_forecast.method_table(q3, series).set_index("method").loc["blend", "forecast"] == 562.5
    assert pipeline_forecast.method_table(q3, None).set_index("method").loc["blend", "forecast"] == 625
    # the deal probabilities' expected bookings join the blend: with the weights above plus 0.5 for them,
    # normalised over the three (0.25 + 0.75 + 0.5 = 1.5): (0.25 x 625 + 0.75 x 500 + 0.5 x 400) / 1.5
    deals = {"forecast": 400.0, "lower_80": 300.0, "upper_80": 500.0}
    weights = {historical: 0.25, "time series": 0.75, pipeline_forecast.DEAL_PROBABILITIES: 0.5}
    table = pipeline_forecast.method_table(q3, series, weights, deals).set_index("method")
    assert table.loc[pipeline_forecast.DEAL_PROBABILITIES, "upper_80"] == 500
    assert table.loc["blend", "forecast"] == pytest.approx((156.25 + 375 + 200) / 1.5)
    # weights learnt without the deal method count all three equally: (625 + 500 + 400) / 3
    table = pipeline_forecast.method_table(q3, series, {historical: 0.25, "time series": 0.75}, deals)
    assert table.set_index("method").loc["blend", "forecast"] == pytest.approx(508.333333)


def test_the_forecast_is_made_at_the_end_of_the_last_complete_month():
    # data to 15 November 2026, asked for November: November is under way, so the forecast is made on 31 October
    assert forecast_date(pd.Timestamp("2026-11-30"), pd.Timestamp("2026-11-15"), pd.Timestamp("2026-11-16")) == (
        pd.Timestamp("2026-10-31")
    )
    # data to Wednesday 28 October, read on 2 November: October counts as complete (periods.QUIET_DAYS)
    assert forecast_date(pd.Timestamp("2026-10-31"), pd.Timestamp("2026-10-28"), pd.Timestamp("2026-11-02")) == (
        pd.Timestamp("2026-10-31")
    )
    assert forecast_date(pd.Timestamp("2026-09-30"), pd.Timestamp("2026-11-15")) == pd.Timestamp("2026-09-30")


def test_warm_up_counts_only_deals_won_by_the_report_date(tmp_path):
    data = load_data(write_folder(tmp_path / "data"), load_config(DEFAULT_CONFIG))
    # won: O1 in 36 days (5 January to 10 February 2024), O5 in 45 (1 March to 15 April). Every won deal: the 90th
    # percentile of [36, 45] is 36 + 0.9 x 9 = 44.1; by 31 March only O1 had been won: 36
    assert warm_up_days(data) == pytest.approx(44.1)
    assert warm_up_days(data, pd.Timestamp("2024-03-31")) == pytest.approx(36)


def test_quarters_ahead_start_the_day_after_the_forecast_date():
    calendar = FiscalCalendar.from_config(load_config(DEFAULT_CONFIG))  # fiscal year from February
    assert [q.label for q in pipeline_forecast.quarters_ahead(calendar, pd.Timestamp("2026-10-31"))] == [
        "FY2027 Q4",
        "FY2028 Q1",
    ]
    assert [q.label for q in pipeline_forecast.quarters_ahead(calendar, pd.Timestamp("2026-09-30"))] == [
        "FY2027 Q3",
        "FY2027 Q4",
    ]


def test_new_deal_share_counts_bookings_from_deals_shorter_than_the_time_ahead(tmp_path):
    data = load_data(write_folder(tmp_path / "data"), load_config(DEFAULT_CONFIG))
    # won by 2024-04-30: O1 (36 days, 1000) and O5 (45 days, 12000). One month ahead reaches 15 days: neither;
    # two months ahead reach 45.7 days: both
    as_of = pd.Timestamp("2024-04-30")
    assert pipeline_forecast.new_deal_share(data, as_of, 1) == 0
    assert pipeline_forecast.new_deal_share(data, as_of, 2) == pytest.approx(1)


def test_a_scenario_moves_every_deal_by_win_rate_and_new_deals_by_size_and_creation():
    forecast = pd.DataFrame(
        {"month": pd.to_datetime(["2026-11-01", "2026-12-01"]), "horizon": [1, 2], "forecast": [100.0, 200.0]}
    )
    drawn = scenarios.scenario(forecast, {1: 0.0, 2: 0.5}, win_rate=1.1, deal_size=0.9, creation=1.2)
    # month 1: 100 * 1.1 * (1 - 0) = 110; month 2: 200 * 1.1 * (0.5 + 0.5 * 1.2 * 0.9) = 200 * 1.1 * 1.04 = 228.8
    assert drawn["scenario"].tolist() == pytest.approx([110, 228.8])


@pytest.mark.parametrize(
    "dates",
    [
        ["2024-01", "2024-02", "2024-03"],
        ["2024-01-31", "2024-02-29", "2024-03-31"],
        ["Jan 2024", "Feb 2024", "Mar 2024"],
        ["01/2024", "02/2024", "03/2024"],
    ],
)
def test_monthly_csv_accepts_common_date_forms(tmp_path, dates):
    path = tmp_path / "series.csv"
    path.write_text(
        "month,sales\n" + "".join(f"{d},{v}\n" for d, v in zip(dates, ["10", '"1,200"', "30"], strict=True))
    )
    series = read_monthly_csv(str(path))
    assert series.index.tolist() == list(pd.date_range("2024-01-01", periods=3, freq="MS"))
    assert series.tolist() == [10, 1200, 30]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("month,sales\n2024-01,10\n2024-03,30\n", "month 2024-02 is missing"),
        ("month,sales\n2024-01,10\n2024-01,30\n", "2024-01 appears more than once"),
        ("month,sales\n2024-01,10\nsoon,30\n", "row 3: 'soon' is not a month"),
        ("month,sales\n2024-01,10\n2024-02,lots\n", "row 3: 'lots' is not a number"),
    ],
)
def test_a_bad_monthly_csv_gets_a_clear_message(tmp_path, text, message):
    path = tmp_path / "series.csv"
    path.write_text(text)
    with pytest.raises(SeriesError, match=message):
        read_monthly_csv(str(path))
    with pytest.raises(SeriesError, match="no column 'revenue'"):
        read_monthly_csv(str(path), value_col="revenue")
