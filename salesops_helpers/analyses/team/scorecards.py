"""Scorecards of reps, teams, managers and regions for the month, the quarter to date and the year to date."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.team.intervals import wilson_interval
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table
from salesops_helpers.metrics.groupings import group_columns
from salesops_helpers.metrics.totals import with_groups

SCORECARD_METRICS = [
    "bookings",
    "quota",
    "attainment",
    "won_deals",
    "lost_deals",
    "win_rate",
    "avg_deal_size",
    "sales_cycle_days",
    "pipeline_created",
    "open_pipeline",
    "coverage",
    "reps_at_quota",
]


def to_date_periods(calendar: FiscalCalendar, month: Period) -> dict[str, Period]:
    """The month, its fiscal quarter up to the month's end and its fiscal year up to the month's end."""
    quarter, year = calendar.quarter(month.start), calendar.year(month.start)
    return {
        "month": month,
        "quarter to date": Period("quarter", quarter.start, month.end, f"{quarter.label} to date"),
        "year to date": Period("fiscal_year", year.start, month.end, f"{year.label} to date"),
    }


def scorecard(data: SalesData, period: Period, by: list[str]) -> pd.DataFrame:
    """The scorecard KPIs per group, with the win rate's 90% Wilson interval and, when activities exist, their count."""
    values = kpi_table(data, period, by, SCORECARD_METRICS).values
    closed = values["won_deals"] + values["lost_deals"]
    values["win_rate_low"], values["win_rate_high"] = wilson_interval(values["won_deals"], closed)
    if data.activities is not None:
        counts = activity_counts(data, period, by)
        if by:
            values = values.merge(counts.rename("activities").reset_index(), on=group_columns(by), how="left")
        else:
            values["activities"] = counts.sum()
        values["activities"] = values["activities"].fillna(0).astype(int)
    return values


def activity_counts(data: SalesData, period: Period, by: list[str]) -> pd.Series:
    """Number of activities done in the period, per group of the rep who did them."""
    activities = data.activities
    if activities is None:
        return pd.Series(dtype=int)
    days = activities["occurred_at"].dt.normalize()
    done = activities.loc[period.contains(days), ["rep_id"]]
    if not by:
        return pd.Series([len(done)], index=pd.Index(["All"], name="company"))
    grouped = with_groups(done, data, by, "rep_id")
    return grouped.groupby(group_columns(by), observed=True).size()


READABLE = {
    "team": "team",
    "manager": "manager",
    "region": "region",
    "rep": "rep",
    "bookings": "bookings",
    "quota": "quota",
    "attainment": "attainment",
    "quota_gap": "against quota",
    "won_deals": "won",
    "win_rate": "win rate (90% interval)",
    "avg_deal_size": "avg deal",
    "sales_cycle_days": "cycle (median days)",
    "pipeline_created": "pipeline created",
    "open_pipeline": "open pipeline",
    "coverage": "coverage",
    "activities": "activities",
}


def readable_scorecard(values: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A scorecard as text for people: money, percentages, the win rate with its interval, readable headers."""
    shown = pd.DataFrame(index=values.index)
    for column, header in READABLE.items():
        if column not in values.columns:
            continue
        if column in ("bookings", "quota", "avg_deal_size", "pipeline_created", "open_pipeline"):
            shown[header] = [formatting.money(v, currency) for v in values[column]]
        elif column == "attainment":
            shown[header] = [formatting.percent(v) for v in values[column]]
        elif column == "quota_gap":
            shown[header] = [formatting.change(v, "currency", currency) for v in values[column]]
        elif column == "win_rate":
            shown[header] = [
                win_rate_text(rate, low, high)
                for rate, low, high in zip(
                    values["win_rate"], values["win_rate_low"], values["win_rate_high"], strict=True
                )
            ]
        elif column == "sales_cycle_days":
            shown[header] = [formatting.days(v) for v in values[column]]
        elif column == "coverage":
            shown[header] = [formatting.ratio(v) for v in values[column]]
        elif column in ("won_deals", "activities"):
            shown[header] = [formatting.count(v) for v in values[column]]
        else:
            shown[header] = values[column].astype("object")
    return shown.reset_index(drop=True)


def win_rate_text(rate: float, low: float, high: float) -> str:
    """A win rate with its interval: 23% (17–30%)."""
    if pd.isna(rate):
        return "–"
    return f"{formatting.percent(rate)} ({formatting.percent(low)[:-1]}–{formatting.percent(high)})"


def by_gap_to_quota(values: pd.DataFrame) -> pd.DataFrame:
    """A scorecard with quota_gap = bookings − quota (missing without a quota above 0), furthest below quota first
    and groups without a quota last."""
    ranked = values.assign(quota_gap=(values["bookings"] - values["quota"]).where(values["quota"] > 0))
    return ranked.sort_values("quota_gap", na_position="last", kind="stable").reset_index(drop=True)


def attainment_tone(attainment: object) -> str:
    """How attainment stands: good at or above 100% of the quota (to date), bad below it, '' without a quota."""
    if not isinstance(attainment, int | float) or pd.isna(attainment):
        return ""
    return "good" if attainment >= 1 else "bad"
