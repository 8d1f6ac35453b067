"""Pipeline-based forecasts of a fiscal quarter's bookings: stage-weighted (configured or historical
probabilities), run-rate, and a blend, to set beside the time-series forecast.

Every method counts what is already booked in the quarter by the forecast date, plus its estimate of the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from salesops_helpers.analyses.forecast import accuracy
from salesops_helpers.analyses.forecast.backtest import default_model
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table
from salesops_helpers.metrics.deal_state import open_deals_at

# Stage probabilities are estimated from deals open at up to this many month ends before the forecast date.
SNAPSHOTS = 24
# A stage's estimate is pulled toward its configured probability as if that had been seen in this many deals.
PRIOR_DEALS = 10
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class QuarterForecast:
    """The pipeline view of one quarter on the forecast date."""

    quarter: Period
    as_of: pd.Timestamp
    booked: float  # bookings in the quarter up to the forecast date
    months_left: list[pd.Timestamp]  # month starts of the quarter after the forecast date
    horizons: list[int]  # those months' horizons (1 = the month after the forecast date)
    open_deals: pd.DataFrame  # deals open on the forecast date, in_quarter (by close date), configured, historical
    new_business: float  # expected bookings from deals not yet created (run-rate × share of new deals)
    run_rate_month: float  # mean monthly bookings over the twelve months to the forecast date


def quarters_ahead(calendar: FiscalCalendar, as_of: pd.Timestamp) -> list[Period]:
    """The quarter of the day after the forecast date (the quarter being sold into) and the one after it."""
    first = calendar.quarter(as_of + pd.Timedelta(days=1))
    return [first, calendar.quarter(first.end + pd.Timedelta(days=1))]


def booked_between(data: SalesData, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Bookings (the metric layer's) from start to end, both included; 0 when end is before start."""
    if end < start:
        return 0.0
    period = Period("quarter", start, end, f"{start:%Y-%m-%d} to {end:%Y-%m-%d}")
    value = kpi_table(data, period, metrics=["bookings"]).values["bookings"].iloc[0]
    return 0.0 if pd.isna(value) else float(value)


def snapshots(data: SalesData, as_of: pd.Timestamp, months: int = SNAPSHOTS + 6) -> dict[pd.Timestamp, pd.DataFrame]:
    """The deals open (opportunity_id, stage) at each of the month ends before as_of, newest first, up to `months`
    of them; none without stage history (a past day's stage is then unknown)."""
    if data.history is None or data.history.empty:
        return {}
    first = data.opportunities["created_date"].min()
    ends = [day for day in pd.date_range(end=as_of - pd.Timedelta(days=1), periods=months, freq="ME") if day >= first]
    return {
        day: open_deals_at(data, day)[["opportunity_id", "stage", "amount"]].dropna(subset=["stage"])
        for day in reversed(ends)
    }


def stage_probabilities(
    data: SalesData, seen: dict[pd.Timestamp, pd.DataFrame], as_of: pd.Timestamp, quarter: Period
) -> pd.DataFrame:
    """P(won in the quarter's window | stage), by value: the share of the amount open at past month ends that was
    won as many days later as the quarter lies after the forecast date, by the stage each deal was in then.

    The window of a month end d runs from d + (quarter start − as_of) to d + (quarter end − as_of); only month ends
    whose window had passed by as_of count (the SNAPSHOTS latest), so every outcome is known and deals left open
    count as not won. raw = Σ amount won in the window ÷ Σ amount open (amounts as they stood at the month end);
    probability = (Σ won + 10 × m × configured) ÷ (Σ open + 10 × m), m the stage's mean open amount: a stage seen in
    few deals stays near its configured probability. Columns: stage, configured, observed (deal-month ends seen),
    raw, probability.
    """
    configured = data.config.stage_probability()
    opps = data.opportunities.set_index("opportunity_id")
    won_on = opps.loc[opps["outcome"] == "won", "close_date"]
    begin, finish = quarter.start - as_of, quarter.end - as_of
    pairs: list[pd.DataFrame] = []
    for day, state in seen.items():
        if day + finish > as_of or len(pairs) >= SNAPSHOTS:
            continue
        closed = state["opportunity_id"].map(won_on)
        won = (closed >= day + begin) & (closed <= day + finish)
        amount = state["amount"].fillna(0.0).to_numpy(dtype=float)
        pairs.append(pd.DataFrame({"stage": state["stage"].to_numpy(), "amount": amount, "won": amount * won}))
    frame = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame({"stage": [], "amount": [], "won": []})
    sums = frame.groupby("stage").agg(observed=("amount", "size"), amount=("amount", "sum"), won=("won", "sum"))
    rows = []
    for stage in data.config.open_stages:
        observed = int(sums["observed"].get(stage, 0))
        amount, won = float(sums["amount"].get(stage, 0.0)), float(sums["won"].get(stage, 0.0))
        mean = amount / observed if observed else 0.0  # the prior's deals are of the stage's mean size
        rows.append(
            {
                "stage": stage,
                "configured": configured[stage],
                "observed": observed,
                "raw": won / amount if amount > 0 else np.nan,
                "probability": (won + PRIOR_DEALS * mean * configured[stage]) / (amount + PRIOR_DEALS * mean)
                if amount > 0
                else configured[stage],
            }
        )
    return pd.DataFrame(rows)


