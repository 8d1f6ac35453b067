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
# # Sales team performance
#
# How each team and rep did this month, this quarter and this year against quota and against each other: who is at
# quota, how new hires are ramping, who may need coaching (only where the gap is larger than chance explains), and
# how selling activity goes with results.

# %% tags=["parameters"]
# Month to report on (YYYY-MM); empty means the last complete month in the data.
period = ""
# Folder of CSV or Parquet tables; empty means the bundled demo company.
data_dir = ""
# Workbook configuration (YAML); empty means config/workbook.yml.
config_path = ""
# Where the batch writes this run's files; empty when run by hand.
output_dir = ""
# True in JupyterLab (adds the team and rep picker); the batch sets it to False.
interactive = True
# Mapping file (YAML) that reads a CRM export in data_dir; empty when data_dir holds the canonical tables.
mapping_path = ""
# The day the data was taken (YYYY-MM-DD); empty means the data's own latest record (see `salesops check`).
as_of = ""

# %%
# papermill_description=Compute_team_figures
from IPython.display import display

from salesops_helpers.analyses.team import FiscalCalendar, activity, attainment, ramp, story
from salesops_helpers.analyses.team.coaching import coaching_review, signal_tone
from salesops_helpers.analyses.team.pages import printed_teams, printed_teams_notes, team_review
from salesops_helpers.analyses.team.rep_months import rep_months
from salesops_helpers.analyses.team.roster import roster
from salesops_helpers.analyses.team.scorecards import by_gap_to_quota, scorecard, to_date_periods
from salesops_helpers.analyses.team.summary import team_summary
from salesops_helpers.presentation.charts import team as charts
from salesops_helpers.presentation.report import open_report, say, table
from salesops_helpers.presentation.summary import show_summary
from salesops_helpers.presentation.team import (
    scorecard_table,
    show_attainment_heatmap,
    show_page,
    team_attainment_table,
)

report = open_report(period, data_dir, config_path, output_dir, interactive, mapping_path, as_of)
data, config, currency = report.data, report.config, report.currency
calendar = FiscalCalendar.from_config(config)
month = calendar.month(report.period.start)
periods = to_date_periods(calendar, month)
quarter, year = periods["quarter to date"], periods["year to date"]
window = calendar.trailing_twelve_months(month.end)
months = rep_months(data, calendar.months_between(data.opportunities["created_date"].min(), month.end))
coaching = coaching_review(data, window, months, currency)
review = team_review(data, calendar, month, months, coaching)
by_team = attainment.attainment_by_team(data, quarter)
curve = ramp.ramp_curve(months, "deals_created")
ramp_months = ramp.ramp_months(months, "deals_created")
hires = ramp.ramp_by_rep(months, "deals_created")
team_roster = roster(data, month)
activities = activity.activity_by_rep(data, window)
teams = data.reps["team"].dropna().unique()

# %%
show_summary(team_summary(data, calendar, review, ramp_months))

# %% [markdown]
# ## Scorecards
#
# Each team for the month, the quarter to date and the fiscal year to date, with the company below. The win rate's
# 90% interval (Wilson) shows how much a rate built on few deals can move by chance. Attainment is coloured against
# the quota to date: at or above it, or below it. Definitions are in the metric glossary (`docs/metrics.md`).

# %%
for key, shown_period in periods.items():
    say("**Teams, {label}**", label=shown_period.label)
    teams_table = scorecard_table(review.teams_and_company(key), currency, None, f"teams {key}", total_last=True)
    display(teams_table)

# %% [markdown]
# ### Managers and regions, quarter to date
#
# Furthest below quota first.

# %%
scorecard_table(by_gap_to_quota(scorecard(data, quarter, ["manager"])), currency, None, "managers quarter to date")

# %%
scorecard_table(by_gap_to_quota(scorecard(data, quarter, ["region"])), currency, None, "regions quarter to date")

# %% [markdown]
# ### Reps, quarter to date
#
# Furthest below quota first; reps without a quota last.

# %%
scorecard_table(by_gap_to_quota(review.reps["quarter to date"]), currency, name="reps quarter to date")

# %% [markdown]
# ## Quota attainment
#
# How attainment spreads across the reps with a quota this quarter, team by team, who leads, and each rep's
# attainment month by month over the last twelve months.

