"""Coaching signals: established reps who fall short of their team's other reps by more than chance explains.

A rep is flagged on a measure when the whole 90% interval of the rep's figure lies below the figure of the other
reps of the same team over the same twelve months: a short run of bad luck on a few deals cannot do that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.fiscal_calendar import Period
from salesops_helpers.loading import SalesData
from salesops_helpers.metrics.totals import closed_in, deals_with_groups
from salesops_helpers.team.intervals import mean_interval, wilson_interval, z_value
from salesops_helpers.team.loss_stage import losses_by_stage, stage_lost_at
from salesops_helpers.team.ramp import ESTABLISHED_AFTER
from salesops_helpers.team.rep_months import tenure_month

SIGNAL_COLUMNS = ["win_rate_short", "deal_size_short", "creation_short"]
SIGNAL_NAMES = ["win rate", "deal size", "deal creation"]


@dataclass(frozen=True)
class CoachingReview:
    """Every established rep's figures against their peers', and the reps flagged with their evidence."""

    reps: pd.DataFrame
    flagged: pd.DataFrame  # team, rep, signals, evidence (one sentence per measure), worst loss stage

    def table(self, currency: str) -> pd.DataFrame:
        """Every established rep's figures beside their peers', as text, flagged reps first."""
        reps = self.reps
        pct, money = formatting.percent, formatting.money
        return pd.DataFrame(
            {
                "team": reps["team"],
                "rep": reps["rep"],
                "closed deals": reps["closed"].map(formatting.count),
                "win rate (90% interval)": [
                    "–" if pd.isna(r) else f"{pct(r)} ({pct(lo)[:-1]}–{pct(hi)})"
                    for r, lo, hi in zip(reps["win_rate"], reps["win_rate_low"], reps["win_rate_high"], strict=True)
                ],
                "peers' win rate": reps["peers_win_rate"].map(pct),
                "avg deal": [money(v, currency) for v in reps["deal_size"]],
                "peers' avg deal": [money(v, currency) for v in reps["peers_deal_size"]],
                "deals created a month": reps["created_per_month"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}"),
                "peers' a month": reps["peers_created_per_month"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}"),
                "signals": [
                    ", ".join(name for name, short in zip(SIGNAL_NAMES, flags, strict=True) if short) or "–"
                    for flags in reps[SIGNAL_COLUMNS].itertuples(index=False)
                ],
            }
        )


def peers_rate(successes: pd.Series, trials: pd.Series, team: pd.Series) -> pd.Series:
    """The pooled rate of the other reps of the same team: (team Σk − k) ÷ (team Σn − n); missing when none."""
    team_k = successes.groupby(team).transform("sum")
    team_n = trials.groupby(team).transform("sum")
    rest = team_n - trials
    return (team_k - successes) / rest.where(rest > 0)


def established_reps(data: SalesData, window: Period) -> pd.DataFrame:
    """Reps employed on the window's last day with more than twelve tenure months then (ramping reps are left out)."""
    reps = data.reps.rename(columns={"name": "rep"})
    employed = reps["end_date"].isna() | (reps["end_date"] >= window.end)
    months = tenure_month(reps["hire_date"], pd.Series(window.end, index=reps.index).dt.to_period("M").dt.start_time)
    tenured = reps["hire_date"].isna() | (months.fillna(ESTABLISHED_AFTER + 1) > ESTABLISHED_AFTER)
    return reps.loc[employed & tenured, ["rep_id", "rep", "team"]].assign(team=lambda f: f["team"].astype("object"))


def rep_figures(data: SalesData, window: Period, rep_months: pd.DataFrame) -> pd.DataFrame:
    """Per rep over the window: closed and won deals, average won amount with its interval, deals created a month."""
    deals = deals_with_groups(data, ["team", "rep"])
    won, lost = closed_in(deals, window, "won"), closed_in(deals, window, "lost")
    per_rep = pd.DataFrame({"won": won.groupby("rep_id").size(), "lost": lost.groupby("rep_id").size()})
    per_rep = per_rep.fillna(0).astype(int)
    per_rep["won_amount"] = won.groupby("rep_id")["amount"].sum()
    bounds = won.groupby("rep_id")["amount"].apply(mean_interval)
    per_rep["deal_size_low"] = bounds.map(lambda b: b[0])
    per_rep["deal_size_high"] = bounds.map(lambda b: b[1])
    in_window = rep_months[window.contains(rep_months["period_start"])]
    made = in_window.groupby("rep_id").agg(created=("deals_created", "sum"), months=("period", "size"))
    return per_rep.join(made, how="outer").rename_axis("rep_id").reset_index()


