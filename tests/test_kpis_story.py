"""The KPI report's sentences, figures and tables (notebook 01), on companies of one rep and a deal or two."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import load_data
from salesops_helpers.analyses.kpis import figures, story, tables
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import Mission, WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.planning import Plan, RampCurve, revenue_plan

REPS = "rep_id,name,team,hire_date,end_date\nR1,Ann Lee,East,2022-01-01,{end}\n"
QUOTAS = "rep_id,period_start,quota\n" + "".join(f"R1,2024-{m:02d}-01,900\n" for m in range(1, 13))
HEADER = "opportunity_id,owner_id,created_date,close_date,stage,amount\n"
# One ramped rep (hired 2022): one deal of 1,000 won in June 2024 and one of 3,000 lost in July 2024.
WON_AND_LOST = HEADER + "W1,R1,2024-05-01,2024-06-15,Closed Won,1000\nL1,R1,2024-05-01,2024-07-10,Closed Lost,3000\n"
ONLY_LOST = HEADER + "L1,R1,2024-05-01,2024-07-10,Closed Lost,3000\n"


def _company(folder: Path, opportunities: str, config: WorkbookConfig, end: str = "") -> SalesData:
    """A one-rep company written to folder and loaded."""
    folder.mkdir()
    files = {"reps.csv": REPS.format(end=end), "opportunities.csv": opportunities, "quotas.csv": QUOTAS}
    for name, text in files.items():
        Path(folder, name).write_text(text, encoding="utf-8")
    return load_data(folder, config)


@pytest.fixture(scope="module")
def one_rep(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> SalesData:
    """The ramped rep with one won and one lost deal."""
    return _company(tmp_path_factory.mktemp("kpis") / "one-rep", WON_AND_LOST, config)


def _plan(data: SalesData, config: WorkbookConfig, goal: float, as_of: str) -> Plan:
    """The revenue plan for FY2025 (February 2024 to January 2025) as of a day."""
    day = pd.Timestamp(as_of)
    calendar = FiscalCalendar.from_config(config)
    return revenue_plan(data, goal, calendar.year(day), calendar, day)


def _hand_plan(remaining: float, capacity: float, active: int, won: float = 10.0) -> Plan:
    """A plan of 3 months left whose steps are given, to test how they and capacity are told."""
    steps = pd.DataFrame(
        {
            "step": [
                "Deals to win",
                "Deals to close, won or lost",
                "Pipeline to work",
                "Pipeline to create each month",
                "Active reps now",
            ],
            "value": [won, 40.0, 50_000.0, 16_000.0, float(active)],
        }
    )
    year = FiscalCalendar(start_month=2).parse("FY2025")
    return Plan(
        20_000, 20_000 - remaining, remaining, 3, year, year, steps, capacity, float("nan"), RampCurve({}, 0, 0)
    )


def test_mission_statement_is_one_paragraph():
    mission = Mission(statement="Help logistics companies\nplan with confidence.\n\nEvery quarter.")
    assert story.mission_statement(mission) == "Help logistics companies plan with confidence. Every quarter."


def test_the_plan_reads_what_is_left_and_what_it_takes(one_rep, config):
    # goal 4,000; booked 1,000 (June) by 2024-10-31, 3,000 left for Nov, Dec, Jan. Last twelve months: 1 won of
    # 1,000 and 1 lost of 3,000, so average deal 1,000, win rate 1/2, win rate by value 1,000 / 4,000 = 25%:
    # 3,000 / 1,000 = 3 deals to win, 3 / 0.5 = 6 decided, 3,000 / 0.25 = 12,000 of pipeline, 4,000 a month.
    # Capacity: the rep's ramped months May-Oct 2024 book 1,000 / 6 a month, x 3 months left = 500, 2,500 short.
    plan = _plan(one_rep, config, 4000, "2024-10-31")
    assert plan.step("Deals to win") == pytest.approx(3) and plan.capacity == pytest.approx(500)
    assert plan.step("Deals to close, won or lost") == pytest.approx(6)
    assert plan.step("Pipeline to work") == pytest.approx(12_000)
    assert plan.step("Pipeline to create each month") == pytest.approx(4_000)
    assert (
        story.plan_standing(plan, "USD")
        == "FY2025's goal is $4.0k; $1.0k is booked, so $3.0k is left for the 3 months to come."
    )
    # but one won deal is too few to size deals and pipeline by: the steps are shown, the sentence does not state them
    assert not plan.sized and plan.unsized == "only 1 deal was won, fewer than the 5 an average needs"
    assert story.plan_needs(plan, "USD") == (
        "The last twelve months cannot size the deals and pipeline it takes: only 1 deal was won, fewer than the 5 an "
        "average needs. The 1 rep employed now can book about $500 in that time with their ramp, short of what is "
        "left by $2.5k."
    )


def test_a_sized_plan_states_the_deals_and_pipeline_it_takes():
    assert story.plan_needs(_hand_plan(remaining=8000, capacity=9000, active=2), "USD").startswith(
        "That takes about 10 won deals out of 40 decided, working $50k of pipeline, about $16k created each month. "
    )


def test_one_deal_left_to_win_is_one_won_deal():
    needs = story.plan_needs(_hand_plan(remaining=8000, capacity=9000, active=2, won=1.0), "USD")
    assert needs.startswith("That takes about 1 won deal out of 40 decided, working $50k of pipeline, about $16k ")


def test_without_a_won_deal_in_twelve_months_the_deals_it_takes_are_not_sized(tmp_path, config):
    data = _company(tmp_path / "lost", ONLY_LOST, config)
    plan = _plan(data, config, 4000, "2024-10-31")
    assert (
        story.plan_standing(plan, "USD")
        == "FY2025's goal is $4.0k; $0 is booked, so $4.0k is left for the 3 months to come."
    )
    # the ramped rep booked nothing in his six months, so the team can book 0
    assert story.plan_needs(plan, "USD") == (
        "The last twelve months cannot size the deals and pipeline it takes: no deal was won. The 1 rep employed now "
        "can book about $0 in that time with their ramp, short of what is left by $4.0k."
    )


def test_in_the_first_month_of_the_year_eleven_months_are_to_come(one_rep, config):
    # 2024-02-29 closes February, the first month of FY2025: nothing booked yet, March to January to come
    plan = _plan(one_rep, config, 4000, "2024-02-29")
    assert (
        story.plan_standing(plan, "USD")
        == "FY2025's goal is $4.0k; $0 is booked, so $4.0k is left for the 11 months to come."
    )
    # the data starts in May 2024, after the baseline's end: no rep-month to measure the team's capacity by
    assert not plan.capacity_known


def test_in_the_last_month_of_the_year_or_with_the_goal_met_nothing_is_planned(one_rep, config):
    ended = _plan(one_rep, config, 4000, "2025-01-31")
    assert (
        story.plan_standing(ended, "USD")
        == "FY2025's goal was $4.0k; $1.0k was booked, so the year ended $3.0k short of it."
    )
    met = _plan(one_rep, config, 800, "2024-10-31")
    assert story.plan_standing(met, "USD") == "FY2025's goal is $800; $1.0k is booked, so the goal is met."
    assert story.plan_needs(ended, "USD") == "" and story.plan_needs(met, "USD") == ""


def test_without_a_bookings_goal_there_is_no_plan(one_rep, config):
    assert story.plan_standing(None, "USD").startswith("The configuration sets no bookings goal for the fiscal year")
    assert story.plan_needs(None, "USD") == ""
    no_goal = config.model_copy(update={"mission": Mission(statement="Sell.")})
    assert figures.kpi_figures(one_rep, no_goal, pd.Timestamp("2024-10-01")).plan is None


def test_the_team_capacity_against_what_is_left():
    more = story.plan_needs(_hand_plan(remaining=8000, capacity=9000, active=2), "USD")
    assert more.endswith(
        "The 2 reps employed now can book about $9.0k in that time with their ramp, more than what is left by $1.0k."
    )
    unknown = story.plan_needs(_hand_plan(remaining=8000, capacity=float("nan"), active=2), "USD")
    assert unknown.endswith(" The data holds too few months of ramped reps to estimate what the current team can book.")
    nobody = story.plan_needs(_hand_plan(remaining=8000, capacity=0.0, active=0), "USD")
    assert nobody.endswith(" No rep is employed now to book it.")


def test_the_plan_is_read_by_step_name():
    plan = _hand_plan(remaining=8000, capacity=9000, active=2)
    assert plan.step("Pipeline to work") == 50_000 and plan.step("Active reps now") == 2
    with pytest.raises(KeyError, match="no step 'Deals to lose'"):
        plan.step("Deals to lose")


def _trend(*bookings: float) -> pd.DataFrame:
    """Monthly bookings ending in October 2026, oldest first."""
    months = pd.date_range("2026-10-01", periods=len(bookings), freq="-1MS")[::-1]
    return pd.DataFrame({"period_start": months, "bookings": list(bookings)})


BASELINE = pd.DataFrame({"key": ["bookings"], "baseline": [50.0]}).set_index("key")


def test_the_bookings_chart_title_names_the_peak_and_the_twelve_months():
    # Aug 100, Sep 300, Oct 200; a monthly baseline of 50 is 600 over the twelve months
    assert story.bookings_trend_title(_trend(100, 300, 200), BASELINE, "USD") == (
        "Bookings peaked in Sep 2026 at $300; the last twelve months booked $600"
    )
    # a tie goes to the earlier month
    assert story.bookings_trend_title(_trend(300, 300), BASELINE, "USD").startswith("Bookings peaked in Sep 2026")


def test_the_bookings_chart_title_with_one_month_or_no_deal_won():
    assert story.bookings_trend_title(_trend(200), BASELINE, "USD") == (
        "Bookings were $200 in Oct 2026, the one month in the data"
    )
    # with fewer than twelve months of data there is no twelve-month figure to state
    unknown = pd.DataFrame({"key": ["bookings"], "baseline": [float("nan")]}).set_index("key")
    assert story.bookings_trend_title(_trend(100, 300), unknown, "USD") == "Bookings peaked in Oct 2026 at $300"
    for trend in (_trend(0, 0), _trend(float("nan")), _trend()):
        assert story.bookings_trend_title(trend, BASELINE, "USD") == "No deal was won in the months shown"


def test_the_report_figures_of_a_month(one_rep, config):
    month = figures.kpi_figures(one_rep, config, pd.Timestamp("2024-06-01"))
    assert month.as_of == pd.Timestamp("2024-06-30") and month.year.label == "FY2025"
    # the trend starts with the data (May 2024), not two years back
    assert list(month.trend["period"]) == ["2024-05", "2024-06"]
    # watched KPIs with a monthly target in config/workbook.yml: bookings 9.5M a year is 9.5M / 12 a month; the
    # quarterly coverage target (a snapshot) says nothing about a month
    assert set(month.monthly_targets) == {"bookings", "win_rate", "sales_cycle_days", "attainment"}
    assert month.monthly_targets["bookings"] == pytest.approx(9_500_000 / 12)
    # the twelve months to June 2024 start before the data (May 2024), so there is no baseline
    assert math.isnan(month.baselines["bookings"])
    assert month.plan is not None and month.plan.goal == 9_500_000 and month.plan.booked == 1000
    assert [key for key, _, _ in figures.watched_kpis()][:2] == ["bookings", "win_rate"]


def test_the_tables_write_each_figure_in_its_unit(one_rep, config):
    month = figures.kpi_figures(one_rep, config, pd.Timestamp("2024-06-01"))
    goals = tables.goals_table(month.goals, "USD").set_index("goal")
    # FY2025 to 2024-06-30: 29 + 31 + 30 + 31 + 30 = 151 of 366 days gone (a leap year), 41%
    assert goals.loc["Book $9.5M of new and expansion business in FY2027", "elapsed"] == "41%"
    assert goals.loc["Book $9.5M of new and expansion business in FY2027", "actual"] == "$1.0k"
    # the win rate of FY2025 Q2 to date rests on W1 alone: shown, with why it means little
    few = "not meaningful: only 1 deal was won or lost, fewer than the 5 a rate needs"
    assert goals.loc["Win at least one deal in four that reaches a decision", "actual"] == "100.0%"
    assert goals.loc["Win at least one deal in four that reaches a decision", "note"] == few
    assert goals.loc["Book $9.5M of new and expansion business in FY2027", "note"] == ""
    card = tables.scorecard_table(month.card, "USD").set_index("kpi")
    assert card.loc["Bookings", "actual"] == "$1.0k" and card.loc["Bookings", "month before"] == "$0"
    assert card.loc["Bookings", "change"] == "+$1.0k"
    assert card.loc["Win rate", "a year ago"] == "–"  # no data a year before
    assert card.loc["Win rate", "note"] == few and card.loc["Bookings", "note"] == ""
    baseline = tables.baselines_table(month.baseline, month.ttm, "USD")
    assert list(baseline.columns) == ["kpi", "monthly baseline, TTM 2024-06", "twelve months before", "change"]
    assert baseline.set_index("kpi").loc["Bookings", "monthly baseline, TTM 2024-06"] == "–"
    plan = tables.plan_table(month.plan, "USD").set_index("step")
    assert plan.loc["Booked so far", "value"] == "$1.0k" and plan.loc["Active reps now", "value"] == "1"
