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

# %%
# papermill_description=Rebuild_stage_stays
from IPython.display import display

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.process.funnel import cohort_tone
from salesops_helpers.analyses.process.open_deals import stage_distribution
from salesops_helpers.analyses.process.review import (
    GROUPINGS,
    NOT_ENOUGH,
    bottleneck_sentence,
    flows_note,
    longest_stage_sentence,
    pivot_next_step,
    returns_sentence,
    review_process,
    slippage_sentence,
    stalled_sentence,
    truncated_note,
    velocity_sentence,
    waterfall_sentence,
    whole_deals,
    without_history_note,
)
from salesops_helpers.analyses.process.summary import process_summary
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.metrics import kpi_table
from salesops_helpers.presentation.charts import process as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path)
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
    {"deals": fmt.count, "amount": report.money, "share": fmt.percent, "median age": fmt.days},
)

# %%
outcomes = kpi_table(
    data, ttm, ["segment"], ["won_deals", "lost_deals", "win_rate", "avg_deal_size", "sales_cycle_days"]
).formatted(report.currency)
say("Win rates and sales cycles by segment, {ttm}:", ttm=ttm.label)
table(
    outcomes.rename(
        columns={
            "won_deals": "won",
            "lost_deals": "lost",
            "win_rate": "win rate",
            "avg_deal_size": "average deal",
            "sales_cycle_days": "median cycle (won)",
        }
    )
)

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
say(
    "{text}",
    text=(
        f"The review rebuilds {fmt.count(len(review.stays))} stage stays of {fmt.count(len(review.paths))} deals "
        f"from the history saved up to {review.as_of:%Y-%m-%d}; a stay still going counts up to the end of that day. "
        f"{returns_sentence(review)} {truncated_note(review)}"
        if review.has_history
        else without_history_note()
    ),
)
table(
    review.stage_time.rename(
        columns={
            "deals": "deals that entered",
            "re_entered": "entered more than once",
            "returns": "times come back",
            "latest_days": "median latest stay",
            "cumulative_days": "median cumulative time",
        }
    ),
    {
        "deals that entered": fmt.count,
        "entered more than once": fmt.count,
        "times come back": fmt.count,
        "median latest stay": fmt.days,
        "median cumulative time": fmt.days,
    },
) if review.has_history else None

# %% [markdown]
# ## Funnel
#
# For each stage: the deals that entered it, the share that moved on (to a later stage, or won), and the share of
# all deals that got at least that far (a deal that skipped a stage on its way further counts as having got that
# far). Deals still in a stage count as not yet moved on, so recent cohorts look worse than they will: those created
# too recently to judge are marked.

# %%
say(
    "{text}",
    text=(
        f"Of {fmt.count(review.funnel['deals'].iloc[0])} deals with a history, "
        f"{fmt.percent(review.funnel['cumulative'].iloc[-1])} were won; the stage that lets the fewest deals move on "
        f"is {review.funnel.loc[review.funnel['next_step'].idxmin(), 'stage']} "
        f"({fmt.percent(review.funnel['next_step'].min())})."
        if review.has_history and review.funnel["next_step"].notna().any()
        else f"The funnel needs the history table and deals in it: {NOT_ENOUGH} here."
    ),
)
table(
    review.funnel.rename(
        columns={"moved_on": "moved on", "next_step": "moved on (share)", "cumulative": "got this far"}
    ),
    {
        "deals": fmt.count,
        "entered": fmt.count,
        "moved on": fmt.count,
        "reached": fmt.count,
        "moved on (share)": fmt.percent,
        "got this far": fmt.percent,
    },
) if review.has_history else None

# %%
charts.funnel_chart(
    review.funnel,
    f"{fmt.percent(review.funnel['cumulative'].iloc[-1])} of deals are won; "
    f"{review.funnel.loc[review.funnel['next_step'].idxmin(), 'stage']} lets the fewest move on",
) if review.has_history and review.funnel["next_step"].notna().any() else None

