"""The lead funnel's chart titles and notes: each states what its chart or table finds, computed from its table."""

from __future__ import annotations

import math

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.leads.follow_up import NEVER
from salesops_helpers.formatting import plural


def volume_title(volume: pd.DataFrame) -> str:
    """Which channel brought most leads over the months shown, and its share."""
    totals = volume.sum()
    if totals.sum() <= 0:
        return "No leads were created in the months shown"
    top = str(totals.idxmax())
    share = float(totals.max() / totals.sum())
    months = len(volume)
    return f"{top} brought the most leads in the last {plural(months, 'month')}: {fmt.percent(share)} of them"


def channel_title(table: pd.DataFrame, poor: pd.Series | None, window: str) -> str:
    """The channel that converts poorly, else the one that converts best with enough leads."""
    if table.empty:
        return f"No leads were created from {window}"
    if poor is not None:
        return (
            f"{poor['group']} brings {fmt.percent(poor['lead_share'])} of the leads but converts "
            f"{fmt.percent(poor['lead_to_deal'], 1)} of them to deals (leads of {window})"
        )
    judged = table[table["lead_share"] >= 0.05]
    best = (judged if len(judged) else table).sort_values("lead_to_deal", ascending=False).iloc[0]
    return f"{best['group']} leads become deals most often: {fmt.percent(best['lead_to_deal'], 1)} (leads of {window})"


def curve_title(curves: pd.DataFrame, half_days: float) -> str:
    """How soon leads that become deals do so, and how many have by 90 days."""
    at_90 = curves.iloc[:, 0].get(90, math.nan) if len(curves.columns) else math.nan
    if math.isnan(half_days):
        return "No lead has become a deal yet"
    by_90 = f"; {fmt.percent(at_90, 1)} of all leads are deals within 90 days" if not pd.isna(at_90) else ""
    return f"Half the leads that become deals do so within {fmt.days(half_days)}{by_90}"


def speed_title(table: pd.DataFrame) -> str:
    """How the MQL-to-SQL rate of the MQLs touched soonest compares with those touched last (of the buckets with at
    least 20 MQLs; MQLs never touched are left out, as an untouched lead rarely qualifies at all)."""
    rows = table.reindex(columns=["bucket", "mqls", "mql_to_sql"])
    rows = rows[(rows["mqls"] >= 20) & (rows["bucket"] != NEVER)].set_index("bucket")
    if len(rows) < 2:
        return "Too few MQLs to compare how speed to lead goes with conversion"
    fast, slow = rows.iloc[0], rows.iloc[-1]
    return (
        f"MQLs first touched {rows.index[0]} became SQLs at {fmt.percent(fast['mql_to_sql'])}, those "
        f"{rows.index[-1]} at {fmt.percent(slow['mql_to_sql'])}"
    )


def sourced_title(sourced: pd.DataFrame, window: str) -> str:
    """Marketing's share of the pipeline created over the months shown."""
    shares = sourced.set_index("sourced_by")["pipeline_created_share"]
    share = shares.get("marketing", math.nan)
    if pd.isna(share):
        return f"No pipeline was created from {window}"
    return f"Marketing sourced {fmt.percent(share)} of the pipeline created from {window}"


def speed_note(basis: str, slow: pd.Series | None) -> str:
    """What speed to lead is measured to, and the slow team if there is one."""
    if not basis:
        return "The data links no activities to leads and has no assignment times, so speed to lead cannot be measured."
    measured = f"Speed to lead runs from a lead's creation to its {basis}."
    if slow is None:
        return f"{measured} No team with enough MQLs is both twice as slow as the others and converts worse."
    return (
        f"{measured} {slow['group']} is the slowest: a median {fmt.hours(slow['speed_hours'])} against "
        f"{fmt.hours(slow['others_speed'])} for the other teams, and {fmt.percent(slow['mql_to_sql'])} of its MQLs "
        f"became SQLs against {fmt.percent(slow['others_rate'])}."
    )


def missed_note(missed: pd.DataFrame, since: str) -> str:
    """How many MQLs nobody followed up, by the team with most of them."""
    if missed.empty:
        return f"Every MQL of the leads created since {since} was followed up or became a deal."
    teams = missed["team"].value_counts()
    return (
        f"{plural(len(missed), 'MQL')} of the leads created since {since} had no activity a week after qualifying; "
        f"{teams.index[0]} holds {fmt.count(int(teams.iloc[0]))} of them."
    )


def efficiency_note(efficiency: pd.DataFrame, currency: str) -> str:
    """The cheapest and dearest channel per deal, when campaign costs exist."""
    rows = efficiency.reindex(columns=["source", "cost_per_deal"]).dropna(subset=["cost_per_deal"])
    if rows.empty:
        return "No campaign costs are in the data (campaigns table, cost column), so channel efficiency is not shown."
    rows = rows.sort_values("cost_per_deal")
    cheap, dear = rows.iloc[0], rows.iloc[-1]
    if len(rows) == 1:
        return f"{cheap['source']} cost {fmt.money(cheap['cost_per_deal'], currency)} per deal."
    return (
        f"Per deal, {cheap['source']} cost least ({fmt.money(cheap['cost_per_deal'], currency)}) and {dear['source']} "
        f"most ({fmt.money(dear['cost_per_deal'], currency)})."
    )
