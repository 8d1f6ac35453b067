"""The sales team's performance review: scorecards, attainment, ramp and coaching signals (notebook 02)."""

from salesops_helpers.metrics.measure import Measure

MEASURES: tuple[Measure, ...] = ()
