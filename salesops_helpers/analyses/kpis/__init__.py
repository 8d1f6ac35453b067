"""The mission and KPI report (notebook 01): the month's figures, their tables, sentences and executive summary."""

from salesops_helpers.analyses.kpis.figures import KpiFigures, kpi_figures, watched_kpis
from salesops_helpers.analyses.kpis.summary import kpi_summary
from salesops_helpers.analyses.kpis.tables import baselines_table, goals_table, plan_table, scorecard_table
from salesops_helpers.metrics.glossary import catalogue_frame

__all__ = [
    "KpiFigures",
    "baselines_table",
    "catalogue_frame",
    "goals_table",
    "kpi_figures",
    "kpi_summary",
    "plan_table",
    "scorecard_table",
    "watched_kpis",
]
