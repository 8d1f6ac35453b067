"""The revenue forecast's executive summary: the coming quarter's forecast against its target, how it moved since
the last run (or against the quarter before), the risk of missing the target, and the pipeline it takes."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.findings import BAD, GOOD, NEUTRAL, ExecutiveSummary, Headline, trend_headline
from salesops_helpers.analyses.forecast.outlook import Outlook
from salesops_helpers.analyses.forecast.pipeline_forecast import QuarterForecast, pipeline_needed
from salesops_helpers.analyses.forecast.series import BookingsSeries
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.formatting import day_name
from salesops_helpers.metrics.stability import relative_change

TREND_MONTHS = 12


@dataclass(frozen=True)
class QuarterOutlook:
    """One quarter ahead: the pipeline's view, its methods, the time-series forecast (None without one) and the
    bookings target (None when none is set)."""

    quarter: Period
    view: QuarterForecast
    methods: pd.DataFrame  # pipeline_forecast.method_table
    time_series: dict[str, float] | None
    target: float | None

    @property
    def forecast(self) -> float:
        """The time-series forecast of the quarter, or the pipeline's blend without one."""
        if self.time_series is not None:
            return float(self.time_series["forecast"])
        return float(self.methods.set_index("method").loc["blend", "forecast"])

    @property
    def method(self) -> str:
        """The stored method the forecast comes from: time series, or blend."""
        return "time series" if self.time_series is not None else "blend"

    @property
    def lower(self) -> float:
        """The 80% interval's low end (its 10th percentile); NaN without a time-series forecast."""
        return math.nan if self.time_series is None else float(self.time_series["lower_80"])

    @property
    def upper(self) -> float:
        """The 80% interval's high end (its 90th percentile); NaN without a time-series forecast."""
        return math.nan if self.time_series is None else float(self.time_series["upper_80"])

    @property
    def gap(self) -> float | None:
        """target − forecast: positive when the forecast falls short; None without a target."""
        return None if self.target is None else self.target - self.forecast


def target_tone(difference: object) -> str:
    """A forecast's difference from its target as a tone: good at or above it, bad below, '' without a target."""
    if not isinstance(difference, int | float) or math.isnan(difference):
        return ""
    return GOOD if difference >= 0 else BAD


def _span(quarter: Period) -> str:
    """A quarter with its months: FY2027 Q3 (Nov 2026 to Jan 2027)."""
    return f"{quarter.label} ({quarter.start:%b %Y} to {quarter.end:%b %Y})"


def standing_sentence(coming: QuarterOutlook, currency: str) -> str:
    """The coming quarter's forecast with its 80% interval (or the pipeline's view) against the target."""
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    against = "; no bookings target is set" if coming.target is None else f" against a target of {money(coming.target)}"
    booked = f", {money(coming.view.booked)} of it already booked" if coming.view.booked > 0 else ""
    if coming.time_series is None:
        return (
            f"The pipeline's view of {_span(coming.quarter)} is {money(coming.forecast)}{against}; the history is "
            "too short for a time-series forecast."
        )
    return (
        f"The forecast for {_span(coming.quarter)} is {money(coming.forecast)} (80% interval {money(coming.lower)} "
        f"to {money(coming.upper)}){against}{booked}."
    )


def earlier_forecast(store: pd.DataFrame, company: str, made_before: str, coming: QuarterOutlook) -> pd.Series | None:
    """The latest stored forecast of the coming quarter by the same method, made by a run for a period before
    made_before (YYYY-MM); None when the store holds none."""
    rows = store[
        (store["company"] == company)
        & (store["made_at"] < made_before)
        & (store["kind"] == "quarter")
        & (store["target"] == coming.quarter.label)
        & (store["method"] == coming.method)
    ]
    return None if rows.empty else rows.sort_values("made_at").iloc[-1]


def previous_quarter_bookings(
    bookings: BookingsSeries, calendar: FiscalCalendar, quarter: Period
) -> tuple[Period, float | None]:
    """The quarter before and what it booked (Σ of its months' bookings), None unless every one of its months is
    in the series after the warm-up (earlier months understate bookings)."""
    previous = calendar.quarter(quarter.start - pd.Timedelta(days=1))
    months = pd.date_range(previous.start, previous.end, freq="MS")
    if not months.isin(bookings.values.index).all():
        return previous, None
    return previous, float(bookings.values.loc[months].sum())


def _relative(now: float, before: float) -> str:
    """' (+18%)', or '' when the base is too small for a percentage change to mean anything (stability)."""
    change = relative_change(now, before)
    return "" if change is None else f" ({formatting.signed_percent(change)})"


