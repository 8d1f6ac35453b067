"""The one forecast-readiness rule (metrics/readiness.py) that data health (report 00) and the revenue forecast
(report 04) both apply: 30 months of bookings after the warm-up, 18 to fit before the first of 12 backtest origins.
Hand-worked on a four-deal company at the boundary, and on the demo company, where the two reports used to disagree
(February 2026: 33 months of won deals, but 29 months in the forecast's series)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import SalesData, load_data
from salesops_helpers.analyses.forecast import backtest, outlook
from salesops_helpers.analyses.forecast.page import forecast_page, store_forecasts
from salesops_helpers.analyses.forecast.series import company_bookings
from salesops_helpers.analyses.health.checks import analysis_readiness
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.calendar.periods import month_of
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.metrics.readiness import (
    FORECAST_MIN_MONTHS,
    MIN_ORIGINS,
    MIN_TRAIN,
    ForecastMonths,
    available_origins,
    first_counted_month,
    forecast_date,
    forecast_months,
    forecast_ready,
    warm_up_days,
)

# Won deals take 10, 20 and 30 days (D1 to D3), and D4, won on 31 August 2026, 30 days. By 31 July 2026 the 90th
# percentile of 10, 20, 30 is 20 + 0.8 × 10 = 28 days; by 31 August that of 10, 20, 30, 30 is 30 days. Either way the
# data's first day, 5 January 2024, plus the warm-up falls in February 2024 (2 or 4 February), so bookings count
# from March 2024: March 2024 to July 2026 is 29 months, to August 2026 30.
OPPORTUNITIES_CSV = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,lost_reason
D1,Acme,R1,2024-01-05,2024-01-15,Closed Won,1000,
D2,Bolt,R1,2024-01-10,2024-01-30,Closed Won,2000,
D3,Cask,R1,2024-02-01,2024-03-02,Closed Won,3000,
D4,Dune,R1,2026-08-01,2026-08-31,Closed Won,4000,
"""
JULY, AUGUST = pd.Timestamp("2026-07-31"), pd.Timestamp("2026-08-31")


