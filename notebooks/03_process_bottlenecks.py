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
# # Sales process bottlenecks
#
# Where deals slow down, stall, slip or die: each deal's stays in its stages rebuilt from the history table, the
# funnel they make, how long stages take, the worst bottleneck with its evidence, the deals stuck now, close dates
# pushed out, and how the period's pipeline got from its opening to its closing.

# %% tags=["parameters"]
# Month to report on (YYYY-MM); empty means the last complete month in the data.
period = ""
# Folder of CSV or Parquet tables; empty means the bundled demo company.
data_dir = ""
# Workbook configuration (YAML); empty means config/workbook.yml.
config_path = ""
# Where the batch writes this run's files; empty when run by hand.
output_dir = ""
# True in JupyterLab; the batch sets it to False (this report draws no widget either way).
interactive = True
# Mapping file (YAML) that reads a CRM export in data_dir; empty when data_dir holds the canonical tables.
mapping_path = ""
# The day the data was taken (YYYY-MM-DD); empty means the data's own latest record (see `salesops check`).
as_of = ""

# %%
# papermill_description=Rebuild_stage_stays
from IPython.display import display

from salesops_helpers.analyses.process import FiscalCalendar, count, days, percent, story, tables
from salesops_helpers.analyses.process.funnel import cohort_tone
from salesops_helpers.analyses.process.open_deals import stage_distribution
from salesops_helpers.analyses.process.review import review_process
from salesops_helpers.analyses.process.summary import process_summary
from salesops_helpers.presentation.charts import process as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path, as_of)
data, config = report.data, report.config
calendar = FiscalCalendar.from_config(config)
month = calendar.month(report.period.start)
review = review_process(data, month, calendar)
ttm = calendar.trailing_twelve_months(month.end)
open_stages = config.open_stages

# %%
show_summary(process_summary(data, calendar, review, report.currency))

# %% [markdown]
# ## Where open deals stand
#
# What the current stages tell without any history: the deals open at the end of the period by stage, and, over
# the last twelve months, win rates and sales cycles by segment (as the KPI glossary defines them).

# %%
stages_now = stage_distribution(data, review.as_of)
table(
    stages_now.rename(columns={"median_age_days": "median age"}),
    {"deals": count, "amount": report.money, "share": percent, "median age": days},
    name="stages now",
)

# %%
say("Win rates and sales cycles by segment, {ttm}:", ttm=ttm.label)
table(tables.outcomes_by_segment(data, ttm, report.currency), name="outcomes by segment")

# %% [markdown]
# ## Stage stays
#
# A stay begins when a saved change puts the deal in a different stage and lasts until the next one. Deals that
# skip a stage have no stay in it; a deal that moves back, or is reopened after being lost, starts a new stay, so a
# stage can hold several stays of one deal: the latest and the cumulative time are both kept. Medians are over deals
# that have left the stage. Changes saved at the same moment are taken in process order (a deal passed through
# several stages at once moves forward). A deal whose history starts on a later day than it was created has a first
# stay of unknown start: time in stage leaves that stay out.

# %%
say("{text}", text=story.stays_sentence(review))
for stage_time in tables.stage_time_tables(review):
    display(
        table(
            stage_time,
            {
                "deals that entered": count,
                "entered more than once": count,
                "times come back": count,
                "median latest stay": days,
                "median cumulative time": days,
            },
        )
    )

# %% [markdown]
# ## Funnel
#
# For each stage: the deals that entered it, the share that moved on (to a later stage, or won), and the share of
# all deals that got at least that far (a deal that skipped a stage on its way further counts as having got that
# far). Deals still in a stage count as not yet moved on, so recent cohorts look worse than they will: those created
# too recently to judge are marked.

# %%
say("{text}", text=story.funnel_sentence(review))
for funnel in tables.funnel_tables(review):
    display(
        table(
            funnel,
            {
                "deals": count,
                "entered": count,
                "moved on": count,
                "reached": count,
                "moved on (share)": percent,
                "got this far": percent,
            },
        )
    )

# %%
for title in story.funnel_chart_titles(review):
    display(charts.funnel_chart(review.funnel, title))

# %%
stage_shares = dict.fromkeys([*open_stages, "won"], percent) | {"deals": count}
say("{text}", text=story.groupings_sentence(review))
for grouped in tables.grouped_funnel_tables(review, open_stages):
    display(table(grouped, stage_shares))

# %%
say("{text}", text=story.cohorts_sentence(review))
for cohorts in tables.cohort_tables(review, open_stages):
    display(table(cohorts, stage_shares, tones={"judged": cohort_tone}, reader_rows=None))

# %% [markdown]
# ## Time in stage
#
# How long stays in each stage last. Deals still in a stage have not finished their stay: counting only finished
# stays understates how long a stage takes. The Kaplan-Meier estimate counts a stay still going as lasting at least
# as long as it has so far; the closed-only figures stand beside it so the difference shows.

