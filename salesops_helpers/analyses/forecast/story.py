"""The sentences and chart titles of the revenue forecast (notebook 04), written from its computed figures: every
number in them is computed, and each says what the figures show, or why there are none."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.forecast.backtest import CLEARLY_BETTER
from salesops_helpers.analyses.forecast.intervals import COVERAGE_AIM_80, coverage_tone
from salesops_helpers.analyses.forecast.models import COMBINATION, COMBINED, fourier_order
from salesops_helpers.analyses.forecast.outlook import MOST_MODELLED_GROUPS, Outlook
from salesops_helpers.analyses.forecast.pipeline_forecast import (
    BLENDED,
    DEAL_PROBABILITIES,
    PRIOR_DEALS,
    SNAPSHOTS,
    STAGE_METHODS,
)
from salesops_helpers.analyses.forecast.series import BookingsSeries
from salesops_helpers.analyses.forecast.summary import QuarterOutlook
from salesops_helpers.formatting import plural

SEASONAL_NAIVE = "seasonal naive"
CONFIGURED = STAGE_METHODS[0]  # stage-weighted, configured probabilities
HISTORICAL = BLENDED[0]  # stage-weighted, historical probabilities


def month_under_way(data_as_of: pd.Timestamp, forecast_day: pd.Timestamp, period_end: pd.Timestamp) -> str:
    """That the report's month is not over, so the forecast is made at the end of the month before; '' when the
    forecast is made at the end of the report's month."""
    if forecast_day >= period_end:
        return ""
    return (
        f"The data runs to {data_as_of:%d %B %Y}; {data_as_of:%B %Y} is not over, so the forecast is made at the end "
        f"of {forecast_day:%B %Y}, the last complete month, and {data_as_of:%B %Y} is forecast whole."
    )


def series_span(bookings: BookingsSeries, data_begins: pd.Timestamp) -> str:
    """The months the models learn from, and the warm-up months left out before them and why."""
    values, warm = bookings.values, bookings.warm_up
    if len(values):
        span = (
            f"The series runs from {values.index[0]:%B %Y} to {values.index[-1]:%B %Y}, "
            f"{plural(len(values), 'month')}. "
        )
    else:
        span = "No month of the data lies after the warm-up. "
    if not len(warm):
        return span
    return span + (
        f"The {plural(len(warm), 'month')} before it ({warm.index[0]:%B %Y} to {warm.index[-1]:%B %Y}) "
        f"{'is' if len(warm) == 1 else 'are'} left out: 90% of won deals close within "
        f"{formatting.days(bookings.warm_up_days)} of their creation, and the data begins on {data_begins:%d %B %Y}."
    )


def teams_title(team_months: pd.DataFrame, currency: str) -> str:
    """The team chart's finding: the team that booked the most over the last twelve months (team_months: a column
    per team, a row per month), and how much."""
    totals = team_months.tail(12).sum()
    leader = totals.idxmax()
    return (
        f"{leader} booked the most of the teams over the last twelve months "
        f"({formatting.money(totals[leader], currency)})"
    )


def team_forecast_note(model: str | None, quarter_label: str, teams: pd.DataFrame | None = None) -> str:
    """What the team table shows (teams: outlook.group_forecasts): each team's series forecast by the default
    model, or with more than MOST_MODELLED_GROUPS teams the company's forecast split by their shares; '' without a
    default model (no team is forecast)."""
    if model is None:
        return ""
    count = 0 if teams is None else len(teams)
    if count > MOST_MODELLED_GROUPS:
        return (
            f"The company's forecast by the {model} model, its default, for {quarter_label}, split among the "
            f"{count:,} teams by each one's share of the last twelve months' bookings: so many teams' own series "
            "are too short and noisy to forecast one by one. A team's figure is a guide to where the quarter's "
            "bookings come from, not a forecast of the team."
        )
    return (
        f"Each team's own series forecast by the {model} model, the company's default, for {quarter_label}. "
        "Each team's accuracy is not backtested: its figure is a guide to where the quarter's bookings come from."
    )