@pytest.fixture(scope="module")
def four_deals(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> SalesData:
    folder = tmp_path_factory.mktemp("four-deals")
    (folder / "reps.csv").write_text("rep_id,name,team,hire_date,end_date\nR1,Ann Lee,Enterprise,2020-01-06,\n")
    (folder / "quotas.csv").write_text("rep_id,period_start,quota\nR1,2024-01-01,5000\n")
    (folder / "opportunities.csv").write_text(OPPORTUNITIES_CSV)
    return load_data(Path(folder), config)


def test_the_rule_is_eighteen_months_before_each_of_twelve_origins() -> None:
    assert (MIN_TRAIN, MIN_ORIGINS, FORECAST_MIN_MONTHS) == (18, 12, 30)
    # the backtest and the outlook use these very constants, not copies
    assert backtest.MIN_TRAIN is MIN_TRAIN and backtest.MIN_ORIGINS is MIN_ORIGINS
    assert backtest.available_origins is available_origins and outlook.forecast_ready is forecast_ready


@pytest.mark.parametrize(("months", "origins"), [(0, 0), (18, 0), (19, 1), (29, 11), (30, 12), (42, 24)])
def test_each_origin_needs_eighteen_months_before_it(months: int, origins: int) -> None:
    assert available_origins(months) == origins


@pytest.mark.parametrize(("months", "ready"), [(0, False), (29, False), (30, True), (37, True)])
def test_a_forecast_needs_thirty_months(months: int, ready: bool) -> None:
    assert forecast_ready(months) is ready
    assert ForecastMonths(pd.Timestamp("2024-03-01"), pd.Timestamp("2026-07-01"), months).ready is ready


def test_fewer_origins_asked_for_need_fewer_months() -> None:
    assert not forecast_ready(18, min_origins=1) and forecast_ready(19, min_origins=1)  # 18 + 1
    assert not forecast_ready(24, min_origins=3, min_train=22) and forecast_ready(25, min_origins=3, min_train=22)


@pytest.mark.parametrize(
    ("first_day", "days", "month"),
    [
        ("2024-01-05", 28.0, "2024-03-01"),  # 2 February: bookings count from the next month
        ("2024-01-05", 27.0, "2024-02-01"),  # 1 February: that month counts whole
        ("2024-01-01", 0.0, "2024-01-01"),  # no warm-up, the data begins on a month's first day
        ("2024-01-31", 0.5, "2024-02-01"),  # half a day past the 31st: the day is the 31st, the month the next
    ],
)
def test_the_first_month_counted_begins_after_the_warm_up(first_day: str, days: float, month: str) -> None:
    assert first_counted_month(pd.Timestamp(first_day), days) == pd.Timestamp(month)


def test_the_warm_up_is_the_ninetieth_percentile_of_won_deals_cycles(four_deals: SalesData) -> None:
    assert warm_up_days(four_deals, JULY) == pytest.approx(28.0)  # 10, 20, 30
    assert warm_up_days(four_deals, AUGUST) == pytest.approx(30.0)  # 10, 20, 30, 30


def test_the_months_a_forecast_learns_from_at_the_boundary(four_deals: SalesData) -> None:
    assert forecast_months(four_deals, JULY) == ForecastMonths(
        pd.Timestamp("2024-03-01"), pd.Timestamp("2026-07-01"), 29
    )
    assert forecast_months(four_deals, AUGUST) == ForecastMonths(
        pd.Timestamp("2024-03-01"), pd.Timestamp("2026-08-01"), 30
    )
    # by 31 January 2024 the warm-up is 19 days (10, 20), so bookings would count from February: none yet
    assert forecast_months(four_deals, pd.Timestamp("2024-01-31")).months == 0


@pytest.mark.slow
def test_data_health_and_the_forecast_agree_at_the_boundary(four_deals: SalesData, config: WorkbookConfig) -> None:
    calendar = FiscalCalendar.from_config(config)
    for day, months, status in ((JULY, 29, "unavailable"), (AUGUST, 30, "available")):
        # report 04's series: the company's bookings from the first month after the warm-up
        series = company_bookings(four_deals, calendar, forecast_date(day, four_deals.as_of)).values
        assert len(series) == months
        assert outlook.forecast_ready(len(series)) is (status == "available")
        # report 00's check says what the rule says of those months
        check = analysis_readiness(four_deals, day).set_index("analysis").loc["Revenue forecast"]
        assert check["status"] == status
    july = company_bookings(four_deals, calendar, JULY).values
    assert not outlook.build_outlook(july).ready  # 29 months: no backtest, so report 04 shows no forecast
    july = analysis_readiness(four_deals, JULY).set_index("analysis").loc["Revenue forecast", "reason"]
    assert july == (
        "3 months of won deals (2024-01 to 2024-03), only 29 months of bookings after the warm-up (2024-03 to "
        "2026-07); a forecast needs 30 (18 to fit before the first of 12 backtest origins)"
    )
    august = analysis_readiness(four_deals, AUGUST).set_index("analysis").loc["Revenue forecast", "reason"]
    assert august == "32 months of won deals (2024-01 to 2026-08)"  # January 2024 to August 2026


def test_before_the_warm_up_is_over_no_month_of_bookings_counts(four_deals: SalesData) -> None:
    check = analysis_readiness(four_deals, pd.Timestamp("2024-01-31")).set_index("analysis").loc["Revenue forecast"]
    assert check["status"] == "unavailable"
    assert check["reason"] == (
        "1 month of won deals (2024-01 to 2024-01), no month of bookings after the warm-up; a forecast needs 30 (18 "
        "to fit before the first of 12 backtest origins)"
    )


@pytest.mark.parametrize(
    ("period_end", "months", "status"),
    [
        ("2026-02-28", 29, "unavailable"),  # October 2023 to February 2026: once "available" for its 33 won months
        ("2026-03-31", 30, "available"),
        ("2026-10-31", 37, "available"),  # the demo's own month
    ],
)
@pytest.mark.slow
def test_on_the_demo_company_both_reports_count_the_same_months(
    demo_data: SalesData, config: WorkbookConfig, period_end: str, months: int, status: str
) -> None:
    day = pd.Timestamp(period_end)
    calendar = FiscalCalendar.from_config(config)
    series = company_bookings(demo_data, calendar, forecast_date(day, demo_data.as_of)).values
    assert len(series) == forecast_months(demo_data, day).months == months
    assert series.index[0] == pd.Timestamp("2023-10-01")
    assert analysis_readiness(demo_data, day).set_index("analysis").loc["Revenue forecast", "status"] == status


@pytest.mark.slow
def test_the_forecast_page_of_a_company_too_short_for_a_forecast(
    four_deals: SalesData, config: WorkbookConfig, tmp_path: Path
) -> None:
    output_dir = tmp_path / "reports" / "2026-07"
    page = forecast_page(four_deals, config, month_of(JULY), str(output_dir))
    assert page.as_of == JULY and len(page.bookings.values) == 29
    assert not page.ready and page.ahead is None and page.teams is None and page.scenarios is None
    assert page.has_teams and list(page.team_months.columns) == ["Enterprise"]
    assert page.summary.standing.startswith("The pipeline's view of")  # the summary rests on the pipeline
    assert page.compared.empty  # a first run: nothing stored before it
    written = store_forecasts(page, str(output_dir))
    assert written == tmp_path / "reports" / "forecast_history.csv"
    # no model forecasts a month, so the run stores each method's forecast of the two quarters ahead
    assert set(pd.read_csv(written)["kind"]) == {"quarter"} and len(pd.read_csv(written)) == len(page.rows)
    assert store_forecasts(page, "") is None  # a run by hand stores nothing
