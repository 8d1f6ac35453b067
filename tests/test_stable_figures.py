"""Figures that explode on real data (issue 16, point 6): no summary states a figure that is not finite, negative
where it cannot be, or far out of any sane range, and the rules that keep it so (metrics/stability.py), each on a
company small enough to work out by hand.

The property tests write random small companies as canonical data folders (a few reps and teams, a few dozen deals
over one to three years, amounts from 0 to 10M, deals won the day they were created, tiny quotas, months with no
deals, with and without a history table), load them as `salesops run` would, report on the last complete month and
read every sentence of the KPI, team and process summaries; the forecast's summary sentences are read on random
quarters built by hand (its backtest is too slow to run per example).
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from salesops_helpers import load_data
from salesops_helpers.analyses.findings import NOT_MEANINGFUL, ExecutiveSummary
from salesops_helpers.analyses.forecast.pipeline_forecast import QuarterForecast
from salesops_helpers.analyses.forecast.summary import QuarterOutlook, change_sentence, risk_and_action
from salesops_helpers.analyses.forecast.summary import standing_sentence as forecast_standing
from salesops_helpers.analyses.kpis.figures import year_bookings_target
from salesops_helpers.analyses.kpis.summary import MOST_USUAL_MOVES, goal_at_risk, kpi_summary
from salesops_helpers.analyses.process import story as process_story
from salesops_helpers.analyses.process.review import ProcessReview, review_process
from salesops_helpers.analyses.process.summary import process_summary
from salesops_helpers.analyses.team import ramp
from salesops_helpers.analyses.team.coaching import coaching_review
from salesops_helpers.analyses.team.pages import team_review
from salesops_helpers.analyses.team.rep_months import rep_months
from salesops_helpers.analyses.team.summary import team_summary
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.calendar.periods import last_complete_month
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_series, kpi_table, targets
from salesops_helpers.metrics.catalogue import MIN_CYCLE_DAYS, MIN_DEALS
from salesops_helpers.metrics.planning import Plan, RampCurve, revenue_plan
from salesops_helpers.metrics.stability import caveats, relative_change, stable_values
from tests.helpers import metrics_company, process_companies
from tests.helpers.process_companies import load_company

OPEN = ["Prospecting", "Qualification", "Discovery", "Proposal", "Negotiation"]
STAGES = ["Closed Won", "Closed Won", "Closed Lost", *OPEN]
AMOUNTS = [0, 0.01, 1, 50, 999, 1000, 5000, 25000, 120000, 10_000_000]
QUOTA_LEVELS = [None, 0, 0.01, 1, 300, 5000, 20000, 1_000_000]
CYCLES = [0, 0, 1, 3, 8, 20, 45, 120, 400]
FIRST = pd.Timestamp("2023-01-01")

# How far out of range a stated figure may go: attainment and other shares of a quota or target, changes in points,
# and relative changes. A win rate or a share of reps is at most 100% (checked on its own).
MOST_PERCENT = 1000.0
# Each example loads a company and computes a report's figures (seconds), so hypothesis does not shrink a failing one
# (that would take many minutes): the company it prints is the one generated.
SETTINGS = {
    "phases": [Phase.explicit, Phase.generate],
    "derandomize": True,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}


# ------------------------------------------------------------------------------------------------------------------
# Random small companies
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deal:
    """One generated deal: its owner (index), creation (days after the company's first day), stage, cycle, amount."""

    owner: int
    created: int
    stage: str
    cycle: int
    amount: float
    first_stage: str


@dataclass(frozen=True)
class Company:
    """A generated company as the CSV files of a data folder, with the month it is reported on."""

    files: dict[str, str]
    month_start: pd.Timestamp


def _deal(reps: int, days: int) -> st.SearchStrategy[Deal]:
    return st.builds(
        Deal,
        st.integers(0, reps - 1),
        st.integers(0, days - 1),
        st.sampled_from(STAGES),
        st.sampled_from(CYCLES),
        st.sampled_from(AMOUNTS),
        st.sampled_from(OPEN),
    )


@st.composite
def companies(draw: st.DrawFn) -> Company:
    """A company of 1-4 reps in 1-3 teams over 12-36 months; its last months may hold a burst of deals won, many of them
    the day they were created, and the data is taken on the 5th of the month after the last (the one reported on)."""
    months = draw(st.integers(12, 36))
    month_start = FIRST + pd.DateOffset(months=months - 1)
    month_end = month_start + pd.offsets.MonthEnd(0)
    days = (month_end - FIRST).days + 1
    teams = ["East", "West", "North"][: draw(st.integers(1, 3))]
    reps = draw(st.integers(1, 4))
    rep_rows = ["rep_id,name,team,hire_date"]
    for i in range(reps):
        hired = FIRST + pd.DateOffset(months=draw(st.integers(-24, months - 1)))
        rep_rows.append(f"R{i},Rep {i},{draw(st.sampled_from(teams))},{hired:%Y-%m-%d}")
    quota_rows = ["rep_id,period_start,quota"]
    for i in range(reps):
        level = draw(st.sampled_from(QUOTA_LEVELS))
        odd_month, odd = draw(st.integers(0, months - 1)), draw(st.sampled_from([0, 0.01, 1, 20000]))
        if level is not None:
            for m in range(months):
                quota = odd if m == odd_month else level
                quota_rows.append(f"R{i},{FIRST + pd.DateOffset(months=m):%Y-%m-%d},{quota}")
    if len(quota_rows) == 1:  # a quotas file needs a row
        quota_rows.append(f"R0,{FIRST:%Y-%m-%d},0")
    deals = draw(st.lists(_deal(reps, days), min_size=3, max_size=30))
    # the burst: deals created in the last four months, most of them won, many the day they were created
    burst = st.builds(
        Deal,
        st.integers(0, reps - 1),
        st.integers(max(days - 120, 0), days - 1),
        st.sampled_from(["Closed Won", "Closed Won", "Closed Won", "Closed Lost", "Proposal"]),
        st.sampled_from([0, 0, 0, 1, 10, 40, 60]),
        st.sampled_from(AMOUNTS),
        st.sampled_from(OPEN),
    )
    deals += draw(st.lists(burst, max_size=24))
    opportunity_rows = ["opportunity_id,owner_id,created_date,close_date,stage,amount"]
    history_rows = ["opportunity_id,changed_at,stage,amount,close_date"]
    for number, deal in enumerate(deals):
        created = FIRST + pd.Timedelta(days=deal.created)
        close = created + pd.Timedelta(days=deal.cycle)
        if deal.stage.startswith("Closed"):
            close = min(close, month_end)  # nothing closes after the month reported on
        opportunity_rows.append(
            f"D{number},R{deal.owner},{created:%Y-%m-%d},{close:%Y-%m-%d},{deal.stage},{deal.amount}"
        )
        history_rows.append(f"D{number},{created:%Y-%m-%d}T09:00:00,{deal.first_stage},{deal.amount},{close:%Y-%m-%d}")
        if deal.stage != deal.first_stage and (deal.stage.startswith("Closed") or created < month_end):
            moved = close if deal.stage.startswith("Closed") else created + pd.Timedelta(days=1)
            history_rows.append(f"D{number},{moved:%Y-%m-%d}T17:00:00,{deal.stage},{deal.amount},{close:%Y-%m-%d}")
    # the day the data is taken: a deal created on the 5th of the month after
    taken = month_end + pd.Timedelta(days=5)
    opportunity_rows.append(f"D{len(deals)},R0,{taken:%Y-%m-%d},{taken + pd.Timedelta(days=90):%Y-%m-%d},Prospecting,0")
    history_rows.append(
        f"D{len(deals)},{taken:%Y-%m-%d}T09:00:00,Prospecting,0,{taken + pd.Timedelta(days=90):%Y-%m-%d}"
    )
    files = {"reps.csv": rep_rows, "quotas.csv": quota_rows, "opportunities.csv": opportunity_rows}
    if draw(st.booleans()):
        files["opportunity_history.csv"] = history_rows
    return Company({name: "\n".join(rows) + "\n" for name, rows in files.items()}, month_start)


# The issue's month, by hand (two reps, process_companies' REPS and QUOTAS; the data runs to 5 April 2024):
# February 2024: P1-P5 created 5 Jan, won 4 Feb (a 30-day cycle) at 1,000 each; O1 and O2 (1,000 each) open since
# 10 Jan. Open at the start: P1-P5, O1, O2 = 7; win rate 5/5; average 1,000; cycle 30 days: 7 × 1 × 1,000 / 30 =
# 233.33 a day. March 2024: Q1-Q6 created and won on 10 March at 1,000 each (a cycle of 0 days); open at the start:
# O1, O2 = 2. Velocity divides by at least 7 days: 2 × 1 × 1,000 / 7 = 285.71 a day (2,000 a day with the old floor
# of one day, against bookings of 6,000 / 31 = 194 a day).
SAME_DAY = (
    "opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment\n"
    + "".join(f"P{i},Past {i},R1,2024-01-05,2024-02-04,Closed Won,1000,SMB\n" for i in range(1, 6))
    + "".join(f"O{i},Open {i},R2,2024-01-10,2024-06-30,Prospecting,1000,SMB\n" for i in range(1, 3))
    + "".join(f"Q{i},Quick {i},R1,2024-03-{{day}},2024-03-10,Closed Won,1000,SMB\n" for i in range(1, 7))
    + "Z,Last,R2,2024-04-05,2024-06-30,Prospecting,1000,SMB\n"
)
SAME_DAY_HISTORY = (
    "opportunity_id,changed_at,stage,amount,close_date\n"
    + "".join(
        f"P{i},2024-01-05T09:00:00,Proposal,1000,2024-02-04\nP{i},2024-02-04T10:00:00,Closed Won,1000,2024-02-04\n"
        for i in range(1, 6)
    )
    + "".join(f"O{i},2024-01-10T09:00:00,Prospecting,1000,2024-06-30\n" for i in range(1, 3))
    + "".join(
        f"Q{i},2024-03-{{day}}T09:00:00,Proposal,1000,2024-03-10\nQ{i},2024-03-10T10:00:00,Closed Won,1000,2024-03-10\n"
        for i in range(1, 7)
    )
    + "Z,2024-04-05T09:00:00,Prospecting,1000,2024-06-30\n"
)


# A placeholder quota: 1 a month for Ann Lee (R1), January to March 2024.
PLACEHOLDER_QUOTAS = "rep_id,period_start,quota\n" + "".join(f"R1,2024-0{m}-01,1\n" for m in (1, 2, 3))


def same_day_company(day: str, quotas: str = process_companies.QUOTAS) -> Company:
    """The issue's company (above) as a generated one: March's six deals created on the given day of March."""
    files = {
        "reps.csv": process_companies.REPS,
        "quotas.csv": quotas,
        "opportunities.csv": SAME_DAY.format(day=day),
        "opportunity_history.csv": SAME_DAY_HISTORY.format(day=day),
    }
    return Company(files, pd.Timestamp("2024-03-01"))


def _loaded(company: Company, config: WorkbookConfig, folder: Path) -> tuple[SalesData, FiscalCalendar, Period]:
    """The company written to folder and loaded, its calendar, and the month reported on (the last complete one)."""
    for name, text in company.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    data = load_data(folder, config)
    calendar = FiscalCalendar.from_config(config)
    month = calendar.month(last_complete_month(data.as_of).start)
    assert month.start == company.month_start  # the generator's month is the one `salesops run` reports on
    return data, calendar, month


# ------------------------------------------------------------------------------------------------------------------
# What no summary sentence may state
# ------------------------------------------------------------------------------------------------------------------

NUMBER = r"[\d,]+(?:\.\d+)?"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def wild_figures(sentence: str) -> list[str]:
    """What a sentence states that no summary may: a figure that is not finite or is missing ('–'), a negative
    figure outside a signed change (changes stand in parentheses), a win rate or share of reps above 100%, a share
    or change beyond MOST_PERCENT (the bookings against the configured target aside: that target is real), or a
    multiple of the usual move beyond MOST_USUAL_MOVES."""
    found = []
    if re.search(r"\bnan\b|\binf\b|infinity", sentence, re.IGNORECASE):
        found.append("not finite")
    if re.search(r"(^|[\s(])–([\s.,;)]|$)", sentence):
        found.append("a missing figure")
    if re.search(r"(^|\s)[-−][$€£¥]?\d", sentence):
        found.append("a negative figure")
    for sign, number in re.findall(rf"(?<![\w.])([+−-]?)({NUMBER})%", sentence):
        if _number(number) > MOST_PERCENT and not re.search(rf"{re.escape(number)}% of the month's target", sentence):
            found.append(f"{sign}{number}%")
    for number in re.findall(rf"({NUMBER}) pts", sentence):
        if _number(number) > MOST_PERCENT:
            found.append(f"{number} pts")
    for number in re.findall(rf"win rate was ({NUMBER})%", sentence):
        if _number(number) > 100:
            found.append(f"a win rate of {number}%")
    for reached, of in re.findall(rf"({NUMBER}) of ({NUMBER}) reps? with a quota", sentence):
        if _number(reached) > _number(of):
            found.append(f"{reached} of {of} reps")
    if re.search(r"(rose|fell) by ±0\b", sentence):
        found.append("a move of nothing")
    for number in re.findall(rf"({NUMBER}) times its usual", sentence):
        if _number(number) > MOST_USUAL_MOVES:
            found.append(f"{number} usual moves")
    return found


def assert_sane(summary: ExecutiveSummary) -> None:
    """No sentence of the summary states a wild figure, nor does a key figure's text or change ('–' is how a card
    shows a missing value); a recorded figure is finite (the waterfall's outflows are negative by design)."""
    wild = {text: found for text in summary.sentences() if (found := wild_figures(text))}
    for figure in summary.figures:
        text = f"{figure.text} ({figure.change})"
        if found := [problem for problem in wild_figures(text) if problem != "a missing figure"]:
            wild[text] = found
    for figure in summary.recorded:
        if "not finite" in wild_figures(figure.text):
            wild[figure.text] = ["not finite"]
    assert not wild, wild


def test_the_check_finds_what_the_issue_saw():
    assert wild_figures("In Q2 the company booked $10.0M, 3267991% of its $306 quota.") == ["3267991%"]
    assert wild_figures("it rose from 0% to 900% (+900.0 pts)") == []
    assert wild_figures("it rose from 0% to 1,200% (+1,200.0 pts)") == ["1,200%", "1,200.0 pts"]
    assert wild_figures("the win rate was 100.0% and quota attainment was –.") == ["a missing figure"]
    assert wild_figures("it fell by $5 to -$3, 25.0 times its usual monthly move.") == [
        "a negative figure",
        "25.0 usual moves",
    ]
    assert wild_figures("bookings were $10M, 1,263% of the month's target of $792k; (-$80/day) (−14%)") == []
    assert wild_figures("velocity of nan/day; 3 of 2 reps with a quota reached theirs") == ["not finite", "3 of 2 reps"]
    assert wild_figures("it fell by ±0 to $0, 0.0 times its usual monthly move.") == ["a move of nothing"]


# ------------------------------------------------------------------------------------------------------------------
# The properties
# ------------------------------------------------------------------------------------------------------------------


@settings(max_examples=4, **SETTINGS)
@given(company=companies())
def test_no_kpi_summary_states_a_wild_figure(company: Company, config: WorkbookConfig) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data, calendar, month = _loaded(company, config, Path(folder))
    # what kpi_figures computes for the summary (its baselines table, which the summary does not read, left out)
    as_of = month.end
    first = max(
        calendar.year_ago(calendar.trailing_twelve_months(as_of)).start, data.opportunities["created_date"].min()
    )
    trend = kpi_series(data, calendar.months_between(first, as_of))
    card = targets.scorecard(data, month, calendar).set_index("key")
    goals = targets.goal_progress(data, calendar, as_of)
    goal = year_bookings_target(config)
    plan = None if goal is None else revenue_plan(data, goal, calendar.year(as_of), calendar, as_of)
    assert_sane(kpi_summary(card, goals, trend, plan, month.label, "USD"))


@settings(max_examples=6, **SETTINGS)
@given(company=companies())
@example(company=same_day_company("10"))  # the issue's month: deals won the day they were created
@example(company=same_day_company("02"))  # the same with a cycle of 8 days: velocity's change is stated
def test_no_process_summary_states_a_wild_figure(company: Company, config: WorkbookConfig) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data, calendar, month = _loaded(company, config, Path(folder))
    review = review_process(data, month, calendar)
    summary = process_summary(data, calendar, review, "USD")
    assert_sane(summary)
    assert wild_figures(process_story.velocity_sentence(review.velocity, review.velocity_unstable, "USD")) == []
    if "/day" in summary.change:  # a velocity change is stated: both months bear it
        for period in (calendar.previous(month), month):
            values = kpi_table(data, period).values.iloc[0]
            assert values["won_deals"] >= MIN_DEALS and values["sales_cycle_days"] >= MIN_CYCLE_DAYS
            # so velocity is at most the bookings a day × (deals open at the start ÷ deals closed) × (days ÷ a week)
            days = (period.end - period.start).days + 1
            closed = values["won_deals"] + values["lost_deals"]
            open_start = float(
                review.velocity.set_index("factor")["current" if period == month else "previous"].iloc[0]
            )
            bound = values["bookings"] / days * open_start / closed * days / MIN_CYCLE_DAYS
            assert values["velocity"] <= bound * (1 + 1e-9)


@settings(max_examples=3, **SETTINGS)
@given(company=companies())
@example(company=same_day_company("10", PLACEHOLDER_QUOTAS))  # bookings of 11,000 against a quota of 2
def test_no_team_summary_states_a_wild_figure(company: Company, config: WorkbookConfig) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data, calendar, month = _loaded(company, config, Path(folder))
    months = rep_months(data, calendar.months_between(data.opportunities["created_date"].min(), month.end))
    coaching = coaching_review(data, calendar.trailing_twelve_months(month.end), months, "USD")
    review = team_review(data, calendar, month, months, coaching)
    assert_sane(team_summary(data, calendar, review, ramp.ramp_months(months, "deals_created")))


Q4 = Period("quarter", pd.Timestamp("2026-11-01"), pd.Timestamp("2027-01-31"), "FY2027 Q4")
Q3 = Period("quarter", pd.Timestamp("2026-08-01"), pd.Timestamp("2026-10-31"), "FY2027 Q3")
MONEY = st.sampled_from([0.0, 0.01, 1.0, 50.0, 1000.0, 25_000.0, 1_000_000.0, 10_000_000.0])


@st.composite
def quarters(draw: st.DrawFn) -> QuarterOutlook:
    """A coming quarter: a forecast inside its 80% interval (or the pipeline's view alone), a target or none, and
    open deals with their historical probabilities."""
    low, high = sorted([draw(MONEY), draw(MONEY)])
    forecast = draw(st.floats(low, high)) if high > low else low
    series = {"forecast": forecast, "lower_80": low, "upper_80": high, "lower_95": low, "upper_95": high}
    amounts = draw(st.lists(MONEY, max_size=4))
    chances = draw(st.lists(st.sampled_from([0.0, 0.001, 0.2, 0.9]), min_size=len(amounts), max_size=len(amounts)))
    deals = pd.DataFrame({"amount": amounts, "historical": chances}, dtype=float)
    view = QuarterForecast(Q4, pd.Timestamp("2026-10-31"), draw(MONEY), [], [1, 2, 3], deals, 0.0, 0.0)
    methods = pd.DataFrame({"method": ["blend"], "forecast": [draw(MONEY)]})
    return QuarterOutlook(Q4, view, methods, draw(st.sampled_from([series, None])), draw(st.none() | MONEY))


@settings(max_examples=150, derandomize=True, deadline=None)  # cheap: shrinks as usual
@given(coming=quarters(), earlier=st.none() | MONEY, booked=st.none() | MONEY)
def test_no_forecast_summary_sentence_states_a_wild_figure(
    coming: QuarterOutlook, earlier: float | None, booked: float | None
) -> None:
    stored = None if earlier is None else pd.Series({"forecast": earlier, "made_at": "2026-09"})
    risk = risk_and_action(coming, None, "USD")
    sentences = [forecast_standing(coming, "USD"), change_sentence(coming, stored, Q3, booked, "USD")]
    for sentence in [*sentences, risk.risk, risk.action]:
        assert wild_figures(sentence) == [], sentence


# ------------------------------------------------------------------------------------------------------------------
# The rules, by hand
# ------------------------------------------------------------------------------------------------------------------


def test_a_rate_needs_five_deals_won_or_lost_and_an_average_five_won():
    few = {"win_rate": 2 / 3, "win_rate_value": 0.5, "avg_deal_size": 100.0, "won_deals": 2.0, "lost_deals": 1.0}
    assert caveats(few) == {
        "win_rate": "only 3 deals were won or lost, fewer than the 5 a rate needs",
        "win_rate_value": "only 3 deals were won or lost, fewer than the 5 a rate needs",
        "avg_deal_size": "only 2 deals were won, fewer than the 5 an average needs",
    }
    one = {"win_rate": 1.0, "won_deals": 1.0, "lost_deals": 0.0}
    assert caveats(one) == {"win_rate": "only 1 deal was won or lost, fewer than the 5 a rate needs"}
    # five closed deals are enough for the rate, not for the average of the three won
    enough = {"win_rate": 0.6, "sales_cycle_days": 30.0, "won_deals": 3.0, "lost_deals": 2.0}
    assert caveats(enough) == {"sales_cycle_days": "only 3 deals were won, fewer than the 5 an average needs"}
    # a missing value is missing, not unstable; a KPI without a rule has none
    assert caveats({"win_rate": math.nan, "bookings": 5.0, "won_deals": 0.0, "lost_deals": 0.0}) == {}
    with pytest.raises(KeyError):  # a rate's rule reads the deals won and lost
        caveats({"win_rate": 0.5})


def test_velocity_needs_five_won_deals_and_a_median_cycle_of_a_week():
    week = {"velocity": 100.0, "won_deals": 5.0, "lost_deals": 0.0, "sales_cycle_days": 7.0}
    assert caveats(week) == {}
    assert caveats(week | {"won_deals": 4.0})["velocity"] == "only 4 deals were won, fewer than the 5 velocity needs"
    assert caveats(week | {"sales_cycle_days": 1.0}) == {
        "velocity": "the median won deal closed 1 day after it was created, under the 7 days velocity needs (deals "
        "entered when already won never sat in the pipeline)"
    }
    assert caveats(week | {"sales_cycle_days": 0.0})["velocity"].startswith(
        "the median won deal closed the day it was created, "
    )


def test_attainment_and_coverage_need_a_quota_of_a_tenth_of_what_is_held_against_it():
    # attainment 10 is bookings of ten times the quota: the quota is a tenth of them, still a target
    assert caveats({"attainment": 10.0, "coverage": 10.0}) == {}
    assert caveats({"attainment": 10.5, "coverage": 12.0}) == {
        "attainment": "the quota is under 10% of the bookings",
        "coverage": "the quota is under 10% of the pipeline due",
    }


def test_a_percentage_change_needs_a_base_of_a_tenth_of_the_new_figure():
    assert relative_change(1000.0, 800.0) == pytest.approx(0.25)
    assert relative_change(1000.0, 100.0) == pytest.approx(9.0)  # +900%, from exactly a tenth
    assert relative_change(1000.0, 99.0) is None
    assert relative_change(10.0, 50.0) == pytest.approx(-0.8)  # a fall is from the larger figure
    assert relative_change(5.0, 0.0) is None


def test_the_unstable_values_of_a_trend_are_left_out():
    trend = pd.DataFrame(
        {
            "period": ["2024-02", "2024-03"],
            "win_rate": [0.5, 1.0],
            "attainment": [0.8, 40.0],
            "bookings": [800.0, 40_000.0],
            "won_deals": [5, 1],
            "lost_deals": [5, 0],
        }
    )
    stable = stable_values(trend)
    assert stable["win_rate"].tolist()[0] == 0.5 and math.isnan(stable["win_rate"].iloc[1])
    assert stable["attainment"].tolist()[0] == 0.8 and math.isnan(stable["attainment"].iloc[1])
    assert stable["bookings"].tolist() == [800.0, 40_000.0]  # a sum is never unstable


def _same_day(folder: Path, day: str) -> tuple[SalesData, FiscalCalendar, ProcessReview]:
    """The issue's company with March's six deals created on the given day of March, and its March review."""
    data = load_company(folder, SAME_DAY.format(day=day), SAME_DAY_HISTORY.format(day=day))
    calendar = FiscalCalendar.from_config(data.config)
    return data, calendar, review_process(data, calendar.parse("2024-03"), calendar)


def test_a_month_of_deals_won_the_day_they_were_created_does_not_lead_with_velocity(tmp_path):
    data, calendar, review = _same_day(tmp_path / "same-day", "10")
    velocity = review.velocity.set_index("factor")
    assert velocity.loc["Sales velocity", "previous"] == pytest.approx(7 * 1000 / 30)
    assert velocity.loc["Sales velocity", "current"] == pytest.approx(2 * 1000 / 7)
    assert velocity.loc["Sales cycle (median days)", "current"] == 7  # the floor, not the 0 days measured
    reason = (
        "the median won deal closed the day it was created, under the 7 days velocity needs (deals entered when "
        "already won never sat in the pipeline)"
    )
    assert review.velocity_unstable == {"2024-03": reason}
    said = f"Sales velocity is not meaningful in 2024-03, so its change is not stated: {reason}."
    summary = process_summary(data, calendar, review, "USD")
    assert summary.change == said
    assert process_story.velocity_sentence(review.velocity, review.velocity_unstable, "USD") == said
    card = {figure.key: figure for figure in summary.figures}["velocity"]
    assert card.text == NOT_MEANINGFUL and card.change == "" and card.status == ""


def test_a_month_with_a_cycle_of_a_week_or_more_states_its_velocity_change(tmp_path):
    # March's deals created on 2 March and won on 10 March: an 8-day cycle, not open at March's start, so velocity
    # is 2 × 1 × 1,000 / 8 = 250 a day. Log-mean weight L = (250 − 233.33) / ln(250 / 233.33) = 241.57; the cycle's
    # part is L × ln(30 / 8) = +319 a day, the open deals' L × ln(2 / 7) = −303: the cycle moved it most.
    data, calendar, review = _same_day(tmp_path / "week", "02")
    assert review.velocity_unstable == {}
    assert process_summary(data, calendar, review, "USD").change == (
        "Sales velocity rose from $233/day in 2024-02 to $250/day in 2024-03; the largest part came from the sales "
        "cycle (median days), down from 30 days to 8 days (+$319/day)."
    )


def test_a_win_rate_on_two_deals_is_not_the_goal_at_risk(company):
    # FY2027 Q4 to date on 30 Nov 2026: D9 won (1 Nov), D14 lost (20 Nov): a win rate of 1/2 on 2 closed deals
    goals = targets.goal_progress(company, metrics_company.CAL, pd.Timestamp("2026-11-30")).set_index("key")
    assert goals.loc["win_rate", "actual"] == 0.5
    assert goals.loc["win_rate", "caveat"] == "only 2 deals were won or lost, fewer than the 5 a rate needs"
    assert goals.loc["bookings", "caveat"] == goals.loc["coverage", "caveat"] == ""
    behind = goals.reset_index().assign(status="off target")
    assert goal_at_risk(behind)["key"] != "win_rate"
    assert goal_at_risk(behind[behind["key"] == "win_rate"]) is None


def _kpi_card(**actual: float) -> pd.DataFrame:
    """A scorecard of the month by hand: bookings 5,000 against a target of 4,000; the KPIs given as actual."""
    values = {"bookings": 5000.0, "won_deals": 2.0, "lost_deals": 1.0, "win_rate": 2 / 3, "attainment": 12.5}
    values |= {"coverage": 2.0, "sales_cycle_days": 30.0} | actual
    rows = [
        {"key": key, "kpi": key, "actual": value, "target": 4000.0 if key == "bookings" else math.nan}
        for key, value in values.items()
    ]
    card = pd.DataFrame(rows).assign(status="no target")
    card.loc[card["key"] == "bookings", "status"] = "on target"
    return card.set_index("key")


# Six months by hand, the last one October 2026: bookings usually move 100 a month and moved 4,600 (more than 20
# usual moves); the win rate's jump to 67% rests on 3 deals, attainment's to 1,250% on a quota of 400.
KPI_TREND = pd.DataFrame(
    {
        "period": [f"2026-{m:02d}" for m in range(5, 11)],
        "bookings": [300.0, 400.0, 300.0, 400.0, 400.0, 5000.0],
        "win_rate": [0.3, 0.35, 0.3, 0.35, 0.3, 2 / 3],
        "attainment": [0.75, 1.0, 0.75, 1.0, 1.0, 12.5],
        "coverage": [2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
        "won_deals": [6, 7, 6, 7, 6, 2],
        "lost_deals": [14, 13, 14, 13, 14, 1],
    }
)


def test_the_kpi_summary_says_which_figures_are_not_meaningful_this_month():
    card = _kpi_card()
    trend = KPI_TREND
    summary = kpi_summary(card, _no_goals(), trend, None, "October 2026", "USD")
    assert summary.standing == (
        "October 2026 bookings were $5.0k, 125% of the month's target of $4.0k; the win rate is not meaningful (only "
        "3 deals were won or lost, fewer than the 5 a rate needs) and quota attainment is not meaningful (the quota "
        "is under 10% of the bookings)."
    )
    assert summary.change == (
        "Bookings moved most against the month before: it rose by $4.6k to $5.0k, more than 20 times its usual "
        "monthly move."
    )
    cards = {figure.key: figure for figure in summary.figures}
    assert cards["win_rate"].text == cards["attainment"].text == NOT_MEANINGFUL
    assert cards["bookings"].text == "$5.0k"
    missing = kpi_summary(_kpi_card(win_rate=math.nan, attainment=math.nan), _no_goals(), trend, None, "M", "USD")
    assert missing.standing.endswith("; no deal was won or lost and no rep had a quota.")


def _no_goals() -> pd.DataFrame:
    return pd.DataFrame(columns=["goal", "key", "unit", "period", "target", "actual", "elapsed", "status", "caveat"])


def test_an_unsized_plan_asks_for_the_bookings_without_sizing_the_pipeline():
    steps = pd.DataFrame({"step": ["Deals to win", "Pipeline to create each month"], "value": [3.0, 4000.0]})
    calendar = FiscalCalendar(start_month=2)
    year, ttm = calendar.parse("FY2027"), calendar.parse("TTM 2026-10")
    unsized = "only 2 deals were won, fewer than the 5 an average needs"
    plan = Plan(12000.0, 6000.0, 6000.0, 3, year, ttm, steps, math.nan, math.nan, RampCurve({}, 0.0, 0), unsized)
    summary = kpi_summary(_kpi_card(won_deals=9.0), _no_goals(), KPI_TREND, plan, "M", "USD")
    assert summary.action == (
        "To reach the FY2027 goal, book $6.0k in the 3 months left; the last twelve months cannot size the pipeline "
        f"that takes ({unsized})."
    )


def test_a_team_summary_on_a_placeholder_quota_states_no_attainment(tmp_path, config):
    # the fourteen-deal company with a quota of 1 a month for Ann Lee (R1) alone, May to October 2026.
    # FY2027 Q3 (Aug-Oct) books D5 5,000, D6 4,000, D7 15,000 and D10 2,000 = 26,000 against a quota of 3;
    # Q2 (May-Jul) D3 8,000 and D4 12,000 against 3: attainment of thousands of percent in both, so not meaningful
    quotas = "rep_id,period_start,quota\n" + "".join(f"R1,2026-{m:02d}-01,1\n" for m in range(5, 11))
    data = load_data(metrics_company.write_folder(tmp_path / "placeholder", {"quotas.csv": quotas}), config)
    calendar = metrics_company.CAL
    month = calendar.parse("2026-10")
    months = rep_months(data, calendar.months_between(pd.Timestamp("2025-11-01"), month.end))
    coaching = coaching_review(data, calendar.trailing_twelve_months(month.end), months, "USD")
    summary = team_summary(data, calendar, team_review(data, calendar, month, months, coaching), None)
    assert summary.standing == (
        "In FY2027 Q3 to date the company booked $26k, against a quota of $3 (attainment is not meaningful: the quota "
        "is under 10% of the bookings), and 1 of 1 rep with a quota reached theirs."
    )
    assert summary.change == (
        "No team's attainment can be compared between FY2027 Q2 and FY2027 Q3 to date: where a team had a quota in "
        "both, it was under 10% of the bookings in one of them, so attainment is not meaningful."
    )
    attainment = {figure.key: figure for figure in summary.figures}["attainment_qtd"]
    assert attainment.text == NOT_MEANINGFUL and attainment.change == ""


def test_a_forecast_change_from_next_to_nothing_states_no_percentage():
    deals = pd.DataFrame({"amount": [1000.0], "historical": [0.5]})
    view = QuarterForecast(Q4, pd.Timestamp("2026-10-31"), 0.0, [], [1, 2, 3], deals, 0.0, 0.0)
    series = {"forecast": 1000.0, "lower_80": 800.0, "upper_80": 1300.0, "lower_95": 700.0, "upper_95": 1500.0}
    coming = QuarterOutlook(Q4, view, pd.DataFrame({"method": ["blend"], "forecast": [900.0]}), series, None)
    against = "No earlier run forecast FY2027 Q4, so against the quarter before: $1.0k against"
    assert change_sentence(coming, None, Q3, 100.0, "USD") == f"{against} $100 booked in FY2027 Q3 (+900%)."
    assert change_sentence(coming, None, Q3, 50.0, "USD") == f"{against} $50 booked in FY2027 Q3."
    earlier = pd.Series({"forecast": 20.0, "made_at": "2026-09"})
    assert change_sentence(coming, earlier, Q3, None, "USD") == (
        "The forecast is $980 higher than the $20 the September 2026 run made for FY2027 Q4."
    )


def test_a_month_when_no_kpi_moved_says_so():
    # every KPI moved by its usual 100 (or 5 points) a month until October, when none moved
    flat = KPI_TREND.assign(
        bookings=[300.0, 400.0, 300.0, 400.0, 300.0, 300.0],
        win_rate=[0.3, 0.35, 0.3, 0.35, 0.3, 0.3],
        attainment=[0.75, 1.0, 0.75, 1.0, 0.75, 0.75],
        won_deals=[6, 7, 6, 7, 6, 6],
    )
    summary = kpi_summary(_kpi_card(won_deals=6.0, attainment=0.75), _no_goals(), flat, None, "M", "USD")
    assert summary.change == "No KPI moved against the month before."


def test_a_plan_with_one_month_left_asks_for_that_month():
    steps = pd.DataFrame({"step": ["Deals to win", "Pipeline to create each month"], "value": [3.0, 4000.0]})
    year = FiscalCalendar(start_month=2).parse("FY2027")
    plan = Plan(12000.0, 6000.0, 6000.0, 1, year, year, steps, math.nan, math.nan, RampCurve({}, 0.0, 0))
    summary = kpi_summary(_kpi_card(won_deals=9.0), _no_goals(), KPI_TREND, plan, "M", "USD")
    assert summary.action == (
        "To reach the FY2027 goal, create about $4.0k of pipeline each month for the 1 month left (about 3 more won "
        "deals)."
    )
