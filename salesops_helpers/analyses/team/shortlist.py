"""Which reps and teams a reader's page shows when there are too many to show them all.

A page for a company of 4,000 reps must read as well as one for 25: up to a limit every rep or team is shown; beyond
it, those furthest below and furthest above quota and the ones flagged for coaching, with every row kept in the
analyst's notebook and a CSV file beside the page.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from salesops_helpers.formatting import count, plural

# Up to this many reps, a rep-by-month chart shows every rep.
MOST_REPS_SHOWN = 30
# Beyond it, this many reps from each end of the attainment ranking, and every flagged rep (up to the limit).
EACH_END = 10
# Up to this many teams, the report prints every team's page; beyond it, half of them from each end.
MOST_TEAM_PAGES = 8


def heatmap_rows(by_month: pd.DataFrame, flagged: Iterable[str] = ()) -> pd.DataFrame:
    """The rows (team, rep) of a rep-by-month attainment table that a chart shows: all up to MOST_REPS_SHOWN; beyond,
    the EACH_END reps with the lowest and the highest mean attainment over the months and the flagged reps (by rep
    name), in the table's order."""
    if len(by_month) <= MOST_REPS_SHOWN:
        return by_month
    mean = by_month.mean(axis=1, skipna=True).sort_values(kind="stable")
    ends = [*mean.index[:EACH_END], *mean.index[-EACH_END:]]
    names = set(map(str, flagged))
    marked = [key for key in by_month.index if str(key[1]) in names and key not in ends]
    keep = set(ends + marked[: max(MOST_REPS_SHOWN - len(ends), 0)])
    return by_month[[key in keep for key in by_month.index]]


def heatmap_note(shown: pd.DataFrame, by_month: pd.DataFrame) -> list[str]:
    """What the heatmap leaves out, when it shows fewer reps than the table holds; nothing when it shows them all."""
    if len(shown) >= len(by_month):
        return []
    return [
        f"The chart shows {count(len(shown))} of the {plural(len(by_month), 'rep')} with a quota: the "
        f"{EACH_END} furthest below and the {EACH_END} furthest above their monthly quota on average, and the reps "
        "flagged for coaching. The table below holds every rep."
    ]


def team_pages(attainment: pd.DataFrame, teams: list[str]) -> list[str]:
    """The teams whose pages a static report prints: all up to MOST_TEAM_PAGES; beyond, the teams furthest below
    and furthest above quota (attainment has team and attainment), half from each end, in the given order."""
    if len(teams) <= MOST_TEAM_PAGES:
        return teams
    ranked = attainment.dropna(subset=["attainment"]).sort_values(["attainment", "team"], kind="stable")
    ranked_teams = [str(team) for team in ranked["team"] if team in teams]
    half = MOST_TEAM_PAGES // 2
    chosen = set(ranked_teams[:half] + ranked_teams[-half:]) if ranked_teams else set(teams[:MOST_TEAM_PAGES])
    return [team for team in teams if team in chosen]


def team_pages_note(printed: list[str], teams: list[str]) -> list[str]:
    """What the printed team pages leave out, when they are fewer than the teams; nothing when every team has one."""
    if len(printed) >= len(teams):
        return []
    return [
        f"Pages of {count(len(printed))} of the {plural(len(teams), 'team')}: the "
        f"{MOST_TEAM_PAGES // 2} furthest below and the {MOST_TEAM_PAGES // 2} furthest above quota, quarter to "
        "date. In JupyterLab the picker shows any team or rep."
    ]
