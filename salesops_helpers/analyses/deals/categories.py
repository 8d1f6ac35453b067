"""Forecast categories: the call per team and manager for this quarter and the next, and how much of it closed.

A deal's forecast category (Pipeline, Best Case, Commit, Omitted; Closed once won) says how sure its owner is that
it closes in its quarter. The opportunity history has no category column, so a deal's category on a past day is the
configured category of its stage that day (`stages` in the configuration; the stage that day as `open_deals_at`
reads it from the history). On the data's own day a deal open now has its current category, the opportunity's
`forecast_category`, which the loader fills from the stage's configured category when it is empty and which may
differ from it where the CRM or the rep set another. A category set by hand in the past is therefore not seen: a
past Commit is a deal whose stage that day was configured as Commit.

The roll-up at a day, per group (team, manager or the whole company), for the fiscal quarter holding the day and the
next: the amount (that day's) and number of the deals open at the day's end in each of Commit, Best Case and
Pipeline whose expected close date that day falls in the quarter, and Closed, the deals won in the quarter up to the
day. Omitted is shown apart, as its own row, and is no part of the call. Open deals expected to close before the
quarter (overdue) or without an expected close date are in no quarter and left out.

Conversion: each month end makes a call for the quarter being sold into, the quarter of the next day (at a
quarter's last day, the next quarter). Once that quarter is over, each deal called in a category was won within it
or not. A deal called at several month ends counts once at each; the rule for small samples counts distinct deals.

Without a history table a deal closed since a past day has no known stage that day: its category is Unknown, and no
past call is checked (the deals whose category is unknown are exactly the ones that closed).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from salesops_helpers.analyses.deals.win_probability import month_ends
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.deal_state import open_deals_at
from salesops_helpers.metrics.totals import with_groups

COMMIT, BEST_CASE, PIPELINE, OMITTED, CLOSED = "Commit", "Best Case", "Pipeline", "Omitted", "Closed"
UNKNOWN = "Unknown"
CALL = (COMMIT, BEST_CASE, PIPELINE)  # the categories of the call, surest first
CALLED = (CLOSED, COMMIT)  # what the call counts on: booked, and what reps commit to
ROLLUP_CATEGORIES = (*CALL, CLOSED, OMITTED)
ORDER = (*CALL, CLOSED, OMITTED, UNKNOWN)  # how tables sort categories; others after these, by name
HORIZONS = ("this quarter", "next quarter")
COMPANY = "Company"
Grouping = Literal["team", "manager"] | None
# Below ten deals one deal won or lost moves the share by more than ten points: the share says more about luck.
FEWEST_DEALS = 10
TOO_FEW = f"fewer than {FEWEST_DEALS} deals: share not meaningful"
NO_AMOUNT = "no amount called: share by amount not meaningful"
ROLLUP_COLUMNS = ["day", "horizon", "quarter", "group", "category", "amount", "deals"]
CALL_COLUMNS = [
    "month_end",
    "quarter",
    "quarter_end",
    "months_left",
    "opportunity_id",
    "owner_id",
    "team",
    "manager",
    "category",
    "amount",
    "won",
]
CONVERSION_COLUMNS = [
    "group",
    "category",
    "month_ends",
    "deals",
    "distinct_deals",
    "amount",
    "won_deals",
    "won_amount",
    "share_amount",
    "share_deals",
    "note",
]


def configured_categories(data: SalesData) -> dict[str, str]:
    """Each configured stage's forecast category."""
    return {stage.name: stage.forecast_category for stage in data.config.stages}


def categories_at(data: SalesData, day: pd.Timestamp) -> pd.DataFrame:
    """Each deal open at the end of day (open_deals_at's columns) with its forecast category that day, `category`
    (module docstring: the current one on the data's day, else its stage's configured one; Unknown without a stage)."""
    day = pd.Timestamp(day).normalize()
    state = open_deals_at(data, day)
    category = state["stage"].astype("object").map(configured_categories(data))
    if day >= data.as_of:
        opps = data.opportunities.set_index("opportunity_id")
        ids = state["opportunity_id"]
        current = ids.map(opps["forecast_category"].astype("object"))
        open_now = ids.map(opps["outcome"].astype("object")).eq("open")
        category = current.where(open_now & current.notna(), category)
    state["category"] = category.fillna(UNKNOWN).astype("object")
    return state


