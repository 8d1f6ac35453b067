# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (salesops workbook)
#     language: python
#     name: salesops
# ---

# %% [markdown]
# # Revenue forecast
#
# Bookings month by month; the forecast of the months and quarters ahead from the model that measured best on the
# company's own history, with intervals calibrated on its own past errors; the pipeline's view of the same quarters
# against their targets; scenarios; and how the forecasts of earlier runs turned out.

# %% tags=["parameters"]
# Month to report on (YYYY-MM); empty means the last complete month in the data.
period = ""
# Folder of CSV or Parquet tables; empty means the bundled demo company.
data_dir = ""
# Workbook configuration (YAML); empty means config/workbook.yml.
config_path = ""
# Where the batch writes this run's files; empty when run by hand.
output_dir = ""
# True in JupyterLab (adds the scenario sliders); the batch sets it to False.
interactive = True
# Mapping file (YAML) that reads a CRM export in data_dir; empty when data_dir holds the canonical tables.
mapping_path = ""

# %%
# papermill_description=Backtest_models
import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.forecast import forecast_history, pipeline_forecast, scenarios
from salesops_helpers.analyses.forecast.intervals import COVERAGE_AIM_80, coverage_tone
from salesops_helpers.analyses.forecast.models import COMBINED, fourier_order
from salesops_helpers.analyses.forecast.outlook import build_outlook, group_forecasts, quarter_time_series
from salesops_helpers.analyses.forecast.series import company_bookings, forecast_date, group_bookings, monthly_bookings
from salesops_helpers.analyses.forecast.summary import QuarterOutlook, forecast_summary, target_tone
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.metrics import targets
from salesops_helpers.presentation.charts import forecast as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary
from salesops_helpers.presentation.widgets import scenario_sliders

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path)
data, config = report.data, report.config
calendar = FiscalCalendar.from_config(config)
as_of = forecast_date(report.period.end, data.as_of)  # the end of the last complete month
# bookings by team, month by month, once: the company's series is their sum
by_team = monthly_bookings(data, calendar, as_of, "team")
bookings = company_bookings(data, calendar, as_of, by_team)
outlook = build_outlook(bookings.values)
best = outlook.accuracy.iloc[0] if outlook.ready else None
quarters = pipeline_forecast.quarters_ahead(calendar, as_of)
seen = pipeline_forecast.snapshots(data, as_of)
probabilities = [pipeline_forecast.stage_probabilities(data, seen, as_of, q) for q in quarters]
views = [
    pipeline_forecast.quarter_forecast(data, q, as_of, p, bookings.all_months, first=i == 0)
    for i, (q, p) in enumerate(zip(quarters, probabilities, strict=True))
]
quarter_forecasts = [quarter_time_series(outlook, view) for view in views]
checked = pipeline_forecast.pipeline_backtest(
    data, calendar, as_of, bookings.all_months, outlook.backtest.forecasts if outlook.ready else None
)
weights = pipeline_forecast.blend_weights(checked)
methods = [pipeline_forecast.method_table(view, ts, weights) for view, ts in zip(views, quarter_forecasts, strict=True)]
quarter_targets = [targets.target_for(config, "bookings", q) for q in quarters]
ahead_quarters = [
    QuarterOutlook(q, view, frame, ts, target)
    for q, view, frame, ts, target in zip(quarters, views, methods, quarter_forecasts, quarter_targets, strict=True)
]
store_file = forecast_history.store_path(output_dir) or forecast_history.DEFAULT_STORE
store = forecast_history.read_store(store_file)

# %%
show_summary(
    forecast_summary(
        ahead_quarters[0],
        ahead_quarters[1],
        outlook,
        bookings,
        calendar,
        store,
        config.company.name,
        report.period.label,
        targets.target_for(config, "bookings", calendar.month(as_of)),
        report.currency,
    )
)
say(
    "{text}",
    text=(
        f"The data runs to {data.as_of:%d %B %Y}; {data.as_of:%B %Y} is not over, so the forecast is made at the "
        f"end of {as_of:%B %Y}, the last complete month, and {data.as_of:%B %Y} is forecast whole."
        if as_of < report.period.end
        else ""
    ),
)
coming, coming_ts, coming_target = quarters[0], quarter_forecasts[0], quarter_targets[0]
gap = ahead_quarters[0].gap

