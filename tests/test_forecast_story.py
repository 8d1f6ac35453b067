"""The revenue forecast's sentences, chart titles and tables (analyses/forecast/story.py and tables.py), each on tiny
hand-made figures: the normal case, and without a target, without history (no forecast), with a single month,
deal or team, and with nothing to check yet. Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.analyses.forecast import story, tables
from salesops_helpers.analyses.forecast.backtest import Backtest
from salesops_helpers.analyses.forecast.outlook import Outlook, build_outlook
from salesops_helpers.analyses.forecast.pipeline_forecast import DEAL_PROBABILITIES, QuarterForecast
from salesops_helpers.analyses.forecast.series import BookingsSeries
from salesops_helpers.analyses.forecast.summary import QuarterOutlook
from salesops_helpers.calendar.fiscal import Period

AS_OF = pd.Timestamp("2026-10-31")
Q4 = Period("quarter", pd.Timestamp("2026-11-01"), pd.Timestamp("2027-01-31"), "FY2027 Q4")
Q1 = Period("quarter", pd.Timestamp("2027-02-01"), pd.Timestamp("2027-04-30"), "FY2028 Q1")
CONFIGURED = "stage-weighted, configured probabilities"
HISTORICAL = "stage-weighted, historical probabilities"


def months(first: str, values: list[float]) -> pd.Series:
    """Monthly values from the month `first` on."""
    return pd.Series(values, index=pd.date_range(first, periods=len(values), freq="MS"), dtype=float)


# --------------------------------------------------------------------------------------------------------------------
# The report's month and the series
# --------------------------------------------------------------------------------------------------------------------


def test_a_month_under_way_is_forecast_whole_from_the_month_before() -> None:
    data_as_of, day, end = pd.Timestamp("2026-10-15"), pd.Timestamp("2026-09-30"), pd.Timestamp("2026-10-31")
    assert story.month_under_way(data_as_of, day, end) == (
        "The data runs to 15 October 2026; October 2026 is not over, so the forecast is made at the end of September "
        "2026, the last complete month, and October 2026 is forecast whole."
    )


def test_a_complete_month_needs_no_word() -> None:
    assert story.month_under_way(AS_OF, AS_OF, AS_OF) == ""


def series(values: pd.Series, first_counted: str, days: float) -> BookingsSeries:
    """The bookings series whose months from first_counted on count, the months before it warming up."""
    return BookingsSeries(values[values.index >= first_counted], values, days)


def test_the_series_and_its_warm_up() -> None:
    # January to June 2024; March on count: 4 months, and January and February (2) are left out
    bookings = series(months("2024-01-01", [1, 2, 3, 4, 5, 6]), "2024-03-01", 36.0)
    assert story.series_span(bookings, pd.Timestamp("2024-01-05")) == (
        "The series runs from March 2024 to June 2024, 4 months. The 2 months before it (January 2024 to February "
        "2024) are left out: 90% of won deals close within 36 days of their creation, and the data begins on 05 "
        "January 2024."
    )


def test_a_series_of_one_month_after_one_month_of_warm_up() -> None:
    bookings = series(months("2024-02-01", [1, 2]), "2024-03-01", 1.0)
    assert story.series_span(bookings, pd.Timestamp("2024-02-28")) == (
        "The series runs from March 2024 to March 2024, 1 month. The 1 month before it (February 2024 to February "
        "2024) is left out: 90% of won deals close within 1 day of their creation, and the data begins on 28 "
        "February 2024."
    )


def test_a_series_without_warm_up_says_only_its_span() -> None:
    bookings = series(months("2024-01-01", [1, 2]), "2024-01-01", 0.0)
    assert story.series_span(bookings, pd.Timestamp("2024-01-01")) == (
        "The series runs from January 2024 to February 2024, 2 months. "
    )


def test_without_history_every_month_is_still_warming_up() -> None:
    bookings = series(months("2024-01-01", [1, 2]), "2024-03-01", 60.0)
    assert story.series_span(bookings, pd.Timestamp("2024-01-02")).startswith(
        "No month of the data lies after the warm-up. The 2 months before it (January 2024 to February 2024) are "
        "left out: 90% of won deals close within 60 days"
    )


def test_the_team_that_booked_most_over_the_last_twelve_months() -> None:
    # 14 months: Enterprise books 5,000 in each of the first two (outside the twelve) and 100 a month after, SMB 150
    wide = pd.DataFrame({"Enterprise": [5000.0] * 2 + [100.0] * 12, "SMB": [0.0] * 2 + [150.0] * 12})
    assert story.teams_title(wide, "USD") == (
        "SMB booked the most of the teams over the last twelve months ($1.8k)"  # 12 × 150
    )


def test_a_single_team_is_the_one_that_booked_most() -> None:
    wide = pd.DataFrame({"Enterprise": [400.0, 600.0]})
    assert (
        story.teams_title(wide, "EUR") == "Enterprise booked the most of the teams over the last twelve months (€1.0k)"
    )


def test_the_team_forecast_note_names_the_default_model_and_is_empty_without_one() -> None:
    assert story.team_forecast_note("Theta", "FY2027 Q4") == (
        "Each team's own series forecast by the Theta model, the company's default, for FY2027 Q4. Each team's "
        "accuracy is not backtested: its figure is a guide to where the quarter's bookings come from."
    )
    assert story.team_forecast_note(None, "FY2027 Q4") == ""


def test_with_many_teams_the_note_says_the_company_forecast_is_split_by_share() -> None:
    many = pd.DataFrame({"group": [f"T{i}" for i in range(350)]})
    assert story.team_forecast_note("combination", "FY2027 Q4", many) == (
        "The company's forecast by the combination model, its default, for FY2027 Q4, split among the 350 teams by "
        "each one's share of the last twelve months' bookings: so many teams' own series are too short and noisy "
        "to forecast one by one. A team's figure is a guide to where the quarter's bookings come from, not a "
        "forecast of the team."
    )
    assert story.team_forecast_note("Theta", "FY2027 Q4", many.head(40)).startswith("Each team's own series")


# --------------------------------------------------------------------------------------------------------------------
# Which model forecasts best, and its intervals
# --------------------------------------------------------------------------------------------------------------------


def accuracy_row(model: str, mase: float, **values: float) -> dict[str, object]:
    """One model's row of the outlook's accuracy table; unnamed measures are middling."""
    row = {"model": model, "mase": mase, "wape": 0.3, "bias": 0.0, "coverage_80": 0.8, "raw_80": 0.8}
    row |= {"raw_95": 0.95, "calibrated_80": 0.8, "calibrated_95": 0.95, "coverage_rows": 75}
    return row | values


def outlook_of(rows: list[dict[str, object]], horizon: int = 6, default: str | None = None) -> Outlook:
    """A ready outlook whose backtest had three origins (March to May 2025) and whose accuracy table is rows, the
    lowest MASE first; its default model is `default`, or the lowest MASE."""
    origins = pd.to_datetime(["2025-03-01", "2025-04-01", "2025-05-01"])
    backtest = Backtest(months("2023-10-01", [1.0] * 20), horizon, pd.DataFrame({"origin": origins, "model": "naive"}))
    accuracy = pd.DataFrame(rows).sort_values("mase", kind="stable").reset_index(drop=True)
    return Outlook(backtest.series, horizon, backtest, accuracy, default=default or str(accuracy["model"].iloc[0]))


COMBINATION_BEST = [
    accuracy_row("combination", 0.64, wape=0.24, bias=0.043),
    accuracy_row("Theta", 0.66),
    accuracy_row("seasonal naive", 0.69),
    accuracy_row("Prophet", 0.72, coverage_80=0.6),
]


def test_the_default_model_against_the_next_and_repeating_last_year() -> None:
    assert story.model_choice(outlook_of(COMBINATION_BEST), 37) == (
        "Over 3 origins (March 2025 to May 2025) and horizons 1 to 6 months, the combination, the default model, has "
        "a pooled MASE of 0.64; the best single model, Theta, scores 0.66, and repeating last year (seasonal naive) "
        "0.69. The default model's WAPE is 24% and its bias +4.3%. Prophet alone scores 0.72, and its own 80% "
        "intervals held 60% of the months. The combination is the mean of ETS, Theta, ARIMA and Prophet; "
        "ARIMA is the airline model (seasonal ARIMA(0,1,1)(0,1,1)12) and Prophet's yearly pattern uses 3 pairs of "
        "sine and cosine terms (one per year of history, 2 to 6)."
    )


def test_when_repeating_last_year_comes_next_it_is_named_once() -> None:
    rows = [row for row in COMBINATION_BEST if row["model"] != "Theta"]
    text = story.model_choice(outlook_of(rows), 37)
    assert "of 0.64; the best single model, seasonal naive, scores 0.69. The default" in text
    assert "Theta" not in text.split("The combination is")[0]


def test_a_single_model_that_scored_lower_leaves_the_combination_the_default() -> None:
    rows = [accuracy_row("Theta", 0.60), *COMBINATION_BEST[:1], *COMBINATION_BEST[2:]]
    text = story.model_choice(outlook_of(rows, default="combination"), 37)
    assert text.startswith(
        "Over 3 origins (March 2025 to May 2025) and horizons 1 to 6 months, Theta alone scored lower, 0.60, than "
        "the combination, 0.64; the combination stays the default model, as choosing the lowest backtest error "
        "forecast less well than combining on public series unless it was more than 20% lower, and repeating last "
        "year (seasonal naive) 0.69. The default model's WAPE is 24%"
    )
    assert story.horizon_title(outlook_of(rows, default="combination")) == (
        "The combination, the default, errs by MASE 0.64 pooled over 1 to 6 months ahead; Theta alone by 0.60"
    )


def test_prophet_as_the_best_single_model_is_not_scored_twice() -> None:
    rows = [*COMBINATION_BEST[:1], accuracy_row("Prophet", 0.65, coverage_80=0.7), *COMBINATION_BEST[1:3]]
    text = story.model_choice(outlook_of(rows), 37)
    assert "the best single model, Prophet, scores 0.65, and repeating last year" in text
    assert "+4.3%. Prophet's own 80% intervals held 70% of the months. The combination is" in text
    assert "Prophet alone" not in text


def test_a_single_model_far_better_than_the_combination_is_the_default() -> None:
    rows = [accuracy_row("Prophet", 0.45, wape=0.1), *COMBINATION_BEST[:3]]  # 0.45 < 0.8 x 0.64 = 0.512
    text = story.model_choice(outlook_of(rows), 37)
    assert (
        "6 months, the Prophet model scored a pooled MASE of 0.45, more than 20% below the combination's 0.64, and "
        "so is the default model; Theta comes next at 0.66, and repeating last year (seasonal naive) 0.69. The "
        "default model's WAPE is 10%"
    ) in text


def test_without_a_combination_the_lowest_mase_is_the_default() -> None:
    rows = COMBINATION_BEST[1:]  # Theta 0.66, seasonal naive 0.69, Prophet 0.72
    text = story.model_choice(outlook_of(rows), 37)
    said = "the Theta model has the lowest pooled MASE, 0.66, and is the default; seasonal naive comes next at 0.69."
    assert said in text
    assert story.horizon_title(outlook_of(rows)) == (
        "The Theta model, the default, has the lowest error pooled over 1 to 6 months ahead (MASE 0.66)"
    )


@pytest.mark.parametrize(("series_months", "pairs"), [(24, 2), (37, 3), (100, 6)])  # 24 // 12, 37 // 12, 8 → 6
def test_prophets_yearly_pattern_has_a_pair_per_year_from_two_to_six(series_months: int, pairs: int) -> None:
    assert f"uses {pairs} pairs of sine" in story.model_choice(outlook_of(COMBINATION_BEST), series_months)


@pytest.mark.parametrize(
    ("length", "said"),
    [
        (29, "the series has 29 months, and a backtest over 12 origins needs at least 30"),
        (1, "the series has 1 month, and a backtest over 12 origins needs at least 30"),
    ],
)
def test_without_enough_history_the_reason_is_the_sentence(length: int, said: str) -> None:
    outlook = build_outlook(months("2024-01-01", list(np.arange(length, dtype=float))))
    assert not outlook.ready
    text = story.model_choice(outlook, length)
    assert text == f"There is too little history for a backtest ({said}: 18 months to fit before the first origin)."


def test_the_horizon_chart_names_the_default_model_and_its_pooled_mase() -> None:
    assert story.horizon_title(outlook_of(COMBINATION_BEST)) == (
        "The combination, the default, has the lowest error pooled over 1 to 6 months ahead (MASE 0.64)"
    )


def test_the_forecast_chart_holds_the_months_ahead_against_as_many_booked() -> None:
    ahead = pd.DataFrame({"forecast": [100.0, 200.0, 300.0]})  # 600
    history = months("2026-07-01", [50.0, 1000.0, 2000.0, 3000.0])  # the last 3: 6,000
    assert story.forecast_title(ahead, history, 3, "USD") == (
        "$600 forecast for the next 3 months, $6.0k booked in the last 3"
    )


def interval_outlook(calibrated_80: float) -> Outlook:
    """A ready outlook whose default model's calibrated 80% intervals held calibrated_80 of the backtest months."""
    best = accuracy_row("combination", 0.64, raw_80=0.96, raw_95=1.0, calibrated_80=calibrated_80, calibrated_95=0.97)
    return outlook_of([best, *COMBINATION_BEST[1:]])


