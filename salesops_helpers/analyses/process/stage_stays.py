"""Stage stays: each deal's ordered stays in its stages, rebuilt from the history table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData

DAY = pd.Timedelta(days=1)
STAY_COLUMNS = [
    "opportunity_id",
    "deal",
    "stage",
    "rank",
    "outcome",
    "entered",
    "left",
    "days",
    "ended",
    "last",
    "truncated",
]


def positions(values: pd.Series | pd.Index, lookup: pd.Series | pd.Index) -> np.ndarray:
    """For each value, its position in lookup (−1 when absent); hashes in Arrow, fast for millions of ids."""
    if len(values) == 0 or len(lookup) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    found = pc.index_in(
        pa.array(np.asarray(values, dtype=object), type=pa.string()),
        value_set=pa.array(np.asarray(lookup, dtype=object), type=pa.string()),
    )
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def moment_order(stages: pd.Series, config: WorkbookConfig) -> np.ndarray:
    """Each row's place among rows of one deal saved at the same moment: the open stages in process order, then
    won, then lost; a row without a known stage first."""
    names = config.stage_names
    outcome = config.stage_outcome()
    place = {name: i for i, name in enumerate(config.open_stages)}
    after = len(config.open_stages)
    lookup = np.array([place.get(n, after if outcome[n] == "won" else after + 1) for n in names] + [-1], dtype=np.int64)
    return lookup[pd.Categorical(stages, categories=names).codes.astype(np.int64)]


def saved_states(
    history: pd.DataFrame, until: pd.Timestamp | None = None, config: WorkbookConfig | None = None
) -> pd.DataFrame:
    """History rows saved by the end of `until`, in deal then time order, with a blank amount or close date carried
    forward from the deal's last saved value, and a `deal` number per deal.

    Rows of one deal saved at the same moment are put in process order when `config` is given (moment_order: a deal
    passed through several stages at once moves forward, whichever way the export sorted its rows: load_data keeps
    no trace of a file sorted newest first), and keep their file order when they tie on it.
    """
    if until is not None:
        history = history[history["changed_at"] < until + DAY]
    codes, _ = pd.factorize(history["opportunity_id"], sort=False)
    times = history["changed_at"].to_numpy("datetime64[ns]")
    tie = np.zeros(len(history), dtype=np.int64) if config is None else moment_order(history["stage"], config)
    same = codes[1:] == codes[:-1]
    at_once = same & (times[1:] == times[:-1])
    in_order = np.all(codes[1:] >= codes[:-1]) and np.all(times[1:][same] >= times[:-1][same])
    if in_order and np.all(tie[1:][at_once] >= tie[:-1][at_once]):
        states = history.reset_index(drop=True)  # already in order, as load_data leaves it
        states["deal"] = codes
    else:
        ranked = np.lexsort((tie, times, codes))  # stable: rows tied on all three keep their file order
        states = history.iloc[ranked].reset_index(drop=True)
        states["deal"] = codes[ranked]
    starts = _group_starts(states["deal"].to_numpy())
    for column in ("amount", "close_date"):
        if column in states.columns:
            states[column] = _carried_forward(states[column], starts)
    return states


def _group_starts(deal: np.ndarray) -> np.ndarray:
    """For each row, the position of its deal's first row (rows of a deal are contiguous)."""
    first = np.ones(len(deal), dtype=bool)
    first[1:] = deal[1:] != deal[:-1]
    return np.maximum.accumulate(np.where(first, np.arange(len(deal)), 0)) if len(deal) else np.zeros(0, dtype=int)


def _carried_forward(values: pd.Series, starts: np.ndarray) -> pd.Series:
    """values with each blank replaced by the last non-blank value of the same deal (blank when there is none)."""
    known = values.notna().to_numpy()
    if known.all():
        return values
    rows = np.arange(len(values))
    latest = np.maximum.accumulate(np.where(known, rows, -1)) if len(values) else rows
    usable = latest >= starts
    filled = values.iloc[np.where(usable, latest, 0)].reset_index(drop=True) if len(values) else values
    return filled.where(usable)


