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
# # Data health
#
# Before anyone trusts a KPI: what data the workbook read, how complete and consistent it is, and which of the
# later analyses it can support.

# %% tags=["parameters"]
# Month to report on (YYYY-MM); empty means the last complete month in the data.
period = ""
# Folder of CSV or Parquet tables; empty means the bundled demo company.
data_dir = ""
# Workbook configuration (YAML); empty means config/workbook.yml.
config_path = ""
# Where the batch writes this run's files; empty when run by hand.
output_dir = ""
# True in JupyterLab; the batch sets it to False (static output only).
interactive = True
# Mapping file (YAML) that reads a CRM export in data_dir; empty when data_dir holds the canonical tables.
mapping_path = ""
# The day the data was taken (YYYY-MM-DD); empty means the data's own latest record (see `salesops check`).
as_of = ""

# %%
# papermill_description=Load_data
from salesops_helpers.analyses.health import checks as data_health
from salesops_helpers.analyses.health import count, health_summary, percent, story
from salesops_helpers.presentation.charts import general as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path, as_of)
data = report.data
judged_on = min(report.period.end, data.as_of)
past_due = data_health.past_due_open_deals(data, judged_on)
readiness = data_health.analysis_readiness(data, judged_on)

# %%
show_summary(health_summary(data, judged_on, report.currency))

# %% [markdown]
# ## What the workbook read
#
# Each table, the file it came from, its rows and the dates it covers. Optional tables that are absent limit the
# analyses listed at the end of this report.

# %%
say("{text}", text=story.source_sentence(report.config.company.name, data.origin, data.as_of, report.period.title))
table(data.summary(), {"rows": count}, reader_rows=None)

# %%
coverage = data_health.date_coverage(data)
say("{finding}", finding=story.coverage_sentence(coverage))
table(
    coverage,
    {"rows": count, "months": count, "empty_months": count},
    tones={"empty_months": data_health.flag_tone},
    reader_rows=None,
)

# %%
volume = data_health.monthly_volume(data)
charts.monthly_volume_chart(volume, story.volume_title(volume))

# %% [markdown]
# ## The data-quality log
#
# Problems found while loading, and what the workbook did about each. Errors stop the batch; warnings were repaired
# or worked around and are listed here so that readers know.

# %%
log = data.quality.to_frame()
say("{finding}", finding=story.quality_log_sentence(log))
table(
    data_health.by_severity(log),
    {"count": count},
    tones={"severity": data_health.severity_tone},
) if len(log) else None

# %% [markdown]
# ## Missing values
#
# Empty cells per column. Required columns must be filled; optional ones enable extra analyses when they are.

# %%
missing = data_health.missing_values(data)
say("{text}", text=story.missing_values_sentence(missing))
# required columns first, then the emptiest
incomplete = data_health.incomplete_columns(missing)
table(
    incomplete,
    {"missing": count, "share": percent},
    tones={"required": data_health.required_tone},
) if len(incomplete) else None

# %% [markdown]
# ## Duplicates and orphans
#
# References between tables that lead nowhere: deals owned by unknown reps, history for unknown deals, and the
# like. Exact duplicate rows were dropped while loading (see the data-quality log).

# %%
dropped = data_health.duplicates(data)
say("{finding}", finding=story.duplicates_sentence(dropped))
table(
    data_health.orphans(data, judged_on).sort_values("rows", ascending=False, kind="stable"),
    {"rows": count},
    tones={"rows": data_health.flag_tone},
    reader_rows=None,
)

# %% [markdown]
# ## Deals by stage
#
# The open pipeline by stage in the chart; every stage, closed ones included, in the table.

# %%
stages = data_health.stage_distribution(data)
open_stages = stages[stages["outcome"] == "open"]
charts.stage_amount_chart(open_stages, report.currency, story.open_value_title(open_stages, report.currency))

# %%
table(stages, {"deals": count, "amount": report.money, "share_of_deals": percent}, reader_rows=None)

# %% [markdown]
# ## Open deals already past their close date
#
# Open deals whose expected close date lies before the end of the period: the pipeline these deals inflate needs
# its close dates updated or the deals closed.

# %%
say("{text}", text=story.past_due_sentence(past_due, judged_on, report.currency))
table(past_due, {"amount": report.money, "days_overdue": count}, name="past due") if len(past_due) else None

# %% [markdown]
# ## Deals without an amount

# %%
no_amount = data_health.deals_without_amount(data)
say("{finding}", finding=story.no_amount_sentence(no_amount))
table(no_amount, {"amount": report.money}, name="no amount") if len(no_amount) else None

# %% [markdown]
# ## What the data supports
#
# Each later analysis, whether this data supports it, and what is missing when it does not.

# %%
# the analyses the data cannot support first
table(data_health.by_readiness(readiness), reader_rows=None)