INTERVALS_HELD = (
    "In the backtest, measured on the same 75 forecasts, the combination model's own 80% intervals held 96% of the "
    "months and its 95% intervals 100%; calibrated, they held {held} and 97%. Each calibrated interval there was made "
    "only from errors known at its origin, so the first origins (too few such errors) are not counted."
)


@pytest.mark.parametrize("held", [0.7, 0.85, 0.9])  # the ends of the aim, 70% to 90%, are inside it
def test_intervals_that_held_as_aimed_need_no_warning(held: float) -> None:
    assert story.interval_check(interval_outlook(held)) == INTERVALS_HELD.format(held=f"{held:.0%}")


@pytest.mark.parametrize(("held", "too"), [(0.92, "too wide"), (0.6, "too narrow")])
def test_intervals_outside_the_aim_are_to_be_read_with_care(held: float, too: str) -> None:
    assert story.interval_check(interval_outlook(held)) == INTERVALS_HELD.format(held=f"{held:.0%}") + (
        f" That {held:.0%} is outside the 70% to 90% aimed for: on this history the calibrated intervals shown are "
        f"{too}, so read them with care."
    )


def test_unmeasured_calibrated_intervals_and_no_forecast() -> None:
    assert story.interval_check(interval_outlook(math.nan)) == INTERVALS_HELD.format(held="–")
    assert story.interval_check(Outlook(months("2024-01-01", [1.0]), 6, reason="too short")) == ""


