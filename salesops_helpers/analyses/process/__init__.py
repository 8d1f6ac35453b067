"""The sales process from deal history: stage stays, funnel, time in stage, bottlenecks, slippage (notebook 03)."""

from salesops_helpers.analyses.process.bottlenecks import deals_short, time_share
from salesops_helpers.analyses.process.funnel import cumulative_conversion, next_step_conversion, settling_days
from salesops_helpers.analyses.process.slippage import push_flags, pushes_per_deal, slipped_deals
from salesops_helpers.analyses.process.stage_stays import stage_stays, time_per_stage
from salesops_helpers.analyses.process.stalled import stall_threshold, value_at_risk
from salesops_helpers.analyses.process.time_in_stage import naive_quantile
from salesops_helpers.analyses.process.velocity_change import factor_contributions
from salesops_helpers.analyses.process.waterfall import pipeline_moves
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.formatting import count, days, percent
from salesops_helpers.metrics.measure import Measure
from salesops_helpers.metrics.survival import kaplan_meier, km_quantile

# What notebook 03 takes from the layers below through this package (MEASURES is the glossary's).
__all__ = ["MEASURES", "FiscalCalendar", "count", "days", "percent"]

MEASURES: tuple[Measure, ...] = (
    Measure("Stage stay", stage_stays),
    Measure("Latest and cumulative time in a stage", time_per_stage),
    Measure("Next-step conversion", next_step_conversion),
    Measure("Cumulative conversion", cumulative_conversion),
    Measure("Cohort too young to judge", settling_days),
    Measure("Survival in a stage (Kaplan-Meier)", kaplan_meier),
    Measure("Time in stage: median, p75, p90 (Kaplan-Meier)", km_quantile),
    Measure("Time in stage, finished stays only", naive_quantile),
    Measure("Time share of a stage", time_share),
    Measure("Deals short (bottleneck ranking)", deals_short),
    Measure("Stall threshold", stall_threshold),
    Measure("Value at risk in stalled deals", value_at_risk),
    Measure("Close-date push", push_flags),
    Measure("Pushes per deal", pushes_per_deal),
    Measure("Slipped deal", slipped_deals),
    Measure("Pipeline waterfall", pipeline_moves),
    Measure("Velocity change by factor", factor_contributions),
)