def change_sentence(
    coming: QuarterOutlook,
    earlier: pd.Series | None,
    previous: Period,
    previous_booked: float | None,
    currency: str,
) -> str:
    """The forecast against the one an earlier run made of the same quarter when the store has it, else against
    the previous quarter's bookings; says which, or that there is nothing to compare with."""
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    now = coming.forecast
    what = "forecast" if coming.time_series is not None else "pipeline's view"
    if earlier is not None:
        before = float(earlier["forecast"])
        run = pd.Period(str(earlier["made_at"]), freq="M").strftime("%B %Y")
        if math.isclose(now, before, rel_tol=1e-9, abs_tol=0.5):
            return f"The {what} is unchanged from the {money(before)} the {run} run made for {coming.quarter.label}."
        share = _relative(now, before)
        return (
            f"The {what} is {money(abs(now - before))} {'higher' if now > before else 'lower'} than the "
            f"{money(before)} the {run} run made for {coming.quarter.label}{share}."
        )
    if previous_booked is None:
        return (
            f"Nothing to compare with yet: no earlier run forecast {coming.quarter.label}, and {previous.label} is not "
            "fully in the data."
        )
    share = _relative(now, previous_booked)
    return (
        f"No earlier run forecast {coming.quarter.label}, so against the quarter before: {money(now)} against "
        f"{money(previous_booked)} booked in {previous.label}{share}."
    )


@dataclass(frozen=True)
class RiskAndAction:
    """The biggest risk, the action it suggests, and the new pipeline that action asks for (0 when none, NaN when
    it cannot be sized, None without a target)."""

    risk: str
    action: str
    pipeline: float | None


def risk_and_action(coming: QuarterOutlook, following: QuarterOutlook | None, currency: str) -> RiskAndAction:
    """Where the target stands in the 80% interval (above it: a miss is very likely; between the forecast and its
    top: more likely than not; between its bottom and the forecast: a 10% to 50% chance; below it: under 10%, and
    the next quarter's gap is the risk if it has one), and the pipeline to create: the gap, or the gap down to the
    interval's low end, at the historical conversion of the pipeline open on the forecast date."""
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    quarter, target, gap, low, high = coming.quarter.label, coming.target, coming.gap, coming.lower, coming.upper
    on = day_name(coming.view.as_of)

    def create(risk: str, amount: float, what: str, deals: pd.DataFrame) -> RiskAndAction:
        """The risk with its action: the pipeline that brings in `amount` at the historical conversion."""
        needed = pipeline_needed(amount, deals)
        if math.isnan(needed):
            action = f"Create new pipeline {what}: no open pipeline converts yet, so how much cannot be worked out."
        else:
            action = (
                f"Create about {money(needed)} of new pipeline {what} (at the conversion of the pipeline open on {on})."
            )
        return RiskAndAction(risk, action, needed)

    if target is None or gap is None:  # None together; testing both narrows both
        risk = (
            f"Bookings could come in as low as {money(low)}, the 80% interval's low end, "
            f"{money(coming.forecast - low)} below the forecast."
            if coming.time_series is not None
            else "The forecast rests on the pipeline alone: the history is too short to measure its accuracy."
        )
        action = "Set a bookings target (kpi_targets.bookings in the configuration) to hold the forecast against."
        return RiskAndAction(risk, action, None)
    closes_gap = f"to close the {money(gap)} gap" if gap > 0 else ""
    enough = f"No extra pipeline is needed for {quarter}; keep its deals moving."
    if coming.time_series is None:
        if gap > 0:
            return create(
                f"The pipeline's view falls {money(gap)} short of the {quarter} target.",
                gap,
                closes_gap,
                coming.view.open_deals,
            )
        risk = (
            f"The pipeline's view is {money(-gap)} above the {quarter} target, but with too little history its "
            "accuracy is unmeasured."
        )
        return RiskAndAction(risk, enough, 0.0)
    if target > high:
        risk = (
            f"Even the top of the 80% interval, {money(high)}, is below the {quarter} target: a miss of about "
            f"{money(gap)} is very likely."
        )
        return create(risk, gap, closes_gap, coming.view.open_deals)
    if gap > 0:
        risk = (
            f"The forecast falls {money(gap)} short of the {quarter} target, in the upper half of the 80% interval: "
            "a miss is more likely than not."
        )
        return create(risk, gap, closes_gap, coming.view.open_deals)
    if target >= low:
        risk = (
            f"The forecast is {money(-gap)} above the {quarter} target, but the 80% interval reaches down to "
            f"{money(low)}: a 10% to 50% chance of missing it."
        )
        return create(
            risk, target - low, "so that even the interval's low end reaches the target", coming.view.open_deals
        )
    if following is not None and following.gap is not None and following.gap > 0:
        label = following.quarter.label
        risk = (
            f"{quarter} is on course (its target lies below the 80% interval), but the {label} forecast falls "
            f"{money(following.gap)} short of its target."
        )
        return create(risk, following.gap, f"for {label} to close its gap", following.view.open_deals)
    return RiskAndAction(
        f"The {quarter} target lies below the 80% interval: under a 10% chance of missing it.", enough, 0.0
    )