# %%
quarter_reps = attainment.rep_attainment(data, quarter)
team_attainment_table(by_team, currency)

# %%
for title in story.attainment_chart_titles(quarter_reps, quarter.label):
    display(charts.attainment_histogram(quarter_reps, title, teams=teams))
for note in story.attainment_notes(quarter_reps, quarter.label):
    say("{text}", text=note)

# %% [markdown]
# ### Leaderboards
#
# Bookings rank as they are. Win rates rank by the low end of their 90% interval, so that a rep
# with two wins out of three deals does not top a rep with forty out of a hundred.

# %%
for key in ("quarter to date", "year to date"):
    say("**{label}, by bookings**", label=periods[key].label)
    display(scorecard_table(attainment.leaderboard(review.reps[key], "bookings"), currency))
    say("**{label}, by win rate** (low end of the 90% interval)", label=periods[key].label)
    display(scorecard_table(attainment.leaderboard(review.reps[key], "win_rate_low"), currency))

# %%
heatmap = attainment.attainment_by_month(data, calendar.months_between(window.start, window.end))
show_attainment_heatmap(heatmap, coaching.flagged["rep"], window.label)

# %% [markdown]
# ## New-hire ramp
#
# Each new hire's monthly output as a share of what the established reps of the same team (more than twelve months
# in) produce in the same calendar month, by tenure month (month 1 is the month of hire). Deal creation is the
# leading measure; bookings follow it by a sales cycle. A rep counts as ramped from the month when three months in a
# row average 90% of an established rep's output.

# %%
bookings_curve = ramp.ramp_curve(months, "bookings")
for title in story.ramp_chart_titles(curve, ramp_months):
    display(charts.ramp_chart({"deals created": curve, "bookings": bookings_curve}, title))
for note in story.ramp_notes(curve):
    say("{text}", text=note)

# %%
say("{text}", text=story.ramp_summary(ramp_months, ramp.ramp_months(months, "bookings"), len(hires)))
table(ramp.readable_ramp(hires), reader_rows=None, name="new hires")

# %% [markdown]
# ## Coaching signals
#
# Established reps (past their first year for the whole of the last twelve months) compared with the other
# established reps of their team over those months, on win rate, deal size and deals created a month. A rep is
# flagged on a measure only when a test comparing the two samples puts the shortfall beyond chance, corrected for
# the number of reps tested: each measure flags anyone by luck alone at most one month in ten, so across the three
# measures about one report in four can carry a chance flag. A signal opens a conversation; it does not settle one.
# Where the deal history exists, the stage where the rep loses the largest share of closed deals beyond their
# peers' share is named.

# %%
for note in story.coaching_notes(coaching):
    say("{text}", text=note)
for point in story.coaching_points(coaching):
    say("- **{rep}** ({team}) {evidence}; {stage}.", **point)

# %%
table(coaching.table(currency), tones={"signals": signal_tone}, name="coaching signals")

# %% [markdown]
# ## Activity and outcome
#
# Logged activities over the last twelve months beside each rep's results. Busy reps are not necessarily the ones
# who win, and activity that is not logged is not counted: these figures show how the two move together, not that
# one causes the other. The table ranks reps by activities per won deal, highest first (reps who logged activity
# but won nothing lead).

# %%
say("{text}", text=story.activity_summary(activities, window.label))

# %%
for title in story.activity_chart_titles(activities):
    display(charts.activity_chart(activities, currency, title, teams=teams))

# %%
table(activity.readable(activities, currency), name="activity by rep") if len(activities) else None

# %% [markdown]
# ## Who was on the team
#
# Reps who joined or left in the month, deals whose owner is not in the reps table, and reps without a quota: each
# changes how the figures above read.

# %%
say("{text}", text=story.roster_summary(team_roster, month.label, currency))

# %% [markdown]
# ## Team and rep pages
#
# Each team's scorecard against the company, its reps, and twelve months of bookings against quota. In JupyterLab
# a picker chooses any team or rep and the period.

# %%
from salesops_helpers.presentation.widgets import team_picker

team_picker(review) if interactive else None

# %%
for note in printed_teams_notes(review, interactive):
    say("{text}", text=note)
for team in printed_teams(review, interactive):
    say("### {team}", team=team)
    show_page(review, f"team:{team}", "quarter to date")