# --------------------------------------------------------------------------------------------------------------------
# The pipeline's view
# --------------------------------------------------------------------------------------------------------------------


def test_historical_probabilities_say_how_many_observations_they_rest_on() -> None:
    text = story.probabilities_note(6117, "FY2027 Q4")
    assert text.startswith("Historical probabilities: of the amount open at each of the last 24 month ends")
    assert "; 6,117 deal-month observations for FY2027 Q4. Unlike" in text
    assert text.endswith("(as if that had been seen in 10 deals).")
    assert "; 1 deal-month observation for FY2027 Q4." in story.probabilities_note(1, "FY2027 Q4")


def test_without_a_stage_history_the_historical_probabilities_are_the_configured_ones() -> None:
    assert story.probabilities_note(0, "FY2027 Q4") == (
        "The data has no stage history far enough back to estimate probabilities from, so the historical "
        "probabilities equal the configured ones."
    )


def coming(target: float | None, open_deals: list[tuple[float, bool]], historical: float = 2900.0) -> QuarterOutlook:
    """The coming quarter FY2027 Q4 with $1.0k booked, the open deals (amount, close date in the quarter) and the
    methods: configured $3.4k, historical (as given), run-rate $2.0k and the blend $3.1k (its forecast, there
    being no time series)."""
    deals = pd.DataFrame(open_deals, columns=["amount", "in_quarter"])
    view = QuarterForecast(Q4, AS_OF, 1000.0, [], [1, 2, 3], deals, 0.0, 0.0)
    methods = pd.DataFrame(
        {
            "method": [CONFIGURED, HISTORICAL, "run-rate", "blend"],
            "forecast": [3400.0, historical, 2000.0, 3100.0],
            "lower_80": [3000.0, 2500.0, np.nan, np.nan],
            "upper_80": [3800.0, 3300.0, np.nan, np.nan],
        }
    )
    return QuarterOutlook(Q4, view, methods, None, target)


