"""The period's pipeline waterfall: how the open pipeline due in the period got from its opening to its closing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.fiscal_calendar import Period
from salesops_helpers.loading import SalesData
from salesops_helpers.metrics.deal_state import open_deals_at

COMPONENTS = ["opening", "new", "pulled in", "pushed out", "increased", "decreased", "won", "lost", "closing"]
FLOWS = COMPONENTS[1:-1]
MOVE_COLUMNS = ["opportunity_id", "move", "entry", "start_amount", "exit_amount", "start_close", "end_close"]


def _cents(values: pd.Series) -> np.ndarray:
    """Amounts as whole cents, so that sums balance exactly."""
    return np.round(values.fillna(0.0).to_numpy(dtype=float) * 100).astype(np.int64)


def pipeline_moves(data: SalesData, period: Period) -> pd.DataFrame:
    """One row per deal in the period's pipeline at its start or end, or won or lost in it, with how it moved.

    The period's pipeline on a day is the open pipeline (open_deals_at) whose expected close date falls in the
    period; the opening is taken at the end of the day before the period, the closing at the end of its last day
    (the opening is the numerator of pipeline coverage). A deal in the opening either stays (its amount change is
    increased or decreased), is won or lost in the period (at its final amount, the change before that counted as
    increased or decreased), or is pushed out (still open, its close date moved out of the period). A deal not in
    the opening enters as new (created in the period) or pulled in (any other), at its closing amount, or at its
    final amount when it is won or lost in the period. Won and lost are deals whose current stage is won or lost
    with a close date in the period, so won equals the period's bookings.
    """
    start = open_deals_at(data, period.start - pd.Timedelta(days=1))
    start = start[period.contains(start["close_date"])].set_index("opportunity_id")
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
    ins, won, lost, due, still_open = (moves[c].to_numpy() for c in ("in_start", "won", "lost", "due_end", "open_end"))
    moves["move"] = np.select(
        [ins & won, ins & due, ins & still_open, ins, won, lost],
        ["won", "stayed", "pushed out", "lost", "won", "lost"],
        "entered",
    )
    # A deal of the opening that is no longer open at the end yet not won or lost in the period by its current
    # state was lost then and reopened later: it leaves as lost at its opening amount.
    moves["exit_amount"] = np.select([won | lost, still_open], [final, end_amount], moves["start_amount"])
    created = opps["created_date"].reindex(ids)
    moves["entry"] = np.where(ins, "", np.where(period.contains(created), "new", "pulled in"))
    return moves.reset_index()[[*MOVE_COLUMNS, "in_start", "due_end"]]


def waterfall(moves: pd.DataFrame) -> pd.DataFrame:
    """The waterfall's components in order (opening, new, pulled in, pushed out, increased, decreased, won, lost,
    closing), each a sum of amounts with the sign it adds, and the deals behind it; opening + flows = closing to
    the cent."""
    start, exit_ = _cents(moves["start_amount"]), _cents(moves["exit_amount"])
    ins = moves["in_start"].to_numpy(bool)
    move, entry = moves["move"].to_numpy(), moves["entry"].to_numpy()
    change = np.where(ins, exit_ - start, 0)
    parts = {
        "opening": (ins, start),
        "new": (entry == "new", exit_),
        "pulled in": (entry == "pulled in", exit_),
        "pushed out": (move == "pushed out", -exit_),
        "increased": (change > 0, change),
        "decreased": (change < 0, change),
        "won": (move == "won", -exit_),
        "lost": (move == "lost", -exit_),
        "closing": (moves["due_end"].to_numpy(bool), exit_),
    }
    rows = [(name, int(values[mask].sum()), int(mask.sum())) for name, (mask, values) in parts.items()]
    table = pd.DataFrame(rows, columns=["component", "cents", "deals"])
    table["amount"] = table["cents"] / 100
    return table[["component", "amount", "deals", "cents"]]


def balance_gap(table: pd.DataFrame) -> float:
    """Opening + the flows − closing, in the currency (0 when the waterfall balances)."""
    cents = table.set_index("component")["cents"]
    return float((cents["opening"] + cents[FLOWS].sum() - cents["closing"]) / 100)
