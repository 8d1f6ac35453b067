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
# The day the data was taken (YYYY-MM-DD); empty means the data's own latest record (see `salesops check`).
as_of = ""

# %%
# papermill_description=Backtest_models
from IPython.display import display

from salesops_helpers.analyses.forecast import story, tables
from salesops_helpers.analyses.forecast.page import forecast_page, store_forecasts
from salesops_helpers.presentation.charts import forecast as charts
from salesops_helpers.presentation.report import open_report, say, shown_table
from salesops_helpers.presentation.summary import show_summary
from salesops_helpers.presentation.widgets import scenario_sliders

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path, as_of)
currency = report.currency
page = forecast_page(report.data, report.config, report.period, output_dir)
outlook, coming = page.outlook, page.coming

# %%
show_summary(page.summary)
say("{text}", text=story.month_under_way(page.data_as_of, page.as_of, page.period.end))

# %% [markdown]
# ## Monthly bookings
#
# Bookings are the metric layer's (docs/metrics.md): the amounts of deals won, by close date, per calendar month
# (month-start dates). The first months of the data are left out of the series the models learn from: deals that
# closed then had mostly begun before the data did, so those months understate what the company booked.

# %%
say("{text}", text=story.series_span(page.bookings, page.data_begins))

# %%
if page.has_teams:
    display(
        charts.groups_chart(
            page.team_months, currency, story.teams_title(page.team_months, currency), teams=page.team_names
        )
    )

# %%
# the team table is empty without a forecast
say("{text}", text=story.team_forecast_note(outlook.default, coming.quarter.label, page.teams))
shown = tables.team_table(page.teams, coming.quarter, currency)
shown_table(shown)

# %% [markdown]
# ## Which model forecasts best here
#
# Each model is refitted at each of the last months (the origin) on the months up to it only, and forecasts the
# next one to six months; those forecasts are held against what was then booked. The models: naive (last month
# again), seasonal naive (the same month last year), ETS (exponential smoothing, its form chosen by AICc), Theta,
# Prophet (set up for months: a multiplicative yearly pattern with few terms, no weekly or daily pattern,
# forecasts clipped at zero), ARIMA (the airline model) and the combination, the mean of ETS, Theta, ARIMA and
# Prophet. The combination is the default model: choosing whichever model erred least here would trust a few
# origins too far. MASE divides each error by what repeating last year missed on the months before the origin:
# below 1 is better than that. Every origin has at least 18 months before it, so that yardstick rests on at least
# six year-on-year changes. WAPE is the error as a share of bookings, bias the net over- (+) or under-forecast (−),
# "interval held" the share of months inside the model's own 80% and 95% intervals, and "beats seasonal naive" the
# share of origins where it erred less.

# %%
say("{text}", text=story.model_choice(outlook, len(page.bookings.values)))
if page.ready:
    shown = tables.accuracy_table(outlook)
    display(shown_table(shown))
    display(charts.horizon_chart(outlook.by_horizon, outlook.default, story.horizon_title(outlook)))

# %% [markdown]
# ## The forecast, with calibrated intervals
#
# Models' own intervals are often too narrow (Prophet's in particular). Each interval here is instead as wide as
# what held 80% (or 95%) of the model's own backtest errors at that horizon (conformal calibration); errors are
# measured in units of the series' typical year-on-year change, so widths grow with the business. The share aimed
# at adapts: it rises after backtest months that fell outside their interval and eases after months inside, so
# intervals keep holding about 80% of months when errors grow or shrink over the years. The check below measures
# both kinds of interval fairly: each backtest month gets an interval made only from the errors and outcomes
# known at its origin.

# %%
if page.ready:
    title = story.forecast_title(page.ahead, page.bookings.values, outlook.horizon, currency)
    display(charts.forecast_chart(page.bookings.values, page.ahead, currency, title, page.bookings.warm_up))
    shown = tables.ahead_table(page.ahead, currency)
    display(shown_table(shown))
    say("{text}", text=story.interval_check(outlook))
    shown = tables.coverage_table(outlook)
    display(shown_table(shown))

