"""Which channels bring leads that become deals: the funnel by channel or segment, with each rate's interval."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.analyses.team.intervals import wilson_interval
from salesops_helpers.metrics.funnel import LeadOutcomes, lead_deals, lead_to_deal, lead_totals, mql_to_sql

# A channel is called out only with this share of the window's leads, and a deal size only over this many deals.
MIN_LEAD_SHARE = 0.1
MIN_DEALS_FOR_SIZE = 20
# A channel converts poorly when even its interval's top lies under this share of the other channels' rate ...
POOR_FACTOR = 0.5
# ... and its deals are larger when their median is at least this multiple of the other channels'.
LARGER_FACTOR = 1.3


def channel_funnel(outcomes: LeadOutcomes, start: pd.Timestamp, end: pd.Timestamp, by: str = "source") -> pd.DataFrame:
    """Per channel (or segment, team, ...) the leads created from start to end and how far they went: leads, MQLs,
    SQLs, deals, won deals, lead-to-deal rate with its 90% interval, MQL-to-SQL rate, pipeline, bookings and the
    median deal; the most leads first."""
    columns = ["leads", "mqls", "sqls", "lead_deals", "lead_won_deals", "lead_pipeline", "lead_bookings"]
    table = lead_totals(outcomes, None, start, end, [by]).set_index(by)[columns]
    window = outcomes.created_between(start, end)
    deals = window[window["deal"]]
    table["median_deal"] = deals.groupby(by, observed=True)["pipeline"].median()
    table = table.reset_index().rename(columns={by: "group"})
    table["lead_share"] = table["leads"] / max(int(table["leads"].sum()), 1)
    table["lead_to_deal"] = lead_to_deal(table)
    table["mql_to_sql"] = mql_to_sql(table)
    table["low"], table["high"] = wilson_interval(lead_deals(table), table["leads"])
    return table.sort_values(["leads", "group"], ascending=[False, True], ignore_index=True)


def _others(table: pd.DataFrame, row: pd.Series, column: str) -> float:
    """A rate over every channel but row's: the others' successes ÷ the others' trials."""
    rest = table[table["group"] != row["group"]]
    trials = float(rest["leads" if column == "lead_deals" else column].sum())
    return float(rest[column].sum()) / trials if trials else float("nan")


def poor_channel(table: pd.DataFrame) -> pd.Series | None:
    """The channel with the most leads among those with at least a tenth of them whose lead-to-deal rate, even at the
    top of its 90% interval, is under half the other channels' rate; None when no channel is."""
    for _, row in table.iterrows():
        others = _others(table, row, "lead_deals")
        if row["lead_share"] >= MIN_LEAD_SHARE and row["high"] < POOR_FACTOR * others:
            return pd.concat([row, pd.Series({"others_rate": others})])
    return None


def larger_deal_channel(outcomes: LeadOutcomes, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series | None:
    """The channel whose deals (at least 20) have the highest median amount, when it is at least 1.3 times the median
    of the other channels' deals; None when no channel stands out."""
    window = outcomes.created_between(start, end)
    deals = window[window["deal"]]
    counts = deals.groupby("source", observed=True).size()
    medians = deals.groupby("source", observed=True)["pipeline"].median()[counts >= MIN_DEALS_FOR_SIZE]
    if medians.empty:
        return None
    best = str(medians.idxmax())
    others = float(deals.loc[deals["source"] != best, "pipeline"].median())
    if not np.isfinite(others) or others <= 0 or medians[best] < LARGER_FACTOR * others:
        return None
    return pd.Series({"group": best, "median_deal": float(medians[best]), "others": others, "deals": int(counts[best])})
