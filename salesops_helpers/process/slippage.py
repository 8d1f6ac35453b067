"""Slippage: close dates pushed out, per deal and per rep, and the deals that slipped out of the period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.fiscal_calendar import Period
from salesops_helpers.loading import SalesData
from salesops_helpers.process.stage_stays import saved_states

MIN_DEALS = 10  # reps with fewer deals than this are listed but not compared


def push_flags(states: pd.DataFrame, open_stages: list[str]) -> np.ndarray:
    """A push is a saved change that moves a deal's expected close date later while the deal is open before and
    after the change (a close date rewritten on winning or losing is not a push)."""
    deal = states["deal"].to_numpy()
    close = states["close_date"].to_numpy("datetime64[ns]")
    is_open = states["stage"].isin(open_stages).to_numpy()
    flags = np.zeros(len(states), dtype=bool)
    if len(states) > 1:
        flags[1:] = (deal[1:] == deal[:-1]) & is_open[1:] & is_open[:-1] & (close[1:] > close[:-1])
    return flags


def push_counts(data: SalesData, until: pd.Timestamp, since: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per deal with history saved by the end of `until`: its owner and the number of pushes saved (since `since`)."""
    if data.history is None:
        return pd.DataFrame({"opportunity_id": pd.Series(dtype="object"), "pushes": pd.Series(dtype="int64")})
    states = saved_states(data.history, until)
    flags = push_flags(states, data.config.open_stages)
    if since is not None:
        flags &= (states["changed_at"] >= since).to_numpy()
    counts = pd.DataFrame({"opportunity_id": states["opportunity_id"], "pushes": flags.astype("int64")})
    return counts.groupby("opportunity_id", sort=True).sum().reset_index()


def pushes_per_deal(pushes: pd.Series, deals: pd.Series) -> pd.Series:
    """Close-date pushes saved on a rep's deals ÷ the rep's deals with a history (current owner)."""
    return pushes / deals.where(deals > 0)


def pushes_per_rep(data: SalesData, until: pd.Timestamp) -> pd.DataFrame:
    """Per rep: deals with history, deals pushed at least once, pushes and pushes per deal; highest first, reps
    with fewer than MIN_DEALS deals last (compared: False)."""
    counts = push_counts(data, until)
    owners = data.opportunities.set_index("opportunity_id")["owner_id"].astype("object")
    counts["rep_id"] = counts["opportunity_id"].map(owners).fillna("(no owner)")
    per_rep = counts.groupby("rep_id").agg(
        deals=("pushes", "size"), pushed_deals=("pushes", lambda p: int((p > 0).sum())), pushes=("pushes", "sum")
    )
    per_rep["pushes_per_deal"] = pushes_per_deal(per_rep["pushes"], per_rep["deals"])
    names = data.reps.set_index("rep_id")["name"].astype("object")
    per_rep.insert(0, "rep", [names.get(rep_id, rep_id) for rep_id in per_rep.index])
    per_rep["compared"] = per_rep["deals"] >= MIN_DEALS
    ranked = per_rep.reset_index().sort_values(
        ["compared", "pushes_per_deal", "rep_id"], ascending=[False, False, True], ignore_index=True
    )
    return ranked


def slipped_deals(moves: pd.DataFrame, data: SalesData, period: Period) -> pd.DataFrame:
    """Deals of the period's opening pipeline still open at its end with a close date after it (slipped): deal,
    owner, amount at the end, close date then and now, pushes saved in the period; largest first."""
    slipped = moves[(moves["move"] == "pushed out") & (moves["end_close"] > period.end)]
    opps = data.opportunities.set_index("opportunity_id")
    owner_ids = opps["owner_id"].reindex(slipped["opportunity_id"]).astype("object")
    names = data.reps.set_index("rep_id")["name"].astype("object")
    pushes = push_counts(data, period.end, since=period.start).set_index("opportunity_id")["pushes"]
    table = pd.DataFrame(
        {
            "opportunity_id": slipped["opportunity_id"].to_numpy(),
            "name": opps["name"].astype("object").reindex(slipped["opportunity_id"]).to_numpy(),
            "owner": owner_ids.map(names).fillna(owner_ids).to_numpy(),
            "amount": slipped["exit_amount"].to_numpy(),
            "close_date_then": slipped["start_close"].to_numpy(),
            "close_date_now": slipped["end_close"].to_numpy(),
            "pushes": pushes.reindex(slipped["opportunity_id"]).fillna(0).astype("int64").to_numpy(),
        }
    )
    return table.sort_values(["amount", "opportunity_id"], ascending=[False, True], ignore_index=True)
