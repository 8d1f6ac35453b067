"""The sales process from deal history: stage stays, funnel, time in stage, bottlenecks, slippage (notebook 03)."""

from salesops_helpers.metrics.measure import Measure

MEASURES: tuple[Measure, ...] = ()