# %% [markdown]
# ## Monthly bookings
#
# Bookings are the metric layer's (docs/metrics.md): the amounts of deals won, by close date, per calendar month
# (month-start dates). The first months of the data are left out of the series the models learn from: deals that
# closed then had mostly begun before the data did, so those months understate what the company booked.

# %%
warm = bookings.warm_up
say(
    "{text}",
    text=(
        f"The series runs from {bookings.values.index[0]:%B %Y} to {bookings.values.index[-1]:%B %Y}, "
        f"{fmt.count(len(bookings.values))} month{'' if len(bookings.values) == 1 else 's'}. "
        if len(bookings.values)
        else "No month of the data lies after the warm-up. "
    )
    + (
        f"The {len(warm)} months before it ({warm.index[0]:%B %Y} to {warm.index[-1]:%B %Y}) are left out: 90% of "
        f"won deals close within {fmt.days(bookings.warm_up_days)} of their creation, and the data begins on "
        f"{data.opportunities['created_date'].min():%d %B %Y}."
        if len(warm)
        else ""
    ),
)

# %%
team_months = group_bookings(by_team, "team", bookings.values.index[0] if len(bookings.values) else as_of)
leader = team_months.tail(12).sum().idxmax() if team_months.shape[1] else None
(
    charts.groups_chart(
        team_months,
        report.currency,
        f"{leader} booked the most of the teams over the last twelve months "
        f"({report.money(team_months[leader].tail(12).sum())})",
        teams=report.data.reps["team"].dropna().unique(),
    )
    if leader
    else None
)

# %%
teams = group_forecasts(team_months, outlook.champion, coming, views[0].horizons) if outlook.ready else None
say(
    "{text}",
    text=(
        f"Each team's own series forecast by the {outlook.champion} model, the company's default, for {coming.label}. "
        "Each team's accuracy is not backtested: its figure is a guide to where the quarter's bookings come from."
        if teams is not None
        else ""
    ),
)
team_columns = {
    "group": "team",
    "last_twelve_months": "last twelve months",
    "booked": f"booked in {coming.label} so far",
    "forecast_rest": "forecast of the months left",
    "quarter_total": f"{coming.label} in all",
}
(
    table(
        teams.sort_values("quarter_total", ascending=False).rename(columns=team_columns),
        dict.fromkeys(list(team_columns.values())[1:], report.money),
        reader_rows=None,
    )
    if teams is not None
    else None
)

# %% [markdown]
# ## Which model forecasts best here
#
# Each model is refitted at each of the last months (the origin) on the months up to it only, and forecasts the
# next one to six months; those forecasts are held against what was then booked. The models: naive (last month
# again), seasonal naive (the same month last year), ETS (exponential smoothing, its form chosen by AICc), Theta,
# Prophet (set up for months: a multiplicative yearly pattern with few terms, no weekly or daily pattern,
# forecasts clipped at zero), and a combination (the mean of three of them). MASE divides each error by what
# repeating last year missed on the months before the origin: below 1 is better than that. Every origin has at
# least 18 months before it, so that yardstick rests on at least six year-on-year changes. WAPE is the error as a
# share of bookings, bias the net over- (+) or under-forecast (−), "interval held" the share of months inside the
# model's own 80% and 95% intervals, and "beats seasonal naive" the share of origins where it erred less.

