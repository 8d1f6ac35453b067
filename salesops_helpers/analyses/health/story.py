"""The sentences of the data-health report, written from its computed checks (every number in them is computed)."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.health.checks import incomplete_columns
from salesops_helpers.formatting import plural


def source_sentence(company: str, origin: str, data_as_of: pd.Timestamp, period: str) -> str:
    """Whose data was read, from where, up to which day, and the period overdue deals are judged against."""
    return (
        f"Data for {company}, read from {origin}, runs up to {data_as_of:%Y-%m-%d}. Stages and open deals below are "
        f"as the data stands on that day; overdue deals are judged against the end of {period}."
    )


def coverage_sentence(coverage: pd.DataFrame) -> str:
    """Whether any table's date column has calendar months without a row (date_coverage), and which."""
    gaps = coverage[coverage["empty_months"] > 0]
    if gaps.empty:
        return "Every table has rows in every month of its span: no gaps in the export."
    listed = "; ".join(f"{row.table}.{row.column}: {row.gaps}" for row in gaps.itertuples())
    return f"{len(gaps)} date column(s) have months without a single row, a sign of an incomplete export: {listed}"


def volume_title(volume: pd.DataFrame) -> str:
    """The deal-volume chart's finding: the months it covers and the month most deals were created in."""
    if volume.empty:
        return "No deal was created or closed in the data"
    busiest = volume.loc[volume["created"].idxmax()]
    return (
        f"Deals created per month, {volume['month'].min():%b %Y} to {volume['month'].max():%b %Y}: "
        f"most in {busiest['month']:%b %Y} ({formatting.count(busiest['created'])})"
    )


def quality_log_sentence(log: pd.DataFrame) -> str:
    """How many kinds of problem loading recorded (the quality log as a frame), or that it found none."""
    if log.empty:
        return "Loading found no problem at all."
    return f"Loading recorded {len(log)} kind(s) of problem."


def missing_values_sentence(missing: pd.DataFrame) -> str:
    """How many of the columns checked (missing_values) are completely filled, and that the others follow."""
    others = len(incomplete_columns(missing))
    if others == 0:
        return f"All {formatting.count(len(missing))} columns are completely filled."
    listed = "the other is listed below" if others == 1 else f"the {formatting.count(others)} others are listed below"
    filled = f"{formatting.count(len(missing) - others)} of {formatting.count(len(missing))}"
    return f"{filled} columns are completely filled; {listed}."


def duplicates_sentence(dropped: pd.DataFrame) -> str:
    """How many exact copies of earlier rows loading dropped (duplicates), or that there were none."""
    total = dropped["dropped"].sum()
    if total == 0:
        return "No file repeated a row."
    return f"Loading dropped {plural(int(total), 'exact copy', 'exact copies')} of earlier rows."


def open_value_title(open_stages: pd.DataFrame, currency: str) -> str:
    """The open-pipeline chart's finding: the stage holding the most open value, of how much in all."""
    if open_stages.empty:
        return "No open deals"
    largest = open_stages.loc[open_stages["amount"].idxmax()]
    return (
        f"Most open value sits in {largest['stage']}: {formatting.money(largest['amount'], currency)} "
        f"of {formatting.money(open_stages['amount'].sum(), currency)}"
    )


def past_due_sentence(past_due: pd.DataFrame, as_of: pd.Timestamp, currency: str) -> str:
    """How many open deals, worth how much, had a close date before as_of (past_due_open_deals), or that none had."""
    if past_due.empty:
        return f"No open deal had a close date before {as_of:%Y-%m-%d}."
    return (
        f"{plural(len(past_due), 'open deal')} worth {formatting.money(past_due['amount'].sum(), currency)} had a "
        f"close date before {as_of:%Y-%m-%d}, listed below, the largest first."
    )


def no_amount_sentence(no_amount: pd.DataFrame) -> str:
    """How many deals have no amount (deals_without_amount), or that every deal has one."""
    if no_amount.empty:
        return "Every deal has an amount."
    if len(no_amount) == 1:
        return "1 deal has no amount (or 0); it counts as a deal but adds nothing to value."
    return (
        f"{formatting.count(len(no_amount))} deals have no amount (or 0); they count as deals but add nothing to value."
    )
