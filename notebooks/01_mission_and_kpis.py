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
# # Mission and KPIs
#
# The sales mission, the goals that make it measurable, and the KPIs that track them: where each stands this
# period, against its target, its recent past and its twelve-month baseline, and what the revenue goal asks of
# pipeline and people.

# %% tags=["parameters"]
# Month to report on (YYYY-MM); empty means the last complete month in the data.
period = ""
# Folder of CSV or Parquet tables; empty means the bundled demo company.
data_dir = ""
# Workbook configuration (YAML); empty means config/workbook.yml.
config_path = ""
# Where the batch writes this run's files; empty when run by hand.
output_dir = ""
# True in JupyterLab (adds the KPI explorer); the batch sets it to False.
interactive = True
# Mapping file (YAML) that reads a CRM export in data_dir; empty when data_dir holds the canonical tables.
mapping_path = ""
# The day the data was taken (YYYY-MM-DD); empty means the data's own latest record (see `salesops check`).
as_of = ""

# %%
# papermill_description=Compute_KPIs
from salesops_helpers.analyses.kpis import (
    baselines_table,
    catalogue_frame,
    goals_table,
    kpi_figures,
    kpi_summary,
    plan_table,
    scorecard_table,
    story,
    watched_kpis,
)
from salesops_helpers.presentation.charts import general as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path, as_of)
figures = kpi_figures(report.data, report.config, report.period.start)
plan = figures.plan

# %%
show_summary(kpi_summary(figures.card, figures.goals, figures.trend, plan, report.period.title, report.currency))

# %% [markdown]
# ## Mission and goals
#
# The mission and goals come from the workbook configuration (its `mission` section); each goal with a KPI is
# measured over its period so far.

# %%
say("**Mission.** {statement}", statement=story.mission_statement(report.config.mission))
table(goals_table(figures.goals, report.currency), name="goals")

# %% [markdown]
# ## Baselines and trends
#
# Each KPI month by month over the last two years, against its trailing-twelve-month baseline and, where one is set,
# its monthly target. A baseline is a monthly figure: a sum divided by twelve, a rate pooled over the twelve months,
# and a snapshot (pipeline on a day, coverage, velocity, reps at quota) the mean of its twelve months.

# %%
# the KPIs the summary watches, drawn month by month
charts.kpi_trends_chart(
    figures.trend,
    watched_kpis(),
    figures.baselines,
    figures.monthly_targets,
    report.currency,
    story.bookings_trend_title(figures.trend, figures.baseline, report.currency),
)

# %%
table(baselines_table(figures.baseline, figures.ttm, report.currency), name="baselines")

# %% [markdown]
# ## Scorecard for the month
#
# Each KPI this month against its target (a yearly or quarterly target for a sum is taken pro rata), the month before,
# and the same month a year ago.

# %%
table(scorecard_table(figures.card, report.currency), name="kpi scorecard")

# %%
from salesops_helpers.presentation.widgets import kpi_explorer

kpi_explorer(report.data, figures.calendar, figures.month) if interactive else None

# %% [markdown]
# ## From the revenue goal to the plan
#
# What is left of the year's bookings goal asks for in the months to come, through the last twelve months' win rate,
# deal size and sales cycle, and whether the current team, with new hires still ramping, can book it.

# %%
say("{text}", text=story.plan_standing(plan, report.currency))
say("{text}", text=story.plan_needs(plan, report.currency))
table(plan_table(plan, report.currency), name="revenue plan") if plan else None

# %% [markdown]
# ## The KPIs and how they are defined
#
# Every report computes these KPIs through the same definitions (the glossary `docs/metrics.md` is generated from
# them). Where practitioners differ, the convention chosen is stated.

# %%
table(catalogue_frame(), reader_rows=None, name="metric catalogue")
