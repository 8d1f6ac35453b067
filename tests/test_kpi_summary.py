"""The KPI report's executive summary, on hand-made scorecards, goals and trends."""

from __future__ import annotations

import pandas as pd
import pytest

from salesops_helpers.analyses.kpis.summary import goal_at_risk, kpi_at_risk, kpi_summary, largest_move
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.metrics.planning import Plan, RampCurve

MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
NAN = float("nan")


def _trend(**columns: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"period": MONTHS, **columns})


def test_the_largest_move_is_measured_against_each_kpis_usual_monthly_move():
    # bookings usually moves 10 a month and moved 100 (10 usual moves); win rate usually 5 pts and moved 10 (2)
    trend = _trend(bookings=[100, 110, 100, 110, 100, 200], win_rate=[0.2, 0.25, 0.2, 0.25, 0.2, 0.1])
    move = largest_move(trend, keys=("bookings", "win_rate"))
    assert move is not None and move.key == "bookings"
    assert move.change == 100 and move.usual == 10 and move.size == pytest.approx(10)
    # the same win-rate fall is the largest when bookings moved as usual
    calm = _trend(bookings=[100, 110, 100, 110, 100, 110], win_rate=[0.2, 0.25, 0.2, 0.25, 0.2, 0.1])
    move = largest_move(calm, keys=("bookings", "win_rate"))
    assert move is not None and move.key == "win_rate" and move.size == pytest.approx(2)


def test_a_kpi_without_a_usual_move_is_left_out():
    flat = _trend(bookings=[100, 100, 100, 100, 100, 300])  # the usual move is zero
    short = pd.DataFrame({"period": MONTHS[-3:], "bookings": [1.0, 2.0, 3.0]})  # two earlier changes only
    gap = _trend(bookings=[100, 110, 100, 110, float("nan"), 200])  # last month's change unknown
    for trend in (flat, short, gap):
        assert largest_move(trend, keys=("bookings",)) is None


def _goals(*rows: tuple[str, str, float, float, float, str]) -> pd.DataFrame:
    columns = ["goal", "key", "unit", "period", "target", "actual", "elapsed", "status", "caveat"]
    return pd.DataFrame(
        [
            (g, k, "currency" if k == "bookings" else "share", "FY2027 to date", t, a, e, s, "")
            for g, k, t, a, e, s in rows
        ],
        columns=columns,
    )


def test_the_goal_at_risk_is_the_one_furthest_behind_its_due_share():
    bookings = ("Book 1,000", "bookings", 1000.0, 500.0, 0.75, "behind pace")  # due 750: 33% short
    rate = ("Win one in four", "win_rate", 0.25, 0.20, 1.0, "off target")  # 20% short
    met = ("Win one in five", "win_rate", 0.20, 0.30, 1.0, "on target")
    assert goal_at_risk(_goals(bookings, rate, met))["goal"] == "Book 1,000"
    worse_rate = ("Win one in four", "win_rate", 0.25, 0.10, 1.0, "off target")  # 60% short
    assert goal_at_risk(_goals(bookings, worse_rate))["goal"] == "Win one in four"
    slow = ("Close in 60 days", "sales_cycle_days", 60.0, 90.0, 1.0, "off target")  # lower is better: 50% over
    assert goal_at_risk(_goals(bookings, slow))["goal"] == "Close in 60 days"
    assert goal_at_risk(_goals(met)) is None


def _card(**rows: tuple[float, float, str]) -> pd.DataFrame:
    """A scorecard of the KPIs given, with 6 deals won and 34 lost (a win rate of 15% on enough deals) unless given."""
    names = {"bookings": "Bookings", "win_rate": "Win rate", "attainment": "Quota attainment", "coverage": "Coverage"}
    names |= {"won_deals": "Deals won", "lost_deals": "Deals lost"}
    rows = {"won_deals": (6.0, NAN, "no target"), "lost_deals": (34.0, NAN, "no target")} | rows
    return pd.DataFrame(
        [{"key": k, "kpi": names[k], "actual": a, "target": t, "status": s} for k, (a, t, s) in rows.items()]
    ).set_index("key")


