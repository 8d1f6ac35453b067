"""A page per team or rep: the scorecard, the people in it and twelve months of bookings against quota.

The batch shows every team's page; in JupyterLab a picker redraws one page from figures computed once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from IPython.display import display

from salesops_helpers import formatting
from salesops_helpers.analyses.team.coaching import CoachingReview
from salesops_helpers.analyses.team.scorecards import by_gap_to_quota, scorecard, scorecard_table, to_date_periods
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.presentation.charts.team import bookings_against_quota_chart
from salesops_helpers.presentation.report import say


@dataclass(frozen=True)
class TeamReview:
    """Scorecards of every team and rep for the month, quarter and year to date, and their months, computed once."""

    periods: dict[str, Period]
    teams: dict[str, pd.DataFrame]  # period key -> team scorecard
    reps: dict[str, pd.DataFrame]  # period key -> rep scorecard (with team)
    company: dict[str, pd.DataFrame]  # period key -> one-row company scorecard
    rep_months: pd.DataFrame  # rep_months rows of the trailing twelve months
    coaching: CoachingReview
    currency: str

    def team_names(self) -> list[str]:
        """The teams with a year-to-date scorecard, in name order."""
        return sorted(self.teams["year to date"]["team"])

    def teams_and_company(self, period_key: str) -> pd.DataFrame:
        """The team scorecard of a period with the company's row last."""
        company = self.company[period_key].assign(team="Company")
        return pd.concat([self.teams[period_key], company], ignore_index=True)


def team_review(
    data: SalesData, calendar: FiscalCalendar, month: Period, rep_months: pd.DataFrame, coaching: CoachingReview
) -> TeamReview:
    """Every scorecard the pages and the picker show, for the month, its quarter to date and its year to date."""
    periods = to_date_periods(calendar, month)
    window = calendar.trailing_twelve_months(month.end)
    known = data.reps["rep_id"]
    return TeamReview(
        periods,
        {key: scorecard(data, period, ["team"]) for key, period in periods.items()},
        # deals of owners missing from the reps table count for their team and the company, not as a rep
        {key: known_reps(scorecard(data, period, ["team", "rep"]), known) for key, period in periods.items()},
        {key: scorecard(data, period, []) for key, period in periods.items()},
        rep_months[window.contains(rep_months["period_start"])],
        coaching,
        data.config.company.reporting_currency,
    )


def known_reps(frame: pd.DataFrame, known: pd.Series) -> pd.DataFrame:
    """The rows of a rep table whose rep is in the reps table."""
    return frame[frame["rep_id"].isin(known)].reset_index(drop=True)


def choices(review: TeamReview) -> list[tuple[str, str]]:
    """The picker's options: each team, then each rep under it, as (label, value) with values 'team:X' / 'rep:ID'."""
    options = []
    reps = review.reps["year to date"]
    for team in review.team_names():
        options.append((team, f"team:{team}"))
        for rep in reps[reps["team"] == team].sort_values("rep").itertuples():
            options.append((f"    {rep.rep}", f"rep:{rep.rep_id}"))
    return options


def show_page(review: TeamReview, choice: str, period_key: str) -> None:
    """Show the page of a team ('team:<name>') or a rep ('rep:<id>') for one of the review's periods."""
    kind, _, value = choice.partition(":")
    period = review.periods[period_key]
    months = review.rep_months
    if kind == "team":
        row = review.teams[period_key][review.teams[period_key]["team"] == value]
        members = review.reps[period_key][review.reps[period_key]["team"] == value]
        name, monthly = value, months[months["team"] == value]
    else:
        row = review.reps[period_key][review.reps[period_key]["rep_id"] == value]
        members = row
        name = row["rep"].iloc[0] if len(row) else value
        monthly = months[months["rep_id"] == value]
    if row.empty:
        say("{name} has no deals or quota in {period}.", name=name, period=period.label)
        return
    first = row.iloc[0]
    closed = first["won_deals"] + first["lost_deals"]
    say(
        "**{name}, {period}**: booked {bookings}{against}, {closed_text}.",
        name=name,
        period=period.label,
        bookings=formatting.money(first["bookings"], review.currency),
        against=(
            f" against a quota of {formatting.money(first['quota'], review.currency)} "
            f"({formatting.percent(first['attainment'])})"
            if pd.notna(first["quota"]) and first["quota"] > 0
            else " (no quota set)"
        ),
        closed_text=(
            f"won {formatting.count(first['won_deals'])} of {formatting.count(closed)} closed "
            f"deal{'' if closed == 1 else 's'} ({formatting.percent(first['win_rate'])})"
            if closed > 0
            else "closed no deal"
        ),
    )
    shown = pd.concat([row, review.company[period_key].assign(team="Company")]) if kind == "team" else row
    display(scorecard_table(shown, review.currency, reader_rows=None))
    if kind == "team":
        display(scorecard_table(by_gap_to_quota(members.drop(columns="team")), review.currency))
    else:
        flagged = review.coaching.flagged
        evidence = flagged[flagged["rep_id"] == value]
        if len(evidence):
            say("Coaching signal: {text}.", text=evidence.iloc[0]["evidence"])
    by_month = monthly.groupby("period_start", as_index=False)[["bookings", "quota"]].sum(min_count=1)
    if len(by_month):
        with_quota = by_month["quota"] > 0
        months_at = int((with_quota & (by_month["bookings"] >= by_month["quota"])).sum())
        with_quota = int(with_quota.sum())
        display(
            bookings_against_quota_chart(
                by_month,
                review.currency,
                f"{name} reached the monthly quota in {months_at} of {with_quota} months with a quota",
            )
        )
