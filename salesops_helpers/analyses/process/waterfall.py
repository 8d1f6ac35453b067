"""The period's pipeline waterfall: how the open pipeline due in the period got from its opening to its closing."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from salesops_helpers.analyses.process.stage_stays import saved_states
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.deal_state import open_deals_at

ENTRIES = ["new", "reopened", "pulled in from later months", "moved in from earlier months", "entered and closed"]
EXITS = ["pushed out", "moved to earlier months"]
CLOSINGS = ["won", "lost", "closed, dated elsewhere"]
COMPONENTS = ["opening", *ENTRIES, *EXITS, "increased", "decreased", *CLOSINGS, "closing"]
FLOWS = COMPONENTS[1:-1]
MOVE_COLUMNS = ["opportunity_id", "move", "entry", "start_amount", "exit_amount", "start_close", "end_close"]


def _cents(values: pd.Series) -> np.ndarray:
    """Amounts as whole cents, so that sums balance exactly."""
    return np.round(values.fillna(0.0).to_numpy(dtype=float) * 100).astype(np.int64)


def component_key(component: str) -> str:
    """A component's name as a key: lower case words joined by underscores (closed, dated elsewhere: closed_dated_
    elsewhere)."""
    return re.sub(r"[^a-z0-9]+", "_", component.lower()).strip("_")


def last_open_amounts(data: SalesData, day: pd.Timestamp) -> pd.Series:
    """Per deal with history, the amount of its last row saved by the end of `day` in an open stage (a blank
    amount carried forward): what a deal lost since was worth while it was still being worked."""
    states = saved_states(data.history, day, data.config)
    if "amount" not in states.columns:
        return pd.Series(dtype=float)
    open_rows = states[states["stage"].isin(data.config.open_stages).to_numpy()]
    latest = open_rows.drop_duplicates("deal", keep="last")
    return pd.Series(latest["amount"].to_numpy(dtype=float), index=latest["opportunity_id"].to_numpy())


def pipeline_moves(data: SalesData, period: Period) -> pd.DataFrame:
    """One row per deal in the period's pipeline at its start or end, or won or lost in it, with how it moved.

    The period's pipeline on a day is the open pipeline (open_deals_at) whose expected close date falls in the
    period; the opening is taken at the end of the day before the period, the closing at the end of its last day
    (the opening is the numerator of pipeline coverage). Won and lost are the deals whose current stage is won or
    lost with a close date in the period, so won is the period's bookings and lost the deals the KPIs count as lost
    in it.

    A deal of the opening leaves in one way: it stays (due in the period at its end, its amount change counted as
    increased or decreased); it is pushed out (still open, close date after the period, or none) or moved to
    earlier months (still open, close date before the period); it is won (at its current amount, as bookings count
    it) or lost (at its last amount while open, so a lost deal whose amount was zeroed is lost, not decreased), the
    change from its opening amount to that counted as increased or decreased; or it was won or lost by the
    period's end by its history while its current record dates that outside the period or has reopened it: closed,
    dated elsewhere (at its last amount while open). Because a won deal counts at its current amount, an amount
    edit saved after the period lands in increased or decreased.

    A deal not in the opening enters: won or lost in the period, it enters and closes (entered and closed, at the
    amount it leaves at, then won or lost); due in the period at its end, it enters at its closing amount as new
    (created in the period), reopened (created before the period, not open at its start: won or lost then),
    pulled in from later months (open at the start with a close date after the period) or moved in from earlier
    months (open at the start with a close date before the period, or none: an overdue deal given a new date).
    """
    day_before = period.start - pd.Timedelta(days=1)
    open_start = open_deals_at(data, day_before).set_index("opportunity_id")
    start = open_start[period.contains(open_start["close_date"])]
    end = open_deals_at(data, period.end).set_index("opportunity_id")
    opps = data.opportunities.set_index("opportunity_id")
    closed_in = period.contains(opps["close_date"]) & (opps["outcome"] != "open")
    ids = start.index.union(end.index[period.contains(end["close_date"])]).union(opps.index[closed_in])
    moves = pd.DataFrame(index=pd.Index(ids, name="opportunity_id"))
    moves["in_start"] = moves.index.isin(start.index)
    moves["open_end"] = moves.index.isin(end.index)
    moves["start_amount"] = start["amount"].reindex(ids).fillna(0.0)
    moves["start_close"] = start["close_date"].reindex(ids)
    moves["end_close"] = end["close_date"].reindex(ids)
    moves["due_end"] = moves["open_end"] & period.contains(moves["end_close"])
    outcome = opps["outcome"].astype("object").reindex(ids)
    moves["won"] = (outcome == "won") & closed_in.reindex(ids)
    moves["lost"] = (outcome == "lost") & closed_in.reindex(ids)
    final = opps["amount"].reindex(ids).fillna(0.0)
    end_amount = end["amount"].reindex(ids).fillna(0.0)
    last_open = last_open_amounts(data, period.end).reindex(ids)
    last_open = last_open.fillna(moves["start_amount"].where(moves["in_start"], final))
    ins, won, lost, due, still_open = (moves[c].to_numpy() for c in ("in_start", "won", "lost", "due_end", "open_end"))
    earlier = (moves["end_close"] < period.start).to_numpy()
    moves["move"] = np.select(
        [won, lost, ins & due, ins & still_open & earlier, ins & still_open, ins],
        ["won", "lost", "stayed", "moved to earlier months", "pushed out", "closed, dated elsewhere"],
        "entered",
    )
    moves["exit_amount"] = np.select([won, still_open], [final, end_amount], last_open)
    created_in = period.contains(opps["created_date"].reindex(ids)).to_numpy()
    was_open = moves.index.isin(open_start.index)
    later = (open_start["close_date"].reindex(ids) > period.end).to_numpy()
    moves["entry"] = np.select(
        [ins, won | lost, created_in, ~was_open, later],
        ["", "entered and closed", "new", "reopened", "pulled in from later months"],
        "moved in from earlier months",
    )
    return moves.reset_index()[[*MOVE_COLUMNS, "in_start", "due_end"]]


def waterfall(moves: pd.DataFrame) -> pd.DataFrame:
    """The waterfall's components in order (COMPONENTS: opening, the entries, the exits, increased, decreased, won,
    lost, closed elsewhere, closing), each a sum of amounts with the sign it adds, and the deals behind it; opening +
    flows = closing to the cent."""
    start, exit_ = _cents(moves["start_amount"]), _cents(moves["exit_amount"])
    ins = moves["in_start"].to_numpy(bool)
    move, entry = moves["move"].to_numpy(), moves["entry"].to_numpy()
    change = np.where(ins, exit_ - start, 0)
    parts = {"opening": (ins, start)}
    parts.update({name: (entry == name, exit_) for name in ENTRIES})
    parts.update({name: (move == name, -exit_) for name in EXITS})
    parts.update({"increased": (change > 0, change), "decreased": (change < 0, change)})
    parts.update({name: (move == name, -exit_) for name in CLOSINGS})
    parts["closing"] = (moves["due_end"].to_numpy(bool), exit_)
    rows = [(name, int(values[mask].sum()), int(mask.sum())) for name, (mask, values) in parts.items()]
    table = pd.DataFrame(rows, columns=["component", "cents", "deals"])
    table["amount"] = table["cents"] / 100
    return table[["component", "amount", "deals", "cents"]]


def balance_gap(table: pd.DataFrame) -> float:
    """Opening + the flows − closing, in the currency (0 when the waterfall balances)."""
    cents = table.set_index("component")["cents"]
    return float((cents["opening"] + cents[FLOWS].sum() - cents["closing"]) / 100)
