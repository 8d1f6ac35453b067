"""KPI targets from the configuration, scaled to any period, and a scorecard of actuals against them."""

from __future__ import annotations

import math

import pandas as pd

from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import METRICS, METRICS_BY_KEY, kpi_series, kpi_table
from salesops_helpers.metrics.stability import caveats

MONTHS_IN = {"month": 1, "quarter": 3, "fiscal_year": 12, "ttm": 12}
# The status words of targets and goals: a KPI against its target, a goal's sum against its share of the period gone.
ON, OFF, NO_TARGET, NO_VALUE = "on target", "off target", "no target", "no value"
ON_PACE, BEHIND_PACE = "on pace", "behind pace"


def target_for(config: WorkbookConfig, key: str, period: Period) -> float | None:
    """The configured target of a KPI for a period: sums pro rata by months, rates as they are, and snapshots
    (coverage, pipeline) only for periods as long as the target's."""
    target = config.kpi_targets.get(key)
    if target is None:
        return None
    if METRICS_BY_KEY[key].snapshot and MONTHS_IN[target.period] != period.months:
        return None  # a snapshot (coverage, pipeline) set for quarters says nothing about a month
    if not METRICS_BY_KEY[key].additive:
        return target.target
    return target.target * period.months / MONTHS_IN[target.period]


def status(key: str, actual: float | None, target: float | None) -> str:
    """on target, off target, no target, or no value, by the KPI's good direction."""
    if target is None:
        return NO_TARGET
    if actual is None or math.isnan(actual):
        return NO_VALUE
    good = METRICS_BY_KEY[key].good
    if good == "neutral":
        return NO_TARGET
    return ON if (actual >= target if good == "up" else actual <= target) else OFF


def _company_values(data: SalesData, period: Period) -> tuple[dict[str, float], dict[str, str]]:
    """Every KPI at company level for a period, and the reason for each missing one; a period that starts before
    the data does has no values at all (zeros there would mean "no data", not "nothing sold")."""
    first_month = data.opportunities["created_date"].min().to_period("M").start_time
    if period.start < first_month:
        reason = f"the data starts on {data.opportunities['created_date'].min():%Y-%m-%d}, after this period began"
        return {m.key: float("nan") for m in METRICS}, {m.key: reason for m in METRICS}
    table = kpi_table(data, period)
    return table.values.iloc[0].to_dict(), dict(zip(table.missing["metric"], table.missing["reason"], strict=True))


def scorecard(data: SalesData, period: Period, calendar: FiscalCalendar) -> pd.DataFrame:
    """One row per KPI: actual, target, status, the previous period and the same period a year earlier.

    Columns: key, kpi, unit, actual, target, status, previous, change, year_ago, change_year, note (why the actual
    is missing, or not meaningful, when it is: stability.caveats). Changes are actual minus the earlier value, in the
    KPI's unit; a comparison period that starts before the data is missing rather than zero.
    """
    actual, reasons = _company_values(data, period)
    reasons |= {key: f"not meaningful: {why}" for key, why in caveats(actual).items()}
    previous, _ = _company_values(data, calendar.previous(period))
    year_ago, _ = _company_values(data, calendar.year_ago(period))
    rows = []
    for metric in METRICS:
        key = metric.key
        target = target_for(data.config, key, period)
        rows.append(
            {
                "key": key,
                "kpi": metric.name,
                "unit": metric.unit,
                "actual": actual[key],
                "target": float("nan") if target is None else target,
                "status": status(key, actual[key], target),
                "previous": previous[key],
                "change": actual[key] - previous[key],
                "year_ago": year_ago[key],
                "change_year": actual[key] - year_ago[key],
                "note": reasons.get(key, ""),
            }
        )
    return pd.DataFrame(rows)


def goal_progress(data: SalesData, calendar: FiscalCalendar, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each mission goal measured over its period to date (the period holding as_of, up to as_of).

    Columns: goal, key, unit, period, target, actual, elapsed (share of the period's days gone), status, caveat (why
    the actual is too unstable to state, stability.caveats; "" when it is not). A sum (such as bookings) is on pace
    when its share of the target is at least the share of the period elapsed; a rate or ratio is on target when it
    meets the target so far.
    """
    rows = []
    for goal in data.config.mission.goals:
        period = calendar.period(goal.period, as_of)
        label = period.label if as_of >= period.end else f"{period.label} to date"
        to_date = Period(period.kind, period.start, min(period.end, as_of), label)
        elapsed = ((to_date.end - period.start).days + 1) / ((period.end - period.start).days + 1)
        row = {"goal": goal.name, "key": goal.kpi, "unit": "count", "period": to_date.label, "target": goal.target}
        row |= {"actual": float("nan"), "elapsed": elapsed, "status": NO_TARGET, "caveat": ""}
        if goal.kpi is not None and goal.target is not None:
            metric = METRICS_BY_KEY[goal.kpi]
            measured = period if metric.snapshot else to_date  # coverage is taken at the period's start
            values = kpi_table(data, measured).values.iloc[0].to_dict()
            actual = float(values[goal.kpi])
            row |= {"unit": metric.unit, "actual": actual, "caveat": caveats(values).get(goal.kpi, "")}
            if metric.additive:
                row["status"] = (
                    NO_VALUE if math.isnan(actual) else ON_PACE if actual >= goal.target * elapsed else BEHIND_PACE
                )
            else:
                row["status"] = status(goal.kpi, actual, goal.target)
        rows.append(row)
    columns = ["goal", "key", "unit", "period", "target", "actual", "elapsed", "status", "caveat"]
    return pd.DataFrame(rows, columns=columns)


def monthly_baselines(data: SalesData, ttm: Period, calendar: FiscalCalendar) -> dict[str, float]:
    """Each KPI's trailing-twelve-month baseline as a monthly figure: a sum divided by 12, a rate pooled over the
    twelve months, and a snapshot (pipeline on a day, coverage, velocity, reps at quota) the mean of its months."""
    pooled, _ = _company_values(data, ttm)
    first = data.opportunities["created_date"].min().to_period("M").start_time
    months = kpi_series(data, [m for m in calendar.months_between(ttm.start, ttm.end) if m.start >= first])
    baselines = {}
    for metric in METRICS:
        if metric.additive:
            baselines[metric.key] = pooled[metric.key] / ttm.months
        elif metric.snapshot:
            baselines[metric.key] = float(months[metric.key].mean())
        else:
            baselines[metric.key] = pooled[metric.key]
    return baselines


def baseline_table(data: SalesData, ttm: Period, calendar: FiscalCalendar) -> pd.DataFrame:
    """Each KPI's monthly baseline over the trailing twelve months against the twelve months before.

    Columns: key, kpi, unit, baseline, previous, change.
    """
    now = monthly_baselines(data, ttm, calendar)
    before = monthly_baselines(data, calendar.year_ago(ttm), calendar)
    rows = [
        {
            "key": m.key,
            "kpi": m.name,
            "unit": m.unit,
            "baseline": now[m.key],
            "previous": before[m.key],
            "change": now[m.key] - before[m.key],
        }
        for m in METRICS
    ]
    return pd.DataFrame(rows)
