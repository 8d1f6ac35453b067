"""Per-group totals for one period: the deals and quotas every KPI formula is built from.

Which deals and quotas count, for every KPI:
- a deal is won or lost in the period when its close date falls inside it (both ends included);
- a deal is created in the period when its created date falls inside it;
- open at the period's end means open at the end of its last day; open at its start means open at the end of the
  day before (how a past day's state is known is below);
- a deal belongs to its current owner's team, region and manager (the data has no history of team changes);
- quotas are set per rep and month: groupings by deal attributes (segment, lead source, deal type) have none;
- a deal without an amount counts with an amount of 0 (loading lists such deals in the data-quality log).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.cache import StoredTables
from salesops_helpers.data.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.metrics.engine import totals_parts
from salesops_helpers.metrics.groupings import DEAL_GROUPINGS, NOT_SET, REP_GROUPINGS

if TYPE_CHECKING:
    from salesops_helpers.data.warehouse import WarehouseTables

TOTAL_COLUMNS = [
    "won_deals",
    "won_amount",
    "won_amount_median",
    "cycle_days_median",
    "lost_deals",
    "lost_amount",
    "created_deals",
    "created_amount",
    "open_end_deals",
    "open_end_amount",
    "open_end_weighted",
    "open_start_deals",
    "due_start_amount",
    "quota",
    "reps_with_quota",
    "reps_at_quota",
]


def _rep_attributes(data: SalesData) -> pd.DataFrame:
    """team, region, manager and name per rep_id."""
    reps = data.reps.set_index("rep_id")
    attributes = pd.DataFrame(index=reps.index)
    attributes["team"] = reps["team"].astype("object")
    attributes["region"] = reps["region"].astype("object").fillna(NOT_SET)
    attributes["manager"] = reps["manager"].astype("object").fillna(NOT_SET)
    attributes["rep"] = reps["name"].astype("object")
    return attributes


def with_groups(frame: pd.DataFrame, data: SalesData, by: list[str], owner: str) -> pd.DataFrame:
    """frame (rows with an owner column and, for deals, deal attributes) with the grouping's columns added."""
    out = frame.copy()
    attributes = _rep_attributes(data)
    for key in by:
        if key in REP_GROUPINGS:
            values = out[owner].map(attributes["team" if key == "team" else key])
            fallback = out[owner].astype("object") if key == "rep" else UNKNOWN_TEAM
            out[key] = values.where(values.notna(), fallback)
            if key == "rep":
                out["rep_id"] = out[owner].astype("object")
        else:
            out[key] = out[key].astype("object").fillna(NOT_SET)
    return out


def closed_in(deals: pd.DataFrame, period: Period, outcome: str) -> pd.DataFrame:
    """The deals won (or lost) in the period: that outcome now, and a close date inside the period."""
    return deals[(deals["outcome"] == outcome) & period.contains(deals["close_date"])]


def deals_with_groups(data: SalesData, by: list[str]) -> pd.DataFrame:
    """Every deal with its group columns and a cycle length in days."""
    opps = data.opportunities
    columns = ["opportunity_id", "owner_id", "created_date", "close_date", "amount", "outcome"]
    columns += [key for key in by if key in DEAL_GROUPINGS]
    deals = with_groups(opps[columns], data, by, "owner_id")
    deals["cycle_days"] = (deals["close_date"] - deals["created_date"]).dt.days
    return deals


def period_totals(data: SalesData | StoredTables | WarehouseTables, period: Period, by: list[str]) -> pd.DataFrame:
    """One row per group (every group seen in any total), the group columns first, then TOTAL_COLUMNS; the totals are
    computed by DuckDB (metrics/engine.py) under the rules above."""
    return assembled(totals_parts(data, period, by), by)


def assembled(parts: list[pd.DataFrame], by: list[str]) -> pd.DataFrame:
    """The grouped totals (frames indexed by the group columns) as one table: every group seen in any of them, the
    group columns first, then TOTAL_COLUMNS; counts and amounts of groups a total has no row for are 0."""
    totals = pd.concat(parts, axis=1).sort_index()
    if not by:  # the company always has its one row, even in a period when nothing happened
        totals = totals.reindex(pd.Index(["All"], name="_all"))
    for column in TOTAL_COLUMNS:
        if column not in totals.columns:
            totals[column] = float("nan")
    counts = ["won_deals", "lost_deals", "created_deals", "open_end_deals", "open_start_deals"]
    amounts = ["won_amount", "lost_amount", "created_amount", "open_end_amount", "due_start_amount"]
    totals[counts] = totals[counts].fillna(0).astype(int)
    totals[amounts] = totals[amounts].fillna(0.0)
    totals = totals[TOTAL_COLUMNS].reset_index()
    return totals.drop(columns="_all") if not by else totals
