"""The sentences of the deal inspection (report 06), written from its computed figures.

Every number in them is computed and formatted by `formatting`; each sentence says what the figures show, or why
there are none.
"""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.deals.categories import (
    BEST_CASE,
    CALL,
    CLOSED,
    COMMIT,
    COMPANY,
    FEWEST_DEALS,
    HORIZONS,
    PIPELINE,
    Grouping,
    called,
)
from salesops_helpers.data.loading import UNKNOWN_TEAM
from salesops_helpers.formatting import plural
from salesops_helpers.metrics.groupings import NOT_SET


def _share(rows: pd.DataFrame, category: str) -> float | None:
    """The category's share of the called amount won within its quarter; None when it is missing or not meaningful."""
    if category not in rows.index or pd.isna(rows.loc[category, "share_amount"]):
        return None
    return float(rows.loc[category, "share_amount"])


def _share_text(rows: pd.DataFrame, category: str) -> str:
    """'Best Case 38%', or 'Best Case: too few deals' where the share is not meaningful."""
    share = _share(rows, category)
    return f"{category}: too few deals" if share is None else f"{category} {formatting.percent(share)}"


def conversion_sentence(conversion: pd.DataFrame, history: bool = True) -> str:
    """How much of the call at past month ends closed within its quarter, surest category first, the others in
    brackets (conversion: category_conversion's company table, pooled), or why no call is checked."""
    if conversion.empty:
        if not history:
            return (
                "Without an opportunity history the categories of past month ends are unknown, so no call is checked "
                "against what closed."
            )
        return "No quarter called at a past month end is over yet, so no call can be checked against what closed."
    rows = conversion.set_index("category")
    measured = [category for category in CALL if _share(rows, category) is not None]
    if not measured:
        return (
            f"Fewer than {FEWEST_DEALS} deals were called in each category at past month ends whose quarter is over: "
            "too few to say how much of the call closed."
        )
    lead = measured[0]
    others = [_share_text(rows, category) for category in CALL if category != lead and category in rows.index]
    brackets = f" ({', '.join(others)})" if others else ""
    month_ends = int(rows.loc[lead, "month_ends"])
    return (
        f"Of the {lead} called at {plural(month_ends, 'past month end')}, "
        f"{formatting.percent(_share(rows, lead))} of the amount closed within its quarter{brackets}."
    )


def lowest_group_sentence(conversion: pd.DataFrame, by: Grouping, category: str = COMMIT) -> str:
    """Which team or manager's call in a category closed at the lowest share, against the company's, among the
    named groups whose share is meaningful (Unassigned and '(not set)' are not compared); '' with fewer than two."""
    if by is None or conversion.empty:
        return ""
    rows = conversion[(conversion["category"] == category) & ~conversion["group"].isin([UNKNOWN_TEAM, NOT_SET])]
    compared = rows.dropna(subset=["share_amount"]).sort_values(["share_amount", "group"])
    if len(compared) < 2:
        return ""
    lowest, highest = compared.iloc[0], compared.iloc[-1]
    left_out = len(rows) - len(compared)
    aside = (
        f" ({plural(left_out, by)} with fewer than {FEWEST_DEALS} {category} deals not compared)" if left_out else ""
    )
    return (
        f"{lowest['group']}'s {category} closed at {formatting.percent(lowest['share_amount'])}, the lowest of the "
        f"{plural(len(compared), by)}, and {highest['group']}'s at {formatting.percent(highest['share_amount'])}, "
        f"the highest{aside}."
    )


def rollup_sentence(rollup: pd.DataFrame, currency: str = "USD") -> str:
    """Where the call stands on the roll-up's day for the company (rollup: category_rollup's company rows): this
    quarter's closed amount and open Commit, Best Case and Pipeline, and the next quarter's open call; '' when empty."""
    rows = rollup[rollup["group"] == COMPANY]
    if rows.empty:
        return ""
    day = pd.Timestamp(rows["day"].iloc[0])
    this, following = (rows[rows["horizon"] == horizon] for horizon in HORIZONS)

    def amount(part: pd.DataFrame, category: str) -> str:
        return formatting.money(float(part.loc[part["category"] == category, "amount"].sum()), currency)

    def call(part: pd.DataFrame) -> str:
        return (
            f"{amount(part, COMMIT)} in Commit, {amount(part, BEST_CASE)} in Best Case and {amount(part, PIPELINE)} "
            "in Pipeline"
        )

    return (
        f"On {formatting.day_name(day)}, {this['quarter'].iloc[0]} had {amount(this, CLOSED)} closed, with "
        f"{call(this)} still open; {following['quarter'].iloc[0]} had {call(following)}."
    )


def rollup_title(rollup: pd.DataFrame, quarter_label: str, target: float | None, currency: str = "USD") -> str:
    """The roll-up chart's title: the quarter's call (Closed + Commit) against its target, or its open Best Case and
    Pipeline when no target is set (rollup: category_rollup's company rows)."""
    rows = rollup[rollup["group"] == COMPANY]
    call = called(rows, quarter_label) or 0.0
    if target is not None and target > 0:
        return (
            f"{quarter_label}: {formatting.money(call, currency)} called (Closed and Commit), "
            f"{formatting.percent(call / target)} of the {formatting.money(target, currency)} target"
        )
    rest = called(rows, quarter_label, (BEST_CASE, PIPELINE)) or 0.0
    return (
        f"{quarter_label}: {formatting.money(call, currency)} called (Closed and Commit), "
        f"{formatting.money(rest, currency)} more in Best Case and Pipeline"
    )


def calibration_title(table: pd.DataFrame) -> str:
    """The calibration chart's title: the largest gap between predicted and won among bands of at least
    FEWEST_DEALS deals (table: win_probability.reliability)."""
    bands = table[table["deals"] >= FEWEST_DEALS] if "deals" in table.columns else table
    if bands.empty:
        return "Too few scored deals to check the probabilities"
    gap = (bands["observed"] - bands["predicted"]).abs()
    worst = gap.idxmax()
    return (
        f"Predicted and actual win rates differ by at most {gap.max() * 100:.0f} points a band "
        f"(deals given {worst}: {formatting.percent(bands.loc[worst, 'observed'])} won)"
    )


def conversion_title(conversion: pd.DataFrame) -> str:
    """The conversion chart's title: how much of the Commit amount closed within its quarter, or why it is not
    known (conversion: category_conversion's company table)."""
    rows = conversion[(conversion["group"] == COMPANY) & (conversion["category"] == COMMIT)]
    if rows.empty or pd.isna(rows["share_amount"].iloc[0]):
        return "Too few past calls to say how much of Commit closed"
    return f"{formatting.percent(rows['share_amount'].iloc[0])} of the amount called Commit closed within its quarter"


def inspection_note(inspection: pd.DataFrame, quarter_label: str, shown: int) -> str:
    """What the inspection list holds and how many of its deals the page shows."""
    if inspection.empty:
        return f"No open deal is expected to close by the end of {quarter_label}."
    total = len(inspection)
    first = f"the {shown} with the most value at risk are shown here; " if total > shown else ""
    return (
        f"{plural(total, 'open deal')} expected to close by the end of {quarter_label} (overdue ones included); "
        f"{first}every one is in the analyst's notebook and the CSV beside this report."
    )
