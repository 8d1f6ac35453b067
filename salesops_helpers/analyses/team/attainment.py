"""Quota attainment across the team: who reached quota, how attainment spreads, leaderboards, month by month."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_series, kpi_table


def rep_attainment(data: SalesData, period: Period) -> pd.DataFrame:
    """Bookings, quota and attainment per rep with a quota above 0 in the period, with the rep's team."""
    values = kpi_table(data, period, ["team", "rep"], ["bookings", "quota", "attainment"]).values
    return values[values["quota"] > 0].reset_index(drop=True)


def attainment_by_team(data: SalesData, period: Period) -> pd.DataFrame:
    """Per team and for the company: reps with a quota, the share of them at or above quota, and team attainment."""
    metrics = ["quota", "bookings", "attainment", "reps_at_quota"]
    teams = kpi_table(data, period, ["team"], metrics).values
    company = kpi_table(data, period, [], metrics).values.assign(team="Company")
    both = pd.concat([teams, company], ignore_index=True)
    reps = rep_attainment(data, period)
    counts = reps.groupby("team").agg(reps_with_quota=("rep_id", "size"), median_attainment=("attainment", "median"))
    counts.loc["Company"] = [len(reps), reps["attainment"].median()]
    both = both.merge(counts, left_on="team", right_index=True, how="left")
    both["reps_with_quota"] = both["reps_with_quota"].fillna(0).astype(int)
    return both[both["quota"] > 0].reset_index(drop=True)


LEADERBOARD_COLUMNS = ["team", "rep", "bookings", "quota", "attainment", "won_deals", "win_rate", "avg_deal_size"]


def leaderboard(scorecard: pd.DataFrame, metric: str, top: int = 5) -> pd.DataFrame:
    """The reps of a rep scorecard ranked by one metric, highest first (reps without a value left out), at most
    `top` of them, with the columns a leaderboard shows."""
    ranked = scorecard.dropna(subset=[metric]).sort_values([metric, "rep"], ascending=[False, True])
    ranked = ranked.head(top).reset_index(drop=True)
    columns = [c for c in LEADERBOARD_COLUMNS if c in ranked.columns] + ["win_rate_low", "win_rate_high"]
    return ranked[columns]


def attainment_by_month(data: SalesData, months: list[Period]) -> pd.DataFrame:
    """Rep × month attainment (rows: team and rep name, one per rep; columns: month labels); missing where the rep had
    no quota."""
    series = kpi_series(data, months, ["team", "rep"], ["attainment"])
    if series.empty:
        return pd.DataFrame()
    # keyed by rep id, so that two reps of the same name stay two rows; unstacked, not pivoted with every combination
    # of team, name and id (which grows as their product)
    attainment = series.set_index(["team", "rep", "rep_id", "period_start"])["attainment"].astype(float)
    table = attainment.unstack("period_start").sort_index()
    table = table.reindex(columns=sorted(series["period_start"].unique()))
    table = table.dropna(how="all").droplevel("rep_id")
    table.columns = [f"{day:%Y-%m}" for day in table.columns]
    return table


def readable_by_team(by_team: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The attainment-by-team table as text for people."""
    return pd.DataFrame(
        {
            "team": by_team["team"],
            "quota": [formatting.money(v, currency) for v in by_team["quota"]],
            "bookings": [formatting.money(v, currency) for v in by_team["bookings"]],
            "attainment": by_team["attainment"].map(formatting.percent),
            "reps with a quota": by_team["reps_with_quota"],
            "reps at or above quota": by_team["reps_at_quota"].map(formatting.percent),
            "median rep attainment": by_team["median_attainment"].map(formatting.percent),
        }
    )


def reps_at_or_above(rep_attainment: pd.DataFrame) -> int:
    """How many of the reps with a quota have attainment ≥ 100% (bookings ≥ quota)."""
    return int((rep_attainment["attainment"] >= 1).sum())


def share_of_rep_months_at_quota(by_month: pd.DataFrame) -> float:
    """Rep-months with attainment ≥ 100% ÷ rep-months with a quota above 0 (missing when there are none)."""
    with_quota = int(by_month.notna().sum().sum())
    return float((by_month >= 1).sum().sum() / with_quota) if with_quota else float("nan")
