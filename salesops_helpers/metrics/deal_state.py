"""Which deals were open at the end of a given day, in which stage, with which amount and expected close date."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesops_helpers.data.loading import SalesData

STATE_COLUMNS = ["opportunity_id", "owner_id", "stage", "amount", "close_date"]
FIELDS = ("stage", "amount", "close_date")


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
    existed_mask = (opps["created_date"] <= day) & ~((opps["outcome"] != "open") & (opps["close_date"] <= day))
    existed = opps[existed_mask]
    outcome = data.config.stage_outcome()
    if data.history is None or data.history.empty:
        was_open = (existed["outcome"] == "open") | (existed["close_date"] > day)
        state = existed.loc[was_open, STATE_COLUMNS].copy()
        state["stage"] = state["stage"].astype("object").where(existed.loc[was_open, "outcome"] == "open")
        return state.reset_index(drop=True)
    index = _history_index(data)
    if index is None:
        return _open_deals_by_grouping(data.history, existed, day, outcome)
    # The last value saved for each field by the end of the day (exports of field history often leave unchanged
    # fields blank, so a field's last value may come from an earlier row than the deal's last row).
    saved = index.moments < (day + pd.Timedelta(days=1)).as_unit("ns").value
    counts = np.add.reduceat(saved.astype(np.int64), index.starts)
    group = index.opportunity_group[existed_mask.to_numpy()]
    seen = group >= 0
    seen[seen] = counts[group[seen]] > 0
    last_row = index.starts[group[seen]] + counts[group[seen]] - 1
    state = existed[STATE_COLUMNS].reset_index(drop=True)
    stage = state["stage"].astype("object").to_numpy(copy=True)
    stage[seen] = index.values["stage"][index.filled["stage"][last_row]]
    state["stage"] = pd.Series(stage, index=state.index, dtype="object")
    for column in ("amount", "close_date"):
        if column not in index.filled:
            continue
        source = index.filled[column][last_row]
        known = np.flatnonzero(seen)[source >= 0]
        values = state[column].to_numpy(copy=True)
        values[known] = index.values[column][source[source >= 0]]
        state[column] = values
    still_open = (state["stage"].map(outcome) == "open").to_numpy()
    unseen_closed_later = ~seen & (existed["close_date"] > day).to_numpy()
    # A deal without any saved change by then but closed later was open: its stage that day is unknown.
    state.loc[unseen_closed_later & ~still_open, "stage"] = None
    return state[still_open | unseen_closed_later].reset_index(drop=True)


@dataclass(frozen=True)
class _HistoryIndex:
    """Row positions of a history sorted by deal and time: where each deal's rows start, each row's moment, and
    for each field the row holding its last non-blank value so far within the deal (-1 when none yet)."""

    data: weakref.ref  # the SalesData and history table it was built for (weak: the cache never keeps them alive)
    history: weakref.ref
    starts: np.ndarray
    moments: np.ndarray
    filled: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    opportunity_group: np.ndarray  # per opportunity row: its deal's position in starts, -1 without history


_CACHE: list[_HistoryIndex] = []


def _history_index(data: SalesData) -> _HistoryIndex | None:
    """The positions of data's history (built once per history table), or None when its rows are not grouped by
    deal in time order (loading sorts them, so this is only a safeguard)."""
    history = data.history
    if history is None:
        return None
    if _CACHE and _CACHE[0].data() is data and _CACHE[0].history() is history:
        return _CACHE[0]
    ids = history["opportunity_id"].to_numpy()
    moments = history["changed_at"].to_numpy("datetime64[ns]").view("i8")
    rows = len(ids)
    new_deal = np.ones(rows, dtype=bool)
    new_deal[1:] = ids[1:] != ids[:-1]
    starts = np.flatnonzero(new_deal)
    deal_ids = pd.Index(ids[starts])
    later = moments[1:] >= moments[:-1]
    if not deal_ids.is_unique or not (later | new_deal[1:]).all():
        return None
    row_start = starts[np.cumsum(new_deal) - 1]
    filled, values = {}, {}
    for column in FIELDS:
        if column not in history.columns:
            continue
        present = history[column].notna().to_numpy()
        position = np.where(present, np.arange(rows), -1)
        position = np.maximum.accumulate(position)
        position[position < row_start] = -1  # nothing saved yet in this deal: do not borrow the previous deal's
        filled[column] = position
        values[column] = (
            history[column].astype("object").to_numpy() if column == "stage" else history[column].to_numpy()
        )
    group = deal_ids.get_indexer(data.opportunities["opportunity_id"])
    index = _HistoryIndex(weakref.ref(data), weakref.ref(history), starts, moments, filled, values, group)
    _CACHE[:] = [index]  # one data set at a time: an index holds arrays as large as the history
    return index


def _open_deals_by_grouping(
    history: pd.DataFrame, existed: pd.DataFrame, day: pd.Timestamp, outcome: dict[str, str]
) -> pd.DataFrame:
    """open_deals_at for a history whose rows are not in deal and time order (the same rules, by grouping)."""
    saved = history[history["changed_at"] < day + pd.Timedelta(days=1)]
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
    state.loc[unseen_closed_later & ~still_open, "stage"] = None
    return state[still_open | unseen_closed_later].reset_index()