TWO_OPEN = [(4000.0, True), (2000.0, True), (5000.0, False)]  # 6,000 open in 2 deals closing in the quarter
PIPELINE = (
    "For FY2027 Q4, $1.0k is booked so far and $6.0k is open in 2 deals whose close date lies in it or has passed. "
    "Weighted with the configured probabilities the quarter comes to $3.4k, with the historical ones $2.9k ($500 "
    "less). The two do not count the same deals: the configured probabilities weigh only deals whose close date lies "
    "in the quarter, the historical ones every open deal, by how much of its stage's pipeline was won in such a "
    "window, deals that slipped past their close date included. The blend is $3.1k. "
)


def test_the_coming_quarter_and_the_pipeline_that_closes_its_gap() -> None:
    # target 5,000 against the blend's 3,100: a gap of 1,900
    text = story.coming_quarter(coming(5000.0, TWO_OPEN), 12, 8000.0, "USD")
    assert text == PIPELINE + (
        "To close the gap of $1.9k to the target at the historical conversion of the pipeline open on 31 October "
        "2026 would take about $8.0k more pipeline."
    )


def test_without_a_target_there_is_no_gap_to_close() -> None:
    assert story.coming_quarter(coming(None, TWO_OPEN), 12, None, "USD") == PIPELINE