def model_choice(outlook: Outlook, months: int) -> str:
    """The default model's pooled MASE against the best single model and repeating last year, its WAPE and bias,
    Prophet's score and interval coverage, and how the combination, ARIMA and Prophet are set up for a series of
    this many months; without a backtest, why there is none."""
    if not outlook.ready:
        return f"{outlook.reason[:1].upper()}{outlook.reason[1:]}."
    ranked, backtest = outlook.accuracy, outlook.backtest
    assert ranked is not None and backtest is not None  # a ready outlook has both
    by_model = ranked.set_index("model")
    default = by_model.loc[outlook.default]
    single = ranked[~ranked["model"].isin([outlook.default, COMBINATION])].iloc[0]
    origins = backtest.origins
    if outlook.default != COMBINATION and COMBINATION in by_model.index:
        choice = (
            f"the {outlook.default} model scored a pooled MASE of {default['mase']:.2f}, more than "
            f"{formatting.percent(CLEARLY_BETTER)} below the combination's {by_model.loc[COMBINATION, 'mase']:.2f}, "
            f"and so is the default model; {single['model']} comes next at {single['mase']:.2f}"
        )
    elif outlook.default != COMBINATION:
        choice = (
            f"the {outlook.default} model has the lowest pooled MASE, {default['mase']:.2f}, and is the default; "
            f"{single['model']} comes next at {single['mase']:.2f}"
        )
    elif single["mase"] < default["mase"]:
        choice = (
            f"{single['model']} alone scored lower, {single['mase']:.2f}, than the combination, "
            f"{default['mase']:.2f}; the combination stays the default model, as choosing the lowest backtest error "
            f"forecast less well than combining on public series unless it was more than "
            f"{formatting.percent(CLEARLY_BETTER)} lower"
        )
    else:
        choice = (
            f"the combination, the default model, has a pooled MASE of {default['mase']:.2f}; the best single "
            f"model, {single['model']}, scores {single['mase']:.2f}"
        )
    if single["model"] != SEASONAL_NAIVE:
        choice += f", and repeating last year (seasonal naive) {by_model.loc[SEASONAL_NAIVE, 'mase']:.2f}"
    said = single["model"] == "Prophet" or outlook.default == "Prophet"
    prophet = "Prophet's " if said else f"Prophet alone scores {by_model.loc['Prophet', 'mase']:.2f}, and its "
    return (
        f"Over {outlook.origins} origins ({origins[0]:%B %Y} to {origins[-1]:%B %Y}) and horizons 1 to "
        f"{outlook.horizon} months, {choice}. The default model's WAPE is {formatting.percent(default['wape'])} "
        f"and its bias {default['bias'] * 100:+.1f}%. {prophet}own 80% intervals held "
        f"{formatting.percent(by_model.loc['Prophet', 'coverage_80'])} of the months. The combination is the mean "
        f"of {', '.join(COMBINED[:-1])} and {COMBINED[-1]}; ARIMA is the airline model "
        "(seasonal ARIMA(0,1,1)(0,1,1)12) and Prophet's yearly pattern uses "
        f"{fourier_order(months)} pairs of sine and cosine terms (one per year of history, 2 to 6)."
    )


def horizon_title(outlook: Outlook) -> str:
    """The horizon chart's finding: the default model's error pooled over every horizon, against the best single
    model's when that is lower."""
    assert outlook.accuracy is not None  # drawn only with a backtest
    by_model = outlook.accuracy.set_index("model")
    default = by_model.loc[outlook.default, "mase"]
    lowest = outlook.accuracy.iloc[0]
    name = "combination" if outlook.default == COMBINATION else f"{outlook.default} model"
    if lowest["model"] == outlook.default:
        return (
            f"The {name}, the default, has the lowest error pooled over 1 to {outlook.horizon} months ahead "
            f"(MASE {default:.2f})"
        )
    return (
        f"The {name}, the default, errs by MASE {default:.2f} pooled over 1 to {outlook.horizon} months ahead; "
        f"{lowest['model']} alone by {lowest['mase']:.2f}"
    )


def forecast_title(ahead: pd.DataFrame, history: pd.Series, horizon: int, currency: str) -> str:
    """The forecast chart's finding: the months ahead in all against as many months just booked."""
    return (
        f"{formatting.money(ahead['forecast'].sum(), currency)} forecast for the next {horizon} months, "
        f"{formatting.money(history.tail(horizon).sum(), currency)} booked in the last {horizon}"
    )


