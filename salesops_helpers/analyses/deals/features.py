"""What was known about each open deal on a scoring day: the inputs of its win probability, with nothing from later.

Every feature is read from the records saved by the end of the scoring day: the deal's state that day (stage,
amount, expected close date, from the history), how long it had been in that stage, how often its close date had
been pushed out and its stage moved back, its owner's win rate over the year before, and the days since its last
activity. A deal's eventual outcome is its label, used only once it is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.validation import is_in
from salesops_helpers.metrics.deal_state import open_deals_at

# The owner's win rate looks back this far, and leans toward the company's rate by this many deals' worth (a rep
# with two closed deals is not a 0% or 100% rep).
OWNER_WINDOW = pd.Timedelta(days=365)
OWNER_PRIOR_DEALS = 5
NUMERIC = ["amount", "age_days", "days_in_stage", "days_to_close", "pushes", "moves_back", "owner_win_rate"]
CATEGORICAL = ["stage", "segment", "lead_source", "deal_type", "close_month"]
ACTIVITY = "days_since_activity"
RAISED = "days_since_raise"  # for the reasons a deal is at risk, not a model input


@dataclass(frozen=True)
class HistoryMarks:
    """The history's rows where a deal entered a stage, pushed its close date out or moved back, in time order."""

    entered: pd.DataFrame  # opportunity_id, changed_at: a stage different from the deal's previous row
    pushed: pd.DataFrame  # opportunity_id, changed_at: a later expected close date than the previous row's
    moved_back: pd.DataFrame  # opportunity_id, changed_at: an earlier open stage than the previous row's
    raised: pd.DataFrame  # opportunity_id, changed_at: a larger amount than the previous row's


def history_marks(data: SalesData) -> HistoryMarks | None:
    """The stage entries, pushes and moves back in the history (None without history): found once, read per day."""
    history = data.history
    if history is None or history.empty:
        return None
    frame = history[["opportunity_id", "changed_at", "stage", "amount", "close_date"]].reset_index(drop=True)
    same_deal = frame["opportunity_id"].eq(frame["opportunity_id"].shift())
    stage = frame["stage"].astype("object")
    order = {name: position for position, name in enumerate(data.config.open_stages)}
    rank = stage.map(order)
    entered = ~same_deal | stage.ne(stage.shift())
    close = frame["close_date"]
    pushed = same_deal & (close > close.shift()).fillna(False).astype(bool)
    back = same_deal & (rank < rank.shift()).fillna(False).astype(bool)
    amount = frame["amount"]
    raised = same_deal & (amount > amount.shift()).fillna(False).astype(bool)
    columns = ["opportunity_id", "changed_at"]
    return HistoryMarks(*(frame.loc[mask, columns] for mask in (entered, pushed, back, raised)))


