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
# # Lead funnel
#
# How prospects become customers before and after a deal exists: how many leads come in and from which channels,
# how many of them become marketing-qualified (MQL), sales-qualified (SQL), deals and won deals, how long that takes,
# how fast sales follows them up and how that goes with conversion, what each channel costs per deal, and who
# sourced the pipeline. With recommendations to marketing and to sales.

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
# papermill_description=Follow_the_leads
from IPython.display import display

from salesops_helpers.analyses.leads import story, tables
from salesops_helpers.analyses.leads.page import funnel_page
from salesops_helpers.analyses.leads.summary import marketing_recommendation, sales_recommendation
from salesops_helpers.presentation.charts import leads as charts
from salesops_helpers.presentation.report import open_report, say, shown_table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path, as_of)
currency = report.currency
page = funnel_page(report.data, report.period)
window = page.judged_window

# %%
show_summary(page.summary)

# %% [markdown]
# ## Leads coming in
#
# Leads created each month by the channel they came from (the source in the CRM, else the campaign's channel).

# %%
display(charts.volume_chart(page.volume, story.volume_title(page.volume)))

# %% [markdown]
# ## The funnel by channel
#
# A lead counts in the month it was created, whatever happened later; it reached a step when it has the step's
# date or a later one. Only leads old enough to judge are counted here (nine in ten past conversions to a deal took
# at most the time since), so young leads, which have not had the time to convert, do not pull the rates down. A
# channel with few leads has a wide interval: the rate could lie anywhere in it.

# %%
display(charts.channel_chart(page.channels, page.judged_rate, story.channel_title(page.channels, page.poor, window)))
shown_table(tables.channel_table(page.channels, "channel", currency), reader_rows=12, name="funnel_by_channel")

# %%
shown_table(tables.channel_table(page.segments, "segment", currency), reader_rows=12, name="funnel_by_segment")

# %% [markdown]
# ## Time to convert
#
# The share of leads that became a deal within each number of days of their creation, with leads still open counted
# only for as long as they have existed (Kaplan-Meier), for all leads and the channels with most leads.

# %%
display(charts.curves_chart(page.curves, story.curve_title(page.curves, page.half_days)))

# %% [markdown]
# ## Speed to lead
#
# How long a lead waits for its first touch, by team and rep, and how that goes with MQLs becoming SQLs. Fast
# follow-up and conversion go together here; the table does not prove that one causes the other.

# %%
say("{text}", text=story.speed_note(page.touch_basis, page.slow))
display(charts.speed_chart(page.speed_conversion, story.speed_title(page.speed_conversion)))
display(shown_table(tables.speed_table(page.speed_by_team, "team"), name="speed_by_team"))
shown_table(tables.speed_table(page.speed_by_rep, "rep", most_mqls=True), reader_rows=10, name="speed_by_rep")

# %% [markdown]
# ## MQLs never followed up
#
# MQLs of the last ninety days that had no activity at all a week after they qualified and did not become deals:
# the longest waiting first.

# %%
say("{text}", text=story.missed_note(page.missed, page.missed_since_text))
shown_table(tables.missed_table(page.missed), reader_rows=15, name="mqls_not_followed_up")

# %% [markdown]
# ## Channel efficiency
#
# For channels with campaign costs: what a lead, an MQL, a deal and a won deal cost, and the pipeline and bookings
# each unit of spend brought, over the leads old enough to judge. A campaign's cost counts in the month it started.

# %%
say("{text}", text=story.efficiency_note(page.efficiency, currency))
shown_table(tables.efficiency_table(page.efficiency, currency), reader_rows=12, name="channel_efficiency")

# %% [markdown]
# ## Marketing-sourced against sales-sourced pipeline
#
# Who sourced each deal follows its source (its lead's, else its own lead source): the configuration's
# `funnel.sales_sources` are the sales team's, `funnel.partner_sources` partners', every other source marketing's.

# %%
display(charts.sourced_chart(page.sourced_monthly, currency, story.sourced_title(page.sourced, page.sourced_window)))
shown_table(tables.sourced_table(page.sourced, currency))

# %% [markdown]
# ## Recommendations

# %%
say("{text}", text=marketing_recommendation(page.poor, page.larger, page.cost_per_deal, currency))
say("{text}", text=sales_recommendation(page.slow, len(page.missed), page.median_speed))
