"""Activity against outcome: how much selling activity goes with each rep's results (association, not cause)."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table


def activity_by_rep(data: SalesData, period: Period) -> pd.DataFrame:
    """Per rep: activities in the period by type and in all, deals won, bookings, and activities per won deal
    (activities ÷ deals won; missing without a won deal)."""
    if data.activities is None:
        return pd.DataFrame()
    activities = data.activities
    done = activities[period.contains(activities["occurred_at"].dt.normalize())]
    by_type = done.pivot_table(index="rep_id", columns="type", values="activity_id", aggfunc="size", observed=True)
    by_type = by_type.fillna(0).astype(int)
    by_type.columns = [str(c) for c in by_type.columns]
    types = list(by_type.columns)
    results = kpi_table(data, period, ["team", "rep"], ["won_deals", "bookings"]).values
    frame = results.merge(by_type, left_on="rep_id", right_index=True, how="outer")
    names = data.reps.set_index("rep_id")
    frame["rep"] = frame["rep"].fillna(frame["rep_id"].map(names["name"])).fillna(frame["rep_id"])
    frame["team"] = frame["team"].fillna(frame["rep_id"].map(names["team"].astype("object")))
    frame[types] = frame[types].fillna(0).astype(int)
    frame["activities"] = frame[types].sum(axis=1)
    frame[["won_deals", "bookings"]] = frame[["won_deals", "bookings"]].fillna(0)
    frame["per_won_deal"] = frame["activities"] / frame["won_deals"].where(frame["won_deals"] > 0)
    columns = ["team", "rep_id", "rep", "activities", *types, "won_deals", "bookings", "per_won_deal"]
    frame = frame[frame["rep_id"].isin(data.reps["rep_id"])]  # unknown owners count for no rep
    return frame[columns].sort_values(["team", "rep"]).reset_index(drop=True)


def activity_correlation(by_rep: pd.DataFrame) -> float:
    """Spearman rank correlation between reps' activity counts and their bookings (missing below 5 reps)."""
    if len(by_rep) < 5:
        return float("nan")
    return float(by_rep["activities"].rank().corr(by_rep["bookings"].rank()))


def by_effort_per_win(by_rep: pd.DataFrame) -> pd.DataFrame:
    """The reps ranked by activities per won deal, highest first: reps who logged activity but won nothing lead,
    reps with neither come last."""
    effort = by_rep["per_won_deal"].where(by_rep["won_deals"] > 0, float("inf")).where(by_rep["activities"] > 0)
    ranked = by_rep.assign(_effort=effort).sort_values(["_effort", "rep"], ascending=[False, True], na_position="last")
    return ranked.drop(columns="_effort").reset_index(drop=True)


def readable(by_rep: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The activity table as text for people, ranked by activities per won deal (by_effort_per_win)."""
    by_rep = by_effort_per_win(by_rep)
    shown = by_rep.drop(columns="rep_id").copy()
    shown["bookings"] = [formatting.money(v, currency) for v in by_rep["bookings"]]
    shown["per_won_deal"] = by_rep["per_won_deal"].map(lambda v: "–" if pd.isna(v) else f"{v:.0f}")
    shown["won_deals"] = by_rep["won_deals"].map(formatting.count)
    return shown.rename(columns={"won_deals": "won deals", "per_won_deal": "activities per won deal"})
