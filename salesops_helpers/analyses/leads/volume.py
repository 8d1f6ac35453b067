"""How many leads come in, month by month and by channel, and who sources the pipeline and bookings."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.funnel import LeadOutcomes, sourced_share
from salesops_helpers.metrics.table import kpi_series

MOST_SOURCES = 6  # the chart and table name this many channels; the rest are summed as OTHER
OTHER = "Other channels"
MONTHS = 12
SOURCED = ("marketing", "sales", "partner", "unknown")


def months_through(end: pd.Timestamp, months: int = MONTHS) -> list[pd.Timestamp]:
    """The first days of the months that end with end's month, oldest first."""
    last = pd.Timestamp(end).to_period("M")
    return [(last - i).start_time for i in range(months - 1, -1, -1)]


def monthly_volume(outcomes: LeadOutcomes, end: pd.Timestamp, months: int = MONTHS) -> pd.DataFrame:
    """Leads created per month (rows, the last `months` through end's month) and channel (columns, the channels
    with most leads over those months first, the rest summed as 'Other channels')."""
    starts = months_through(end, months)
    frame = outcomes.frame
    window = frame[(frame["cohort"] >= starts[0]) & (frame["cohort"] <= starts[-1])]
    counts = window.groupby(["cohort", "source"], observed=True).size().unstack(fill_value=0)
    counts = counts.reindex(index=starts, fill_value=0)
    order = counts.sum().sort_values(ascending=False, kind="stable").index
    named = list(order[:MOST_SOURCES])
    table = counts[named].copy()
    if len(order) > MOST_SOURCES:
        table[OTHER] = counts[list(order[MOST_SOURCES:])].sum(axis=1)
    table.index.name = "month"
    return table.astype(int)


def sourced_by_month(data: SalesData, end: pd.Timestamp, months: int = MONTHS) -> pd.DataFrame:
    """Pipeline created and bookings per month and by who sourced the deals (marketing, sales, partner, unknown):
    the KPIs pipeline_created and bookings by sourced_by, for the last `months` months through end's month."""
    calendar = FiscalCalendar.from_config(data.config)
    periods = [calendar.month(start) for start in months_through(end, months)]
    series = kpi_series(data, periods, ["sourced_by"], ["pipeline_created", "bookings"])
    series["sourced_by"] = pd.Categorical(series["sourced_by"], categories=SOURCED)
    return series[["period_start", "sourced_by", "pipeline_created", "bookings"]].rename(
        columns={"period_start": "month"}
    )


def sourced_totals(monthly: pd.DataFrame) -> pd.DataFrame:
    """sourced_by_month summed over its months: pipeline created and bookings by who sourced them, with shares."""
    totals = monthly.groupby("sourced_by", observed=False)[["pipeline_created", "bookings"]].sum()
    for column in ("pipeline_created", "bookings"):
        totals[f"{column}_share"] = [sourced_share(totals[column], str(who)) for who in totals.index]
    return totals.reset_index()