def test_above_the_target_no_more_pipeline_is_needed() -> None:
    # target 3,000 against 3,100
    text = story.coming_quarter(coming(3000.0, TWO_OPEN), 12, 0.0, "USD")
    assert text == PIPELINE + "The forecast is $100 above the target: no more pipeline is needed to reach it."


def test_a_gap_no_open_pipeline_can_measure() -> None:
    text = story.coming_quarter(coming(5000.0, TWO_OPEN), 12, math.nan, "USD")
    assert text == PIPELINE + (
        "There is a gap of $1.9k to the target, but no open pipeline expected to convert to measure the pipeline "
        "needed by: no figure can be given."
    )


def test_one_deal_and_no_stage_history_leave_out_the_historical_probabilities() -> None:
    text = story.coming_quarter(coming(None, [(2500.0, True)]), 0, None, "USD")
    assert text == (
        "For FY2027 Q4, $1.0k is booked so far and $2.5k is open in 1 deal whose close date lies in it or has passed. "
        "Weighted with the configured probabilities the quarter comes to $3.4k. The blend is $3.1k. "
    )


def test_the_deals_own_probabilities_are_stated_before_the_blend() -> None:
    outlook = coming(None, TWO_OPEN)
    deals = pd.DataFrame({"method": [DEAL_PROBABILITIES], "forecast": [2700.0], "lower_80": [2000.0]})
    methods = pd.concat([outlook.methods.iloc[:3], deals, outlook.methods.iloc[3:]], ignore_index=True)
    text = story.coming_quarter(QuarterOutlook(Q4, outlook.view, methods, None, None), 12, None, "USD")
    assert text == PIPELINE.replace(
        "The blend is",
        "From each open deal's own win probability (the deal inspection's expected bookings) it comes to $2.7k. "
        "The blend is",
    )


def test_historical_probabilities_above_the_configured_ones_say_more() -> None:
    text = story.coming_quarter(coming(None, TWO_OPEN, historical=3900.0), 5, None, "USD")
    assert "with the historical ones $3.9k ($500 more)." in text


