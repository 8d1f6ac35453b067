"""Target-setting arithmetic: what a revenue goal requires in won deals, pipeline and rep capacity."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table
from salesops_helpers.metrics.ramp import ESTABLISHED_AFTER, ramp_curve, rep_months
from salesops_helpers.metrics.stability import caveats

AVERAGE_DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class RampCurve:
    """What the plan counts a rep for by tenure month: the ramp curve on bookings (metrics.ramp), capped at 1, as a
    share of an established rep's mean monthly bookings."""

    shares: dict[int, float]  # tenure month (1-12) -> share of an established rep's bookings, where the curve has one
    ramped_monthly_bookings: float  # mean bookings of established rep-months (tenure past 12) up to the baseline's end
    rep_months: int  # new hires' rep-months behind the shares

    def share(self, tenure_month: int) -> float:
        """Share of an established rep's bookings in a tenure month (month 1 is the hire month); 1 without a share."""
        return self.shares.get(tenure_month, 1.0)


def capacity_ramp(data: SalesData, calendar: FiscalCalendar, baseline: Period) -> RampCurve:
    """The ramp curve on bookings over the rep-months from the data's first month to the baseline's end, each share
    capped at 1, with the mean monthly bookings of established rep-months as the full share."""
    seen = calendar.months_between(data.opportunities["created_date"].min(), baseline.end)
    if not seen:  # the data starts after the baseline: nothing to measure by
        return RampCurve({}, float("nan"), 0)
    months = rep_months(data, seen)
    curve = ramp_curve(months, "bookings").dropna(subset=["relative"])
    established = months.loc[(months["tenure_month"] > ESTABLISHED_AFTER).fillna(False), "bookings"]
    base = float(established.mean()) if len(established) else float("nan")
    shares = {int(m): min(float(share), 1.0) for m, share in zip(curve["tenure_month"], curve["relative"], strict=True)}
    return RampCurve(shares, base, int(curve["reps"].sum()))


@dataclass(frozen=True)
class Plan:
    """What is left of a bookings goal requires, step by step, from the baseline's win rate, deal size and cycle."""

    goal: float
    booked: float  # booked in the goal's period up to as_of
    remaining: float  # goal minus booked, at least 0
    months_left: int  # whole months of the goal's period after as_of's month
    period: Period
    baseline: Period
    steps: pd.DataFrame  # step, value, unit, how
    capacity: float  # bookings the current team can make in the months left, with ramp
    quotas_set: float  # quotas set for the months left (nan when there are none)
    ramp: RampCurve
    unsized: str = ""  # why the baseline cannot size the deals and pipeline the goal takes ("" when it can)

    @property
    def sized(self) -> bool:
        """Whether the baseline sizes the deals and pipeline the goal takes."""
        return not self.unsized

    @property
    def capacity_known(self) -> bool:
        """Whether the data holds ramped rep-months to measure capacity by."""
        return not math.isnan(self.capacity)

    def step(self, name: str) -> float:
        """The value of the step called `name` in the steps table (its `step` column), e.g. "Deals to win"."""
        values = self.steps.set_index("step")["value"]
        if name not in values.index:
            raise KeyError(f"the plan has no step {name!r}; its steps are {', '.join(values.index)}")
        return float(values[name])


def _divide(numerator: float, denominator: float) -> float:
    """numerator / denominator, or nan when the denominator is 0 or missing."""
    return numerator / denominator if denominator and not math.isnan(denominator) else float("nan")