# %%
by_model = outlook.accuracy.set_index("model") if outlook.ready else None
say(
    "{text}",
    text=(
        f"Over {outlook.origins} origins ({outlook.backtest.origins[0]:%B %Y} to "
        f"{outlook.backtest.origins[-1]:%B %Y}) and horizons 1 to {outlook.horizon} months, the "
        f"{outlook.champion} model has the lowest pooled MASE, {best['mase']:.2f}, and so is the default model; "
        + (
            f"{outlook.accuracy['model'].iloc[1]} comes next at {outlook.accuracy['mase'].iloc[1]:.2f}, and repeating "
            f"last year (seasonal naive) scores {by_model.loc['seasonal naive', 'mase']:.2f}. "
            if outlook.accuracy["model"].iloc[1] != "seasonal naive"
            else f"repeating last year (seasonal naive) comes next at {by_model.loc['seasonal naive', 'mase']:.2f}. "
        )
        + f"The default model's WAPE "
        f"is {fmt.percent(best['wape'])} and its bias {best['bias'] * 100:+.1f}%. Prophet alone scores "
        f"{by_model.loc['Prophet', 'mase']:.2f}, and its own 80% intervals held "
        f"{fmt.percent(by_model.loc['Prophet', 'coverage_80'])} of the months. The combination is the mean of "
        f"{', '.join(COMBINED)}; Prophet's yearly pattern uses {fourier_order(len(bookings.values))} pairs of "
        "sine and cosine terms (one per year of history, 2 to 6)."
        if outlook.ready
        else f"{outlook.reason[:1].upper()}{outlook.reason[1:]}."
    ),
)
accuracy_columns = {
    "mase": "MASE",
    "wape": "WAPE",
    "smape": "sMAPE",
    "bias": "bias",
    "coverage_80": "80% interval held",
    "coverage_95": "95% interval held",
    "beats_seasonal_naive": "beats seasonal naive",
    "seconds": "fit time (s)",
}
(
    table(
        outlook.accuracy[["model", *accuracy_columns]].rename(columns=accuracy_columns),
        {
            "MASE": "{:.2f}".format,
            "WAPE": fmt.percent,
            "sMAPE": fmt.percent,
            "bias": "{:+.1%}".format,
            "80% interval held": fmt.percent,
            "95% interval held": fmt.percent,
            "beats seasonal naive": fmt.percent,
            "fit time (s)": "{:.1f}".format,
        },
        tones={"80% interval held": coverage_tone},
        reader_rows=None,
    )
    if outlook.ready
    else None
)

# %%
(
    charts.horizon_chart(
        outlook.by_horizon,
        outlook.champion,
        f"The {outlook.champion} model has the lowest error pooled over 1 to {outlook.horizon} months ahead "
        f"(MASE {best['mase']:.2f})",
    )
    if outlook.ready
    else None
)

# %% [markdown]
# ## The forecast, with calibrated intervals
#
# Models' own intervals are often too narrow (Prophet's in particular). Each interval here is instead as wide as
# what held 80% (or 95%) of the model's own backtest errors at that horizon (split-conformal calibration); errors
# are measured in units of the series' typical year-on-year change, so widths grow with the business. The check
# below measures both kinds of interval fairly: each backtest month gets an interval made only from the errors
# known at its origin.

# %%
ahead = outlook.ahead[outlook.champion] if outlook.ready else None
(
    charts.forecast_chart(
        bookings.values,
        ahead,
        report.currency,
        f"{report.money(ahead['forecast'].sum())} forecast for the next {outlook.horizon} months, "
        f"{report.money(bookings.values.tail(outlook.horizon).sum())} booked in the last {outlook.horizon}",
        bookings.warm_up,
    )
    if outlook.ready
    else None
)

# %%
(
    table(
        pd.DataFrame(
            {
                "month": ahead["month"].dt.strftime("%B %Y"),
                "months ahead": ahead["horizon"],
                "forecast": ahead["forecast"],
                **{
                    name: [
                        f"{report.money(low)} to {report.money(high)}"
                        for low, high in zip(ahead[lower], ahead[upper], strict=True)
                    ]
                    for name, lower, upper in (
                        ("80% interval", "lower_80", "upper_80"),
                        ("95% interval", "lower_95", "upper_95"),
                        ("the model's own 80% interval", "raw_lower_80", "raw_upper_80"),
                    )
                },
            }
        ),
        {"forecast": report.money},
        reader_rows=None,
    )
    if outlook.ready
    else None
)

