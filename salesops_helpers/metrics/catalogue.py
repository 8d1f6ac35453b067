"""Every KPI, defined once: a formula over per-group totals, with its name, unit, good direction and meaning.

A KPI's docstring is its formula in words; docs/metrics.md is generated from this module.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Unit = Literal["currency", "count", "share", "days", "hours", "ratio", "currency_per_day"]
Direction = Literal["up", "down", "neutral"]

# When a figure is too unstable for a summary to state (metrics/stability.py applies these rules):
MIN_DEALS = 5  # a rate, mean or median over fewer deals moves by more than a fifth when a single deal changes
MIN_CYCLE_DAYS = 7  # a median cycle under a week means deals were entered when already won, not worked as pipeline
MIN_QUOTA_SHARE = 0.1  # a quota under a tenth of what is held against it (bookings, pipeline) is no target


@dataclass(frozen=True)
class Metric:
    """One KPI: key (as in tables, JSON and the configuration), name, unit, which direction is good, and formula."""

    key: str
    name: str
    unit: Unit
    good: Direction
    compute: Callable[[pd.DataFrame], pd.Series]
    when_missing: str = ""  # why a value can be missing (never silently 0)
    choice: str = ""  # the convention picked where practitioners differ
    additive: bool = False  # whether a target for a longer period scales down by months (sums do, rates do not)
    snapshot: bool = False  # measured at a moment (pipeline on a day), so a year's baseline is the mean of its months
    unstable_when: str = ""  # when a value is too unstable to state (metrics/stability.py), summaries say so instead

    @property
    def formula(self) -> str:
        """The formula in words: the compute function's docstring."""
        return formula_of(self.compute)


def formula_of(compute: Callable[..., object]) -> str:
    """A formula in words: the docstring of the function that computes it, without its indentation."""
    return inspect.cleandoc(compute.__doc__ or "")


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, missing where the denominator is 0 or missing."""
    return numerator / denominator.where(denominator > 0, np.nan)


def bookings(t: pd.DataFrame) -> pd.Series:
    """Sum of the amounts of deals won in the period."""
    return t["won_amount"]


def won_deals(t: pd.DataFrame) -> pd.Series:
    """Number of deals won in the period."""
    return t["won_deals"]


def lost_deals(t: pd.DataFrame) -> pd.Series:
    """Number of deals lost in the period."""
    return t["lost_deals"]


def win_rate(t: pd.DataFrame) -> pd.Series:
    """Deals won ÷ (deals won + deals lost), over deals closed in the period; open deals are left out."""
    return _ratio(t["won_deals"], t["won_deals"] + t["lost_deals"])


def win_rate_value(t: pd.DataFrame) -> pd.Series:
    """Amount won ÷ (amount won + amount lost), over deals closed in the period."""
    return _ratio(t["won_amount"], t["won_amount"] + t["lost_amount"])


def avg_deal_size(t: pd.DataFrame) -> pd.Series:
    """Bookings ÷ deals won, over deals won in the period."""
    return _ratio(t["won_amount"], t["won_deals"])


def median_deal_size(t: pd.DataFrame) -> pd.Series:
    """Median amount of the deals won in the period."""
    return t["won_amount_median"]


def sales_cycle_days(t: pd.DataFrame) -> pd.Series:
    """Median of (close date − created date) in days, over deals won in the period."""
    return t["cycle_days_median"]


def pipeline_created(t: pd.DataFrame) -> pd.Series:
    """Sum of the amounts of deals created in the period, whatever became of them."""
    return t["created_amount"]


def deals_created(t: pd.DataFrame) -> pd.Series:
    """Number of deals created in the period, whatever became of them."""
    return t["created_deals"]


def open_pipeline(t: pd.DataFrame) -> pd.Series:
    """Sum of the amounts of deals open at the end of the period's last day, whatever their expected close date."""
    return t["open_end_amount"]


def weighted_pipeline(t: pd.DataFrame) -> pd.Series:
    """Sum over deals open at the period's end of amount × the configured probability of the deal's stage then."""
    return t["open_end_weighted"]


def coverage(t: pd.DataFrame) -> pd.Series:
    """Open pipeline at the period's start whose expected close date falls in the period ÷ the period's quota."""
    return _ratio(t["due_start_amount"], t["quota"])


def velocity(t: pd.DataFrame) -> pd.Series:
    """Deals open at the period's start × win rate × average deal size ÷ sales-cycle days (revenue per day)."""
    return _ratio(t["open_start_deals"] * win_rate(t) * avg_deal_size(t), velocity_cycle_days(t))


def velocity_cycle_days(t: pd.DataFrame) -> pd.Series:
    """The sales cycle velocity divides by: the median cycle of won deals, at least MIN_CYCLE_DAYS."""
    return t["cycle_days_median"].clip(lower=MIN_CYCLE_DAYS)


def quota(t: pd.DataFrame) -> pd.Series:
    """Sum of the monthly quotas of the group's reps for the months of the period."""
    return t["quota"]