def new_deal_share(data: SalesData, as_of: pd.Timestamp, months_ahead: int) -> float:
    """Share of the last twelve months' bookings from deals whose sales cycle was shorter than the time from the
    forecast date to the middle of the month `months_ahead` months later: what a month that far ahead books from
    deals not yet created on the forecast date."""
    opps = data.opportunities
    won = opps[(opps["outcome"] == "won") & (opps["close_date"] > as_of - pd.DateOffset(years=1))]
    won = won[won["close_date"] <= as_of]
    total = float(won["amount"].fillna(0).sum())
    if total <= 0:
        return 0.0
    cycle = (won["close_date"] - won["created_date"]).dt.days
    return float(won.loc[cycle < (months_ahead - 0.5) * DAYS_PER_MONTH, "amount"].fillna(0).sum()) / total


def months_ahead(quarter: Period, as_of: pd.Timestamp) -> tuple[list[pd.Timestamp], list[int]]:
    """The quarter's months that start after as_of (their first days), and how many months after as_of's month
    each is."""
    months_left = [m for m in pd.date_range(quarter.start, quarter.end, freq="MS") if m > as_of]
    origin = as_of.to_period("M")
    return months_left, [(m.to_period("M") - origin).n for m in months_left]


def new_business(data: SalesData, as_of: pd.Timestamp, horizons: list[int], run_rate: float) -> float:
    """What deals not yet created on as_of usually book in the months `horizons` ahead: for each, the monthly
    run_rate × the share of bookings from deals whose cycle is shorter than the time to that month's middle."""
    return sum(run_rate * new_deal_share(data, as_of, h) for h in horizons)


def quarter_forecast(
    data: SalesData,
    quarter: Period,
    as_of: pd.Timestamp,
    probabilities: pd.DataFrame,
    monthly_bookings: pd.Series,
    first: bool,
) -> QuarterForecast:
    """The pipeline view of a quarter on the forecast date: booked so far, run-rate, expected new business, and
    every open deal with two weights: its configured stage probability when its close date lies in the quarter
    (for the first quarter also when it has passed: the deal is still open), else 0; and its stage's historical
    probability of being won in the quarter's window, whatever its close date says.

    monthly_bookings: every month's bookings up to the forecast date's month (index month start).
    """
    booked = booked_between(data, quarter.start, as_of)
    months_left, horizons = months_ahead(quarter, as_of)
    deals = open_deals_at(data, as_of).copy()
    deals["amount"] = deals["amount"].fillna(0.0)
    due = (deals["close_date"] <= quarter.end) & ((deals["close_date"] >= quarter.start) | first)
    deals["in_quarter"] = due
    table = probabilities.set_index("stage")
    deals["configured"] = deals["stage"].map(table["configured"]).astype(float).fillna(0.0).where(due, 0.0)
    deals["historical"] = deals["stage"].map(table["probability"]).astype(float).fillna(0.0)
    last_year = monthly_bookings[monthly_bookings.index > as_of - pd.DateOffset(years=1)]
    run_rate = float(last_year.mean()) if len(last_year) else 0.0
    new = new_business(data, as_of, horizons, run_rate)
    return QuarterForecast(quarter, as_of, booked, months_left, horizons, deals, new, run_rate)


def weighted(deals: pd.DataFrame, column: str, level: float = 0.8) -> tuple[float, float, float]:
    """Σ amount × p, and its interval at level if deals close independently: Σ amount² × p × (1 − p) is the
    variance. Returns (value, lower, upper)."""
    p = deals[column].to_numpy(dtype=float)
    amount = deals["amount"].to_numpy(dtype=float)
    value = float(np.sum(amount * p))
    spread = float(np.sqrt(np.sum(amount**2 * p * (1 - p)))) * norm.ppf(0.5 + level / 2)
    return value, max(value - spread, 0.0), value + spread