def _grouped(frame: pd.DataFrame, data: SalesData, by: Grouping) -> pd.DataFrame:
    """The rows with a `group` column: the owner's team or manager (the metrics' rules: Unassigned for an unknown
    owner, '(not set)' for a rep without a manager), or the company."""
    if by is None:
        return frame.assign(group=COMPANY)
    return with_groups(frame, data, [by], "owner_id").rename(columns={by: "group"})


def _all_groups(data: SalesData, by: Grouping) -> list[str]:
    """Every group any deal belongs to, by name: the same rows on every day of a trend."""
    owners = data.opportunities[["owner_id"]]
    return sorted(_grouped(owners, data, by)["group"].astype(str).unique())


def _other_categories(data: SalesData) -> list[str]:
    """Categories beyond the standard ones that the configuration or the deals name, by name."""
    named = set(configured_categories(data).values())
    named |= set(data.opportunities["forecast_category"].dropna().astype(str))
    return sorted(named - set(ROLLUP_CATEGORIES) - {UNKNOWN})


def _sort_categories(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The rows sorted by the keys, categories in ORDER (others after them, by name)."""
    rank = frame["category"].map({name: position for position, name in enumerate(ORDER)}).fillna(len(ORDER))
    ordered = frame.assign(_rank=rank).sort_values([*keys, "_rank", "category"] if keys else ["_rank", "category"])
    return ordered.drop(columns="_rank").reset_index(drop=True)


def quarters_of(data: SalesData, day: pd.Timestamp) -> tuple[Period, Period]:
    """The fiscal quarter holding the day and the one after it."""
    calendar = FiscalCalendar.from_config(data.config)
    this = calendar.quarter(day)
    return this, calendar.quarter(this.end + pd.Timedelta(days=1))


def category_rollup(data: SalesData, day: pd.Timestamp, by: Grouping = None) -> pd.DataFrame:
    """Per group, for the quarter holding the day and the next, each category's amount and deals at the day's end:
    Commit, Best Case, Pipeline and Omitted = Σ amount that day (and count) of the deals open in the category whose
    expected close date falls in the quarter; Closed = Σ amount (and count) of the deals won in the quarter up to the
    day (an open deal already marked Closed waits until it is won). Every group and category has a row (0 where
    none); Unknown ones only when some deal has no known stage."""
    day = pd.Timestamp(day).normalize()
    open_deals = _grouped(categories_at(data, day), data, by)
    opps = data.opportunities
    won_by_day = (opps["outcome"] == "won") & (opps["close_date"] <= day)
    won = _grouped(opps.loc[won_by_day, ["opportunity_id", "owner_id", "amount", "close_date"]], data, by)
    unknown = [UNKNOWN] if open_deals["category"].eq(UNKNOWN).any() else []
    categories = [*ROLLUP_CATEGORIES, *_other_categories(data), *unknown]
    cells = pd.MultiIndex.from_product([_all_groups(data, by), categories], names=["group", "category"])
    parts = []
    for horizon, quarter in zip(HORIZONS, quarters_of(data, day), strict=True):
        inside = open_deals[quarter.contains(open_deals["close_date"])]
        closed = won[quarter.contains(won["close_date"])].assign(category=CLOSED)
        rows = pd.concat([inside[inside["category"] != CLOSED], closed], ignore_index=True)
        totals = rows.groupby(["group", "category"]).agg(amount=("amount", "sum"), deals=("opportunity_id", "size"))
        totals = totals.reindex(cells, fill_value=0).reset_index()
        parts.append(totals.assign(day=day, horizon=horizon, quarter=quarter.label))
    table = pd.concat(parts, ignore_index=True)
    table["amount"] = table["amount"].astype(float)
    table["deals"] = table["deals"].astype(int)
    return table[ROLLUP_COLUMNS]


def category_trend(data: SalesData, by: Grouping = None, months: int | None = None) -> pd.DataFrame:
    """The roll-up (category_rollup's rows) as it stood at each month end up to the data's day, the last `months`
    of them, oldest first."""
    days = month_ends(data)
    days = days[-months:] if months else days
    parts = [category_rollup(data, day, by) for day in days]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ROLLUP_COLUMNS)


def rollup_columns(rollup: pd.DataFrame, value: Literal["amount", "deals"] = "amount") -> pd.DataFrame:
    """A roll-up or trend as a table to read: a row per day, horizon, quarter and group, a column per category."""
    table = rollup.pivot_table(
        index=["day", "horizon", "quarter", "group"], columns="category", values=value, aggfunc="sum", sort=False
    )
    present = [name for name in ORDER if name in table.columns]
    table = table[present + sorted(set(table.columns) - set(present))]
    table.columns.name = None
    return table.reset_index()


def past_calls(data: SalesData) -> pd.DataFrame:
    """Each deal open at a past month end, in its category then, expected to close in the quarter being sold into
    (the next day's), once that quarter is over, with `won`: won with a close date by the quarter's end. Amounts are
    the month end's; months_left counts the quarter's months after the month end (3 at a quarter's start). Empty
    without a history table (module docstring)."""
    if data.history is None or data.history.empty:
        return pd.DataFrame(columns=CALL_COLUMNS)
    calendar = FiscalCalendar.from_config(data.config)
    opps = data.opportunities.set_index("opportunity_id")
    won_on = opps["close_date"].where(opps["outcome"] == "won")
    parts = []
    for day in month_ends(data):
        quarter = calendar.quarter(day + pd.Timedelta(days=1))
        if quarter.end > data.as_of:
            break
        deals = categories_at(data, day)
        deals = deals[quarter.contains(deals["close_date"])].copy()
        deals["month_end"] = day
        deals["quarter"] = quarter.label
        deals["quarter_end"] = quarter.end
        deals["months_left"] = (quarter.end.year - day.year) * 12 + quarter.end.month - day.month
        closed_on = deals["opportunity_id"].map(won_on)
        deals["won"] = (closed_on <= quarter.end).astype(bool)  # NaT, not won: False
        parts.append(deals)
    if not parts:
        return pd.DataFrame(columns=CALL_COLUMNS)
    calls = with_groups(pd.concat(parts, ignore_index=True), data, ["team", "manager"], "owner_id")
    calls["amount"] = calls["amount"].astype(float)
    return calls[CALL_COLUMNS]


def category_conversion(calls: pd.DataFrame, by: Grouping = None, per_month_end: bool = False) -> pd.DataFrame:
    """Per group and category (and month end, when asked), what was called and what of it was won within its
    quarter: deals = calls (a deal once per month end), amount = Σ called amount, won_deals and won_amount = the same
    over the calls won within the quarter; share_amount = won_amount ÷ amount, share_deals = won_deals ÷ deals, both
    NaN with a note below FEWEST_DEALS distinct deals (and share_amount where nothing was called by amount)."""
    keys = (["month_end", "quarter"] if per_month_end else []) + ["group", "category"]
    columns = keys[:-2] + CONVERSION_COLUMNS
    if calls.empty:
        return pd.DataFrame(columns=columns)
    frame = calls.assign(
        group=COMPANY if by is None else calls[by].astype("object"),
        won_amount=calls["amount"].where(calls["won"], 0.0),
    )
    table = (
        frame.groupby(keys)
        .agg(
            month_ends=("month_end", "nunique"),
            deals=("opportunity_id", "size"),
            distinct_deals=("opportunity_id", "nunique"),
            amount=("amount", "sum"),
            won_deals=("won", "sum"),
            won_amount=("won_amount", "sum"),
        )
        .reset_index()
    )
    table["won_deals"] = table["won_deals"].astype(int)
    few = table["distinct_deals"] < FEWEST_DEALS
    no_amount = table["amount"] <= 0
    table["share_amount"] = (table["won_amount"] / table["amount"].where(~no_amount)).where(~few)
    table["share_deals"] = (table["won_deals"] / table["deals"]).where(~few).astype(float)
    table["note"] = np.select([few, no_amount], [TOO_FEW, NO_AMOUNT], default="")
    return _sort_categories(table, keys[:-1])[columns]


def called(rollup: pd.DataFrame, quarter: Period | str, which: tuple[str, ...] = CALLED) -> float | None:
    """The amount in the categories for the quarter (its label or itself; rollup: category_rollup's company rows):
    the call, Closed + Commit, unless other categories are asked for; None when no row is for the quarter."""
    label = quarter if isinstance(quarter, str) else quarter.label
    rows = rollup[rollup["quarter"] == label]
    if rows.empty:
        return None
    return float(rows.loc[rows["category"].isin(list(which)), "amount"].sum())