def _by_day(marks: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The marks saved by the end of day."""
    return marks[marks["changed_at"] < day + pd.Timedelta(days=1)]


def owner_win_rates(data: SalesData, day: pd.Timestamp) -> pd.Series:
    """Each owner's win rate over the deals won or lost in the year up to day, leaned toward the company's rate:
    (won + k × company rate) / (closed + k), k = OWNER_PRIOR_DEALS; owners with none get the company's rate."""
    opps = data.opportunities
    closed = opps[opps["outcome"].isin(["won", "lost"]) & (opps["close_date"] <= day)]
    closed = closed[closed["close_date"] > day - OWNER_WINDOW]
    if closed.empty:
        return pd.Series(dtype=float)
    won = closed["outcome"].eq("won")
    company = float(won.mean())
    per_owner = won.groupby(closed["owner_id"], observed=True).agg(["sum", "count"])
    rates = (per_owner["sum"] + OWNER_PRIOR_DEALS * company) / (per_owner["count"] + OWNER_PRIOR_DEALS)
    rates.attrs["company"] = company
    return rates


def deals_by_id(data: SalesData, only: pd.Series | None = None) -> pd.DataFrame:
    """The opportunities (among `only` when given) indexed by id, with the columns deal_features looks up: made once
    when scoring many days, so that a large company's index is not rebuilt each day."""
    opps = data.opportunities
    if only is not None:
        opps = opps[is_in(opps["opportunity_id"], only)]
    columns = [c for c in ("created_date", "segment", "lead_source", "deal_type") if c in opps.columns]
    return opps.set_index("opportunity_id")[columns]


def deal_features(
    data: SalesData,
    day: pd.Timestamp,
    marks: HistoryMarks | None = None,
    only: pd.Series | None = None,
    by_id: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per deal open at the end of day with what was known then (module docstring); `marks` from
    history_marks and `by_id` from deals_by_id, passed in when scoring many days; only the deals among `only` when
    it is given."""
    day = pd.Timestamp(day).normalize()
    state = open_deals_at(data, day)
    if only is not None:
        state = state[is_in(state["opportunity_id"], only)].reset_index(drop=True)
    opps = deals_by_id(data) if by_id is None else by_id
    ids = state["opportunity_id"]
    frame = pd.DataFrame({"opportunity_id": ids.to_numpy(), "owner_id": state["owner_id"].to_numpy()})
    frame["day"] = day
    frame["stage"] = state["stage"].astype("object").to_numpy()
    frame["amount"] = state["amount"].astype(float).to_numpy()
    # every open deal is an opportunity: one lookup for all columns, then only those rows are converted
    found = opps.iloc[opps.index.get_indexer(ids.to_numpy())]
    frame["age_days"] = (day - pd.to_datetime(found["created_date"].to_numpy())).days.astype(float)
    frame["days_to_close"] = (pd.to_datetime(state["close_date"].to_numpy()) - day).days.astype(float)
    # the calendar month the deal is expected to close in: buying seasons differ
    frame["close_month"] = pd.to_datetime(state["close_date"].to_numpy()).strftime("%b")
    for column in ("segment", "lead_source", "deal_type"):
        frame[column] = found[column].astype("object").to_numpy() if column in found.columns else None
    marks = history_marks(data) if marks is None else marks
    if marks is not None:
        entered = _by_day(marks.entered, day).groupby("opportunity_id", observed=True)["changed_at"].max()
        since = _times_of(ids, entered)
        frame["days_in_stage"] = (day + pd.Timedelta(days=1) - since).days.astype(float)
        for column, rows in (("pushes", marks.pushed), ("moves_back", marks.moved_back)):
            counts = _by_day(rows, day).groupby("opportunity_id", observed=True).size()
            frame[column] = ids.map(counts).fillna(0).to_numpy(dtype=float)
        raised = _by_day(marks.raised, day).groupby("opportunity_id", observed=True)["changed_at"].max()
        frame[RAISED] = (day + pd.Timedelta(days=1) - _times_of(ids, raised)).days.astype(float)
    else:
        frame["days_in_stage"] = np.nan
        frame["pushes"] = 0.0
        frame["moves_back"] = 0.0
        frame[RAISED] = np.nan
    frame["days_in_stage"] = frame["days_in_stage"].fillna(frame["age_days"])
    rates = owner_win_rates(data, day)
    company = rates.attrs.get("company", np.nan)
    frame["owner_win_rate"] = frame["owner_id"].map(rates).astype(float).fillna(company)
    frame[ACTIVITY] = _days_since_activity(data, ids, day)
    return frame


def expected_close(day: pd.Timestamp | pd.Series, days_to_close: pd.Series) -> pd.Series:
    """Each deal's expected close date as it stood on the scoring day: day + days_to_close (deal_features)."""
    return day + pd.to_timedelta(days_to_close, unit="D")


def _times_of(ids: pd.Series, times: pd.Series) -> pd.DatetimeIndex:
    """Each deal's time from a series indexed by deal (NaT where it has none; an empty series gives all NaT)."""
    return pd.DatetimeIndex(times.reindex(ids.to_numpy()).to_numpy(dtype="datetime64[ns]"))


def _days_since_activity(data: SalesData, ids: pd.Series, day: pd.Timestamp) -> np.ndarray:
    """Days from each deal's last activity up to day to the end of day (NaN: none yet, or no activities table)."""
    activities = data.activities
    if activities is None or activities.empty or "opportunity_id" not in activities.columns:
        return np.full(len(ids), np.nan)
    done = activities[activities["occurred_at"] < day + pd.Timedelta(days=1)].dropna(subset=["opportunity_id"])
    last = done.groupby("opportunity_id", observed=True)["occurred_at"].max()
    when = _times_of(ids, last)
    return ((day + pd.Timedelta(days=1) - when) / pd.Timedelta(days=1)).to_numpy(dtype=float)


def outcomes(data: SalesData) -> pd.DataFrame:
    """Each won or lost deal's label (1 won, 0 lost) and the day it became known (its close date)."""
    opps = data.opportunities
    closed = opps[opps["outcome"].isin(["won", "lost"])]
    return pd.DataFrame(
        {"won": closed["outcome"].eq("won").astype(int).to_numpy(), "known_on": closed["close_date"].to_numpy()},
        index=pd.Index(closed["opportunity_id"].to_numpy(), name="opportunity_id"),
    )