# %%
say("{text}", text=story.time_in_stage_sentence(review))
for times in tables.time_in_stage_tables(review):
    display(
        table(
            times,
            dict.fromkeys(
                ["median", "p75", "p90", "median (finished only)", "p75 (finished only)", "p90 (finished only)"], days
            )
            | dict.fromkeys(["stays", "still going"], count),
        )
    )

# %%
for title in story.time_chart_titles(review):
    display(charts.time_in_stage_chart(review.times, title))

# %% [markdown]
# ## Bottlenecks
#
# For each stage and segment: the share of deals moving on against the company's (the shortfall), and the share of
# a typical journey spent in the stage against the company's (so a segment's slower pace everywhere cancels out).
# Ranked by the deals short: how many more would have moved on at the company's rate. Groups with fewer than 20
# deals entering a stage are listed last, not ranked.

# %%
say("{text}", text=story.bottleneck_sentence(review))
for ranking in tables.bottleneck_tables(review):
    display(
        table(
            ranking,
            {
                "entered": count,
                "moved on": percent,
                "company moved on": percent,
                "deals short": tables.whole_deals,
                "median days": days,
                "time share": percent,
                "company time share": percent,
            },
            reader_rows=10,
        )
    )

# %% [markdown]
# ## Stalled deals
#
# Open deals that have sat in their current stage longer than nine stays in ten of that stage (its Kaplan-Meier
# p90), largest first.

# %%
say("{text}", text=story.stalled_sentence(review, report.currency))
for stalled in tables.stalled_tables(review):
    display(table(stalled, {"amount": report.money, "days in stage": days, "stage p90": days}, name="stalled deals"))

# %% [markdown]
# ## Slippage
#
# A push is a saved change that moves an open deal's expected close date later. Pushes per deal are counted for
# each rep over all the history up to the period's end. A slipped deal is open at the period's end with a close date
# after it, and was due in the period at some point of it: at its start, or at any change saved during it (so a deal
# that became due in the month and was then pushed out counts).

# %%
say("{text}", text=story.slippage_sentence(review, data, report.currency))
for title in story.pushes_chart_titles(review):
    display(charts.pushes_chart(review.per_rep[review.per_rep["compared"]], title))

# %%
for pushes in tables.push_tables(review):
    display(
        table(
            pushes,
            dict.fromkeys(["deals", "deals pushed", "pushes"], count) | {"pushes per deal": "{:.1f}".format},
            name="pushes by rep",
        )
    )

# %%
for slipped in tables.slipped_tables(review):
    display(table(slipped, {"amount": report.money}, name="slipped deals"))

# %% [markdown]
# ## Pipeline waterfall
#
# The open pipeline due in the period (open deals whose expected close date falls in it), from the end of the day
# before the period to the end of its last day. Deals come in as new (created in the month), reopened (closed at
# the month's start), pulled in from later months, or moved in from earlier months (overdue deals given a date in
# the month); deals won or lost in the month that were not due at its start come in as entered and closed, then
# leave as won or lost, so won is the month's bookings and lost the deals lost in it. Deals of the opening leave as
# pushed out (still open, due later), moved to earlier months, won (at their current amount), lost (at their last
# amount while open, so a lost deal whose amount was zeroed counts as lost), or closed, dated elsewhere: won or lost
# in the month by their history while their record now dates that outside the month (or has reopened them).
# Amount changes of the opening's deals are increased and decreased; a won deal's amount edited after the month
# lands there too. It balances to the cent.

# %%
say("{text}", text=story.waterfall_sentence(review, data, report.currency))
for title in story.waterfall_chart_titles(review, report.currency):
    display(charts.waterfall_chart(review.waterfall, report.currency, title))

# %%
for waterfall in tables.waterfall_tables(review):
    display(table(waterfall, {"amount": report.money, "deals": count}, reader_rows=None))

# %% [markdown]
# ## Sales velocity against the month before
#
# Velocity is the KPI glossary's: deals open at the period's start × win rate × average deal size ÷ sales-cycle
# days. Its change is split over the four factors (log-mean weights), so the parts add up to the change. In a month
# with too few deals won, or deals won the day they were created, velocity is not meaningful and is not compared.

# %%
say("{text}", text=story.velocity_sentence(review.velocity, review.velocity_unstable, report.currency))
table(tables.velocity_table(review, calendar, report.currency))

# %% [markdown]
# ## Lost reasons by stage
#
# Deals lost in the last twelve months, by their lost reason and the stage they were lost at (the last open stage
# their history records, as the team review counts it).

# %%
say("{text}", text=story.lost_reasons_sentence(review, ttm.label))
for reasons in tables.lost_reason_tables(review):
    display(table(reasons, dict.fromkeys(reasons.columns[1:], count)))
