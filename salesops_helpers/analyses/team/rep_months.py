"""Each rep's KPIs month by month, with the rep's tenure: the base of the heatmap, the ramp and the rep pages.

Defined once in the metric layer (metrics/ramp.py), where the revenue plan's ramp uses them too; re-exported here.
"""

from __future__ import annotations

from salesops_helpers.metrics.ramp import REP_MONTH_METRICS, rep_months, tenure_month

__all__ = ["REP_MONTH_METRICS", "rep_months", "tenure_month"]
