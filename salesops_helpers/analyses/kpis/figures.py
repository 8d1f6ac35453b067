"""The KPI report's figures for one month, computed once: scorecard, goals, trend, baselines and the revenue plan."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers.analyses.kpis.summary import WATCHED
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import METRICS_BY_KEY, kpi_series, targets
from salesops_helpers.metrics.planning import Plan, revenue_plan


@dataclass(frozen=True)
class KpiFigures:
    """What the KPI report shows for a month."""

    calendar: FiscalCalendar
    month: Period
    as_of: pd.Timestamp  # the month's last day, or the data's as-of day when the month is not over
    year: Period  # the fiscal year of as_of
    ttm: Period  # the twelve months to as_of: the baselines' window
    card: pd.DataFrame  # targets.scorecard of the month, indexed by KPI key
    goals: pd.DataFrame  # targets.goal_progress on as_of
    trend: pd.DataFrame  # the KPIs month by month, from two years before as_of (or the data's start) to as_of
    baseline: pd.DataFrame  # targets.baseline_table of ttm, indexed by KPI key
    monthly_targets: dict[str, float]  # the month's target of each watched KPI that has one
    plan: Plan | None  # what is left of the fiscal year's bookings goal asks for; None without such a goal

    @property
    def baselines(self) -> dict[str, float]:
        """Each KPI's monthly baseline over ttm, by key."""
        return self.baseline["baseline"].to_dict()


def year_bookings_target(config: WorkbookConfig) -> float | None:
    """The target of the mission's first goal on bookings over a fiscal year; None when there is none (a goal
    with a KPI always has a target)."""
    return next((g.target for g in config.mission.goals if g.kpi == "bookings" and g.period == "fiscal_year"), None)


def watched_kpis() -> list[tuple[str, str, str]]:
    """The KPIs the summary watches (summary.WATCHED), as (key, name, unit), in that order."""
    return [(key, METRICS_BY_KEY[key].name, METRICS_BY_KEY[key].unit) for key in WATCHED]


def kpi_figures(data: SalesData, config: WorkbookConfig, month_start: pd.Timestamp) -> KpiFigures:
    """The KPI report's figures for the month that starts on month_start, as of its last day (or the data's as-of
    day, when that comes first)."""
    calendar = FiscalCalendar.from_config(config)
    month = calendar.month(month_start)
    as_of = min(month.end, data.as_of)
    year = calendar.year(as_of)
    ttm = calendar.trailing_twelve_months(as_of)
    first = max(calendar.year_ago(ttm).start, data.opportunities["created_date"].min())
    target = year_bookings_target(config)
    monthly_targets = {key: targets.target_for(config, key, month) for key in WATCHED}
    return KpiFigures(
        calendar=calendar,
        month=month,
        as_of=as_of,
        year=year,
        ttm=ttm,
        card=targets.scorecard(data, month, calendar).set_index("key"),
        goals=targets.goal_progress(data, calendar, as_of),
        trend=kpi_series(data, calendar.months_between(first, as_of)),
        baseline=targets.baseline_table(data, ttm, calendar).set_index("key"),
        monthly_targets={key: value for key, value in monthly_targets.items() if value is not None},
        plan=None if target is None else revenue_plan(data, target, year, calendar, as_of),
    )