def _forecast_headline(coming: QuarterOutlook, earlier: pd.Series | None, currency: str) -> Headline:
    """The coming quarter's forecast as a key figure: its interval, its change on the earlier run's, and whether it
    meets the target."""
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    ready = coming.time_series is not None
    text = (
        f"{money(coming.forecast)} ({money(coming.lower)}–{money(coming.upper)})" if ready else money(coming.forecast)
    )
    change = ""
    if earlier is not None:
        run = pd.Period(str(earlier["made_at"]), freq="M").strftime("%b %Y")
        change = f"{formatting.change(coming.forecast - float(earlier['forecast']), 'currency', currency)} vs {run} run"
    status = NEUTRAL if coming.gap is None else GOOD if coming.gap <= 0 else BAD
    label = f"Forecast, {coming.quarter.label}" if ready else f"Pipeline's view, {coming.quarter.label}"
    return Headline("forecast_next_quarter", label, coming.forecast, text, change=change, status=status)


def forecast_summary(
    coming: QuarterOutlook,
    following: QuarterOutlook | None,
    outlook: Outlook,
    bookings: BookingsSeries,
    calendar: FiscalCalendar,
    store: pd.DataFrame,
    company: str,
    period_label: str,
    monthly_target: float | None,
    currency: str,
) -> ExecutiveSummary:
    """The forecast report's summary: the coming quarter against its target, its change on the last run's forecast
    (or the quarter before), the risk of missing the target and the pipeline to create; key figures: the forecast,
    the gap, the month's bookings with their trend, the pipeline to create (the model and its MASE recorded)."""
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    earlier = earlier_forecast(store, company, period_label, coming)
    previous, previous_booked = previous_quarter_bookings(bookings, calendar, coming.quarter)
    risk = risk_and_action(coming, following, currency)
    gap, needed = coming.gap, risk.pipeline
    monthly = bookings.all_months.tail(TREND_MONTHS)
    monthly.index = [f"{month:%Y-%m}" for month in monthly.index]
    best = outlook.accuracy.iloc[0] if outlook.ready and outlook.accuracy is not None else None
    figures = [
        _forecast_headline(coming, earlier, currency),
        Headline(
            "gap_to_target",
            f"Gap to the {coming.quarter.label} target",
            gap,
            "–" if gap is None else f"{money(gap)} short" if gap > 0 else f"{money(-gap)} above",
            status=NEUTRAL if gap is None else BAD if gap > 0 else GOOD,
        ),
        # the KPI report's bookings card already stands on the index's dashboard
        replace(
            trend_headline(
                "monthly_bookings",
                f"Bookings, {bookings.all_months.index[-1]:%B %Y}",
                monthly,
                money,
                lambda value: formatting.change(value, "currency", currency),
                better="up",
                target=monthly_target,
            ),
            dashboard=False,
        ),
        Headline(
            "pipeline_needed",
            "New pipeline to create",
            needed,
            "–" if needed is None or math.isnan(needed) else money(needed) if needed > 0 else "none needed",
            status=BAD if gap is not None and gap > 0 else GOOD if needed == 0 else NEUTRAL,
        ),
    ]
    recorded = [
        Headline(
            "model",
            "Forecast model",
            outlook.default or "",
            outlook.default or "none (too little history)",
            dashboard=False,
        ),
        Headline(
            "mase",
            "Its MASE (backtest)",
            None if best is None else float(best["mase"]),
            "–" if best is None else f"{best['mase']:.2f}",
            dashboard=False,
        ),
    ]
    return ExecutiveSummary(
        standing=standing_sentence(coming, currency),
        change=change_sentence(coming, earlier, previous, previous_booked, currency),
        risk=risk.risk,
        action=risk.action,
        figures=figures,
        recorded=recorded,
    )