# %%
calibrated_80 = by_model.loc[outlook.champion, "calibrated_80"] if outlook.ready else None
say(
    "{text}",
    text=(
        f"In the backtest, measured on the same {fmt.count(by_model.loc[outlook.champion, 'coverage_rows'])} "
        f"forecasts, the {outlook.champion} model's own 80% intervals held "
        f"{fmt.percent(by_model.loc[outlook.champion, 'raw_80'])} of the months and its 95% intervals "
        f"{fmt.percent(by_model.loc[outlook.champion, 'raw_95'])}; calibrated, they held "
        f"{fmt.percent(calibrated_80)} and {fmt.percent(by_model.loc[outlook.champion, 'calibrated_95'])}. "
        "Each calibrated interval there was made only from errors known at its origin, so the first origins (too "
        "few such errors) are not counted."
        + (
            ""
            if pd.isna(calibrated_80) or coverage_tone(calibrated_80) == "good"
            else f" That {fmt.percent(calibrated_80)} is outside the {fmt.percent(COVERAGE_AIM_80[0])} to "
            f"{fmt.percent(COVERAGE_AIM_80[1])} aimed for: on this history the "
            f"calibrated intervals shown are {'too wide' if calibrated_80 > 0.9 else 'too narrow'}, so read them "
            "with care."
        )
        if outlook.ready
        else ""
    ),
)
coverage_columns = {
    "raw_80": "80%, model's own",
    "calibrated_80": "80%, calibrated",
    "raw_95": "95%, model's own",
    "calibrated_95": "95%, calibrated",
}
(
    table(
        outlook.accuracy[["model", *coverage_columns]].rename(columns=coverage_columns),
        dict.fromkeys(coverage_columns.values(), fmt.percent),
        tones={"80%, model's own": coverage_tone, "80%, calibrated": coverage_tone},
        reader_rows=None,
    )
    if outlook.ready
    else None
)

# %% [markdown]
# ## The pipeline's view of the next two quarters
#
# Beside the time series, the forecasts sales teams use: what is booked so far in the quarter, plus the open deals
# expected to close in it (for the coming quarter, also those whose close date has passed) weighted by their
# stage's probability, plus what deals not yet created usually bring in that time; the configured probabilities,
# or probabilities estimated from how deals in each stage actually ended. Then the run-rate (booked so far plus
# the last twelve months' average month for each month left), the time-series forecast, and a blend of the
# historical stage-weighted and the time-series forecasts, each weighted by how accurately it forecast past
# quarters (1 ÷ its mean squared error). Stage-weighted ranges assume deals close independently of one another.

# %%
say(
    "{text}",
    text=(
        "Historical probabilities: of the amount open at each of the last 24 month ends whose outcome is known, the "
        "share won as many days later as the quarter lies ahead of today, by the stage each deal was in; "
        f"{fmt.count(probabilities[0]['observed'].sum())} deal-month observations for {coming.label}. Unlike the "
        "configured probabilities they count deals that slip past their close date or stay open for months. A "
        "stage seen in few deals stays near its configured probability (as if that had been seen in 10 deals)."
        if probabilities[0]["observed"].sum()
        else "The data has no stage history far enough back to estimate probabilities from, so the historical "
        "probabilities equal the configured ones."
    ),
)
table(
    pd.DataFrame(
        {
            "stage": probabilities[0]["stage"],
            "configured": probabilities[0]["configured"],
            **{
                f"won in {q.label} (estimated)": frame["probability"]
                for q, frame in zip(quarters, probabilities, strict=True)
            },
            f"deals seen ({coming.label})": probabilities[0]["observed"],
        }
    ),
    {"configured": fmt.percent} | {f"won in {q.label} (estimated)": fmt.percent for q in quarters},
    reader_rows=None,
)

# %%
side_by_side = pd.concat(
    [
        frame.assign(quarter=quarter.label, target=target, gap=(frame["forecast"] - target) if target else None)
        for quarter, frame, target in zip(quarters, methods, quarter_targets, strict=True)
    ],
    ignore_index=True,
)
side_by_side["range"] = [
    "–" if pd.isna(low) else f"{report.money(low)} to {report.money(high)}"
    for low, high in zip(side_by_side["lower_80"], side_by_side["upper_80"], strict=True)
]
table(
    side_by_side[["quarter", "method", "forecast", "range", "target", "gap"]].rename(
        columns={"range": "80% range", "gap": "against target"}
    ),
    {"forecast": report.money, "target": report.money, "against target": report.money_change},
    tones={"against target": target_tone},
    reader_rows=None,
)