def revenue_plan(data: SalesData, goal: float, period: Period, calendar: FiscalCalendar, as_of: pd.Timestamp) -> Plan:
    """What the rest of a bookings goal for `period` needs after as_of: won deals, pipeline, monthly pipeline
    creation and rep capacity, through the trailing twelve months to as_of."""
    baseline = calendar.trailing_twelve_months(as_of)
    base = kpi_table(data, baseline).values.iloc[0]
    so_far = Period(period.kind, period.start, min(period.end, as_of), period.label)
    booked = (
        float(kpi_table(data, so_far, metrics=["bookings"]).values["bookings"].iloc[0])
        if as_of >= period.start
        else 0.0
    )
    remaining = max(goal - booked, 0.0)
    first_left = max(period.start, (as_of + pd.Timedelta(days=1)).to_period("M").start_time)
    left = Period(period.kind, first_left, period.end, period.label)
    months_left = max(left.months, 0) if first_left <= period.end else 0
    won_needed = _divide(remaining, base["avg_deal_size"])
    decided_needed = _divide(won_needed, base["win_rate"])
    pipeline_needed = _divide(remaining, base["win_rate_value"])
    lead_months = base["sales_cycle_days"] / AVERAGE_DAYS_PER_MONTH
    ramp = capacity_ramp(data, calendar, baseline)
    capacity, active = _capacity(data, left, months_left, ramp, as_of)
    ramped_year = ramp.ramped_monthly_bookings * max(months_left, 1)
    quotas = data.quotas
    quotas_set = (
        float(quotas.loc[left.contains(quotas["period_start"]), "quota"].sum(min_count=1))
        if quotas is not None and months_left
        else float("nan")
    )
    steps = pd.DataFrame(
        [
            ("Booked so far", booked, "currency", f"bookings from {period.start:%Y-%m-%d} to {as_of:%Y-%m-%d}"),
            ("Left to book", remaining, "currency", f"goal − booked so far, over the {months_left} months left"),
            ("Deals to win", won_needed, "count", f"left to book ÷ average deal size ({base['avg_deal_size']:,.0f})"),
            (
                "Deals to close, won or lost",
                decided_needed,
                "count",
                f"deals to win ÷ win rate ({base['win_rate']:.1%})",
            ),
            (
                "Pipeline to work",
                pipeline_needed,
                "currency",
                f"left to book ÷ win rate by value ({base['win_rate_value']:.1%})",
            ),
            (
                "Pipeline to create each month",
                _divide(pipeline_needed, months_left),
                "currency",
                f"pipeline ÷ {months_left} months, created about {lead_months:.1f} months (the median cycle) ahead",
            ),
            ("Active reps now", active, "count", f"reps hired by {as_of:%Y-%m-%d} and not gone"),
            (
                "Capacity of the current team",
                capacity,
                "currency",
                "each rep's months left × ramp share × ramped bookings",
            ),
            (
                "Ramped reps to add",
                _divide(max(remaining - capacity, 0.0), ramped_year) if not math.isnan(capacity) else float("nan"),
                "reps",
                "shortfall of capacity ÷ what a ramped rep books in the months left (new hires need more: they ramp)",
            ),
            ("Quotas set for the months left", quotas_set, "currency", "sum of the quotas table over those months"),
        ],
        columns=["step", "value", "unit", "how"],
    )
    unsized = _unsized(base.to_dict())
    return Plan(goal, booked, remaining, months_left, period, baseline, steps, capacity, quotas_set, ramp, unsized)


def _unsized(base: dict[str, float]) -> str:
    """Why a baseline's KPIs cannot size deals and pipeline: no won deal, won deals of no amount, or a deal size or
    win rate too unstable to state (stability.caveats); "" when they can."""
    if not base["won_deals"] > 0:
        return "no deal was won"
    if not base["bookings"] > 0:
        return "the deals won carry no amount"
    unstable = caveats(base)
    return next((unstable[key] for key in ("avg_deal_size", "win_rate", "win_rate_value") if key in unstable), "")


def _capacity(
    data: SalesData, left: Period, months_left: int, ramp: RampCurve, as_of: pd.Timestamp
) -> tuple[float, int]:
    """Bookings the reps employed on as_of can make in the months left, each month weighted by their ramp share."""
    reps = data.reps
    hired = reps["hire_date"].isna() | (reps["hire_date"] <= as_of)
    active = reps[hired & (reps["end_date"].isna() | (reps["end_date"] > as_of))]
    if math.isnan(ramp.ramped_monthly_bookings) or months_left == 0:
        return (float("nan") if months_left else 0.0), len(active)
    months = pd.period_range(left.start.to_period("M"), left.end.to_period("M"), freq="M")
    total = 0.0
    for hire_date in active["hire_date"]:
        for month in months:
            tenure = ESTABLISHED_AFTER + 1 if pd.isna(hire_date) else (month - hire_date.to_period("M")).n + 1
            total += ramp.share(tenure) if tenure >= 1 else 0.0
    return total * ramp.ramped_monthly_bookings, len(active)