def attainment(t: pd.DataFrame) -> pd.Series:
    """Bookings ÷ quota."""
    return _ratio(t["won_amount"], t["quota"])


def reps_at_quota(t: pd.DataFrame) -> pd.Series:
    """Reps whose bookings reached their quota ÷ reps with a quota above 0, both for the period."""
    return _ratio(t["reps_at_quota"], t["reps_with_quota"])


NO_CLOSED = "no deal was won or lost in the period"
NO_WON = "no deal was won in the period"
NO_QUOTA = "no quota above 0 for the period (quotas are set per rep: a segment, lead source or deal type has none)"
FEW_CLOSED = f"fewer than {MIN_DEALS} deals were won or lost in the period"
FEW_WON = f"fewer than {MIN_DEALS} deals were won in the period"

METRICS: tuple[Metric, ...] = (
    Metric("bookings", "Bookings", "currency", "up", bookings, additive=True),
    Metric("won_deals", "Deals won", "count", "up", won_deals, additive=True),
    Metric("lost_deals", "Deals lost", "count", "down", lost_deals, additive=True),
    Metric(
        "win_rate",
        "Win rate",
        "share",
        "up",
        win_rate,
        NO_CLOSED,
        "By count of deals, as HubSpot reports it; win_rate_value weighs by amount.",
        unstable_when=FEW_CLOSED,
    ),
    Metric("win_rate_value", "Win rate by value", "share", "up", win_rate_value, NO_CLOSED, unstable_when=FEW_CLOSED),
    Metric(
        "avg_deal_size",
        "Average deal size",
        "currency",
        "up",
        avg_deal_size,
        NO_WON,
        "The mean; median_deal_size beside it shows how much a few large deals pull it.",
        unstable_when=FEW_WON,
    ),
    Metric("median_deal_size", "Median deal size", "currency", "up", median_deal_size, NO_WON, unstable_when=FEW_WON),
    Metric(
        "sales_cycle_days",
        "Sales cycle (median days)",
        "days",
        "down",
        sales_cycle_days,
        NO_WON,
        "The median over won deals: a few deals open for years would dominate a mean. Lost deals are left out.",
        unstable_when=FEW_WON,
    ),
    Metric("pipeline_created", "Pipeline created", "currency", "up", pipeline_created, additive=True),
    Metric("deals_created", "Deals created", "count", "up", deals_created, additive=True),
    Metric(
        "open_pipeline",
        "Open pipeline at period end",
        "currency",
        "up",
        open_pipeline,
        choice=(
            "With a history table, each deal's state on the day comes from its last saved change. Without one, a "
            "deal counts as open on a past day when it is open now or closed after that day, at today's amount."
        ),
        snapshot=True,
    ),
    Metric(
        "weighted_pipeline",
        "Weighted pipeline at period end",
        "currency",
        "up",
        weighted_pipeline,
        "no deal was open at the period's end, or some open deals' stages that day are unknown (no history table)",
        "Probabilities from the configuration. Without a history table, deals closed since have no known stage on "
        "a past day, so the weighted pipeline of such a day is left missing rather than understated.",
        snapshot=True,
    ),
    Metric(
        "coverage",
        "Pipeline coverage",
        "ratio",
        "up",
        coverage,
        NO_QUOTA,
        "Pipeline over quota (3.0 means three times the quota), taken at the period's start: the pipeline a team "
        "enters the period with, against what it must book. Salesforce prints the inverse.",
        snapshot=True,
        unstable_when=f"the quota is under {MIN_QUOTA_SHARE:.0%} of that pipeline (coverage above "
        f"{1 / MIN_QUOTA_SHARE:.0f}x)",
    ),
    Metric(
        "velocity",
        "Sales velocity",
        "currency_per_day",
        "up",
        velocity,
        "no deal won in the period, so no win rate, deal size or cycle",
        f"All four factors from the same period; the cycle is the median of won deals, at least {MIN_CYCLE_DAYS} "
        "days (a shorter median means deals were entered when already won, and dividing by it would have the whole "
        "open pipeline turn over in days).",
        snapshot=True,
        unstable_when=f"{FEW_WON}, or their median cycle is under {MIN_CYCLE_DAYS} days",
    ),
    Metric("quota", "Quota", "currency", "neutral", quota, NO_QUOTA, additive=True),
    Metric(
        "attainment",
        "Quota attainment",
        "share",
        "up",
        attainment,
        NO_QUOTA,
        unstable_when=f"the quota is under {MIN_QUOTA_SHARE:.0%} of the bookings (attainment above "
        f"{1 / MIN_QUOTA_SHARE:,.0%})",
    ),
    Metric(
        "reps_at_quota",
        "Reps at or above quota",
        "share",
        "up",
        reps_at_quota,
        "no rep of the group has a quota above 0 for the period",
        "A rep with a quota of 0 (on leave, or gone) is left out, not counted as missing quota.",
        snapshot=True,
    ),
)
METRICS_BY_KEY: dict[str, Metric] = {metric.key: metric for metric in METRICS}
