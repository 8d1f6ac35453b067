"""The whole metric glossary (docs/metrics.md): the metric layer's KPIs, then each analysis's own measures."""

from __future__ import annotations

from salesops_helpers.analyses import process, team
from salesops_helpers.analyses.deals import measures as deals
from salesops_helpers.analyses.forecast import measures as forecast
from salesops_helpers.metrics.glossary import glossary_markdown

# The analyses whose measures (formulas beyond the period KPIs) the glossary lists, in report order.
MEASURE_SECTIONS = (
    ("Team performance", team.MEASURES),
    ("Sales process", process.MEASURES),
    ("Forecasting", forecast.MEASURES),
    ("Deal inspection", deals.MEASURES),
)


def full_glossary() -> str:
    """docs/metrics.md as Markdown: every KPI, then the team, process, forecasting and deal inspection measures."""
    return glossary_markdown(MEASURE_SECTIONS)