# %%
first = methods[0].set_index("method")
configured_vs_history = (
    first.loc["stage-weighted, configured probabilities", "forecast"]
    - first.loc["stage-weighted, historical probabilities", "forecast"]
)
in_quarter = views[0].open_deals[views[0].open_deals["in_quarter"]]
needed = pipeline_forecast.pipeline_needed(gap, views[0].open_deals) if gap is not None else None
say(
    "{text}",
    text=(
        f"For {coming.label}, {report.money(views[0].booked)} is booked so far and "
        f"{report.money(in_quarter['amount'].sum())} is open in {fmt.count(len(in_quarter))} deals whose close "
        f"date lies in it or has passed. Weighted with the configured probabilities the quarter comes to "
        f"{report.money(first.loc['stage-weighted, configured probabilities', 'forecast'])}"
        + (
            f", with the historical ones {report.money(first.loc[pipeline_forecast.BLENDED[0], 'forecast'])} "
            f"({report.money(abs(configured_vs_history))} {'less' if configured_vs_history > 0 else 'more'}). The two "
            "do not count the same deals: the configured probabilities weigh only deals whose close date lies in "
            "the quarter, the historical ones every open deal, by how much of its stage's pipeline was won in such "
            "a window, deals that slipped past their close date included"
            if probabilities[0]["observed"].sum()
            else ""
        )
        + f". The blend is {report.money(first.loc['blend', 'forecast'])}. "
    )
    + (
        ""
        if gap is None
        else f"To close the gap of {report.money(gap)} to the target at the historical conversion of the pipeline "
        f"open on {as_of:%d %B %Y} would take about {report.money(needed)} more pipeline."
        if gap > 0 and pd.notna(needed)
        else f"There is a gap of {report.money(gap)} to the target, but no open pipeline expected to convert to "
        "measure the pipeline needed by: no figure can be given."
        if gap > 0
        else f"The forecast is {report.money(-gap)} above the target: no more pipeline is needed to reach it."
    ),
)
(
    charts.methods_chart(
        methods[0],
        coming_target,
        report.currency,
        f"{coming.label}: the methods say {report.money(methods[0]['forecast'].min())} to "
        f"{report.money(methods[0]['forecast'].max())}"
        + (f"; target {report.money(coming_target)}" if coming_target else ""),
    )
)

# %% [markdown]
# ### How each method forecast past quarters
#
# The same methods, applied at each past month end to the quarter then coming, with only what was known that day,
# against what the quarter then booked: stage probabilities from windows that had passed; the time-series forecast
# from that origin of the backtest, by the model with the lowest MASE over the backtest months that had ended by
# that day (the default model as it would have been chosen then); the blend's weights from earlier month ends whose
# quarter had ended by that day, once three quarters are known. Without a stage history the stage-weighted methods
# (and so the blend) cannot be checked: the stage each deal was in on a past day is unknown.

# %%
pipeline_scores = pipeline_forecast.pipeline_accuracy(checked)
scored_methods = pipeline_scores.set_index("method")
staged = data.history is not None and not data.history.empty
say(
    "{text}",
    text=(
        f"Over {checked['made_at'].nunique()} month ends ({checked['made_at'].min():%B %Y} to "
        f"{checked['made_at'].max():%B %Y}, {checked['quarter'].nunique()} quarters) the most accurate for the "
        f"coming quarter was the {pipeline_scores['method'].iloc[0]} forecast "
        f"(WAPE {fmt.percent(pipeline_scores['wape'].iloc[0])})"
        + (
            "; weighted with the configured probabilities, the pipeline's WAPE was "
            f"{fmt.percent(scored_methods.loc[pipeline_forecast.STAGE_METHODS[0], 'wape'])}. "
            if pipeline_forecast.STAGE_METHODS[0] in scored_methods.index
            else ". "
        )
        + (
            "The blend weighs " + " and ".join(f"{name} {fmt.percent(share)}" for name, share in weights.items()) + "."
            if weights
            else "Too few quarters to weigh the blend: its methods count equally."
            if staged
            else "The data has no stage history (opportunity_history), so the stage-weighted forecasts and the blend "
            "are not checked: a past day's stages are unknown."
        )
        if len(checked)
        else "No past quarter can be checked yet: the data does not reach back far enough."
        + (
            ""
            if staged
            else " Without a stage history (opportunity_history) the stage-weighted forecasts could not be checked "
            "in any case: a past day's stages are unknown."
        )
    ),
)
(
    table(
        pipeline_scores.rename(columns={"month_ends": "month ends checked", "wape": "WAPE"}),
        {"WAPE": fmt.percent, "bias": "{:+.1%}".format},
        reader_rows=None,
    )
    if len(checked)
    else None
)

