"""A page per team or rep: the scorecard, the people in it and twelve months of bookings against quota.

The batch shows every team's page; in JupyterLab a picker redraws one page from figures computed once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers.analyses.team.coaching import CoachingReview
from salesops_helpers.analyses.team.scorecards import scorecard, to_date_periods
from salesops_helpers.analyses.team.shortlist import team_pages, team_pages_note
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData


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


def printed_teams(review: TeamReview, interactive: bool) -> list[str]:
    """The teams whose pages the report prints one after another: in the batch's static page every team, or beyond
    shortlist.MOST_TEAM_PAGES those furthest below and above quota this quarter; none in JupyterLab, where the picker
    shows any page."""
    if interactive:
        return []
    return team_pages(review.teams["quarter to date"], review.team_names())


def printed_teams_notes(review: TeamReview, interactive: bool) -> list[str]:
    """What the printed team pages leave out (shortlist.team_pages_note); nothing in JupyterLab."""
    return [] if interactive else team_pages_note(printed_teams(review, interactive), review.team_names())
