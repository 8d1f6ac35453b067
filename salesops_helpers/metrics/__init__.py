"""The metric layer: every KPI defined once, computable for any period and any grouping.

`catalogue` holds the definitions (each KPI a small formula over per-group totals, its docstring the formula in
words); `totals` selects and sums the deals behind them; `table` puts the two together.
"""

from salesops_helpers.metrics.catalogue import METRICS, METRICS_BY_KEY, Metric
from salesops_helpers.metrics.table import GROUPINGS, KpiTable, kpi_series, kpi_table

__all__ = ["GROUPINGS", "METRICS", "METRICS_BY_KEY", "KpiTable", "Metric", "kpi_series", "kpi_table"]