# %% [markdown]
# ## Scenarios
#
# How the forecast moves if the win rate, the deal size or the creation of new pipeline change from here: a
# changed win rate moves every deal still to close; deal size and pipeline creation move only the deals not yet
# created, whose share of a month's bookings grows with how far ahead the month is. In JupyterLab, sliders redraw
# the forecast; the report shows a table of set scenarios.

# %%
new_share = {h: pipeline_forecast.new_deal_share(data, as_of, h) for h in range(1, outlook.horizon + 1)}
booked_by_quarter = [(view.quarter, view.booked) for view in views]
(
    scenario_sliders(bookings.values, ahead, new_share, booked_by_quarter, report.currency)
    if interactive and outlook.ready
    else None
)

# %%
scenario_frame = scenarios.scenario_table(ahead, new_share, booked_by_quarter) if outlook.ready else None
say(
    "{text}",
    text=(
        f"Of the bookings one month ahead, {fmt.percent(new_share[1])} usually come from deals not yet created; "
        f"six months ahead, {fmt.percent(new_share[6])}."
        if outlook.ready
        else "Scenarios redraw the time-series forecast, which needs a backtest first."
    ),
)
(
    table(
        scenario_frame,
        {column: report.money for column in scenario_frame.columns if column != "scenario"},
        reader_rows=None,
    )
    if scenario_frame is not None
    else None
)

# %% [markdown]
# ## How earlier forecasts turned out
#
# Each batch run stores its forecasts (every model's monthly forecasts and every method's quarter forecasts, with
# their intervals) in `forecast_history.csv` in the reports folder, beside the period folders, so reruns and new
# periods never lose them; a rerun of a period replaces that period's forecasts. A run by hand (no output folder)
# reads the store of the default reports folder but does not write it.

# %%
compared = forecast_history.forecast_vs_actual(
    store, bookings.all_months, config.company.name, report.period.label, as_of
)
errors = forecast_history.error_by_method(compared)
say(
    "{text}",
    text=(
        f"The store holds no forecast made before {report.period.label} for a month or quarter that has since "
        "ended: this section fills in as later periods are run."
        if compared.empty
        else f"{fmt.count(len(compared))} forecasts made by runs from {compared['made_at'].min()} to "
        f"{compared['made_at'].max()} can now be checked against what was booked."
    ),
)
(
    table(
        errors.sort_values(["kind", "wape"], kind="stable").rename(
            columns={"kind": "target", "inside_80": "inside 80% interval"}
        ),
        {"wape": fmt.percent, "bias": "{:+.1%}".format, "inside 80% interval": fmt.percent},
        reader_rows=None,
    )
    if not compared.empty
    else None
)

# %%
over_time = forecast_history.error_over_time(compared)
(
    # the latest runs first, so the reader's first rows are the newest
    table(
        over_time.sort_values(["made_at", "wape"], ascending=[False, True], kind="stable").rename(
            columns={"made_at": "run"}
        ),
        {"wape": fmt.percent, "bias": "{:+.1%}".format},
    )
    if not compared.empty
    else None
)
(
    charts.history_chart(
        compared,
        report.currency,
        f"Forecasts of earlier runs against bookings: WAPE {fmt.percent(errors['wape'].min())} for the best method",
    )
    if not compared.empty
    else None
)

# %%
# papermill_description=Store_forecasts
rows = forecast_history.forecast_rows(outlook.ahead, list(zip(quarters, methods, strict=True)), as_of)
written = forecast_history.store_path(output_dir)
if written is not None:
    forecast_history.save_forecasts(written, rows, config.company.name, report.period.label)
say(
    "{text}",
    text=(
        f"This run's {fmt.count(len(rows))} forecasts are stored in {written.name} in the reports folder."
        if written is not None
        else "Run by hand: this run's forecasts are not stored."
    ),
)
