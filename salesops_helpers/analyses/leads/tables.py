"""The lead funnel's tables as readers see them: rows in the order that matters, columns named in words, and how
each figure is written (the notebook hands them to presentation.report.table)."""

from __future__ import annotations

from functools import partial

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.findings import NOTHING, Formatter, ShownTable
from salesops_helpers.analyses.leads.follow_up import MIN_MQLS
from salesops_helpers.metrics.funnel import LEAD_METRICS_BY_KEY


def _interval(low: float, high: float) -> str:
    """'5.7%-6.5%'."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{formatting.percent(low, 1)}-{formatting.percent(high, 1)}"


def channel_table(table: pd.DataFrame, what: str, currency: str) -> ShownTable:
    """The funnel by channel or segment (channels.channel_funnel): the most leads first, each rate with its 90%
    interval, the median deal, pipeline and bookings."""
    if table.empty:
        return NOTHING
    shown = pd.DataFrame(
        {
            what: table["group"],
            "leads": table["leads"],
            "share of leads": table["lead_share"],
            "MQLs": table["mqls"],
            "SQLs": table["sqls"],
            "deals": table["lead_deals"],
            "won": table["lead_won_deals"],
            "lead to deal": table["lead_to_deal"],
            "90% interval": [_interval(lo, hi) for lo, hi in zip(table["low"], table["high"], strict=True)],
            "MQL to SQL": table["mql_to_sql"],
            "median deal": table["median_deal"],
            "pipeline": table["lead_pipeline"],
            "bookings": table["lead_bookings"],
        }
    )
    money: Formatter = partial(formatting.money, currency=currency)
    rate: Formatter = partial(formatting.percent, digits=1)
    formats: dict[str, Formatter] = {
        "leads": formatting.count,
        "share of leads": formatting.percent,
        "MQLs": formatting.count,
        "SQLs": formatting.count,
        "deals": formatting.count,
        "won": formatting.count,
        "lead to deal": rate,
        "MQL to SQL": formatting.percent,
        "median deal": money,
        "pipeline": money,
        "bookings": money,
    }
    return ShownTable(shown, formats)


def speed_table(table: pd.DataFrame, what: str, most_mqls: bool = False) -> ShownTable:
    """Speed to lead by team or rep (follow_up.speed_by), the slowest first; for reps only those with enough MQLs
    to judge (most_mqls) unless none has."""
    if table.empty:
        return NOTHING
    rows = table
    if most_mqls and (table["mqls"] >= MIN_MQLS).any():
        rows = table[table["mqls"] >= MIN_MQLS]
    shown = pd.DataFrame({what: rows["group"]})
    if "team" in rows:
        shown["team"] = rows["team"]
    shown["leads"] = rows["leads"]
    shown["median speed to lead"] = rows["speed_hours"]
    shown["touched within a day"] = rows["within_a_day"]
    shown["MQLs"] = rows["mqls"]
    shown["MQL to SQL"] = rows["mql_to_sql"]
    shown["90% interval"] = [_interval(lo, hi) for lo, hi in zip(rows["low"], rows["high"], strict=True)]
    formats: dict[str, Formatter] = {
        "leads": formatting.count,
        "median speed to lead": formatting.hours,
        "touched within a day": formatting.percent,
        "MQLs": formatting.count,
        "MQL to SQL": formatting.percent,
    }
    return ShownTable(shown.reset_index(drop=True), formats)


def speed_conversion_table(table: pd.DataFrame) -> ShownTable:
    """MQL-to-SQL by how soon MQLs were first touched (follow_up.speed_and_conversion)."""
    if table.empty or not table["mqls"].sum():
        return NOTHING
    shown = pd.DataFrame(
        {
            "first touch": table["bucket"],
            "MQLs": table["mqls"],
            "became SQL": table["sqls"],
            "MQL to SQL": table["mql_to_sql"],
            "90% interval": [_interval(lo, hi) for lo, hi in zip(table["low"], table["high"], strict=True)],
        }
    )
    formats: dict[str, Formatter] = {
        "MQLs": formatting.count,
        "became SQL": formatting.count,
        "MQL to SQL": formatting.percent,
    }
    return ShownTable(shown, formats)


def missed_table(missed: pd.DataFrame) -> ShownTable:
    """MQLs nobody followed up, the longest waiting first (follow_up.not_followed_up)."""
    if missed.empty:
        return NOTHING
    shown = missed.rename(
        columns={
            "lead_id": "lead",
            "created_at": "created",
            "mql_date": "MQL since",
            "days_waiting": "days waiting",
            "rep": "owner",
        }
    )
    shown["created"] = shown["created"].dt.normalize()
    return ShownTable(shown, {"days waiting": formatting.count})


def efficiency_table(efficiency: pd.DataFrame, currency: str) -> ShownTable:
    """Cost KPIs by channel over the judged cohorts (channels with campaign costs only), the most leads first."""
    if efficiency.empty:
        return NOTHING
    columns = {"source": "channel"} | {key: LEAD_METRICS_BY_KEY[key].name for key in efficiency if key != "source"}
    shown = efficiency.rename(columns=columns)
    formats: dict[str, Formatter] = {
        LEAD_METRICS_BY_KEY[key].name: partial(
            formatting.by_unit, unit=LEAD_METRICS_BY_KEY[key].unit, currency=currency
        )
        for key in efficiency
        if key != "source"
    }
    return ShownTable(shown, formats)


def sourced_table(sourced: pd.DataFrame, currency: str) -> ShownTable:
    """Pipeline created and bookings by who sourced them, with shares (volume.sourced_totals)."""
    rows = sourced[(sourced["pipeline_created"] > 0) | (sourced["bookings"] > 0)]
    if rows.empty:
        return NOTHING
    shown = pd.DataFrame(
        {
            "sourced by": rows["sourced_by"].astype("str"),
            "pipeline created": rows["pipeline_created"],
            "share of pipeline": rows["pipeline_created_share"],
            "bookings": rows["bookings"],
            "share of bookings": rows["bookings_share"],
        }
    )
    money: Formatter = partial(formatting.money, currency=currency)
    formats: dict[str, Formatter] = {
        "pipeline created": money,
        "share of pipeline": formatting.percent,
        "bookings": money,
        "share of bookings": formatting.percent,
    }
    return ShownTable(shown.reset_index(drop=True), formats)
