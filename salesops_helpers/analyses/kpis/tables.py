"""The KPI report's tables as readers see them: each figure written in its KPI's unit, columns named in words."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.metrics.planning import Plan


def goals_table(goals: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Each goal with its period, the share of the period gone, its target, actual and status, and a note when the
    actual is too unstable to state (goals: targets.goal_progress)."""
    shown = formatting.rows_by_unit(goals, ["target", "actual"], currency)
    shown["elapsed"] = [formatting.percent(share) for share in goals["elapsed"]]
    shown["note"] = [f"not meaningful: {caveat}" if caveat else "" for caveat in goals["caveat"]]
    return shown[["goal", "period", "elapsed", "target", "actual", "status", "note"]]


def baselines_table(baseline: pd.DataFrame, ttm: Period, currency: str) -> pd.DataFrame:
    """Each KPI's monthly baseline over ttm against the twelve months before, and the change
    (baseline: targets.baseline_table indexed by key)."""
    shown = formatting.rows_by_unit(
        baseline.reset_index(), ["baseline", "previous", "change"], currency, changes=("change",)
    )
    return shown[["kpi", "baseline", "previous", "change"]].rename(
        columns={"baseline": f"monthly baseline, {ttm.label}", "previous": "twelve months before"}
    )


def scorecard_table(card: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Each KPI of the month against its target, the month before and the same month a year ago
    (card: targets.scorecard indexed by key)."""
    shown = formatting.rows_by_unit(
        card.reset_index(),
        ["actual", "target", "previous", "change", "year_ago", "change_year"],
        currency,
        changes=("change", "change_year"),
    )
    return shown[["kpi", "actual", "target", "status", "previous", "change", "year_ago", "change_year", "note"]].rename(
        columns={"previous": "month before", "year_ago": "a year ago", "change_year": "change on a year"}
    )


def plan_table(plan: Plan, currency: str) -> pd.DataFrame:
    """The revenue plan's steps: each step, its value in its unit and how it is worked out."""
    return formatting.rows_by_unit(plan.steps, ["value"], currency)[["step", "value", "how"]]
