"""Expected bookings of a quarter from the deals' own win probabilities: what is booked, plus each open deal won or
not with its probability, plus what deals not yet created usually bring in the months left.

The open deals counted are those expected to close by the quarter's end, overdue ones included (they are still
open, so they can still close this quarter). A deal's win probability is that it is ever won; the share of it won
within the quarter is the company's own: of the amount called at past month ends (categories.past_calls) that was
won at all, the share won within the quarter it was called for. So a deal is won in the quarter with q = p × that
share, independently of the others: the open part's mean is Σ amount × q and its variance Σ amount² × q × (1 − q),
the interval the normal one around the mean (a close fit once a few dozen deals are open), cut at zero. Without a
past call to learn the share from, it is 1, and the open part is an upper estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from salesops_helpers.analyses.forecast.pipeline_forecast import booked_between, months_ahead, new_business
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.validation import is_in

LEVEL = 0.8


@dataclass(frozen=True)
class ExpectedBookings:
    """A quarter's expected bookings on a day: booked so far, the open deals' expected part and its interval, new
    business; total = booked + open_expected + new."""

    quarter: Period
    day: pd.Timestamp
    booked: float
    open_expected: float
    open_low: float
    open_high: float
    new: float
    deals: int  # open deals counted
    in_quarter: float | None  # the share of won amount won within its quarter (None: unknown, 1 was used)

    @property
    def total(self) -> float:
        """Booked + open deals' expected value + new business."""
        return self.booked + self.open_expected + self.new

    @property
    def low(self) -> float:
        """The total's lower bound at LEVEL."""
        return self.booked + self.open_low + self.new

    @property
    def high(self) -> float:
        """The total's upper bound at LEVEL."""
        return self.booked + self.open_high + self.new


def new_business_in(data: SalesData, quarter: Period, day: pd.Timestamp) -> float:
    """What deals not yet created on the day usually book in the quarter's months after it, at the last twelve
    months' average monthly bookings (pipeline_forecast.new_business)."""
    opps = data.opportunities
    won = (opps["outcome"] == "won") & (opps["close_date"] > day - pd.DateOffset(years=1)) & (opps["close_date"] <= day)
    run_rate = float(opps.loc[won, "amount"].fillna(0).sum()) / 12
    return new_business(data, day, months_ahead(quarter, day)[1], run_rate)


def in_quarter_share(data: SalesData, calls: pd.DataFrame) -> float | None:
    """Of the amount called at past month ends (categories.past_calls) that was won at all, the share won within
    the quarter it was called for; None when none of it was won."""
    opps = data.opportunities
    won_ever = is_in(calls["opportunity_id"], opps.loc[opps["outcome"] == "won", "opportunity_id"])
    ever = float(calls.loc[won_ever, "amount"].sum())
    if not ever > 0:
        return None
    return float(calls.loc[calls["won"].astype(bool), "amount"].sum()) / ever


def _open_part(deals: pd.DataFrame, quarter: Period, share: float) -> tuple[float, float, float, int]:
    """The open deals due by the quarter's end, each won in it with q = p × share: Σ amount × q, its interval at
    LEVEL (cut at zero) and the number of deals."""
    due = deals[deals["expected_close"] <= quarter.end]
    amount = due["amount"].fillna(0.0).to_numpy(dtype=float)
    q = due["win_probability"].to_numpy(dtype=float) * share
    mean = float(np.sum(amount * q))
    spread = float(np.sqrt(np.sum(amount**2 * q * (1 - q)))) * float(norm.ppf(0.5 + LEVEL / 2))
    return mean, max(mean - spread, 0.0), mean + spread, len(due)


def expected_bookings(
    data: SalesData, deals: pd.DataFrame, quarter: Period, day: pd.Timestamp, calls: pd.DataFrame
) -> ExpectedBookings:
    """The quarter's expected bookings on the day (module docstring); deals: the open deals with amount,
    expected_close and win_probability (inspection.reviewed); calls: categories.past_calls."""
    share = in_quarter_share(data, calls)
    mean, low, high, count = _open_part(deals, quarter, 1.0 if share is None else share)
    booked = booked_between(data, quarter.start, day)
    return ExpectedBookings(
        quarter,
        day,
        booked,
        mean,
        low,
        high,
        new_business_in(data, quarter, day),
        count,
        share,
    )