def interval_check(outlook: Outlook) -> str:
    """How often the default model's own and calibrated 80% and 95% intervals held in the backtest, and a warning
    when the calibrated 80% coverage lies outside the range aimed for; '' without a backtest."""
    if not outlook.ready or outlook.accuracy is None:
        return ""
    row = outlook.accuracy.set_index("model").loc[outlook.default]
    calibrated = row["calibrated_80"]
    text = (
        f"In the backtest, measured on the same {formatting.count(row['coverage_rows'])} forecasts, the "
        f"{outlook.default} model's own 80% intervals held {formatting.percent(row['raw_80'])} of the months and "
        f"its 95% intervals {formatting.percent(row['raw_95'])}; calibrated, they held "
        f"{formatting.percent(calibrated)} and {formatting.percent(row['calibrated_95'])}. Each calibrated interval "
        "there was made only from errors known at its origin, so the first origins (too few such errors) are not "
        "counted."
    )
    if pd.isna(calibrated) or coverage_tone(calibrated) == "good":
        return text
    low, high = COVERAGE_AIM_80
    too = "too wide" if calibrated > high else "too narrow"
    return text + (
        f" That {formatting.percent(calibrated)} is outside the {formatting.percent(low)} to "
        f"{formatting.percent(high)} aimed for: on this history the calibrated intervals shown are {too}, so read "
        "them with care."
    )


def probabilities_note(observed: float, quarter_label: str) -> str:
    """How the historical stage probabilities are estimated and on how many deal-month observations; or that the
    data has no stage history to estimate them from."""
    if not observed:
        return (
            "The data has no stage history far enough back to estimate probabilities from, so the historical "
            "probabilities equal the configured ones."
        )
    return (
        f"Historical probabilities: of the amount open at each of the last {SNAPSHOTS} month ends whose outcome is "
        "known, the share won as many days later as the quarter lies ahead of today, by the stage each deal was in; "
        f"{plural(int(observed), 'deal-month observation')} for {quarter_label}. Unlike the configured probabilities "
        "they count deals that slip past their close date or stay open for months. A stage seen in few deals stays "
        f"near its configured probability (as if that had been seen in {PRIOR_DEALS} deals)."
    )


def coming_quarter(coming: QuarterOutlook, observed: float, needed: float | None, currency: str) -> str:
    """The coming quarter from the pipeline: booked so far, open in it, weighted by the configured and (with a
    stage history) the historical probabilities, from the deals' own win probabilities where known, the blend, and
    the pipeline it takes to close the gap to the target (needed: pipeline_needed of the gap; None without a
    target)."""
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    deals = coming.view.open_deals
    in_quarter = deals[deals["in_quarter"]]
    methods = coming.methods.set_index("method")["forecast"]
    text = (
        f"For {coming.quarter.label}, {money(coming.view.booked)} is booked so far and "
        f"{money(in_quarter['amount'].sum())} is open in {plural(len(in_quarter), 'deal')} whose close date lies "
        f"in it or has passed. Weighted with the configured probabilities the quarter comes to "
        f"{money(methods[CONFIGURED])}"
    )
    if observed:
        difference = methods[CONFIGURED] - methods[HISTORICAL]
        text += (
            f", with the historical ones {money(methods[HISTORICAL])} ({money(abs(difference))} "
            f"{'less' if difference > 0 else 'more'}). The two do not count the same deals: the configured "
            "probabilities weigh only deals whose close date lies in the quarter, the historical ones every open "
            "deal, by how much of its stage's pipeline was won in such a window, deals that slipped past their "
            "close date included"
        )
    text += ". "
    if DEAL_PROBABILITIES in methods.index:
        text += (
            f"From each open deal's own win probability (the deal inspection's expected bookings) it comes to "
            f"{money(methods[DEAL_PROBABILITIES])}. "
        )
    text += f"The blend is {money(methods['blend'])}. "
    gap = coming.gap
    if gap is None:
        return text
    if gap <= 0:
        return text + f"The forecast is {money(-gap)} above the target: no more pipeline is needed to reach it."
    if needed is None or math.isnan(needed):
        return text + (
            f"There is a gap of {money(gap)} to the target, but no open pipeline expected to convert to measure "
            "the pipeline needed by: no figure can be given."
        )
    return text + (
        f"To close the gap of {money(gap)} to the target at the historical conversion of the pipeline open on "
        f"{coming.view.as_of:%d %B %Y} would take about {money(needed)} more pipeline."
    )