# %% [markdown]
# ## The pipeline's view of the next two quarters
#
# Beside the time series, the forecasts sales teams use: what is booked so far in the quarter, plus the open deals
# expected to close in it (for the coming quarter, also those whose close date has passed) weighted by their
# stage's probability, plus what deals not yet created usually bring in that time; the configured probabilities,
# or probabilities estimated from how deals in each stage actually ended. Then the run-rate (booked so far plus
# the last twelve months' average month for each month left), the time-series forecast, and, for the quarter being
# sold into, the expected bookings from each open deal's own win probability (the deal inspection's figure). The
# blend combines the historical stage-weighted, the time-series and the deal-probability forecasts, each weighted by
# how accurately it forecast past quarters (1 ÷ its mean squared error). Stage-weighted and deal-probability ranges
# assume deals close independently of one another.

# %%
say("{text}", text=story.probabilities_note(page.observed, coming.quarter.label))
shown = tables.probabilities_table(page.quarters, page.probabilities)
shown_table(shown)

# %%
shown = tables.methods_table(page.quarters, currency)
shown_table(shown)

# %%
say("{text}", text=story.coming_quarter(coming, page.observed, page.needed, currency))
charts.methods_chart(coming.methods, coming.target, currency, story.methods_title(coming, currency))

# %% [markdown]
# ### How each method forecast past quarters
#
# The same methods, applied at each past month end to the quarter then coming, with only what was known that day,
# against what the quarter then booked: stage probabilities from windows that had passed; the time-series forecast
# from that origin of the backtest, by the default model as it stood that day (the combination, once the backtest
# had scored it on months ended by then); the deals' win probabilities learnt from the deals
# closed by then, by the method the deal inspection's backtest trusted that day; the blend's weights from earlier
# month ends whose quarter had ended by that day, once three quarters are known. Without a stage history the
# stage-weighted and deal-probability methods (and so the blend) cannot be checked: the stage each deal was in on a
# past day is unknown.

# %%
say("{text}", text=story.past_quarters(page.checked, page.pipeline_scores, page.weights, page.staged))
if page.checked_any:
    shown = tables.pipeline_accuracy_table(page.pipeline_scores)
    display(shown_table(shown))

# %% [markdown]
# ## Scenarios
#
# How the forecast moves if the win rate, the deal size or the creation of new pipeline change from here: a
# changed win rate moves every deal still to close; deal size and pipeline creation move only the deals not yet
# created, whose share of a month's bookings grows with how far ahead the month is. In JupyterLab, sliders redraw
# the forecast; the report shows a table of set scenarios.

# %%
if interactive and page.ready:
    display(scenario_sliders(page.bookings.values, page.ahead, page.new_share, page.booked_by_quarter, currency))

# %%
# the scenario table is empty without a forecast
say("{text}", text=story.new_deals_note(page.ready, page.new_share))
shown = tables.scenario_table(page.scenarios, currency)
shown_table(shown)

# %% [markdown]
# ## How earlier forecasts turned out
#
# Each batch run stores its forecasts (every model's monthly forecasts and every method's quarter forecasts, with
# their intervals) in `forecast_history.csv` in the reports folder, beside the period folders, so reruns and new
# periods never lose them; a rerun of a period replaces that period's forecasts. A run by hand (no output folder)
# reads the store of the default reports folder but does not write it.

# %%
say("{text}", text=story.earlier_forecasts(page.compared, page.period.label))
if page.checked_earlier:
    shown = tables.errors_table(page.errors)
    display(shown_table(shown))
    display(charts.history_chart(page.compared, currency, story.history_title(page.errors)))

# %%
# papermill_description=Store_forecasts
written = store_forecasts(page, output_dir)
say("{text}", text=story.stored(len(page.rows), written))