DEAL_PROBABILITIES = "expected bookings, deal probabilities"
BLENDED = ("stage-weighted, historical probabilities", "time series", DEAL_PROBABILITIES)


def method_table(
    view: QuarterForecast,
    time_series: dict[str, float] | None,
    weights: dict[str, float] | None = None,
    deals: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Each method's forecast of the quarter with its 80% range where it has one (95% for the time series).

    time_series: the time-series forecast of the quarter (booked included) with its calibrated bounds; deals: the
    expected bookings from the deals' own win probabilities (deals.expected) with its 80% range, where known.
    Methods: stage-weighted with configured probabilities, stage-weighted with historical probabilities (both
    booked + weighted open deals + expected new business), run-rate (booked + months left × mean monthly bookings
    of the last twelve months), time series, deal probabilities, and the blend: Σ weight × forecast over the
    BLENDED methods present (weights from blend_weights, normalised over those present; equal without them).
    """
    rows: list[dict[str, str | float]] = []
    base = view.booked + view.new_business
    for column, name in (
        ("configured", "stage-weighted, configured probabilities"),
        ("historical", "stage-weighted, historical probabilities"),
    ):
        value, lower, upper = weighted(view.open_deals, column)
        rows.append({"method": name, "forecast": base + value, "lower_80": base + lower, "upper_80": base + upper})
    rows.append({"method": "run-rate", "forecast": view.booked + len(view.months_left) * view.run_rate_month})
    if time_series is not None:
        rows.append({"method": "time series"} | {k: v for k, v in time_series.items() if k != "scores"})
    if deals is not None:
        rows.append({"method": DEAL_PROBABILITIES} | deals)
    found = {str(row["method"]): float(row["forecast"]) for row in rows if row["method"] in BLENDED}
    if weights is not None and not set(found) <= set(weights):
        weights = None  # weighed without one of these methods: count them equally
    share = {name: (weights or {}).get(name, 1.0) for name in found}
    total = sum(share.values())
    blend = sum(found[name] * share[name] / total for name in found) if total > 0 else np.mean(list(found.values()))
    rows.append({"method": "blend", "forecast": float(blend)})
    return pd.DataFrame(rows, columns=["method", "forecast", "lower_80", "upper_80", "lower_95", "upper_95"])


def blend_weights(checked: pd.DataFrame, min_quarters: int = 3) -> dict[str, float] | None:
    """Weights of the blended methods present in the checked forecasts (columns method, quarter, forecast, actual;
    one row per month end and method), each 1 ÷ its mean squared error, normalised to sum to 1; None (equal
    weights) when fewer than two are present or one has forecast fewer than min_quarters distinct quarters."""
    rows = checked[checked["method"].isin(BLENDED)]
    errors = rows.assign(squared=(rows["forecast"] - rows["actual"]) ** 2).groupby("method")
    if len(errors) < 2 or errors["quarter"].nunique().min() < min_quarters:
        return None
    inverse = 1 / errors["squared"].mean().clip(lower=1e-9)
    return (inverse / inverse.sum()).to_dict()


STAGE_METHODS = ("stage-weighted, configured probabilities", "stage-weighted, historical probabilities")


def default_model_by(rows: pd.DataFrame, day: pd.Timestamp) -> str | None:
    """The default model as it stood on day (backtest.default_model), from the time-series backtest rows (columns
    model, month, forecast, actual, scale) whose target month had ended by day (month end ≤ day), by the rule of
    backtest.default_model on their pooled MASE; None when no row is known yet."""
    known = rows[rows["actual"].notna() & (rows["month"] + pd.offsets.MonthEnd(0) <= day)]
    scores = {
        name: accuracy.mase(group["forecast"], group["actual"], group["scale"])
        for name, group in known.groupby("model", sort=False)
    }
    scores = {name: value for name, value in scores.items() if np.isfinite(value)}
    if not scores:
        return None
    return default_model(pd.DataFrame({"model": list(scores), "mase": list(scores.values())}))


def backtest_days(data: SalesData, calendar: FiscalCalendar, as_of: pd.Timestamp, origins: int = 18) -> list:
    """The month ends the pipeline backtest forecasts from: those among the last origins + 4 whose coming quarter
    had ended by as_of, from the first deal's creation on (the last `origins` of them are reported; the earlier
    ones only weigh the blend)."""
    first = data.opportunities["created_date"].min()
    days = [day for day in pd.date_range(end=as_of, periods=origins + 4, freq="ME") if day <= as_of]
    return [day for day in days if quarters_ahead(calendar, day)[0].end <= as_of and day >= first]


def pipeline_backtest(
    data: SalesData,
    calendar: FiscalCalendar,
    as_of: pd.Timestamp,
    monthly_bookings: pd.Series,
    backtest_rows: pd.DataFrame | None,
    origins: int = 18,
    deal_forecasts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each method's forecast of the coming quarter made at each of the last month ends whose coming quarter had
    ended by as_of, with only what was known then, against what the quarter booked:

    - stage probabilities from windows that had passed, bookings up to that day;
    - the time series: the forecast from that origin of the backtest (backtest_rows: every model's rows) by the
      default model as it stood that day, from the backtest rows whose target month had ended by then
      (default_model_by); none before any is known;
    - the expected bookings from deal probabilities (deal_forecasts: made_at, forecast; deals.expected.past_expected)
      where given for that day;
    - the blend's weights from the earlier month ends whose quarter had ended by that day.

    Without stage history the stage-weighted methods and the blend are left out: a past day's stages are unknown.
    Columns: made_at, quarter, method, forecast, actual.
    """
    staged = data.history is not None and not data.history.empty
    seen_all = snapshots(data, as_of, SNAPSHOTS + origins + 12)
    by_deals = deal_forecasts.set_index("made_at")["forecast"] if deal_forecasts is not None else pd.Series()
    rows: list[pd.DataFrame] = []
    for day in backtest_days(data, calendar, as_of, origins):
        quarter = quarters_ahead(calendar, day)[0]
        seen = {snap: state for snap, state in seen_all.items() if snap < day}
        probabilities = stage_probabilities(data, seen, day, quarter)
        view = quarter_forecast(
            data, quarter, day, probabilities, monthly_bookings[monthly_bookings.index <= day], True
        )
        series = None
        if backtest_rows is not None and (model := default_model_by(backtest_rows, day)) is not None:
            made = backtest_rows[
                (backtest_rows["model"] == model)
                & (backtest_rows["origin"] == day.to_period("M").start_time)
                & backtest_rows["horizon"].isin(view.horizons)
            ]
            if len(made) == len(view.horizons):
                series = {"forecast": view.booked + float(made["forecast"].sum())}
        known = [frame for frame in rows if frame["quarter_end"].iloc[0] <= day]
        earlier = (
            pd.concat(known, ignore_index=True)
            if known
            else pd.DataFrame(columns=["method", "quarter", "forecast", "actual"])
        )
        deals = {"forecast": float(by_deals[day])} if day in by_deals.index else None
        table = method_table(view, series, blend_weights(earlier), deals)
        if not staged:
            table = table[~table["method"].isin([*STAGE_METHODS, "blend"])]
        actual = float(
            monthly_bookings[(monthly_bookings.index >= quarter.start) & (monthly_bookings.index <= quarter.end)].sum()
        )
        rows.append(
            table[["method", "forecast"]].assign(
                made_at=day, quarter=quarter.label, quarter_end=quarter.end, actual=actual
            )
        )
    if not rows:
        return pd.DataFrame(columns=["made_at", "quarter", "method", "forecast", "actual"])
    checked = pd.concat(rows[-origins:], ignore_index=True)
    return checked[["made_at", "quarter", "method", "forecast", "actual"]]