def stage_stays(data: SalesData, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each deal's stays in its stages up to the end of `as_of`, in order: a stay begins with a saved change to a
    different stage and lasts until the next one (days = left − entered).

    Rules: rows of one deal saved at one moment are taken in process order (the open stages in order, then won,
    then lost), whatever order the export listed them in (a file sorted newest first lists them backwards), and in
    file order within one stage; a stage passed through at that moment is a stay of 0 days. A move backwards or a
    reopening after a loss starts a new stay; a skipped stage has no stay; the latest stay of a deal in an open
    stage is still going and counts up to the end of `as_of` (ended False: censored); a won or lost stay has no
    length. A deal won or lost by `as_of` whose history does not end in that stage is taken to have closed on its
    close date (exports often leave out the final save). A deal whose first saved row is on a later day than its
    creation has a first stay of unknown start (truncated True): its days count from that row (a lower bound, enough
    to call the deal stalled), and time in stage leaves it out.
    """
    config = data.config
    names = config.stage_names
    outcome_of = config.stage_outcome()
    if data.history is None:
        return empty_stays()
    states = saved_states(data.history, as_of, config)[["opportunity_id", "deal", "changed_at", "stage"]]
    if states.empty:
        return empty_stays()
    closes = _missing_closes(data, states, as_of)
    if len(closes):
        # a closing row is the deal's latest: a stable sort on the deal number puts it after the deal's saved rows
        states = pd.concat([states, closes], ignore_index=True)
        states = states.iloc[np.argsort(states["deal"].to_numpy(), kind="stable")].reset_index(drop=True)
    stage_code = pd.Categorical(states["stage"], categories=names).codes
    deal = states["deal"].to_numpy()
    new_stay = np.ones(len(states), dtype=bool)
    new_stay[1:] = (deal[1:] != deal[:-1]) | (stage_code[1:] != stage_code[:-1])
    stays = states[new_stay].reset_index(drop=True)
    deal = stays["deal"].to_numpy()
    last = np.ones(len(stays), dtype=bool)
    last[:-1] = deal[1:] != deal[:-1]
    entered = stays["changed_at"].to_numpy("datetime64[ns]")
    left = np.empty_like(entered)
    left[:-1] = entered[1:]
    left[last] = np.datetime64("NaT")
    stays = stays.rename(columns={"changed_at": "entered"})
    stays["stage"] = pd.Categorical(stays["stage"], categories=names)
    stays["left"] = left
    stays["outcome"] = stays["stage"].map(outcome_of).astype("str")
    rank = {name: i for i, name in enumerate(config.open_stages)}
    rank.update({s.name: len(config.open_stages) for s in config.stages if s.outcome == "won"})
    stays["rank"] = stays["stage"].map(rank).astype("float").fillna(-1).astype("int64")  # lost stages: -1
    is_open = (stays["outcome"] == "open").to_numpy()
    censor_at = np.datetime64(as_of + DAY, "ns")
    until = np.where(last, censor_at, left)
    days = (until - entered) / np.timedelta64(1, "D")
    stays["days"] = np.where(is_open, np.clip(days, 0, None), np.nan)
    stays["ended"] = ~last
    stays["last"] = last
    stays["truncated"] = _late_first_stays(stays, data)
    return stays[STAY_COLUMNS]


def empty_stays() -> pd.DataFrame:
    """A stays table without rows, with the column types of a full one."""
    columns = {
        "opportunity_id": "object",
        "deal": "int64",
        "stage": "object",
        "rank": "int64",
        "outcome": "object",
        "entered": "datetime64[ns]",
        "left": "datetime64[ns]",
        "days": "float64",
        "ended": "bool",
        "last": "bool",
        "truncated": "bool",
    }
    return pd.DataFrame({column: pd.Series(dtype=kind) for column, kind in columns.items()})


def _late_first_stays(stays: pd.DataFrame, data: SalesData) -> np.ndarray:
    """Whether each stay is a deal's first and began on a later day than the deal was created."""
    deal = stays["deal"].to_numpy()
    first = np.ones(len(stays), dtype=bool)
    first[1:] = deal[1:] != deal[:-1]
    opps = data.opportunities
    at = positions(stays["opportunity_id"].to_numpy()[first], opps["opportunity_id"])
    created = opps["created_date"].to_numpy("datetime64[ns]")[np.maximum(at, 0)]
    entered = stays["entered"].to_numpy("datetime64[ns]")[first].astype("datetime64[D]")
    late = (at >= 0) & (entered > created.astype("datetime64[D]"))
    truncated = np.zeros(len(stays), dtype=bool)
    truncated[np.nonzero(first)[0][late]] = True
    return truncated


def _missing_closes(data: SalesData, states: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """A closing row (at the close date, or the last save if later) for each deal won or lost by as_of whose saved
    history by then does not end in its closing stage."""
    if states.empty:
        return states.iloc[:0]
    deal = states["deal"].to_numpy()
    last_rows = np.ones(len(states), dtype=bool)
    last_rows[:-1] = deal[1:] != deal[:-1]
    lasts = states[last_rows].reset_index(drop=True)
    opps = data.opportunities
    closed = opps[(opps["outcome"] != "open") & (opps["close_date"] <= as_of)]
    at = positions(closed["opportunity_id"], lasts["opportunity_id"])
    closed, at = closed[at >= 0], at[at >= 0]
    final = lasts.iloc[at]
    differs = final["stage"].astype("object").to_numpy() != closed["stage"].astype("object").to_numpy()
    return pd.DataFrame(
        {
            "opportunity_id": final["opportunity_id"].to_numpy()[differs],
            "deal": final["deal"].to_numpy()[differs],
            "changed_at": np.maximum(
                closed["close_date"].to_numpy("datetime64[ns]")[differs],
                final["changed_at"].to_numpy("datetime64[ns]")[differs],
            ),
            "stage": closed["stage"].astype("object").to_numpy()[differs],
        }
    )


def time_per_stage(stays: pd.DataFrame) -> pd.DataFrame:
    """Per deal and open stage: visits, the latest stay's days and the cumulative days over all its stays (as
    HubSpot keeps both), and whether the deal is in that stage now."""
    open_stays = stays[stays["outcome"] == "open"]
    grouped = open_stays.groupby(["deal", "stage"], observed=True, sort=False)
    per_stage = grouped.agg(
        opportunity_id=("opportunity_id", "first"),
        visits=("days", "size"),
        latest_days=("days", "last"),
        cumulative_days=("days", "sum"),
        now=("last", "any"),
    ).reset_index()
    return per_stage[["opportunity_id", "stage", "visits", "latest_days", "cumulative_days", "now"]]
