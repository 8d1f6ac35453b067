"""The data-health report (notebook 00): checks of what the workbook read, their sentences and the summary."""

from salesops_helpers.analyses.health.summary import health_summary
from salesops_helpers.formatting import count, percent

__all__ = ["count", "health_summary", "percent"]
