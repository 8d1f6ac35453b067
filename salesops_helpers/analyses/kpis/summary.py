"""The executive summary of the KPI report: the month's bookings against target, the KPI that moved most, the goal
or KPI most at risk, and what the revenue goal asks for next."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.findings import (
    BAD,
    GOOD,
    NEUTRAL,
    ExecutiveSummary,
    Headline,
    trend_headline,
    unstable_headline,
)
from salesops_helpers.analyses.kpis.story import figure_clause
from salesops_helpers.formatting import plural
from salesops_helpers.metrics import METRICS_BY_KEY
from salesops_helpers.metrics.planning import Plan
from salesops_helpers.metrics.stability import caveats, stable_values
from salesops_helpers.metrics.targets import BEHIND_PACE, OFF, ON_PACE

# The KPIs whose month-on-month move the summary compares (snapshots and sums alike).
WATCHED = (
    "bookings",
    "win_rate",
    "avg_deal_size",
    "sales_cycle_days",
    "pipeline_created",
    "coverage",
    "attainment",
    "open_pipeline",
    "velocity",
)
USUAL_WINDOW = 12
# Beyond twenty usual moves the multiple measures how quiet the earlier months were, not the change: it is not stated.
MOST_USUAL_MOVES = 20


@dataclass(frozen=True)
class Move:
    """A KPI's change on the month before, measured against its usual monthly move."""

    key: str
    current: float
    previous: float
    usual: float  # median absolute month-on-month change over the USUAL_WINDOW months before

    @property
    def change(self) -> float:
        """Current minus previous."""
        return self.current - self.previous

    @property
    def size(self) -> float:
        """How many usual moves the change is: |change| ÷ usual."""
        return abs(self.change) / self.usual


def largest_move(trend: pd.DataFrame, keys: tuple[str, ...] = WATCHED, window: int = USUAL_WINDOW) -> Move | None:
    """The KPI whose last change is largest against its usual move: |x_t − x_t−1| ÷ median |x_i − x_i−1| over the
    `window` changes before the last (trend: one row per month, oldest first). KPIs without a usual move (fewer than
    three earlier changes, or a median of zero) are left out; None when no KPI qualifies."""
    best: Move | None = None
    for key in keys:
        if key not in trend.columns:
            continue
        values = trend[key].astype(float).reset_index(drop=True)
        if len(values) < 2 or values.iloc[-2:].isna().any():
            continue
        earlier = values.iloc[:-1].diff().abs().dropna().iloc[-window:]
        if len(earlier) < 3 or float(earlier.median()) <= 0:
            continue
        move = Move(key, float(values.iloc[-1]), float(values.iloc[-2]), float(earlier.median()))
        if best is None or move.size > best.size:
            best = move
    return best


def goal_at_risk(goals: pd.DataFrame) -> pd.Series | None:
    """The goal furthest behind: for a sum, the shortfall against its pro-rata target (target × elapsed); for a rate
    or ratio, the shortfall against its target; each as a share of that target. None when no goal is behind; a goal
    whose actual is too unstable to state (a caveat) is never the one."""
    behind = goals[goals["status"].isin([BEHIND_PACE, OFF]) & (goals["caveat"] == "")].copy()
    if behind.empty:
        return None
    due = behind["target"] * behind["elapsed"].where(behind["status"] == BEHIND_PACE, 1.0)
    good_up = behind["key"].map(lambda k: METRICS_BY_KEY[k].good != "down" if k in METRICS_BY_KEY else True)
    behind["shortfall"] = ((due - behind["actual"]) / due).where(good_up, (behind["actual"] - due) / due)
    return behind.sort_values("shortfall", ascending=False).iloc[0]


def kpi_at_risk(card: pd.DataFrame) -> pd.Series | None:
    """The KPI off target by the largest share of its target (card: targets.scorecard, every KPI); None when none is
    off. A KPI too unstable to state (stability.caveats) is never the one."""
    unstable = caveats(dict(zip(card["key"], card["actual"], strict=True)))
    off = card[(card["status"] == OFF) & (card["target"].abs() > 0) & ~card["key"].isin(list(unstable))].copy()
    if off.empty:
        return None
    off["shortfall"] = (off["actual"] - off["target"]).abs() / off["target"].abs()
    return off.sort_values("shortfall", ascending=False).iloc[0]


def kpi_summary(
    card: pd.DataFrame,
    goals: pd.DataFrame,
    trend: pd.DataFrame,
    plan: Plan | None,
    month_title: str,
    currency: str,
) -> ExecutiveSummary:
    """The KPI report's summary (card: targets.scorecard indexed by key; goals: targets.goal_progress; trend:
    kpi_series by month up to and including the report's month, every KPI; plan: planning.revenue_plan or None).
    A figure too unstable to state (stability.caveats) is said to be not meaningful, and no move is measured from
    or to it."""
    return ExecutiveSummary(
        standing=_standing(card, month_title, currency),
        change=_change(trend, currency),
        risk=_risk(card, goals, currency),
        action=_action(plan, currency),
        figures=_figures(card, goals, trend, currency),
    )


def _value(key: str, value: float, currency: str) -> str:
    return fmt.by_unit(value, METRICS_BY_KEY[key].unit, currency)