def test_the_kpi_at_risk_is_off_target_by_the_largest_share():
    card = _card(
        bookings=(800.0, 1000.0, "off target"),  # 20% short
        win_rate=(0.15, 0.25, "off target"),  # 40% short
        attainment=(0.8, float("nan"), "no target"),
        coverage=(3.5, 3.0, "on target"),
    )
    assert kpi_at_risk(card.reset_index())["key"] == "win_rate"
    assert kpi_at_risk(card.reset_index().iloc[4:]) is None


def test_the_summary_states_the_month_the_move_the_risk_and_the_plan():
    card = _card(
        bookings=(800.0, 1000.0, "off target"),
        win_rate=(0.15, 0.25, "off target"),
        attainment=(0.8, float("nan"), "no target"),
        coverage=(3.5, 3.0, "on target"),
    )
    goals = _goals(("Book 12,000", "bookings", 12000.0, 6000.0, 0.75, "behind pace"))
    trend = _trend(
        bookings=[900, 1000, 900, 1000, 900, 800],
        win_rate=[0.2, 0.25, 0.2, 0.25, 0.2, 0.15],
        attainment=[0.9, 1.0, 0.9, 1.0, 0.9, 0.8],
        coverage=[3.0, 3.1, 3.0, 3.1, 3.0, 3.5],
        won_deals=[8, 10, 8, 10, 8, 6],
        lost_deals=[32, 30, 32, 30, 32, 34],
    )
    steps = pd.DataFrame(
        {"step": ["Pipeline to create each month", "Deals to win"], "value": [4000.0, 12.4], "unit": ["currency"] * 2}
    )
    calendar = FiscalCalendar(start_month=2)
    year, ttm = calendar.parse("FY2027"), calendar.parse("TTM 2026-10")
    plan = Plan(12000.0, 6000.0, 6000.0, 3, year, ttm, steps, 5000.0, float("nan"), RampCurve({}, 1000.0, 0))
    summary = kpi_summary(card, goals, trend, plan, "October 2026", "USD")
    assert summary.standing == (
        "October 2026 bookings were $800, 80% of the month's target of $1.0k; the win rate was 15.0% and quota "
        "attainment was 80%."
    )
    # coverage moved 0.5 against a usual 0.1 (5 moves); bookings, win rate and attainment 1 usual move each
    assert summary.change == (
        "Pipeline coverage moved most against the month before: it rose by 0.5x to 3.5x, 5.0 times its usual monthly "
        "move."
    )
    assert summary.risk == "The goal “Book 12,000” is behind pace: $6.0k of $12k (50%) with 75% of FY2027 gone."
    assert summary.action == (
        "To reach the FY2027 goal, create about $4.0k of pipeline each month for the 3 months left (about 12 more "
        "won deals); the current team can book about $5.0k of the $6.0k left."
    )
    figures = {h.key: h for h in summary.figures}
    assert list(figures) == ["bookings", "attainment", "win_rate", "coverage", "goal_bookings"]
    assert figures["bookings"].status == "bad" and figures["coverage"].status == "good"
    assert figures["bookings"].change == "-$100 vs Sep 2026 · target $1.0k"
    assert figures["goal_bookings"].text == "50%" and figures["goal_bookings"].status == "bad"
    assert figures["bookings"].trend_periods == tuple(MONTHS)


def test_without_goals_targets_or_history_the_summary_says_so():
    card = _card(
        bookings=(800.0, float("nan"), "no target"),
        win_rate=(0.15, float("nan"), "no target"),
        attainment=(float("nan"), float("nan"), "no value"),
        coverage=(3.5, float("nan"), "no target"),
    )
    goals = _goals()
    trend = pd.DataFrame(
        {"period": ["2026-10"], "bookings": [800.0], "win_rate": [0.15], "attainment": [None], "coverage": [3.5]}
        | {"won_deals": [6], "lost_deals": [34]}
    )
    summary = kpi_summary(card, goals, trend, None, "October 2026", "USD")
    assert summary.standing.startswith("October 2026 bookings were $800; the win rate")
    assert summary.change.startswith("Too few months of data")
    assert summary.risk.startswith("Nothing is off target")
    assert summary.action.startswith("Set a bookings goal for the fiscal year")
    assert [h.key for h in summary.figures] == ["bookings", "attainment", "win_rate", "coverage"]
