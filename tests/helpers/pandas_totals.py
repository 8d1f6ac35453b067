"""The KPI totals of a period worked out with pandas, row by row: the independent recount the DuckDB engine
(salesops_helpers/metrics/engine.py) is checked against. It is the workbook's former implementation, kept here as
an oracle only; the rules are those of salesops_helpers/metrics/totals.py.
"""

from __future__ import annotations

import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.deal_state import open_deals_at
from salesops_helpers.metrics.groupings import DEAL_GROUPINGS, REP_GROUPINGS, group_columns
from salesops_helpers.metrics.totals import assembled, closed_in, deals_with_groups, with_groups


def _grouped(frame: pd.DataFrame, keys: list[str]) -> pd.core.groupby.DataFrameGroupBy:
    return frame.groupby(keys, observed=True, sort=True, dropna=False)


def pandas_period_totals(data: SalesData, period: Period, by: list[str]) -> pd.DataFrame:
    """period_totals, its grouped totals computed with pandas (put together as the workbook does)."""
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
            open_end_weighted=("weighted", lambda w: w.sum(skipna=False, min_count=1)),
        )
    )
    open_start = _opening(data, period.start - pd.Timedelta(days=1), by, deals)
    open_start["due"] = open_start["amount"].where(period.contains(open_start["close_date"]), 0.0)
    parts.append(_grouped(open_start, keys).agg(open_start_deals=("amount", "size"), due_start_amount=("due", "sum")))
    if all(key in REP_GROUPINGS for key in by) and data.quotas is not None:
        parts.append(_quota_totals(data, period, by, won, keys, data.quotas))
    return assembled(parts, by)


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
    """Quota, reps with a quota, and reps whose bookings reached their quota, per group."""
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
