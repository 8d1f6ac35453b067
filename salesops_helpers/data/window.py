"""The time window of a database read (the mapping's source.since): older rows stay in the database.

A large company's warehouse holds years of deals that a monthly report does not need. With `source.since` ("36
months", or a first day such as 2023-01-01) a load reads only the deals created, closed or still open on or after
the window's first day, every history row of those deals, and the quotas, activities and leads of the window's
months (activities and leads of a deal kept are kept too). The KPIs of every period inside the window are then the
ones a full read gives; figures over the whole history (stage stays, win rates, forecasts) count the window only.

The conditions are SQL over the mapped tables, written with pushdown's column expressions (data/warehouse.py) and
run in the database. Where they cannot be written (a mapping key applied by a load changes a date, an id or the
stage; a date format for text files; a database whose column labels fold case) that table is read whole, and the
data-quality log says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from salesops_helpers.data.mapping.schema import SINCE_MONTHS
from salesops_helpers.data.mapping.sql import EXACT_LABELS, in_dialect
from salesops_helpers.data.warehouse import _PLACEHOLDER, NotPushed, Reader, _Builder, _case, _folded

if TYPE_CHECKING:
    from salesops_helpers.config import WorkbookConfig
    from salesops_helpers.data.mapping.schema import Mapping, TableMapping

# The date columns that place a row of each table in the window, and its deal's id column (kept with its deal).
_DATES = {
    "opportunity_history": ([], "opportunity_id"),
    "quotas": (["period_start"], None),
    "activities": (["occurred_at"], "opportunity_id"),
    "leads": (["created_at", "mql_date", "sql_date", "converted_date"], "opportunity_id"),
}
# The mapping keys a load applies to a column, which the window's SQL cannot follow.
_LOAD_KEYS = ("constants", "stand_ins", "joined", "first_of", "overrides", "split")


def window_start(text: str, day: pd.Timestamp) -> pd.Timestamp:
    """The window's first day: a date as written, or the first of the month N months before day's ("36 months")."""
    found = SINCE_MONTHS.match(text)
    if found:
        months = int(found.group(1))
        return (day.to_period("M") - months).to_timestamp()
    return pd.Timestamp(text.strip()).normalize()


@dataclass
class ReadWindow:
    """The WHERE condition (DuckDB's SQL over `src`, with placeholders) that each windowed table is read with."""

    since: pd.Timestamp
    dialect: str
    conditions: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # placeholder: the mapped table or query, in the dialect
    whole: dict[str, str] = field(default_factory=dict)  # table read whole: why

    def statement(self, name: str, select: str) -> str:
        """`select` (DuckDB's SQL, FROM salesops_table AS src, no WHERE, maybe ORDER BY) with the table's condition,
        in the database's dialect; salesops_table is left for the caller to replace."""
        condition = self.conditions.get(name)
        if condition is not None:
            head, _, sort = select.partition(" ORDER BY ")
            select = f"{head} WHERE {condition}" + (f" ORDER BY {sort}" if sort else "")
        written = in_dialect(select, self.dialect)
        for placeholder, source in self.sources.items():
            written = written.replace(placeholder, source)
        return written


def _state(spec: TableMapping, builder: _Builder, name: str, column: str, translated: bool = False) -> str:
    """How the column is read: "plain" (one database column as it stands), "absent" (not mapped), or "made" (a key
    a load applies changes it, which the window's SQL cannot follow)."""
    if any(column in getattr(spec, key) for key in _LOAD_KEYS) or (column in spec.values and not translated):
        return "made"
    return "plain" if column in builder.labels[name] else "absent"


def _after(builder: _Builder, name: str, spec: TableMapping, column: str, since: str, unknown_kept: bool) -> str:
    """The column's moment is on or after the window's first day (or unknown, when that keeps the row: a required
    date a load will report)."""
    moment = builder.timestamp(name, spec, column, "")
    return f"({moment} IS NULL OR {moment} >= {since})" if unknown_kept else f"{moment} >= {since}"


def _deals(builder: _Builder, spec: TableMapping, config: WorkbookConfig, since: str) -> str:
    """The deals kept: created or closed in the window, or open (a date not known keeps the deal)."""
    for column in ("created_date", "close_date", "opportunity_id", "stage"):
        if _state(spec, builder, "opportunities", column, translated=column == "stage") != "plain":
            raise NotPushed(f"the deals' {column} is made by a load, which the window's SQL cannot follow")
    stages = {_folded(stage): stage for stage in config.stage_names}
    outcome = _case(builder.translated("opportunities", spec, "stage", stages), config.stage_outcome())
    created = _after(builder, "opportunities", spec, "created_date", since, unknown_kept=True)
    closed = _after(builder, "opportunities", spec, "close_date", since, unknown_kept=True)
    return f"({created} OR {closed} OR {outcome} = 'open')"


def read_window(mapping: Mapping, config: WorkbookConfig, reader: Reader, day: pd.Timestamp) -> ReadWindow | None:
    """The window of the mapping's source.since for each table read from the database, or None without one.
    NotPushed says why no table can be windowed (every row is then read)."""
    if mapping.source is None or not mapping.source.since:
        return None
    window = ReadWindow(window_start(mapping.source.since, day), reader.dialect)
    if reader.dialect not in EXACT_LABELS:
        raise NotPushed(f"{reader.dialect} folds the case of column labels, which the window's SQL names")
    if mapping.format.date_format != "ISO":
        raise NotPushed("the mapping's date_format is for text files: a load parses the dates")
    builder = _Builder(mapping, config, reader)
    since = f"CAST('{window.since.date().isoformat()}' AS TIMESTAMP)"
    spec = builder.prepare("opportunities", strict=False)
    if spec is None:
        raise NotPushed("the mapping has no opportunities table")
    kept = _deals(builder, spec, config, since)
    window.conditions["opportunities"] = kept
    deal_ids = (
        f"SELECT {builder.column('opportunities', spec, 'opportunity_id')} "
        f"FROM {_PLACEHOLDER.format(name='opportunities')} AS src WHERE {kept}"
    )
    for name, (dates, deal) in _DATES.items():
        other = mapping.tables.get(name)  # type: ignore[call-overload]
        if other is None or other.from_owners or other.from_stage_dates:
            continue
        try:
            other = builder.prepare(name, strict=False)
        except NotPushed as exc:
            window.whole[name] = str(exc)
            continue
        assert other is not None
        columns = [*dates, deal] if deal else dates
        states = {column: _state(other, builder, name, column) for column in columns}
        if "made" in states.values() or states[columns[0]] == "absent":
            window.whole[name] = "a column that places its rows in time is made by a load, or missing"
            continue
        parts = [
            _after(builder, name, other, column, since, unknown_kept=column == dates[0])
            for column in dates
            if states[column] == "plain"
        ]
        if deal is not None and states[deal] == "plain":
            parts.append(f"{builder.column(name, other, deal)} IN ({deal_ids})")
        window.conditions[name] = "(" + " OR ".join(parts) + ")"
    window.sources = dict(builder.sources)
    return window


def kept_deals(window: ReadWindow, reader: Reader) -> tuple[int, int]:
    """How many deals the window keeps, of how many the database holds (the condition run once, so that a database
    refusing it means a whole read, not a failed load)."""
    select = f"SELECT count(*) AS total, sum(CASE WHEN {window.conditions['opportunities']} THEN 1 ELSE 0 END) AS kept"
    statement = window.statement("", select + f" FROM {_PLACEHOLDER.format(name='opportunities')} AS src")
    try:
        counts = reader.fetch(statement)
    except Exception as exc:
        detail = str(getattr(exc, "orig", None) or exc).split("\n")[0]
        raise NotPushed(f"{reader.shown} could not run the window's condition: {detail}") from None
    kept = counts["kept"].iloc[0]
    return (0 if pd.isna(kept) else int(kept)), int(counts["total"].iloc[0])
