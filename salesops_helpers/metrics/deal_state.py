"""Which deals were open at the end of a given day, in which stage, with which amount and expected close date."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.loading import SalesData

STATE_COLUMNS = ["opportunity_id", "owner_id", "stage", "amount", "close_date"]


def open_deals_at(data: SalesData, day: pd.Timestamp) -> pd.DataFrame:
    """Deals open at the end of `day`: created by then and not yet won or lost.

    A deal won or lost now with a close date on or before the day is closed that day, whatever the history says
    (changes are often saved days after the deal closed). With a history table, each other deal's stage, amount
    and expected close date are those of its last change saved by the end of the day (a deal with no change saved
    yet keeps its current values). Without history, a deal counts as open on a past day when it is open now or was
    won or lost after that day; its stage, amount and close date are the current ones, and a deal closed since then
    has no known stage that day (stage left empty).
    """
    opps = data.opportunities
    # A deal won or lost by its close date is closed that day, even when the change was saved days later.
    existed = opps[(opps["created_date"] <= day) & ~((opps["outcome"] != "open") & (opps["close_date"] <= day))]
    outcome = data.config.stage_outcome()
    if data.history is None or data.history.empty:
        was_open = (existed["outcome"] == "open") | (existed["close_date"] > day)
        state = existed.loc[was_open, STATE_COLUMNS].copy()
        state["stage"] = state["stage"].astype("object").where(existed.loc[was_open, "outcome"] == "open")
        return state.reset_index(drop=True)
    history = data.history
    saved = history[history["changed_at"] < day + pd.Timedelta(days=1)]
    # The last value saved for each field: exports of field history often leave unchanged fields blank.
    last = saved.groupby("opportunity_id", observed=True, sort=False).last()
    state = existed[STATE_COLUMNS].set_index("opportunity_id")
    seen = state.index.intersection(last.index)
    state["stage"] = state["stage"].astype("object")
    state.loc[seen, "stage"] = last.loc[seen, "stage"].astype("object")
    for column in ("amount", "close_date"):
        if column in last.columns:
            known = last.loc[seen, column]
            state.loc[known.dropna().index, column] = known.dropna()
    still_open = state["stage"].map(outcome) == "open"
    unseen_closed_later = ~state.index.isin(seen) & (existed.set_index("opportunity_id")["close_date"] > day)
    # A deal without any saved change by then but closed later was open: its stage that day is unknown.
    state.loc[unseen_closed_later & ~still_open, "stage"] = None
    return state[still_open | unseen_closed_later].reset_index()
