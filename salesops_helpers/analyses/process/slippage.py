"""Slippage: close dates pushed out, per deal and per rep, and the deals that slipped out of the period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.analyses.process.stage_stays import saved_states
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.deal_state import open_deals_at

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
    states = saved_states(data.history, until, data.config)
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


def slipped_deals(data: SalesData, period: Period) -> pd.DataFrame:
    """Deals open at the period's end with a close date after it that were due in the period at some point of it
    (slipped): at its start (in the opening pipeline) or at any change saved during it while open, so a deal that
    became due in the period and was then pushed out counts. Deal, owner, amount at the end, the last close date
    in the period it had (then) and the close date now, pushes saved in the period; largest first."""
    end = open_deals_at(data, period.end)
    end = end[(end["close_date"] > period.end).to_numpy()].set_index("opportunity_id")
    start = open_deals_at(data, period.start - pd.Timedelta(days=1))
    start = start[period.contains(start["close_date"]).to_numpy()]
    due_then = pd.Series(start["close_date"].to_numpy(), index=start["opportunity_id"].to_numpy())
    states = saved_states(data.history, period.end, data.config)
    saved = states[
        (states["changed_at"] >= period.start).to_numpy()
        & states["stage"].isin(data.config.open_stages).to_numpy()
        & period.contains(states["close_date"]).to_numpy()
    ].drop_duplicates("deal", keep="last")
    due_saved = pd.Series(saved["close_date"].to_numpy(), index=saved["opportunity_id"].to_numpy())
    then = due_saved.combine_first(due_then)
    ids = end.index[end.index.isin(then.index)]
    opps = data.opportunities.set_index("opportunity_id")
    owner_ids = opps["owner_id"].reindex(ids).astype("object")
    names = data.reps.set_index("rep_id")["name"].astype("object")
    pushes = push_counts(data, period.end, since=period.start).set_index("opportunity_id")["pushes"]
    table = pd.DataFrame(
        {
            "opportunity_id": np.asarray(ids, dtype=object),
            "name": opps["name"].astype("object").reindex(ids).to_numpy(),
            "owner": owner_ids.map(names).fillna(owner_ids).to_numpy(),
            "amount": end["amount"].reindex(ids).to_numpy(dtype=float),
            "close_date_then": then.reindex(ids).to_numpy("datetime64[ns]"),
            "close_date_now": end["close_date"].reindex(ids).to_numpy("datetime64[ns]"),
            "pushes": pushes.reindex(ids).fillna(0).astype("int64").to_numpy(),
        }
    )
    return table.sort_values(["amount", "opportunity_id"], ascending=[False, True], ignore_index=True)


def slipped_value_by_month(data: SalesData, months: list[Period]) -> pd.Series:
    """The value of the deals that slipped out of each month (slipped_deals, at their amounts at its end), indexed
    by the months' labels."""
    values = [float(slipped_deals(data, month)["amount"].sum()) for month in months]
    return pd.Series(values, index=[month.label for month in months], dtype=float)
