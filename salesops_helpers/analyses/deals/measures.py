"""The deal inspection's measures the metric glossary lists: each a name and the function whose docstring is its
formula."""

from __future__ import annotations

from salesops_helpers.analyses.deals.expected import deal_forecasts, expected_bookings, in_quarter_share
from salesops_helpers.analyses.deals.features import owner_win_rates
from salesops_helpers.analyses.deals.win_probability import backtest_on, brier, brier_skill, log_loss
from salesops_helpers.metrics.measure import Measure

MEASURES: tuple[Measure, ...] = (
    Measure("Owner's win rate (deal input)", owner_win_rates),
    Measure("Brier score", brier),
    Measure("Log loss", log_loss),
    Measure("Brier skill", brier_skill),
    Measure("Backtest on a past day", backtest_on),
    Measure("Share won within the quarter called", in_quarter_share),
    Measure("Expected bookings", expected_bookings),
    Measure("Expected bookings at past month ends", deal_forecasts),
)