# %%
say(
    "{text}",
    text="Share of deals moving on from each stage, by segment, team and lead source (won: share of all deals won)."
    if review.has_history
    else "Funnels by segment, team and lead source need the history table.",
)
for key, label in GROUPINGS.items():
    display_table = pivot_next_step(review.funnels_by[key], key, open_stages) if review.has_history else None
    display(
        table(
            display_table.rename(columns={key: label}),
            dict.fromkeys([*open_stages, "won"], fmt.percent) | {"deals": fmt.count},
        )
    ) if (display_table is not None) else None

# %%
say(
    "{text}",
    text=f"By creation quarter (fiscal): cohorts whose last day is less than {fmt.days(review.settle_days)} before "
    f"{review.as_of:%Y-%m-%d} are marked too young to judge: nine deals in ten are won or lost within that time "
    "(Kaplan-Meier, deals still open counted as still going)."
    if review.has_history
    else "Funnels by creation cohort need the history table.",
)
table(
    pivot_next_step(review.cohorts, "cohort", open_stages).merge(
        review.cohorts[["cohort", "judged"]].drop_duplicates(), on="cohort"
    ),
    dict.fromkeys([*open_stages, "won"], fmt.percent) | {"deals": fmt.count},
    tones={"judged": cohort_tone},
    reader_rows=None,
) if review.has_history else None

# %% [markdown]
# ## Time in stage
#
# How long stays in each stage last. Deals still in a stage have not finished their stay: counting only finished
# stays understates how long a stage takes. The Kaplan-Meier estimate counts a stay still going as lasting at least
# as long as it has so far; the closed-only figures stand beside it so the difference shows.

# %%
say(
    "{text}",
    text=(
        longest_stage_sentence(review.times)
        if review.has_history and review.times["km_median"].notna().any()
        else f"Time in stage needs the history table and finished stays: {NOT_ENOUGH} here."
    ),
)
table(
    review.times.rename(
        columns={
            "still_in": "still going",
            "km_median": "median",
            "km_p75": "p75",
            "km_p90": "p90",
            "naive_median": "median (finished only)",
            "naive_p75": "p75 (finished only)",
            "naive_p90": "p90 (finished only)",
        }
    ),
    dict.fromkeys(
        ["median", "p75", "p90", "median (finished only)", "p75 (finished only)", "p90 (finished only)"], fmt.days
    )
    | dict.fromkeys(["stays", "still going"], fmt.count),
) if review.has_history else None

# %%
charts.time_in_stage_chart(
    review.times,
    f"One {review.times.loc[review.times['km_p90'].idxmax(), 'stage']} stay in ten lasts over "
    f"{fmt.days(review.times['km_p90'].max())}; finished stays alone say "
    f"{fmt.days(review.times.loc[review.times['km_p90'].idxmax(), 'naive_p90'])}",
) if review.has_history and review.times["km_p90"].notna().any() else None

# %% [markdown]
# ## Bottlenecks
#
# For each stage and segment: the share of deals moving on against the company's (the shortfall), and the share of
# a typical journey spent in the stage against the company's (so a segment's slower pace everywhere cancels out).
# Ranked by the deals short: how many more would have moved on at the company's rate. Groups with fewer than 20
# deals entering a stage are listed last, not ranked.

# %%
say("{text}", text=bottleneck_sentence(review) if review.has_history else "Bottlenecks need the history table.")
table(
    review.ranking[
        [
            "segment",
            "stage",
            "entered",
            "next_step",
            "company_next_step",
            "deals_short",
            "km_median",
            "time_share",
            "company_time_share",
        ]
    ].rename(
        columns={
            "next_step": "moved on",
            "company_next_step": "company moved on",
            "deals_short": "deals short",
            "km_median": "median days",
            "time_share": "time share",
            "company_time_share": "company time share",
        }
    ),
    {
        "entered": fmt.count,
        "moved on": fmt.percent,
        "company moved on": fmt.percent,
        "deals short": whole_deals,
        "median days": fmt.days,
        "time share": fmt.percent,
        "company time share": fmt.percent,
    },
    reader_rows=10,
) if review.has_history else None

# %% [markdown]
# ## Stalled deals
#
# Open deals that have sat in their current stage longer than nine stays in ten of that stage (its Kaplan-Meier
# p90), largest first.

