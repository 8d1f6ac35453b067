"""How new reps ramp, defined once: rep-months with tenure, and a new hire's output against established reps'.

The team review (notebook 02) draws the ramp curve and tells when new hires ramp; the revenue plan (notebook 01)
sizes the current team's capacity with the same curve, measured on bookings.
"""

from __future__ import annotations

import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.table import kpi_series

REP_MONTH_METRICS = ["bookings", "quota", "attainment", "won_deals", "win_rate", "deals_created", "pipeline_created"]
ESTABLISHED_AFTER = 12  # a rep past this many tenure months is established
PRODUCTIVE_SHARE = 0.9  # ramped once output reaches this share of an established rep's ...
SUSTAINED_MONTHS = 3  # ... over this many months in a row
CURVE_MONTHS = 12  # the ramp is followed over the first twelve tenure months


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


def with_established(rep_months: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The rep-months with `established`: the mean of the metric over the established reps (tenure > 12 months) of
    the rep's team in the same calendar month, which takes deal mix, growth and seasonality out of comparisons."""
    established = rep_months[rep_months["tenure_month"] > ESTABLISHED_AFTER]
    reference = established.groupby(["team", "period_start"])[metric].mean().rename("established")
    return rep_months.merge(reference, left_on=["team", "period_start"], right_index=True, how="left")


def new_hire_months(rep_months: pd.DataFrame, metric: str, last: int = CURVE_MONTHS) -> pd.DataFrame:
    """Tenure months 1 to `last` of the reps hired inside the data (whose first month can be seen), with the
    established reference of their team."""
    hired = rep_months.loc[rep_months["tenure_month"] == 1, "rep_id"]
    frame = with_established(rep_months, metric)
    frame = frame[frame["rep_id"].isin(hired) & frame["tenure_month"].between(1, last)]
    frame = frame.dropna(subset=["established"]).copy()
    frame["tenure_month"] = frame["tenure_month"].astype(int)
    return frame


def ramp_curve(rep_months: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per tenure month 1–12: Σ new hires' metric ÷ Σ established reference of their team that month (the share of
    an established rep's output a new hire produces), with the number of new hires it rests on. The same curve on
    bookings, capped at 1, sizes the revenue plan's capacity: in each month left, a rep employed now counts for that
    share (1 past tenure month 12 or where the curve has no value) of the mean monthly bookings of established
    rep-months up to the end of the plan's baseline."""
    frame = new_hire_months(rep_months, metric)
    sums = frame.groupby("tenure_month").agg(
        output=(metric, "sum"), established=("established", "sum"), reps=("rep_id", "nunique")
    )
    sums["relative"] = sums["output"] / sums["established"].where(sums["established"] > 0)
    curve = sums.reindex(range(1, CURVE_MONTHS + 1)).rename_axis("tenure_month").reset_index()
    curve["reps"] = curve["reps"].fillna(0).astype(int)
    return curve[["tenure_month", "relative", "reps"]]


def months_to_productivity(output: pd.Series, established: pd.Series) -> int | None:
    """First tenure month m at which Σ output ÷ Σ established over months m, m+1, m+2 reaches 90%.

    Both series are indexed by tenure month 1, 2, ...; None when that does not happen in the months seen.
    """
    ahead = output.sort_index()[::-1].rolling(SUSTAINED_MONTHS).sum()[::-1]
    base = established.sort_index()[::-1].rolling(SUSTAINED_MONTHS).sum()[::-1]
    share = ahead / base.where(base > 0)
    reached = share[share >= PRODUCTIVE_SHARE]
    return int(reached.index[0]) if not reached.empty else None


def ramp_months(rep_months: pd.DataFrame, metric: str) -> int | None:
    """The tenure month from which new hires together reach 90% of established output over three months in a row
    (Σ over new hires of the metric ÷ Σ of their teams' established reference), None when not within 12 months."""
    frame = new_hire_months(rep_months, metric, CURVE_MONTHS + SUSTAINED_MONTHS - 1)
    sums = frame.groupby("tenure_month")[[metric, "established"]].sum()
    return within_curve(months_to_productivity(sums[metric], sums["established"]))


def within_curve(month: int | None) -> int | None:
    """A ramp month inside the first twelve tenure months, else None."""
    return month if month is not None and month <= CURVE_MONTHS else None
