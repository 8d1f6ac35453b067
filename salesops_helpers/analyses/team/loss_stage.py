"""The stage at which deals are lost, from the deal history: the last open stage a lost deal held."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.data.loading import SalesData


def stage_lost_at(data: SalesData) -> pd.Series:
    """Per deal lost now: the last open stage its history records (missing without history or with no open stage)."""
    opps = data.opportunities
    lost_ids = opps.loc[opps["outcome"] == "lost", "opportunity_id"]
    if data.history is None or data.history.empty:
        return pd.Series(index=pd.Index(lost_ids, name="opportunity_id"), dtype="object", name="lost_at")
    history = data.history
    outcome = data.config.stage_outcome()
    rows = history[history["opportunity_id"].isin(lost_ids) & (history["stage"].map(outcome) == "open")]
    # history rows come sorted by deal and time from loading, so the last row per deal is its last open stage
    last = rows.groupby("opportunity_id", observed=True, sort=False)["stage"].last().astype("object")
    return last.reindex(pd.Index(lost_ids, name="opportunity_id")).rename("lost_at")


def losses_by_stage(closed: pd.DataFrame, lost_at: pd.Series, stages: list[str]) -> pd.DataFrame:
    """Per open stage: closed deals lost at that stage and their share of all closed deals (won or lost).

    `closed` holds the deals won or lost in a period (opportunity_id, outcome); a lost deal whose stage is unknown
    counts as closed but at no stage.
    """
    at = closed.loc[closed["outcome"] == "lost", "opportunity_id"].map(lost_at)
    counts = at.value_counts().reindex(stages, fill_value=0)
    frame = pd.DataFrame({"stage": stages, "lost": counts.to_numpy()})
    frame["share"] = frame["lost"] / len(closed) if len(closed) else float("nan")
    return frame
