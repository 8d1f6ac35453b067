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

# %%
# papermill_description=Compute_KPIs
from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.kpis.summary import WATCHED, kpi_summary
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.metrics import METRICS, kpi_series, targets
from salesops_helpers.metrics.glossary import catalogue_frame
from salesops_helpers.metrics.planning import revenue_plan
from salesops_helpers.presentation.charts import general as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path)
data, config = report.data, report.config
calendar = FiscalCalendar.from_config(config)
month = calendar.month(report.period.start)
as_of = min(month.end, data.as_of)
card = targets.scorecard(data, month, calendar).set_index("key")
goals = targets.goal_progress(data, calendar, as_of)
year = calendar.year(as_of)
ttm = calendar.trailing_twelve_months(as_of)
months = calendar.months_between(max(calendar.year_ago(ttm).start, data.opportunities["created_date"].min()), as_of)
trend = kpi_series(data, months)
goal = next((g for g in config.mission.goals if g.kpi == "bookings" and g.period == "fiscal_year"), None)
plan = revenue_plan(data, goal.target, year, calendar, as_of) if goal else None

# %%
show_summary(kpi_summary(card, goals, trend, plan, report.period.title, report.currency))

# %% [markdown]
# ## Mission and goals
#
# The mission and goals come from the workbook configuration (its `mission` section); each goal with a KPI is
# measured over its period so far.

# %%
say("**Mission.** {statement}", statement=config.mission.statement)
table(
    fmt.rows_by_unit(goals, ["target", "actual"], report.currency)[
        ["goal", "period", "elapsed", "target", "actual", "status"]
    ],
    {"elapsed": fmt.percent},
)

# %% [markdown]
# ## Baselines and trends
#
# Each KPI month by month over the last two years, against its trailing-twelve-month baseline and, where one is set,
# its monthly target. A baseline is a monthly figure: a sum divided by twelve, a rate pooled over the twelve months,
# and a snapshot (pipeline on a day, coverage, velocity, reps at quota) the mean of its twelve months.

# %%
baseline = targets.baseline_table(data, ttm, calendar).set_index("key")
shown = list(WATCHED)  # the KPIs the summary watches, drawn month by month
names = {m.key: m for m in METRICS}
monthly_targets = {key: targets.target_for(config, key, month) for key in shown}
best = trend.loc[trend["bookings"].idxmax()]
charts.kpi_trends_chart(
    trend,
    [(key, names[key].name, names[key].unit) for key in shown],
    baseline["baseline"].to_dict(),
    {key: value for key, value in monthly_targets.items() if value is not None},
    report.currency,
    f"Bookings peaked in {best['period_start']:%b %Y} at {report.money(best['bookings'])}; "
    f"the last twelve months booked {report.money(baseline.loc['bookings', 'baseline'] * 12)}",
)

# %%
table(
    fmt.rows_by_unit(baseline.reset_index(), ["baseline", "previous", "change"], report.currency, changes=("change",))[
        ["kpi", "baseline", "previous", "change"]
    ].rename(columns={"baseline": f"monthly baseline, {ttm.label}", "previous": "twelve months before"})
)

# %% [markdown]
# ## Scorecard for the month
#
# Each KPI this month against its target (a yearly or quarterly target for a sum is taken pro rata), the month before,
# and the same month a year ago.

# %%
table(
    fmt.rows_by_unit(
        card.reset_index(),
        ["actual", "target", "previous", "change", "year_ago", "change_year"],
        report.currency,
        changes=("change", "change_year"),
    )[["kpi", "actual", "target", "status", "previous", "change", "year_ago", "change_year", "note"]].rename(
        columns={"previous": "month before", "year_ago": "a year ago", "change_year": "change on a year"}
    )
)

# %%
from salesops_helpers.presentation.widgets import kpi_explorer

kpi_explorer(data, calendar, month) if interactive else None

# %% [markdown]
# ## From the revenue goal to the plan
#
# What is left of the year's bookings goal asks for in the months to come, through the last twelve months' win rate,
# deal size and sales cycle, and whether the current team, with new hires still ramping, can book it.

# %%
say(
    "{text}",
    text=(
        "The configuration sets no bookings goal for the fiscal year (mission.goals with kpi: bookings and period: "
        "fiscal_year), so there is no plan to work out."
        if plan is None
        else f"{year.label}'s goal is {report.money(plan.goal)}; {report.money(plan.booked)} is booked, so "
        f"{report.money(plan.remaining)} is left for the {plan.months_left} months to come."
    ),
)
say(
    "{text}",
    text=(
        ""
        if plan is None or plan.months_left == 0 or plan.remaining == 0
        else f"That takes about {fmt.count(plan.steps.loc[2, 'value'])} won deals out of "
        f"{fmt.count(plan.steps.loc[3, 'value'])} decided, working {report.money(plan.steps.loc[4, 'value'])} of "
        f"pipeline, about {report.money(plan.steps.loc[5, 'value'])} created each month. "
        + (
            "The data holds too few months of ramped reps to estimate what the current team can book."
            if not plan.capacity_known
            else f"The {fmt.count(plan.steps.loc[6, 'value'])} reps employed now can book about "
            f"{report.money(plan.capacity)} in that time with their ramp, "
            + (
                f"short of what is left by {report.money(plan.remaining - plan.capacity)}."
                if plan.capacity < plan.remaining
                else f"more than what is left by {report.money(plan.capacity - plan.remaining)}."
            )
        )
    ),
)
table(fmt.rows_by_unit(plan.steps, ["value"], report.currency)[["step", "value", "how"]]) if plan else None

# %% [markdown]
# ## The KPIs and how they are defined
#
# Every report computes these KPIs through the same definitions (the glossary `docs/metrics.md` is generated from
# them). Where practitioners differ, the convention chosen is stated.

# %%
table(catalogue_frame(), reader_rows=None)
