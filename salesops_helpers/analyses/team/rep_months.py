"""Each rep's KPIs month by month, with the rep's tenure: the base of the heatmap, the ramp and the rep pages."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_series

REP_MONTH_METRICS = ["bookings", "quota", "attainment", "won_deals", "win_rate", "deals_created", "pipeline_created"]


def tenure_month(hire_date: pd.Series, month_start: pd.Series) -> pd.Series:
    """Tenure month of a rep in a calendar month: 1 in the month of the hire date, 2 in the next, and so on."""
    months = (month_start.dt.year - hire_date.dt.year) * 12 + month_start.dt.month - hire_date.dt.month + 1
    return months.astype("Int64")


def rep_months(data: SalesData, months: list[Period]) -> pd.DataFrame:
    """One row per rep employed in each month (hired by its end, not gone before its start), with the month's KPIs.

    A rep employed in a month with no deal or quota that month gets 0 bookings, deals and pipeline (and no rate).
    """
    series = kpi_series(data, months, ["team", "rep"], REP_MONTH_METRICS)
    reps = data.reps[["rep_id", "name", "team", "hire_date", "end_date"]].rename(columns={"name": "rep"})
    grid = pd.DataFrame(
        [(p.label, p.start, p.end) for p in months], columns=["period", "period_start", "period_end"]
    ).merge(reps, how="cross")
    hired = grid["hire_date"].isna() | (grid["hire_date"] <= grid["period_end"])
    stayed = grid["end_date"].isna() | (grid["end_date"] >= grid["period_start"])
    grid = grid[hired & stayed].drop(columns="period_end")
    grid["team"] = grid["team"].astype("object")
    keys = ["period", "period_start", "rep_id"]
    table = grid.merge(series.drop(columns=["team", "rep"]), on=keys, how="left")
    for column in ("bookings", "won_deals", "deals_created", "pipeline_created"):
        table[column] = table[column].fillna(0.0)
    table["tenure_month"] = tenure_month(table["hire_date"], table["period_start"])
    return table.sort_values(["period_start", "team", "rep"]).reset_index(drop=True)