def test_the_methods_chart_spans_the_methods_and_names_the_target() -> None:
    # forecasts 3,400, 2,900, 2,000 and 3,100
    assert story.methods_title(coming(5000.0, TWO_OPEN), "USD") == (
        "FY2027 Q4: the methods say $2.0k to $3.4k; target $5.0k"
    )
    assert story.methods_title(coming(None, TWO_OPEN), "USD") == "FY2027 Q4: the methods say $2.0k to $3.4k"


def checked_at(month_ends: list[str], quarters: list[str]) -> pd.DataFrame:
    """Pipeline backtest rows: one per month end, each forecasting the quarter beside it."""
    return pd.DataFrame({"made_at": pd.to_datetime(month_ends), "quarter": quarters, "method": "run-rate"})


SCORES = pd.DataFrame(
    {
        "method": [HISTORICAL, "run-rate", CONFIGURED],
        "month_ends": [3, 3, 3],
        "wape": [0.18, 0.22, 0.5],
        "bias": [0.064, 0.001, 0.49],
    }
)


def test_the_most_accurate_method_at_past_month_ends_and_the_blends_weights() -> None:
    checked = checked_at(["2025-04-30", "2025-05-31", "2025-06-30"], ["FY2026 Q2", "FY2026 Q2", "FY2026 Q3"])
    weights = {HISTORICAL: 0.57, "time series": 0.43}
    assert story.past_quarters(checked, SCORES, weights, staged=True) == (
        "Over 3 month ends (April 2025 to June 2025, 2 quarters) the most accurate for the coming quarter was the "
        "stage-weighted, historical probabilities forecast (WAPE 18%); weighted with the configured probabilities, "
        "the pipeline's WAPE was 50%. The blend weighs the stage-weighted, historical probabilities forecast at 57%; "
        "the time series forecast at 43%."
    )


def test_a_first_month_end_is_too_few_quarters_to_weigh_the_blend() -> None:
    checked = checked_at(["2025-04-30"], ["FY2026 Q2"])
    scores = SCORES[SCORES["method"] == "run-rate"]
    assert story.past_quarters(checked, scores, None, staged=True) == (
        "Over 1 month end (April 2025 to April 2025, 1 quarter) the most accurate for the coming quarter was the "
        "run-rate forecast (WAPE 22%). Too few quarters to weigh the blend: its methods count equally."
    )


def test_without_a_stage_history_the_stage_weighted_methods_are_not_checked() -> None:
    checked = checked_at(["2025-04-30"], ["FY2026 Q2"])
    text = story.past_quarters(checked, SCORES[SCORES["method"] == "run-rate"], None, staged=False)
    assert text.endswith(
        "(WAPE 22%). The data has no stage history (opportunity_history), so the stage-weighted forecasts and the "
        "blend are not checked: a past day's stages are unknown."
    )


def test_no_past_quarter_to_check_yet() -> None:
    nothing = checked_at([], [])
    no_scores = SCORES.iloc[0:0]
    said = "No past quarter can be checked yet: the data does not reach back far enough."
    assert story.past_quarters(nothing, no_scores, None, staged=True) == said
    assert story.past_quarters(nothing, no_scores, None, staged=False) == said + (
        " Without a stage history (opportunity_history) the stage-weighted forecasts could not be checked in any "
        "case: a past day's stages are unknown."
    )


# --------------------------------------------------------------------------------------------------------------------
# Scenarios, earlier forecasts, the store
# --------------------------------------------------------------------------------------------------------------------


def test_the_share_of_bookings_from_deals_not_yet_created() -> None:
    share = {1: 0.0, 2: 0.2, 3: 0.4, 4: 0.6, 5: 0.7, 6: 0.83}
    assert story.new_deals_note(True, share) == (
        "Of the bookings one month ahead, 0% usually come from deals not yet created; six months ahead, 83%."
    )
    assert (
        story.new_deals_note(False, share) == "Scenarios redraw the time-series forecast, which needs a backtest first."
    )


