"""The sentences of the KPI report, written from its computed figures (every number in them is computed)."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.config import Mission
from salesops_helpers.formatting import plural
from salesops_helpers.metrics.planning import Plan

NO_GOAL = (
    "The configuration sets no bookings goal for the fiscal year (mission.goals with kpi: bookings and period: "
    "fiscal_year), so there is no plan to work out."
)


def mission_statement(mission: Mission) -> str:
    """The mission statement as one paragraph (line breaks written in the configuration become spaces)."""
    return " ".join(mission.statement.split())


def bookings_trend_title(trend: pd.DataFrame, baseline: pd.DataFrame, currency: str) -> str:
    """The bookings chart's finding: the month bookings peaked and what the last twelve months booked (trend: the
    KPIs by month with period_start; baseline: targets.baseline_table indexed by key, a sum's baseline being a
    twelfth of its twelve months, missing when they start before the data)."""
    booked = trend["bookings"].astype(float)
    if not (booked > 0).any():
        return "No deal was won in the months shown"
    best = trend.loc[booked.idxmax()]
    month, amount = f"{best['period_start']:%b %Y}", formatting.money(best["bookings"], currency)
    if len(trend) == 1:
        return f"Bookings were {amount} in {month}, the one month in the data"
    peak = f"Bookings peaked in {month} at {amount}"
    year = baseline.loc["bookings", "baseline"] * 12
    if pd.isna(year):  # the twelve months start before the data
        return peak
    return f"{peak}; the last twelve months booked {formatting.money(year, currency)}"


def figure_clause(name: str, value: float, text: str, caveat: str | None, missing: str) -> str:
    """A figure as a clause of a sentence: '<name> was <text>', '<name> is not meaningful (<caveat>)' when it is too
    unstable to state, or `missing` (why there is none) without a value."""
    if pd.isna(value):
        return missing
    if caveat:
        return f"{name} is not meaningful ({caveat})"
    return f"{name} was {text}"


def plan_standing(plan: Plan | None, currency: str) -> str:
    """The fiscal year's bookings goal, what is booked of it and what is left for the months to come; or that no
    such goal is set."""
    if plan is None:
        return NO_GOAL
    goal, booked = formatting.money(plan.goal, currency), formatting.money(plan.booked, currency)
    label = plan.period.label
    if plan.remaining <= 0:
        return f"{label}'s goal is {goal}; {booked} is booked, so the goal is met."
    left = formatting.money(plan.remaining, currency)
    if plan.months_left == 0:
        return f"{label}'s goal was {goal}; {booked} was booked, so the year ended {left} short of it."
    return (
        f"{label}'s goal is {goal}; {booked} is booked, so {left} is left for the "
        f"{plural(plan.months_left, 'month')} to come."
    )


def plan_needs(plan: Plan | None, currency: str) -> str:
    """What is left of the goal takes in won and decided deals, pipeline and monthly pipeline creation, and whether
    the current team can book it; empty when there is no plan, nothing left or no month left."""
    if plan is None or plan.months_left == 0 or plan.remaining <= 0:
        return ""
    return _pipeline_needed(plan, currency) + " " + _team_capacity(plan, currency)


def _pipeline_needed(plan: Plan, currency: str) -> str:
    """The deals and pipeline the rest of the goal takes, through the last twelve months' rates."""
    if not plan.sized:
        return f"The last twelve months cannot size the deals and pipeline it takes: {plan.unsized}."
    won = plan.step("Deals to win")
    decided = formatting.count(plan.step("Deals to close, won or lost"))
    pipeline = formatting.money(plan.step("Pipeline to work"), currency)
    monthly = formatting.money(plan.step("Pipeline to create each month"), currency)
    return (
        f"That takes about {_rounded(won, 'won deal')} out of {decided} decided, working {pipeline} of pipeline, "
        f"about {monthly} created each month."
    )


def _team_capacity(plan: Plan, currency: str) -> str:
    """Whether the reps employed now, ramp included, can book what is left."""
    if not plan.capacity_known:
        return "The data holds too few months of ramped reps to estimate what the current team can book."
    reps = round(plan.step("Active reps now"))
    if reps == 0:
        return "No rep is employed now to book it."
    gap = formatting.money(abs(plan.remaining - plan.capacity), currency)
    against = (
        f"short of what is left by {gap}" if plan.capacity < plan.remaining else f"more than what is left by {gap}"
    )
    return (
        f"The {plural(reps, 'rep')} employed now can book about {formatting.money(plan.capacity, currency)} in that "
        f"time with their ramp, {against}."
    )


def _rounded(value: float, noun: str) -> str:
    """A figure rounded as reports print counts, with its noun in the singular only when it prints as 1."""
    text = formatting.count(value)
    return f"{text} {noun if text == '1' else noun + 's'}"