def coaching_review(data: SalesData, window: Period, rep_months: pd.DataFrame, currency: str) -> CoachingReview:
    """Each established rep's win rate, average deal size and deals created a month against the rest of the team;
    a measure is flagged when the rep's whole 90% interval lies below the peers' figure (Wilson for the win rate,
    a normal interval of the mean for deal size, a Poisson count ± 1.645·√count for deals created)."""
    figures = rep_figures(data, window, rep_months)
    team_of = data.reps.set_index("rep_id")["team"].astype("object")
    figures["team"] = figures["rep_id"].map(team_of)
    figures = figures.dropna(subset=["team"]).fillna({"won": 0, "lost": 0, "won_amount": 0.0, "created": 0})
    figures["closed"] = figures["won"] + figures["lost"]
    figures["win_rate"] = figures["won"] / figures["closed"].where(figures["closed"] > 0)
    figures["win_rate_low"], figures["win_rate_high"] = wilson_interval(figures["won"], figures["closed"])
    figures["peers_win_rate"] = peers_rate(figures["won"], figures["closed"], figures["team"])
    figures["deal_size"] = figures["won_amount"] / figures["won"].where(figures["won"] > 0)
    figures["peers_deal_size"] = peers_rate(figures["won_amount"], figures["won"], figures["team"])
    months = figures["months"].fillna(0)
    figures["created_per_month"] = figures["created"] / months.where(months > 0)
    half = z_value() * np.sqrt(figures["created"]) / months.where(months > 0)  # Poisson count, normal approximation
    figures["created_low"] = (figures["created_per_month"] - half).clip(lower=0)
    figures["created_high"] = figures["created_per_month"] + half
    figures["peers_created_per_month"] = peers_rate(figures["created"], months, figures["team"])
    figures["win_rate_short"] = figures["win_rate_high"] < figures["peers_win_rate"]
    figures["deal_size_short"] = figures["deal_size_high"] < figures["peers_deal_size"]
    figures["creation_short"] = figures["created_high"] < figures["peers_created_per_month"]
    established = established_reps(data, window)
    reps = established.merge(figures.drop(columns="team"), on="rep_id", how="left")
    reps[SIGNAL_COLUMNS] = reps[SIGNAL_COLUMNS].fillna(False).astype(bool)
    reps["signals"] = reps[SIGNAL_COLUMNS].sum(axis=1)
    reps["shortfall"] = (reps["peers_win_rate"] - reps["win_rate_high"]).clip(lower=0).fillna(0)
    reps = reps.sort_values(["signals", "shortfall", "rep"], ascending=[False, False, True]).reset_index(drop=True)
    return CoachingReview(reps, _evidence(data, window, reps[reps["signals"] > 0], currency))


def _evidence(data: SalesData, window: Period, flagged: pd.DataFrame, currency: str) -> pd.DataFrame:
    """One row per flagged rep: the measures that fall short, each with its numbers, and the stage deals are lost."""
    lost_at = stage_lost_at(data)
    stages = [s.name for s in data.config.stages if s.outcome == "open"]
    deals = deals_with_groups(data, ["team", "rep"])
    closed = pd.concat([closed_in(deals, window, "won"), closed_in(deals, window, "lost")])
    rows = []
    for rep in flagged.itertuples():
        parts = []
        if rep.win_rate_short:
            parts.append(
                f"wins {formatting.percent(rep.win_rate)} of {formatting.count(rep.closed)} closed deals "
                f"(90% interval {formatting.percent(rep.win_rate_low)}–{formatting.percent(rep.win_rate_high)}) "
                f"against {formatting.percent(rep.peers_win_rate)} for the rest of {rep.team}"
            )
        if rep.deal_size_short:
            parts.append(
                f"wins deals of {formatting.money(rep.deal_size, currency)} on average "
                f"(interval {formatting.money(rep.deal_size_low, currency)}–"
                f"{formatting.money(rep.deal_size_high, currency)}) against "
                f"{formatting.money(rep.peers_deal_size, currency)}"
            )
        if rep.creation_short:
            parts.append(f"creates {rep.created_per_month:.1f} deals a month against {rep.peers_created_per_month:.1f}")
        mine = closed[closed["rep_id"] == rep.rep_id]
        peers = closed[(closed["team"] == rep.team) & (closed["rep_id"] != rep.rep_id)]
        stage, stage_text = _worst_loss_stage(mine, peers, lost_at, stages)
        rows.append((rep.team, rep.rep, int(rep.signals), "; ".join(parts), stage, stage_text))
    return pd.DataFrame(rows, columns=["team", "rep", "signals", "evidence", "loss_stage", "loss_stage_evidence"])


def _worst_loss_stage(
    mine: pd.DataFrame, peers: pd.DataFrame, lost_at: pd.Series, stages: list[str]
) -> tuple[str | None, str]:
    """The stage where the rep loses the largest share of closed deals beyond the peers' share, with its numbers."""
    if lost_at.notna().sum() == 0 or mine.empty or peers.empty:
        return None, "no history to tell the stage"
    own = losses_by_stage(mine, lost_at, stages)
    others = losses_by_stage(peers, lost_at, stages)
    own["excess"] = own["share"] - others["share"]
    worst = own.loc[own["excess"].idxmax()]
    if worst["excess"] <= 0:
        return None, "loses no stage's deals more often than peers"
    peer_share = others.loc[others["stage"] == worst["stage"], "share"].iloc[0]
    return worst["stage"], (
        f"loses {formatting.percent(worst['share'])} of closed deals at {worst['stage']} "
        f"against {formatting.percent(peer_share)} for peers"
    )
