"""Coaching signals: established reps who fall short of their team's other reps by more than chance explains."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.team.intervals import wilson_interval
from salesops_helpers.analyses.team.loss_stage import losses_by_stage, stage_lost_at
from salesops_helpers.analyses.team.scorecards import win_rate_text
from salesops_helpers.analyses.team.shortfall_tests import (
    count_rate_shortfall_p,
    holm_significant,
    log_mean_shortfall_p,
    rate_shortfall_p,
)
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table
from salesops_helpers.metrics.ramp import ESTABLISHED_AFTER, tenure_month
from salesops_helpers.metrics.totals import closed_in, deals_with_groups

SIGNAL_COLUMNS = ["win_rate_short", "deal_size_short", "creation_short"]
P_COLUMNS = ["p_win_rate", "p_deal_size", "p_creation"]
FAMILY_ALPHA = 0.10  # per measure: the chance that it flags any rep by luck alone
SIGNAL_NAMES = ["win rate", "deal size", "deal creation"]


@dataclass(frozen=True)
class CoachingReview:
    """Every established rep's figures against their peers', and the reps flagged with their evidence."""

    reps: pd.DataFrame
    flagged: pd.DataFrame  # team, rep, signals, evidence (one sentence per measure), worst loss stage, bookings short

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
                    win_rate_text(r, lo, hi)
                    for r, lo, hi in zip(reps["win_rate"], reps["win_rate_low"], reps["win_rate_high"], strict=True)
                ],
                "peers' win rate": reps["peers_win_rate"].map(pct),
                "avg deal": [money(v, currency) for v in reps["deal_size"]],
                "peers' avg deal": [money(v, currency) for v in reps["peers_deal_size"]],
                "deals created a month": reps["created_per_month"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}"),
                "peers' a month": reps["peers_created_per_month"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}"),
                "bookings against an average peer": [
                    formatting.change(-v, "currency", currency) for v in reps["bookings_short"]
                ],
                "signals": [
                    ", ".join(name for name, short in zip(SIGNAL_NAMES, flags, strict=True) if short) or "–"
                    for flags in reps[SIGNAL_COLUMNS].itertuples(index=False)
                ],
            }
        )


def signal_tone(signals: object) -> str:
    """A coaching table's signals cell: bad when it names a measure, '' when it holds none (–)."""
    return "bad" if isinstance(signals, str) and signals.strip() not in ("", "–") else ""


def peer_totals(values: pd.Series, team: pd.Series) -> pd.Series:
    """Each rep's figure summed over the other reps of the same team: team Σ − own."""
    return values.groupby(team).transform("sum") - values


def peers_rate(successes: pd.Series, trials: pd.Series, team: pd.Series) -> pd.Series:
    """The pooled rate of the other reps of the same team: (team Σk − k) ÷ (team Σn − n); missing when none."""
    rest = peer_totals(trials, team)
    return peer_totals(successes, team) / rest.where(rest > 0)


def bookings_short_of_peers(bookings: pd.Series, months: pd.Series, team: pd.Series) -> pd.Series:
    """What a rep booked less than an average peer over the same months: (team Σ bookings − own) ÷ (team Σ months
    employed − own) × own months − own bookings; negative when the rep booked more, missing without peers."""
    return peers_rate(bookings, months, team) * months - bookings


def established_reps(data: SalesData, window: Period) -> pd.DataFrame:
    """Reps employed on the window's last day who were past their twelfth tenure month when it began, so that no
    ramp month counts in their figures (a rep without a hire date counts as established)."""
    reps = data.reps.rename(columns={"name": "rep"})
    employed = reps["end_date"].isna() | (reps["end_date"] >= window.end)
    months = tenure_month(reps["hire_date"], pd.Series(window.start, index=reps.index))
    tenured = months.isna() | (months.fillna(0) > ESTABLISHED_AFTER)
    return reps.loc[employed & tenured, ["rep_id", "rep", "team"]].assign(team=lambda f: f["team"].astype("object"))


def rep_figures(data: SalesData, window: Period, rep_months: pd.DataFrame, reps: pd.DataFrame) -> pd.DataFrame:
    """Per rep over the window: deals won and lost, bookings and average deal size (the metric layer's), the median
    won amount, and deals created with the months employed."""
    values = kpi_table(data, window, ["rep"], ["won_deals", "lost_deals", "bookings", "avg_deal_size"]).values
    figures = reps.merge(values.drop(columns="rep"), on="rep_id", how="left")
    figures[["won_deals", "lost_deals", "bookings"]] = figures[["won_deals", "lost_deals", "bookings"]].fillna(0)
    in_window = rep_months[window.contains(rep_months["period_start"])]
    made = in_window.groupby("rep_id").agg(created=("deals_created", "sum"), months=("period", "size"))
    figures = figures.merge(made, left_on="rep_id", right_index=True, how="left")
    figures[["created", "months"]] = figures[["created", "months"]].fillna(0)
    return figures


def _won_amounts(data: SalesData, window: Period) -> pd.DataFrame:
    """Owner and amount of each deal won in the window (the deals behind bookings)."""
    return closed_in(deals_with_groups(data, []), window, "won")[["owner_id", "amount"]]