def test_earlier_forecasts_checked_against_bookings() -> None:
    compared = pd.DataFrame({"made_at": ["2026-08", "2026-09", "2026-09"]})
    assert story.earlier_forecasts(compared, "2026-10") == (
        "3 forecasts made by runs from 2026-08 to 2026-09 can now be checked against what was booked."
    )
    assert story.earlier_forecasts(compared.head(1), "2026-10") == (
        "1 forecast made by runs from 2026-08 to 2026-08 can now be checked against what was booked."
    )


def test_a_first_run_has_no_earlier_forecast_to_check() -> None:
    assert story.earlier_forecasts(pd.DataFrame({"made_at": []}), "2026-10") == (
        "The store holds no forecast made before 2026-10 for a month or quarter that has since ended: this section "
        "fills in as later periods are run."
    )


def test_the_history_chart_names_the_best_methods_error() -> None:
    errors = pd.DataFrame({"method": ["naive", "Theta"], "wape": [0.3, 0.12]})
    assert story.history_title(errors) == "Forecasts of earlier runs against bookings: WAPE 12% for the best method"


def test_where_this_runs_forecasts_are_stored() -> None:
    store = Path("/reports/forecast_history.csv")
    assert (
        story.stored(46, store) == "This run's 46 forecasts are stored in forecast_history.csv in the reports folder."
    )
    assert story.stored(1, store) == "This run's 1 forecast is stored in forecast_history.csv in the reports folder."
    assert story.stored(46, None) == "Run by hand: this run's forecasts are not stored."


# --------------------------------------------------------------------------------------------------------------------
# The tables beside the sentences
# --------------------------------------------------------------------------------------------------------------------


def test_without_a_forecast_the_forecast_tables_show_nothing() -> None:
    short = Outlook(months("2024-01-01", [1.0]), 6, reason="too short")
    for shown in (
        tables.team_table(None, Q4, "USD"),
        tables.accuracy_table(short),
        tables.ahead_table(None, "USD"),
        tables.coverage_table(short),
        tables.scenario_table(None, "USD"),
        tables.pipeline_accuracy_table(SCORES.iloc[0:0]),
    ):
        assert shown.frame.shape == (0, 0) and not shown.formats and not shown.tones


def test_the_team_table_puts_the_largest_quarter_first() -> None:
    teams = pd.DataFrame(
        {
            "group": ["EMEA", "SMB"],
            "last_twelve_months": [2000.0, 3000.0],
            "booked": [0.0, 100.0],
            "forecast_rest": [900.0, 500.0],
            "quarter_total": [900.0, 600.0],
        }
    )
    shown = tables.team_table(teams, Q4, "USD")
    assert list(shown.frame["team"]) == ["EMEA", "SMB"]
    assert list(shown.frame.columns) == [
        "team",
        "last twelve months",
        "booked in FY2027 Q4 so far",
        "forecast of the months left",
        "FY2027 Q4 in all",
    ]
    assert shown.formats["FY2027 Q4 in all"](900.0) == "$900" and "team" not in shown.formats


def test_the_methods_of_both_quarters_against_their_targets() -> None:
    with_target, without = coming(5000.0, TWO_OPEN), coming(None, TWO_OPEN)
    following = QuarterOutlook(Q1, without.view, without.methods, None, None)
    shown = tables.methods_table([with_target, following], "USD")
    frame = shown.frame
    assert list(frame["quarter"]) == ["FY2027 Q4"] * 4 + ["FY2028 Q1"] * 4
    assert list(frame["against target"].head(4)) == [-1600.0, -2100.0, -3000.0, -1900.0]  # forecast − 5,000
    assert frame["against target"].tail(4).isna().all() and frame["target"].tail(4).isna().all()
    assert list(frame["80% range"].head(3)) == ["$3.0k to $3.8k", "$2.5k to $3.3k", "–"]
    assert shown.formats["against target"](-1600.0) == "-$1.6k"
    assert shown.tones["against target"](-1600.0) == "bad" and shown.tones["against target"](100.0) == "good"