def _standing(card: pd.DataFrame, month_title: str, currency: str) -> str:
    bookings, target = card.loc["bookings", "actual"], card.loc["bookings", "target"]
    against = (
        f", {fmt.percent(bookings / target)} of the month's target of {fmt.money(target, currency)}"
        if pd.notna(target) and target > 0
        else ""
    )
    unstable = caveats(card["actual"].to_dict())
    win_rate, attainment = card.loc["win_rate", "actual"], card.loc["attainment", "actual"]
    win = figure_clause(
        "the win rate", win_rate, fmt.percent(win_rate, 1), unstable.get("win_rate"), "no deal was won or lost"
    )
    quota = figure_clause(
        "quota attainment", attainment, fmt.percent(attainment), unstable.get("attainment"), "no rep had a quota"
    )
    return f"{month_title} bookings were {fmt.money(bookings, currency)}{against}; {win} and {quota}."


def _change(trend: pd.DataFrame, currency: str) -> str:
    move = largest_move(stable_values(trend))
    if move is None:
        return "Too few months of data to say which KPI moved more than usual against the month before."
    if move.change == 0:  # the largest move is none: every KPI with a usual move stood still
        return "No KPI moved against the month before."
    metric = METRICS_BY_KEY[move.key]
    verb = "rose" if move.change > 0 else "fell"
    amount = fmt.change(abs(move.change), metric.unit, currency).lstrip("+")
    times = f"{move.size:.1f} times" if move.size <= MOST_USUAL_MOVES else f"more than {MOST_USUAL_MOVES} times"
    return (
        f"{metric.name} moved most against the month before: it {verb} by {amount} to "
        f"{_value(move.key, move.current, currency)}, {times} its usual monthly move."
    )


def _risk(card: pd.DataFrame, goals: pd.DataFrame, currency: str) -> str:
    goal = goal_at_risk(goals)
    if goal is not None:
        actual = fmt.by_unit(goal["actual"], goal["unit"], currency)
        target = fmt.by_unit(goal["target"], goal["unit"], currency)
        if goal["status"] == BEHIND_PACE:
            share = fmt.percent(goal["actual"] / goal["target"])
            return (
                f"The goal “{goal['goal']}” is behind pace: {actual} of {target} ({share}) "
                f"with {fmt.percent(goal['elapsed'])} of {goal['period'].removesuffix(' to date')} gone."
            )
        return f"The goal “{goal['goal']}” is off target: {actual} against {target} in {goal['period']}."
    kpi = kpi_at_risk(card.reset_index())
    if kpi is not None:
        return (
            f"{kpi['kpi']} is off target: {_value(kpi['key'], kpi['actual'], currency)} against "
            f"{_value(kpi['key'], kpi['target'], currency)}."
        )
    return "Nothing is off target: every goal and KPI with a target is on target or on pace."


def _action(plan: Plan | None, currency: str) -> str:
    if plan is None:
        return (
            "Set a bookings goal for the fiscal year in the configuration (mission.goals) so that the report can size "
            "the pipeline it needs."
        )
    if plan.remaining <= 0:
        return f"The {plan.period.label} bookings goal of {fmt.money(plan.goal, currency)} is met; set the next one."
    if plan.months_left == 0:
        return (
            f"{plan.period.label} ended {fmt.money(plan.remaining, currency)} short of its bookings goal; "
            "review why before setting the next one."
        )
    if not plan.sized:
        return (
            f"To reach the {plan.period.label} goal, book {fmt.money(plan.remaining, currency)} in the "
            f"{plural(plan.months_left, 'month')} left; the last twelve months cannot size the pipeline that takes "
            f"({plan.unsized})."
        )
    action = (
        f"To reach the {plan.period.label} goal, create about "
        f"{fmt.money(plan.step('Pipeline to create each month'), currency)} of pipeline each month for the "
        f"{plural(plan.months_left, 'month')} left (about {fmt.count(plan.step('Deals to win'))} more won deals)"
    )
    if plan.capacity_known and plan.capacity < plan.remaining:
        action += (
            f"; the current team can book about {fmt.money(plan.capacity, currency)} of the "
            f"{fmt.money(plan.remaining, currency)} left"
        )
    return action + "."


def _figures(card: pd.DataFrame, goals: pd.DataFrame, trend: pd.DataFrame, currency: str) -> list[Headline]:
    # a value too unstable to state is left out of the trend, and the card of one this month says so
    series = stable_values(trend).set_index("period")
    unstable = caveats(card["actual"].to_dict())

    def kpi(key: str, label: str, digits: int = 0) -> Headline:
        unit = METRICS_BY_KEY[key].unit
        target = card.loc[key, "target"]
        figure = trend_headline(
            key,
            label,
            series[key],
            (lambda v: fmt.percent(v, digits)) if unit == "share" else (lambda v: fmt.by_unit(v, unit, currency)),
            lambda v: fmt.change(v, unit, currency),
            METRICS_BY_KEY[key].good,
            target=None if pd.isna(target) else float(target),
        )
        return unstable_headline(figure) if key in unstable else figure

    month = str(series.index[-1])
    figures = [
        kpi("bookings", f"Bookings, {month}"),
        kpi("attainment", "Quota attainment"),
        kpi("win_rate", "Win rate", 1),
        kpi("coverage", "Pipeline coverage"),
    ]
    year_goal = goals[(goals["key"] == "bookings") & (goals["target"] > 0)]
    for row in year_goal.head(1).itertuples():
        status = GOOD if row.status == ON_PACE else BAD if row.status == BEHIND_PACE else NEUTRAL
        figures.append(
            Headline(
                "goal_bookings",
                f"{row.period.removesuffix(' to date')} bookings goal reached",
                row.actual / row.target,
                fmt.percent(row.actual / row.target),
                change=f"{fmt.percent(row.elapsed)} of the period gone",
                status=status,
            )
        )
    return figures
