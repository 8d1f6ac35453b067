"""The sales team's performance review: scorecards, attainment, ramp and coaching signals (notebook 02)."""

from salesops_helpers.analyses.team.activity import activity_by_rep, activity_correlation
from salesops_helpers.analyses.team.coaching import bookings_short_of_peers, coaching_review, peers_rate
from salesops_helpers.analyses.team.intervals import wilson_interval
from salesops_helpers.analyses.team.loss_stage import stage_lost_at
from salesops_helpers.analyses.team.shortfall_tests import (
    count_rate_shortfall_p,
    holm_significant,
    log_mean_shortfall_p,
    rate_shortfall_p,
)
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.metrics.measure import Measure
from salesops_helpers.metrics.ramp import months_to_productivity, ramp_curve, rep_months, tenure_month, with_established

# What notebook 02 takes from the layers below through this package (MEASURES is the glossary's).
__all__ = ["MEASURES", "FiscalCalendar"]

MEASURES: tuple[Measure, ...] = (
    Measure("Win rate interval (90%)", wilson_interval),
    Measure("Peers' figure", peers_rate),
    Measure("Win rate shortfall test", rate_shortfall_p),
    Measure("Deal size shortfall test", log_mean_shortfall_p),
    Measure("Deal creation shortfall test", count_rate_shortfall_p),
    Measure("Holm's correction", holm_significant),
    Measure("Coaching signal", coaching_review),
    Measure("Bookings short of peers", bookings_short_of_peers),
    Measure("Stage a deal was lost at", stage_lost_at),
    Measure("Rep-month", rep_months),
    Measure("Tenure month", tenure_month),
    Measure("Established output", with_established),
    Measure("Ramp curve", ramp_curve),
    Measure("Months to ramp", months_to_productivity),
    Measure("Activities per won deal", activity_by_rep),
    Measure("Activity and bookings", activity_correlation),
)
