"""The team report's tables and pages on screen: scorecards and attainment as report tables, a team's or rep's page."""

from __future__ import annotations

import pandas as pd
from IPython.display import display

from salesops_helpers import formatting
from salesops_helpers.analyses.team import shortlist, story
from salesops_helpers.analyses.team.attainment import readable_by_team
from salesops_helpers.analyses.team.pages import TeamReview
from salesops_helpers.analyses.team.scorecards import attainment_tone, by_gap_to_quota, readable_scorecard
from salesops_helpers.presentation.charts.team import attainment_heatmap, bookings_against_quota_chart
from salesops_helpers.presentation.report import READER_ROWS, ReportTable, say, table


def scorecard_table(
    values: pd.DataFrame, currency: str, reader_rows: int | None = READER_ROWS, name: str = "", total_last: bool = False
) -> ReportTable:
    """A scorecard as a report table: readable_scorecard's columns, attainment coloured against the quota (the last
    row kept on the reader's page when it is the company's total)."""
    shown = readable_scorecard(values, currency)
    if "attainment" in values.columns:
        shown["attainment"] = values["attainment"].to_numpy(dtype=float)
    formats = {"attainment": formatting.percent}
    tones = {"attainment": attainment_tone}
    return table(shown, formats, tones=tones, reader_rows=reader_rows, name=name, total_last=total_last)


def team_attainment_table(by_team: pd.DataFrame, currency: str) -> ReportTable:
    """The attainment-by-team table for readers, every row shown, attainment coloured against the quota."""
    shown = readable_by_team(by_team, currency)
    shown["attainment"] = by_team["attainment"].to_numpy(dtype=float)
    return table(shown, {"attainment": formatting.percent}, tones={"attainment": attainment_tone}, reader_rows=None)


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
        say("{text}", text=story.empty_page_sentence(name, period.label))
        return
    say(
        "**{name}, {period}**: {text}.",
        name=name,
        period=period.label,
        text=story.page_sentence(row.iloc[0], review.currency),
    )
    shown = pd.concat([row, review.company[period_key].assign(team="Company")]) if kind == "team" else row
    display(scorecard_table(shown, review.currency, reader_rows=None))
    if kind == "team":
        display(scorecard_table(by_gap_to_quota(members.drop(columns="team")), review.currency, name=f"reps of {name}"))
    else:
        flagged = review.coaching.flagged
        evidence = flagged[flagged["rep_id"] == value]
        if len(evidence):
            say("Coaching signal: {text}.", text=evidence.iloc[0]["evidence"])
    by_month = monthly.groupby("period_start", as_index=False)[["bookings", "quota"]].sum(min_count=1)
    if len(by_month):
        display(bookings_against_quota_chart(by_month, review.currency, story.quota_months_title(name, by_month)))


def show_attainment_heatmap(by_month: pd.DataFrame, flagged: pd.Series, label: str) -> None:
    """The rep-by-month attainment chart over `label` (a shortlist of reps when there are many, with every rep in a
    table below it), or why there is none."""
    shown = shortlist.heatmap_rows(by_month, flagged)
    for title in story.heatmap_titles(by_month, label):
        display(attainment_heatmap(shown, title))
    for note in story.heatmap_notes(by_month) + shortlist.heatmap_note(shown, by_month):
        say("{text}", text=note)
    if len(shown) < len(by_month):
        ranked = by_month.iloc[by_month.mean(axis=1).to_numpy().argsort(kind="stable")].reset_index()
        months = {column: formatting.percent for column in by_month.columns}
        display(table(ranked, months, name="monthly attainment by rep"))
