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
# # Deal inspection
#
# The quarter's call (Closed and Commit) against what the open deals' own win probabilities expect and against the
# target; the deals that matter most, ranked by value at risk with their reasons; the likely wins left out of
# Commit; how far the probabilities can be trusted, backtested on the company's own history; and how much of the
# reps' past calls actually closed.

# %% tags=["parameters"]
# Month to report on (YYYY-MM); empty means the last complete month in the data.
period = ""
# Folder of CSV or Parquet tables; empty means the bundled demo company.
data_dir = ""
# Workbook configuration (YAML); empty means config/workbook.yml.
config_path = ""
# Where the batch writes this run's files; empty when run by hand.
output_dir = ""
# True in JupyterLab; the batch sets it to False.
interactive = True
# Mapping file (YAML) that reads a CRM export in data_dir; empty when data_dir holds the canonical tables.
mapping_path = ""
# The day the data was taken (YYYY-MM-DD); empty means the data's own latest record (see `salesops check`).
as_of = ""

# %%
# papermill_description=Score_deals
from IPython.display import display

from salesops_helpers.analyses.deals import story, tables
from salesops_helpers.analyses.deals.page import inspection_page
from salesops_helpers.analyses.deals.summary import model_sentence
from salesops_helpers.presentation.charts import deals as charts
from salesops_helpers.presentation.report import open_report, say, shown_table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path, as_of)
currency = report.currency
page = inspection_page(report.data, report.config, report.period)
quarter = page.quarter.label

# %%
show_summary(page.summary)

# %% [markdown]
# ## The quarter's call
#
# A deal's forecast category says how sure its owner is that it closes in its quarter: Commit, Best Case, Pipeline;
# Closed once won. The call is Closed plus Commit. The expected bookings add to what is booked each open deal due by
# the quarter's end (overdue ones too) times its win probability and the share of won deals that close within the
# quarter they were called for, plus what deals not yet created usually bring in the months left.

# %%
say("{text}", text=story.rollup_sentence(page.rollup, currency))
display(
    charts.rollup_chart(
        page.rollup,
        currency,
        story.rollup_title(page.rollup, quarter, page.target, currency),
        page.target,
        target_quarter=quarter,
    )
)

# %%
shown_table(tables.rollup_table(page.rollup_by_manager, page.quarter, currency), reader_rows=12, name="call_by_manager")

# %% [markdown]
# ## Deals to inspect
#
# Value at risk is what a deal's amount stands to lose: amount × (1 − win probability). The reasons are the signs a
# deal review asks about: pushed out again and again, longer in its stage than nine stays in ten, no activity for
# weeks, past its expected close date, moved back a stage, its amount raised in the last weeks.

# %%
say("{text}", text=story.inspection_note(page.inspection, quarter, 15))
shown_table(tables.inspection_table(page.inspection, currency), reader_rows=15, name="inspection")

# %% [markdown]
# ## Likely wins outside Commit
#
# Deals expected to close this quarter that are at least 60% likely to be won but not called Commit: upside the
# call leaves out, the likeliest value (amount × probability) first.

# %%
shown_table(tables.upside_table(page.upside, currency), reader_rows=10, name="upside")

# %% [markdown]
# ## How far to trust the probabilities
#
# At each of the last twelve month ends the models learnt only from what was known then (deals closed before it),
# scored the deals open then, and were measured once those deals closed: the Brier score is the mean squared gap
# between probability and outcome (lower is better), Brier skill the share by which it beats the stages' historical
# win rates. The learnt probabilities are calibrated on the newest months before each month end, never on the months
# they are measured on. Where no model beats the historical stage rates, those rates are used.

# %%
say("{text}", text=model_sentence(page.scores))
shown_table(tables.accuracy_table(page.scores.backtest.accuracy))

# %%
display(charts.calibration_chart(page.calibration, story.calibration_title(page.calibration)))
shown_table(tables.calibration_table(page.calibration))

# %% [markdown]
# ## How much of the call closed
#
# At each past month end, the deals in each category expected to close in the quarter being sold into; once that
# quarter is over, the share of their amount won within it. A share over fewer than ten deals is not stated.

# %%
say("{text}", text=story.conversion_sentence(page.conversion, page.history))
display(charts.conversion_chart(page.conversion, story.conversion_title(page.conversion)))

# %%
say("{text}", text=story.lowest_group_sentence(page.conversion_by_manager, "manager"))
shown_table(tables.conversion_table(page.conversion_by_manager, currency), reader_rows=12, name="conversion_by_manager")
