"""KPI tables: every metric for one period and grouping, and the same over a run of periods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.cache import StoredTables
from salesops_helpers.data.loading import SalesData
from salesops_helpers.errors import SalesopsError
from salesops_helpers.metrics.catalogue import METRICS, METRICS_BY_KEY
from salesops_helpers.metrics.groupings import GROUPINGS, group_columns
from salesops_helpers.metrics.totals import period_totals

if TYPE_CHECKING:
    from salesops_helpers.data.warehouse import WarehouseTables

__all__ = ["GROUPINGS", "KpiTable", "kpi_series", "kpi_table"]


class MetricError(SalesopsError, ValueError):
    """A metric or grouping name that does not exist."""


@dataclass(frozen=True)
class KpiTable:
    """KPI values (group columns, then one column per metric) and why any value is missing."""

    period: Period
    by: tuple[str, ...]
    values: pd.DataFrame
    missing: pd.DataFrame  # group columns, metric, reason: one row per missing value

    @property
    def group_columns(self) -> list[str]:
        """The columns that name a group."""
        return group_columns(list(self.by))

    def formatted(self, currency: str) -> pd.DataFrame:
        """The values as text for people, each metric in its unit (missing values as a dash)."""
        shown = self.values.copy()
        for key in shown.columns:
            if key in METRICS_BY_KEY:
                unit = METRICS_BY_KEY[key].unit
                shown[key] = [formatting.by_unit(value, unit, currency) for value in self.values[key]]
        return shown


def _check(by: list[str], metrics: list[str]) -> None:
    unknown_groups = [key for key in by if key not in GROUPINGS]
    if unknown_groups:
        raise MetricError(f"unknown grouping {', '.join(unknown_groups)}; choose from {', '.join(GROUPINGS)}")
    unknown = [key for key in metrics if key not in METRICS_BY_KEY]
    if unknown:
        raise MetricError(f"unknown metric {', '.join(unknown)}; the metrics are {', '.join(METRICS_BY_KEY)}")


def kpi_table(
    data: SalesData | StoredTables | WarehouseTables,
    period: Period,
    by: list[str] | None = None,
    metrics: list[str] | None = None,
) -> KpiTable:
    """Every metric (or those named) for the period, one row per group (one row in all without a grouping)."""
    by = list(by or [])
    keys = metrics or [metric.key for metric in METRICS]
    _check(by, keys)
    totals = period_totals(data, period, by)
    columns = group_columns(by)
    values = totals[columns].copy()
    reasons = []
    for key in keys:
        metric = METRICS_BY_KEY[key]
        values[key] = metric.compute(totals).astype(float)
        if values[key].isna().any():
            gone = values.loc[values[key].isna(), columns].assign(metric=key, reason=metric.when_missing)
            reasons.append(gone)
    missing = pd.concat(reasons, ignore_index=True) if reasons else pd.DataFrame(columns=[*columns, "metric", "reason"])
    return KpiTable(period, tuple(by), values, missing)


def kpi_series(
    data: SalesData, periods: list[Period], by: list[str] | None = None, metrics: list[str] | None = None
) -> pd.DataFrame:
    """The KPI table of each period stacked, with the period's label and start first (for trends)."""
    keys = metrics or [metric.key for metric in METRICS]
    frames = [pd.DataFrame(columns=["period", "period_start", *group_columns(list(by or [])), *keys])]
    for period in periods:
        values = kpi_table(data, period, by, metrics).values
        values.insert(0, "period_start", period.start)
        values.insert(0, "period", period.label)
        frames.append(values)
    return pd.concat(frames[1:], ignore_index=True) if periods else frames[0]