# %%
say("{text}", text=stalled_sentence(review, report.currency))
table(
    review.stalled.rename(
        columns={"opportunity_id": "deal", "days_in_stage": "days in stage", "threshold_days": "stage p90"}
    ),
    {"amount": report.money, "days in stage": fmt.days, "stage p90": fmt.days},
) if review.has_history and len(review.stalled) else None

# %% [markdown]
# ## Slippage
#
# A push is a saved change that moves an open deal's expected close date later. Pushes per deal are counted for
# each rep over all the history up to the period's end. A slipped deal is open at the period's end with a close date
# after it, and was due in the period at some point of it: at its start, or at any change saved during it (so a deal
# that became due in the month and was then pushed out counts).

# %%
say("{text}", text=slippage_sentence(review, report.currency) if review.has_flows else flows_note(data))
charts.pushes_chart(
    review.per_rep[review.per_rep["compared"]],
    f"{review.per_rep['rep'].iloc[0]} pushes close dates {review.per_rep['pushes_per_deal'].iloc[0]:.1f} times per "
    "deal, the most of any rep",
) if review.has_flows and len(review.per_rep) and review.per_rep["compared"].iloc[0] and review.per_rep["pushes"].iloc[
    0
] > 0 else None

# %%
table(
    review.per_rep.drop(columns=["compared"]).rename(
        columns={"rep_id": "rep id", "pushed_deals": "deals pushed", "pushes_per_deal": "pushes per deal"}
    ),
    dict.fromkeys(["deals", "deals pushed", "pushes"], fmt.count) | {"pushes per deal": "{:.1f}".format},
) if review.has_flows else None

# %%
table(
    review.slipped.rename(
        columns={"opportunity_id": "deal", "close_date_then": "due then", "close_date_now": "due now"}
    ),
    {"amount": report.money},
) if review.has_flows and len(review.slipped) else None

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
say("{text}", text=waterfall_sentence(review, report.currency) if review.has_flows else flows_note(data))
charts.waterfall_chart(
    review.waterfall,
    report.currency,
    f"{report.money(review.waterfall['amount'].iloc[0])} was due in {month.start:%b %Y}: "
    f"{report.money(-review.waterfall.set_index('component').loc['won', 'amount'])} won, "
    f"{report.money(-review.waterfall.set_index('component').loc['lost', 'amount'])} lost, "
    f"{report.money(-review.waterfall.set_index('component').loc['pushed out', 'amount'])} pushed out",
) if review.has_flows else None

# %%
table(review.waterfall.drop(columns=["cents"]), {"amount": report.money, "deals": fmt.count}, reader_rows=None) if (
    review.has_flows
) else None

# %% [markdown]
# ## Sales velocity against the month before
#
# Velocity is the KPI glossary's: deals open at the period's start × win rate × average deal size ÷ sales-cycle
# days. Its change is split over the four factors (log-mean weights), so the parts add up to the change.

# %%
say("{text}", text=velocity_sentence(review.velocity, report.currency))
table(
    fmt.rows_by_unit(review.velocity, ["previous", "current"], report.currency)
    .assign(
        velocity_change=[
            fmt.change(value, "currency_per_day", report.currency) for value in review.velocity["velocity_change"]
        ]
    )[["factor", "previous", "current", "velocity_change"]]
    .rename(
        columns={
            "previous": calendar.previous(month).label,
            "current": month.label,
            "velocity_change": "part of change",
        }
    )
)

# %% [markdown]
# ## Lost reasons by stage
#
# Deals lost in the last twelve months, by their lost reason and the stage they were lost at (the last open stage
# their history records, as the team review counts it).

# %%
say(
    "{text}",
    text=(
        f"{review.lost_reasons.iloc[0]['reason']} is the most common reason, "
        f"{fmt.count(review.lost_reasons.iloc[0]['all stages'])} of "
        f"{fmt.count(review.lost_reasons['all stages'].sum())} deals lost in {ttm.label}."
        if review.lost_reasons is not None and len(review.lost_reasons)
        else "The data carries no lost reasons."
    ),
)
table(review.lost_reasons, dict.fromkeys(review.lost_reasons.columns[1:], fmt.count)) if (
    review.lost_reasons is not None and len(review.lost_reasons)
) else None