def coaching_review(data: SalesData, window: Period, rep_months: pd.DataFrame, currency: str) -> CoachingReview:
    """Each established rep's win rate, deal size and deals created a month against the other established reps of
    the team over the window. A measure flags a rep when a one-sided two-sample test puts the shortfall beyond
    chance after Holm's correction across the reps tested, so the chance that the measure flags anyone by luck alone
    is at most 10% (two-proportion test for the win rate, log amounts for deal size, Poisson rates for deals
    created)."""
    reps = established_reps(data, window)
    figures = rep_figures(data, window, rep_months, reps)
    team = figures["team"]
    figures["closed"] = figures["won_deals"] + figures["lost_deals"]
    figures["win_rate"] = figures["won_deals"] / figures["closed"].where(figures["closed"] > 0)
    figures["win_rate_low"], figures["win_rate_high"] = wilson_interval(figures["won_deals"], figures["closed"])
    peer_won, peer_closed = peer_totals(figures["won_deals"], team), peer_totals(figures["closed"], team)
    figures["peers_win_rate"] = peers_rate(figures["won_deals"], figures["closed"], team)
    figures["p_win_rate"] = rate_shortfall_p(figures["won_deals"], figures["closed"], peer_won, peer_closed)
    figures["deal_size"] = figures["avg_deal_size"]
    figures["peers_deal_size"] = peers_rate(figures["bookings"], figures["won_deals"], team)
    won = _won_amounts(data, window)
    medians, peer_medians, p_size = [], [], []
    for rep in figures.itertuples():
        peers = figures.loc[(figures["team"] == rep.team) & (figures["rep_id"] != rep.rep_id), "rep_id"]
        own, others = won.loc[won["owner_id"] == rep.rep_id, "amount"], won.loc[won["owner_id"].isin(peers), "amount"]
        medians.append(own.median() if len(own) else float("nan"))
        peer_medians.append(others.median() if len(others) else float("nan"))
        p_size.append(log_mean_shortfall_p(own, others))
    figures["median_deal"], figures["peers_median_deal"], figures["p_deal_size"] = medians, peer_medians, p_size
    months = figures["months"]
    figures["created_per_month"] = figures["created"] / months.where(months > 0)
    peer_created, peer_months = peer_totals(figures["created"], team), peer_totals(months, team)
    figures["peers_created_per_month"] = peers_rate(figures["created"], months, team)
    figures["p_creation"] = count_rate_shortfall_p(figures["created"], months, peer_created, peer_months)
    figures["bookings_short"] = bookings_short_of_peers(figures["bookings"], months, team)
    for flag, p_column in zip(SIGNAL_COLUMNS, P_COLUMNS, strict=True):
        figures[flag] = holm_significant(figures[p_column], FAMILY_ALPHA)
    figures["signals"] = figures[SIGNAL_COLUMNS].sum(axis=1)
    figures["strongest_p"] = figures[P_COLUMNS].min(axis=1)
    figures = figures.sort_values(["signals", "strongest_p", "rep"], ascending=[False, True, True], na_position="last")
    figures = figures.reset_index(drop=True)
    flagged = figures[figures["signals"] > 0]
    return CoachingReview(figures, _evidence(data, window, flagged, figures["rep_id"], currency))


def _evidence(
    data: SalesData, window: Period, flagged: pd.DataFrame, established: pd.Series, currency: str
) -> pd.DataFrame:
    """One row per flagged rep: the measures that fall short, each with its numbers, and the stage where the rep
    loses the largest share of closed deals beyond the other established reps of the team."""
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
                f"wins smaller deals: a median of {formatting.money(rep.median_deal, currency)} against "
                f"{formatting.money(rep.peers_median_deal, currency)} for the rest of {rep.team}"
            )
        if rep.creation_short:
            parts.append(
                f"creates {rep.created_per_month:.1f} deals a month against {rep.peers_created_per_month:.1f} "
                f"for the rest of {rep.team}"
            )
        mine = closed[closed["rep_id"] == rep.rep_id]
        peers = closed[
            closed["rep_id"].isin(established) & (closed["team"] == rep.team) & (closed["rep_id"] != rep.rep_id)
        ]
        stage, stage_text, share, peer_share = _worst_loss_stage(mine, peers, lost_at, stages)
        rows.append(
            (rep.team, rep.rep_id, rep.rep, int(rep.signals), "; ".join(parts), stage, stage_text, share, peer_share)
        )
    columns = ["team", "rep_id", "rep", "signals", "evidence", "loss_stage", "loss_stage_evidence"]
    evidence = pd.DataFrame(rows, columns=[*columns, "loss_share", "peers_loss_share"])
    return evidence.merge(flagged[["rep_id", "bookings_short"]], on="rep_id", how="left")


def _worst_loss_stage(
    mine: pd.DataFrame, peers: pd.DataFrame, lost_at: pd.Series, stages: list[str]
) -> tuple[str | None, str, float, float]:
    """The stage where the rep loses the largest share of closed deals beyond the peers' share, in words, with the
    rep's share and the peers' share lost there."""
    nan = float("nan")
    if lost_at.notna().sum() == 0 or mine.empty or peers.empty:
        return None, "no history to tell the stage", nan, nan
    own = losses_by_stage(mine, lost_at, stages)
    others = losses_by_stage(peers, lost_at, stages)
    own["excess"] = own["share"] - others["share"]
    worst = own.loc[own["excess"].idxmax()]
    if worst["excess"] <= 0:
        return None, "loses no stage's deals more often than peers", nan, nan
    peer_share = float(others.loc[others["stage"] == worst["stage"], "share"].iloc[0])
    text = (
        f"loses {formatting.percent(worst['share'])} of closed deals at {worst['stage']} "
        f"against {formatting.percent(peer_share)} for peers"
    )
    return worst["stage"], text, float(worst["share"]), peer_share


def ranked_flags(coaching: CoachingReview) -> pd.DataFrame:
    """The flagged reps, the one who booked the most below an average peer first (unknown shortfalls last)."""
    flagged = coaching.flagged
    return flagged.sort_values(["bookings_short", "rep"], ascending=[False, True], na_position="last")
