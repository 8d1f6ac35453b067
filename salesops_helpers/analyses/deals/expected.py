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

from salesops_helpers.analyses.deals import win_probability
from salesops_helpers.analyses.deals.features import expected_close
from salesops_helpers.analyses.forecast.pipeline_forecast import booked_between, months_ahead, new_business
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.validation import is_in

LEVEL = 0.8
# A past day's probabilities come from the method the backtest trusted then, chosen on the origins of up to this
# many months before it (the deal inspection's BACKTEST_ORIGINS where the history reaches back that far).
SELECTING_MONTHS = 12


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


def in_quarter_share(data: SalesData, calls: pd.DataFrame, day: pd.Timestamp | None = None) -> float | None:
    """Of the amount called at past month ends (categories.past_calls) that was won at all (by the day, when given),
    the share won within the quarter it was called for; None when none of it was won."""
    opps = data.opportunities
    won = (opps["outcome"] == "won") & ((opps["close_date"] <= day) if day is not None else True)
    won_ever = is_in(calls["opportunity_id"], opps.loc[won, "opportunity_id"])
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
    """The quarter's expected bookings on the day: booked from the quarter's start to the day + Σ amount × q over
    the open deals expected to close by the quarter's end (overdue ones included), q = win probability × the share
    of called amount won within its quarter (in_quarter_share; 1 when unknown) + new business (new_business_in).
    Its 80% range: the open part ± z × √(Σ amount² × q × (1 − q)), cut at zero. deals: the open deals with amount,
    expected_close and win_probability (inspection.reviewed); calls: categories.past_calls."""
    share = in_quarter_share(data, calls, day)
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


def _scale(data: SalesData) -> float:
    """How many deals each deal the month-end snapshots follow stands for: 1, or all deals ÷ those followed when a
    large company's snapshots follow a sample (win_probability.snapshot_deals)."""
    followed = win_probability.snapshot_deals(data)
    return 1.0 if followed is None else len(data.opportunities) / len(followed)


@dataclass(frozen=True)
class DealForecasts:
    """The expected bookings from deal probabilities of the quarter being sold into: now, and as they would have
    been given at past month ends."""

    now: ExpectedBookings | None  # on the forecast day; None without a stage history to learn from
    past: pd.DataFrame  # made_at, quarter, forecast, method (the probabilities' method that day)
    method: str  # the method the probabilities come from on the forecast day

    def now_row(self) -> dict[str, float] | None:
        """The forecast of the quarter with its range at LEVEL, as a row of the pipeline's method table."""
        if self.now is None:
            return None
        return {"forecast": self.now.total, "lower_80": self.now.low, "upper_80": self.now.high}


def deal_forecasts(
    data: SalesData,
    calendar: FiscalCalendar,
    as_of: pd.Timestamp,
    days: list[pd.Timestamp],
    calls: pd.DataFrame,
) -> DealForecasts:
    """The quarter being sold into, forecast by the deals' win probabilities on as_of (as the deal inspection gives
    it) and at each of the past days (month ends before as_of), each with only what was known then.

    At a past day: booked so far, plus each deal open that day won in the quarter with q = p × share, plus new
    business. p: the deal's probability by the method the backtest trusted that day (win_probability.backtest_on),
    learnt from the snapshots before the day; share: from the calls whose quarter had ended by the day
    (in_quarter_share). In a large company the snapshots follow a sample of the deals, and the open part is scaled
    up by all deals ÷ those followed. Days without enough history to learn from are left out.
    """
    empty = pd.DataFrame(columns=["made_at", "quarter", "forecast", "method"])
    if data.history is None or data.history.empty:
        return DealForecasts(None, empty, win_probability.HISTORICAL)
    snaps = win_probability.snapshots(data).until(as_of)
    # the origins the past days are forecast from, and before them those that choose each day's method
    first = min(days, default=as_of) - pd.DateOffset(months=SELECTING_MONTHS)
    scored = win_probability.score_origins(data, snaps, [day for day in snaps.days if first <= day < as_of])
    scale = _scale(data)
    rows = []
    for day in days:
        deals = scored[scored["origin"] == day] if not scored.empty else scored
        if deals.empty:
            continue
        quarter = calendar.quarter(day + pd.Timedelta(days=1))
        method = win_probability.backtest_on(scored, day).champion
        deals = pd.DataFrame(
            {
                "amount": deals["amount"].to_numpy(dtype=float),
                "expected_close": expected_close(day, deals["days_to_close"]).to_numpy(),
                "win_probability": deals[method].to_numpy(dtype=float),
            }
        )
        share = in_quarter_share(data, calls[calls["quarter_end"] <= day], day)
        mean = _open_part(deals, quarter, 1.0 if share is None else share)[0] * scale
        forecast = booked_between(data, quarter.start, day) + mean + new_business_in(data, quarter, day)
        rows.append({"made_at": day, "quarter": quarter.label, "forecast": forecast, "method": method})
    method = win_probability.backtest_on(scored, as_of).champion
    deals = win_probability.score_open_deals(data, as_of, method, snaps)
    deals["expected_close"] = expected_close(as_of, deals["days_to_close"])
    quarter = calendar.quarter(as_of + pd.Timedelta(days=1))
    now = expected_bookings(data, deals, quarter, as_of, calls[calls["quarter_end"] <= as_of])
    return DealForecasts(now, pd.DataFrame(rows, columns=empty.columns) if rows else empty, method)