def pipeline_accuracy(checked: pd.DataFrame) -> pd.DataFrame:
    """Per method: month ends checked (each a forecast of the quarter then coming), WAPE (Σ|forecast − actual| ÷
    Σ actual) and bias (Σ(forecast − actual) ÷ Σ actual) of its quarter forecasts in the pipeline backtest; best
    WAPE first."""
    rows = []
    for method, group in checked.groupby("method", sort=False):
        total = group["actual"].sum()
        error = group["forecast"] - group["actual"]
        rows.append(
            {
                "method": method,
                "month_ends": len(group),
                "wape": error.abs().sum() / total if total else np.nan,
                "bias": error.sum() / total if total else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["method", "month_ends", "wape", "bias"]).sort_values("wape", kind="stable")


def pipeline_needed(gap: float, deals: pd.DataFrame) -> float:
    """Pipeline that would close the gap at the historical conversion of the pipeline open on the forecast date:
    gap ÷ (Σ amount × historical p ÷ Σ amount), summed over deals (every deal open that day, whatever its close
    date, each with its stage's historical probability of being won in the quarter); 0 when there is no gap, NaN
    without open pipeline or when none of it is expected to convert."""
    if gap <= 0:
        return 0.0
    amount = float(deals["amount"].sum())
    converted = float((deals["amount"] * deals["historical"]).sum())
    return gap / (converted / amount) if amount > 0 and converted > 0 else float("nan")
