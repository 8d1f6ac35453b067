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

# %%
# papermill_description=Load_data
from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.health import checks as data_health
from salesops_helpers.analyses.health.summary import health_summary
from salesops_helpers.presentation.charts import general as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path)
data = report.data
as_of = min(report.period.end, data.as_of)
past_due = data_health.past_due_open_deals(data, as_of)
readiness = data_health.analysis_readiness(data, as_of)

# %%
show_summary(health_summary(data, as_of, report.currency))

# %% [markdown]
# ## What the workbook read
#
# Each table, the file it came from, its rows and the dates it covers. Optional tables that are absent limit the
# analyses listed at the end of this report.

# %%
say(
    "Data for {company}, read from {folder}, runs up to {as_of}. Stages and open deals below are as the data "
    "stands on that day; overdue deals are judged against the end of {period}.",
    company=report.config.company.name,
    folder=data.origin,
    as_of=f"{data.as_of:%Y-%m-%d}",
    period=report.period.title,
)
table(data.summary(), {"rows": fmt.count}, reader_rows=None)

# %%
coverage = data_health.date_coverage(data)
gaps = coverage[coverage["empty_months"] > 0]
say(
    "{finding}",
    finding=(
        "Every table has rows in every month of its span: no gaps in the export."
        if gaps.empty
        else f"{len(gaps)} date column(s) have months without a single row, a sign of an incomplete export: "
        + "; ".join(f"{r.table}.{r.column}: {r.gaps}" for r in gaps.itertuples())
    ),
)
table(
    coverage,
    {"rows": fmt.count, "months": fmt.count, "empty_months": fmt.count},
    tones={"empty_months": data_health.flag_tone},
    reader_rows=None,
)

# %%
volume = data_health.monthly_volume(data)
busiest = volume.loc[volume["created"].idxmax()]
charts.monthly_volume_chart(
    volume,
    f"Deals created per month, {volume['month'].min():%b %Y} to {volume['month'].max():%b %Y}: "
    f"most in {busiest['month']:%b %Y} ({fmt.count(busiest['created'])})",
)

# %% [markdown]
# ## The data-quality log
#
# Problems found while loading, and what the workbook did about each. Errors stop the batch; warnings were repaired
# or worked around and are listed here so that readers know.

# %%
log = data.quality.to_frame()
say(
    "{finding}",
    finding="Loading found no problem at all." if log.empty else f"Loading recorded {len(log)} kind(s) of problem.",
)
(
    table(data_health.by_severity(log), {"count": fmt.count}, tones={"severity": data_health.severity_tone})
    if not log.empty
    else None
)

# %% [markdown]
# ## Missing values
#
# Empty cells per column. Required columns must be filled; optional ones enable extra analyses when they are.

# %%
missing = data_health.missing_values(data)
incomplete = missing[(missing["missing"] > 0) | ~missing["present"]]
say(
    "{text}",
    text=(
        f"All {fmt.count(len(missing))} columns are completely filled."
        if incomplete.empty
        else f"{fmt.count(len(missing) - len(incomplete))} of {fmt.count(len(missing))} columns are completely filled; "
        f"the {fmt.count(len(incomplete))} others are listed below."
    ),
)
# required columns first, then the emptiest
(
    table(
        incomplete.sort_values(["required", "share"], ascending=False, kind="stable"),
        {"missing": fmt.count, "share": fmt.percent},
        tones={"required": data_health.required_tone},
    )
    if not incomplete.empty
    else None
)

# %% [markdown]
# ## Duplicates and orphans
#
# References between tables that lead nowhere: deals owned by unknown reps, history for unknown deals, and the
# like. Exact duplicate rows were dropped while loading (see the data-quality log).

# %%
dropped = data_health.duplicates(data)
say(
    "{finding}",
    finding=(
        "No file repeated a row."
        if dropped["dropped"].sum() == 0
        else f"Loading dropped {fmt.count(dropped['dropped'].sum())} exact copies of earlier rows."
    ),
)
table(
    data_health.orphans(data, as_of).sort_values("rows", ascending=False, kind="stable"),
    {"rows": fmt.count},
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
largest = open_stages.loc[open_stages["amount"].idxmax()] if not open_stages.empty else None
charts.stage_amount_chart(
    open_stages,
    report.currency,
    (
        f"Most open value sits in {largest['stage']}: {report.money(largest['amount'])} "
        f"of {report.money(open_stages['amount'].sum())}"
        if largest is not None
        else "No open deals"
    ),
)

# %%
table(stages, {"deals": fmt.count, "amount": report.money, "share_of_deals": fmt.percent}, reader_rows=None)

# %% [markdown]
# ## Open deals already past their close date
#
# Open deals whose expected close date lies before the end of the period: the pipeline these deals inflate needs
# its close dates updated or the deals closed.

# %%
say(
    "{text}",
    text=(
        f"No open deal had a close date before {as_of:%Y-%m-%d}."
        if past_due.empty
        else f"{fmt.count(len(past_due))} open deal{'s' if len(past_due) != 1 else ''} worth "
        f"{report.money(past_due['amount'].sum())} had a close date before {as_of:%Y-%m-%d}"
        + ", listed below, the largest first."
    ),
)
table(past_due, {"amount": report.money, "days_overdue": fmt.count}) if not past_due.empty else None

# %% [markdown]
# ## Deals without an amount

# %%
no_amount = data_health.deals_without_amount(data)
say(
    "{finding}",
    finding=(
        "Every deal has an amount."
        if no_amount.empty
        else f"{fmt.count(len(no_amount))} deals have no amount (or 0); they count as deals but add nothing to value."
    ),
)
table(no_amount, {"amount": report.money}) if not no_amount.empty else None

# %% [markdown]
# ## What the data supports
#
# Each later analysis, whether this data supports it, and what is missing when it does not.

# %%
# the analyses the data cannot support first
table(data_health.by_readiness(readiness), reader_rows=None)
