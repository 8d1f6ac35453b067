"""The revenue forecast's summary on hand-made quarters: a forecast of 1,000 (80% interval 800 to 1,300) and two
open deals of 1,000, one converting at 50% and one not, so the pipeline converts 500 of 2,000: each 1 of gap takes 4
of new pipeline. The fiscal year starts in February (FY2027 Q4 runs from November 2026 to January 2027)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesops_helpers import load_config, load_data
from salesops_helpers.analyses.forecast.forecast_history import COLUMNS
from salesops_helpers.analyses.forecast.outlook import Outlook
from salesops_helpers.analyses.forecast.pipeline_forecast import QuarterForecast
from salesops_helpers.analyses.forecast.series import BookingsSeries, company_bookings, monthly_bookings
from salesops_helpers.analyses.forecast.summary import (
    QuarterOutlook,
    change_sentence,
    earlier_forecast,
    forecast_summary,
    previous_quarter_bookings,
    risk_and_action,
    target_tone,
)
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers import metrics_company as metrics_fixture

CAL = FiscalCalendar(2, "end")
AS_OF = pd.Timestamp("2026-10-31")
Q4 = Period("quarter", pd.Timestamp("2026-11-01"), pd.Timestamp("2027-01-31"), "FY2027 Q4")
Q1 = Period("quarter", pd.Timestamp("2027-02-01"), pd.Timestamp("2027-04-30"), "FY2028 Q1")
SERIES = {"forecast": 1000.0, "lower_80": 800.0, "upper_80": 1300.0, "lower_95": 700.0, "upper_95": 1500.0}


def view(quarter: Period = Q4, converting: float = 0.5, booked: float = 0.0) -> QuarterForecast:
    deals = pd.DataFrame({"amount": [1000.0, 1000.0], "historical": [converting, 0.0]})
    return QuarterForecast(quarter, AS_OF, booked, [], [1, 2, 3], deals, 0.0, 0.0)


def outlook_of(
    target: float | None,
    time_series: dict[str, float] | None = SERIES,
    quarter: Period = Q4,
    converting: float = 0.5,
    blend: float = 600.0,
) -> QuarterOutlook:
    methods = pd.DataFrame({"method": ["blend"], "forecast": [blend]})
    return QuarterOutlook(quarter, view(quarter, converting), methods, time_series, target)


ON = "(at the conversion of the pipeline open on 31 Oct 2026)"


@pytest.mark.parametrize(
    ("target", "risk", "action", "pipeline"),
    [
        (
            1500.0,  # above the interval's top (1,300): a gap of 500, 4 × 500 of pipeline
            "Even the top of the 80% interval, $1.3k, is below the FY2027 Q4 target: a miss of about $500 is very "
            "likely.",
            f"Create about $2.0k of new pipeline to close the $500 gap {ON}.",
            2000.0,
        ),
        (
            1200.0,  # between the forecast and the top: a gap of 200
            "The forecast falls $200 short of the FY2027 Q4 target, in the upper half of the 80% interval: a miss "
            "is more likely than not.",
            f"Create about $800 of new pipeline to close the $200 gap {ON}.",
            800.0,
        ),
        (
            900.0,  # between the bottom (800) and the forecast: 100 above it, 100 short at the low end
            "The forecast is $100 above the FY2027 Q4 target, but the 80% interval reaches down to $800: a 10% to "
            "50% chance of missing it.",
            f"Create about $400 of new pipeline so that even the interval's low end reaches the target {ON}.",
            400.0,
        ),
        (
            700.0,  # below the interval
            "The FY2027 Q4 target lies below the 80% interval: under a 10% chance of missing it.",
            "No extra pipeline is needed for FY2027 Q4; keep its deals moving.",
            0.0,
        ),
    ],
)
def test_the_risk_is_where_the_target_falls_in_the_interval(target, risk, action, pipeline) -> None:
    found = risk_and_action(outlook_of(target), None, "USD")
    assert (found.risk, found.action, found.pipeline) == (risk, action, pipeline)


def test_when_the_coming_quarter_is_safe_the_next_quarters_gap_is_the_risk() -> None:
    following = outlook_of(1300.0, quarter=Q1)  # 300 short of its target
    found = risk_and_action(outlook_of(700.0), following, "USD")
    assert found.risk == (
        "FY2027 Q4 is on course (its target lies below the 80% interval), but the FY2028 Q1 forecast falls $300 "
        "short of its target."
    )
    assert found.action == f"Create about $1.2k of new pipeline for FY2028 Q1 to close its gap {ON}."
    assert found.pipeline == 1200.0


def test_without_a_target_the_risk_is_the_downside_and_the_action_to_set_one() -> None:
    found = risk_and_action(outlook_of(None), None, "USD")
    assert found.risk == "Bookings could come in as low as $800, the 80% interval's low end, $200 below the forecast."
    assert found.action.startswith("Set a bookings target")
    assert found.pipeline is None


def test_without_a_time_series_the_pipelines_view_is_held_against_the_target() -> None:
    short = outlook_of(1000.0, time_series=None, blend=600.0)
    found = risk_and_action(short, None, "USD")
    assert found.risk == "The pipeline's view falls $400 short of the FY2027 Q4 target."
    assert found.pipeline == 1600.0
    # a pipeline that converts nothing cannot size the pipeline to create
    dead = risk_and_action(outlook_of(1000.0, time_series=None, converting=0.0), None, "USD")
    assert math.isnan(dead.pipeline) and "cannot be worked out" in dead.action


def store_rows(rows: list[tuple[str, str, str, str, str, float]]) -> pd.DataFrame:
    """A forecast store: (company, made_at, method, kind, target, forecast) per row."""
    frame = pd.DataFrame(rows, columns=["company", "made_at", "method", "kind", "target", "forecast"])
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = np.nan
    return frame[COLUMNS]


def test_the_change_is_against_the_last_earlier_runs_forecast_of_the_quarter() -> None:
    store = store_rows(
        [
            ("Acme", "2026-08", "time series", "quarter", "FY2027 Q4", 900.0),
            ("Acme", "2026-09", "time series", "quarter", "FY2027 Q4", 950.0),  # the one to compare with
            ("Acme", "2026-09", "blend", "quarter", "FY2027 Q4", 700.0),  # another method
            ("Acme", "2026-10", "time series", "quarter", "FY2027 Q4", 990.0),  # this run's own
            ("Other", "2026-09", "time series", "quarter", "FY2027 Q4", 10.0),  # another company
            ("Acme", "2026-09", "ETS", "month", "2026-11", 300.0),
        ]
    )
    coming = outlook_of(1200.0)
    earlier = earlier_forecast(store, "Acme", "2026-10", coming)
    assert earlier is not None and earlier["forecast"] == 950.0
    previous, booked = Period("quarter", AS_OF, AS_OF, "FY2027 Q3"), 1.0
    # 1,000 − 950 = 50 higher, +5%
    assert change_sentence(coming, earlier, previous, booked, "USD") == (
        "The forecast is $50 higher than the $950 the September 2026 run made for FY2027 Q4 (+5%)."
    )
    # without a time series the stored blend is the one compared: 600 against 700
    blend = outlook_of(1200.0, time_series=None)
    earlier_blend = earlier_forecast(store, "Acme", "2026-10", blend)
    assert change_sentence(blend, earlier_blend, previous, booked, "USD") == (
        "The pipeline's view is $100 lower than the $700 the September 2026 run made for FY2027 Q4 (−14%)."
    )


def test_without_an_earlier_forecast_the_change_is_against_the_quarter_before() -> None:
    months = pd.date_range("2026-05-01", "2026-10-01", freq="MS")
    values = pd.Series([50.0, 60.0, 70.0, 100.0, 200.0, 500.0], index=months, name="bookings")
    bookings = BookingsSeries(values, values, 0.0)
    previous, booked = previous_quarter_bookings(bookings, CAL, Q4)
    assert (previous.label, booked) == ("FY2027 Q3", 800.0)  # August to October: 100 + 200 + 500
    assert change_sentence(outlook_of(1200.0), None, previous, booked, "USD") == (
        "No earlier run forecast FY2027 Q4, so against the quarter before: $1.0k against $800 booked in FY2027 Q3 "
        "(+25%)."
    )
    # August still in the warm-up: the quarter before is not whole in the series
    late = BookingsSeries(values[values.index >= "2026-09-01"], values, 90.0)
    previous, booked = previous_quarter_bookings(late, CAL, Q4)
    assert booked is None
    assert change_sentence(outlook_of(1200.0), None, previous, booked, "USD") == (
        "Nothing to compare with yet: no earlier run forecast FY2027 Q4, and FY2027 Q3 is not fully in the data."
    )


def test_the_summary_states_the_forecast_and_its_key_figures() -> None:
    months = pd.date_range("2025-09-01", "2026-10-01", freq="MS")
    values = pd.Series(np.arange(1.0, 15.0) * 100, index=months, name="bookings")  # 100 ... 1,400
    bookings = BookingsSeries(values, values, 0.0)
    store = store_rows([("Acme", "2026-09", "time series", "quarter", "FY2027 Q4", 1100.0)])
    not_ready = Outlook(values, 6)
    coming = QuarterOutlook(
        Q4, view(booked=250.0), pd.DataFrame({"method": ["blend"], "forecast": [0.0]}), SERIES, 1200.0
    )
    summary = forecast_summary(coming, None, not_ready, bookings, CAL, store, "Acme", "2026-10", 1500.0, "USD")
    assert summary.standing == (
        "The forecast for FY2027 Q4 (Nov 2026 to Jan 2027) is $1.0k (80% interval $800 to $1.3k) against a target "
        "of $1.2k, $250 of it already booked."
    )
    assert (
        summary.change == "The forecast is $100 lower than the $1.1k the September 2026 run made for FY2027 Q4 (−9%)."
    )
    figures = {f.key: f for f in summary.figures}
    assert list(figures) == ["forecast_next_quarter", "gap_to_target", "monthly_bookings", "pipeline_needed"]
    assert figures["forecast_next_quarter"].change == "-$100 vs Sep 2026 run"
    assert figures["forecast_next_quarter"].status == "bad"  # 1,000 below the target of 1,200
    assert (figures["gap_to_target"].value, figures["gap_to_target"].text) == (200.0, "$200 short")
    monthly = figures["monthly_bookings"]
    assert monthly.label == "Bookings, October 2026"
    assert monthly.value == 1400.0 and monthly.status == "bad"  # below the month's target of 1,500
    assert len(monthly.trend) == 12 and monthly.trend_periods[-1] == "2026-10"
    assert (figures["pipeline_needed"].value, figures["pipeline_needed"].status) == (800.0, "bad")  # 4 × 200
    assert {f.key: f.dashboard for f in summary.recorded} == {"model": False, "mase": False}


def test_target_tone() -> None:
    assert [target_tone(v) for v in (10.0, 0.0, -1.0, float("nan"), None)] == ["good", "good", "bad", "", ""]


@pytest.mark.slow
def test_the_company_series_summed_from_the_teams_is_the_company_series(tmp_path: Path) -> None:
    # the metrics company has a deal whose owner is missing from the reps table: its team is Unassigned
    data = load_data(metrics_fixture.write_folder(tmp_path / "data", {}), load_config(DEFAULT_CONFIG))
    last_day = pd.Timestamp("2026-10-31")
    direct = company_bookings(data, metrics_fixture.CAL, last_day)
    by_team = company_bookings(data, metrics_fixture.CAL, last_day, monthly_bookings(data, CAL, last_day, "team"))
    pd.testing.assert_series_equal(direct.all_months, by_team.all_months)
    assert direct.all_months.sum() > 0


@pytest.mark.slow
def test_a_month_in_which_no_team_has_a_row_counts_as_zero(tmp_path: Path) -> None:
    """A small export can leave whole months without any group's row (the salesforce-report fixture did)."""
    data = load_data(metrics_fixture.write_folder(tmp_path / "data", {}), load_config(DEFAULT_CONFIG))
    last_day = pd.Timestamp("2026-10-31")
    direct = company_bookings(data, metrics_fixture.CAL, last_day).all_months
    grouped = monthly_bookings(data, CAL, last_day, "team")
    missing = grouped["month"].min() + pd.DateOffset(months=2)
    series = company_bookings(data, CAL, last_day, grouped[grouped["month"] != missing]).all_months
    assert series.index.freqstr == "MS"
    assert list(series.index) == list(direct.index)
    assert series[missing] == 0.0