def methods_title(coming: QuarterOutlook, currency: str) -> str:
    """The methods chart's finding: the range the methods give for the coming quarter, and its target if set."""
    forecasts = coming.methods["forecast"]
    title = (
        f"{coming.quarter.label}: the methods say {formatting.money(forecasts.min(), currency)} to "
        f"{formatting.money(forecasts.max(), currency)}"
    )
    return title + (f"; target {formatting.money(coming.target, currency)}" if coming.target else "")


def past_quarters(checked: pd.DataFrame, scores: pd.DataFrame, weights: dict[str, float] | None, staged: bool) -> str:
    """Which method forecast the coming quarter best at past month ends, the configured probabilities' error, and
    how the blend weighs its methods; or why no quarter or method could be checked (staged: the data has a stage
    history)."""
    no_stages = "a past day's stages are unknown."
    if checked.empty:
        text = "No past quarter can be checked yet: the data does not reach back far enough."
        if staged:
            return text
        return text + (
            " Without a stage history (opportunity_history) the stage-weighted forecasts could not be checked in any "
            f"case: {no_stages}"
        )
    by_method = scores.set_index("method")["wape"]
    best = scores.iloc[0]
    text = (
        f"Over {plural(checked['made_at'].nunique(), 'month end')} ({checked['made_at'].min():%B %Y} to "
        f"{checked['made_at'].max():%B %Y}, {plural(checked['quarter'].nunique(), 'quarter')}) the most accurate "
        f"for the coming quarter was the {best['method']} forecast (WAPE {formatting.percent(best['wape'])})"
    )
    if CONFIGURED in by_method.index:
        text += (
            f"; weighted with the configured probabilities, the pipeline's WAPE was "
            f"{formatting.percent(by_method[CONFIGURED])}. "
        )
    else:
        text += ". "
    if weights:
        ordered = [name for name in BLENDED if name in weights]
        return text + (
            "The blend weighs "
            + "; ".join(f"the {name} forecast at {formatting.percent(weights[name])}" for name in ordered)
            + "."
        )
    if staged:
        return text + "Too few quarters to weigh the blend: its methods count equally."
    return text + (
        "The data has no stage history (opportunity_history), so the stage-weighted forecasts and the blend are not "
        f"checked: {no_stages}"
    )


def new_deals_note(ready: bool, new_share: dict[int, float]) -> str:
    """How much of the bookings one and six months ahead usually come from deals not yet created (what deal size and
    pipeline creation move); without a forecast, that scenarios need one."""
    if not ready:
        return "Scenarios redraw the time-series forecast, which needs a backtest first."
    return (
        f"Of the bookings one month ahead, {formatting.percent(new_share[1])} usually come from deals not yet "
        f"created; six months ahead, {formatting.percent(new_share[6])}."
    )


def earlier_forecasts(compared: pd.DataFrame, period_label: str) -> str:
    """How many forecasts of earlier runs can now be checked against what was booked, and by which runs; or that
    the store holds none yet."""
    if compared.empty:
        return (
            f"The store holds no forecast made before {period_label} for a month or quarter that has since ended: "
            "this section fills in as later periods are run."
        )
    return (
        f"{plural(len(compared), 'forecast')} made by runs from {compared['made_at'].min()} to "
        f"{compared['made_at'].max()} can now be checked against what was booked."
    )


def history_title(errors: pd.DataFrame) -> str:
    """The chart of earlier forecasts' finding: the best method's WAPE (errors: error_by_method)."""
    return (
        "Forecasts of earlier runs against bookings: WAPE "
        f"{formatting.percent(errors['wape'].min())} for the best method"
    )


def stored(forecasts: int, written: Path | None) -> str:
    """Where this run's forecasts are stored, or that a run by hand stores none."""
    if written is None:
        return "Run by hand: this run's forecasts are not stored."
    return (
        f"This run's {plural(forecasts, 'forecast')} {'is' if forecasts == 1 else 'are'} stored in {written.name} "
        "in the reports folder."
    )
