"""The deal inspection's tables as readers see them: the rows in the order that matters, columns named in words,
and how each figure is written (the notebook hands them to presentation.report.table)."""

from __future__ import annotations

from functools import partial

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.deals.categories import CALL, CLOSED, COMPANY, rollup_columns
from salesops_helpers.analyses.findings import NOTHING, Formatter, ShownTable
from salesops_helpers.calendar.fiscal import Period

DEAL_COLUMNS = {
    "name": "deal",
    "owner": "owner",
    "team": "team",
    "stage": "stage",
    "amount": "amount",
    "expected_close": "expected close",
    "forecast_category": "category",
    "win_probability": "win probability",
}


def _deals(frame: pd.DataFrame, extra: dict[str, str], currency: str) -> ShownTable:
    """Deals with the columns readers know them by, and the extra columns given."""
    if frame.empty:
        return NOTHING
    columns = DEAL_COLUMNS | extra
    shown = frame[list(columns)].rename(columns=columns)
    money: Formatter = partial(formatting.money, currency=currency)
    formats = {"amount": money, "win probability": formatting.percent}
    formats |= {name: money for key, name in extra.items() if key in ("value_at_risk", "expected_value")}
    return ShownTable(shown, formats)


def inspection_table(inspection: pd.DataFrame, currency: str) -> ShownTable:
    """The inspection list: the largest value at risk first, with the reasons (inspection.inspection_list)."""
    return _deals(inspection, {"value_at_risk": "value at risk", "reasons": "reasons"}, currency)


def upside_table(likely: pd.DataFrame, currency: str) -> ShownTable:
    """The likely wins outside Commit, the likeliest value first (inspection.upside)."""
    return _deals(likely, {"expected_value": "likely value"}, currency)


def accuracy_table(accuracy: pd.DataFrame) -> ShownTable:
    """Each method's backtest Brier score, log loss and skill over the stages' historical win rates, the lowest
    Brier first (win_probability.WinBacktest.accuracy)."""
    if accuracy["brier"].isna().all():
        return NOTHING
    shown = accuracy.sort_values(["brier", "method"]).rename(columns={"log_loss": "log loss", "brier_skill": "skill"})
    shown = shown.rename(columns={"brier": "Brier score", "skill": "Brier skill"})
    formats: dict[str, Formatter] = {
        "Brier score": "{:.4f}".format,
        "log loss": "{:.4f}".format,
        "Brier skill": "{:+.1%}".format,
        "deals": formatting.count,
    }
    return ShownTable(shown[["method", "Brier score", "log loss", "Brier skill", "deals"]], formats)


def calibration_table(table: pd.DataFrame) -> ShownTable:
    """The reliability table: per band of predicted probability, the deals, the mean predicted and the share won."""
    if table.empty:
        return NOTHING
    shown = table.reset_index().rename(columns={"predicted": "mean predicted", "observed": "share won"})
    return ShownTable(
        shown,
        {"deals": formatting.count, "mean predicted": formatting.percent, "share won": formatting.percent},
    )


def rollup_table(rollup: pd.DataFrame, quarter: Period, currency: str) -> ShownTable:
    """Per group, the quarter's Closed and open Commit, Best Case and Pipeline on the day, the largest call (Closed +
    Commit) first, the company last (rollup: category_rollup by a grouping)."""
    rows = rollup[rollup["quarter"] == quarter.label]
    if rows.empty:
        return NOTHING
    table = rollup_columns(rows)
    shown_columns = [CLOSED, *CALL]
    for column in shown_columns:
        if column not in table.columns:
            table[column] = 0.0
    table = table[["group", *shown_columns]].copy()
    table["call"] = table[CLOSED] + table[CALL[0]]
    company = table[table["group"] == COMPANY]
    table = table[table["group"] != COMPANY].sort_values(["call", "group"], ascending=[False, True])
    table = pd.concat([table, company], ignore_index=True)
    money: Formatter = partial(formatting.money, currency=currency)
    return ShownTable(table, dict.fromkeys([*shown_columns, "call"], money))


def conversion_table(conversion: pd.DataFrame, currency: str) -> ShownTable:
    """Per group and category, what was called at past month ends and the share of it won within its quarter
    (categories.category_conversion), with the note where a share is not meaningful."""
    if conversion.empty:
        return NOTHING
    columns = {
        "group": "group",
        "category": "category",
        "month_ends": "month ends",
        "distinct_deals": "deals",
        "amount": "called",
        "won_amount": "won in the quarter",
        "share_amount": "share won",
        "note": "note",
    }
    shown = conversion[list(columns)].rename(columns=columns)
    money: Formatter = partial(formatting.money, currency=currency)
    formats = {"called": money, "won in the quarter": money, "share won": formatting.percent}
    return ShownTable(shown, formats | {"month ends": formatting.count, "deals": formatting.count})
