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

import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.metrics.deal_state import open_deals_at

REP_GROUPINGS = ("team", "region", "manager", "rep")
DEAL_GROUPINGS = ("segment", "lead_source", "deal_type")
GROUPINGS = REP_GROUPINGS + DEAL_GROUPINGS
NOT_SET = "(not set)"
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


def group_columns(by: list[str]) -> list[str]:
    """The columns a grouping adds to a KPI table (a rep is shown by id and name)."""
    columns: list[str] = []
    for key in by:
        columns += ["rep_id", "rep"] if key == "rep" else [key]
    return columns


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


def _grouped(frame: pd.DataFrame, keys: list[str]) -> pd.core.groupby.DataFrameGroupBy:
    return frame.groupby(keys, observed=True, sort=True, dropna=False)


def period_totals(data: SalesData, period: Period, by: list[str]) -> pd.DataFrame:
    """One row per group (every group seen in any total), the group columns first, then TOTAL_COLUMNS."""
    keys = group_columns(by) or ["_all"]
    deals = deals_with_groups(data, by).assign(_all="All")
    won, lost = closed_in(deals, period, "won"), closed_in(deals, period, "lost")
    created = deals[period.contains(deals["created_date"])]
    parts = [
        _grouped(won, keys).agg(
            won_deals=("amount", "size"),
            won_amount=("amount", "sum"),
            won_amount_median=("amount", "median"),
            cycle_days_median=("cycle_days", "median"),
        ),
        _grouped(lost, keys).agg(lost_deals=("amount", "size"), lost_amount=("amount", "sum")),
        _grouped(created, keys).agg(created_deals=("amount", "size"), created_amount=("amount", "sum")),
    ]
    probability = data.config.stage_probability()
    open_end = _opening(data, period.end, by, deals)
    open_end["weighted"] = open_end["amount"] * open_end["stage"].map(probability).astype(float)
    parts.append(
        _grouped(open_end, keys).agg(
            open_end_deals=("amount", "size"),
            open_end_amount=("amount", "sum"),
            # missing when any deal's stage that day is unknown (no history): a partial sum would look like a fall
            open_end_weighted=("weighted", lambda w: w.sum(skipna=False, min_count=1)),
        )
    )
    open_start = _opening(data, period.start - pd.Timedelta(days=1), by, deals)
    open_start["due"] = open_start["amount"].where(period.contains(open_start["close_date"]), 0.0)
    parts.append(_grouped(open_start, keys).agg(open_start_deals=("amount", "size"), due_start_amount=("due", "sum")))
    if all(key in REP_GROUPINGS for key in by) and data.quotas is not None:
        parts.append(_quota_totals(data, period, by, won, keys, data.quotas))
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


def _opening(data: SalesData, day: pd.Timestamp, by: list[str], deals: pd.DataFrame) -> pd.DataFrame:
    """Deals open at the end of day, with the group columns of their deal and owner."""
    state = open_deals_at(data, day)
    extra = [key for key in by if key in DEAL_GROUPINGS]
    if extra:
        state = state.merge(deals[["opportunity_id", *extra]], on="opportunity_id", how="left")
    return with_groups(state, data, [key for key in by if key in REP_GROUPINGS], "owner_id").assign(_all="All")


def _quota_totals(
    data: SalesData, period: Period, by: list[str], won: pd.DataFrame, keys: list[str], quotas: pd.DataFrame
) -> pd.DataFrame:
    """Quota, reps with a quota, and reps whose bookings reached their quota (from data's quotas table), per group."""
    in_period = quotas[period.contains(quotas["period_start"])]
    per_rep = in_period.groupby("rep_id", observed=True)["quota"].sum(min_count=1).rename("quota").to_frame()
    booked = won.groupby("owner_id", observed=True)["amount"].sum()
    per_rep["booked"] = booked.reindex(per_rep.index).fillna(0.0)
    per_rep = per_rep.reset_index()
    per_rep["has_quota"] = per_rep["quota"] > 0
    per_rep["at_quota"] = per_rep["has_quota"] & (per_rep["booked"] >= per_rep["quota"])
    per_rep = with_groups(per_rep, data, by, "rep_id").assign(_all="All")
    return _grouped(per_rep, keys).agg(
        quota=("quota", lambda q: q.sum(min_count=1)),
        reps_with_quota=("has_quota", "sum"),
        reps_at_quota=("at_quota", "sum"),
    )
