"""Lookups: columns taken from another file of the export through a key (a role's name, an account's industry).

CRM exports are normalised: a Salesforce user carries a `UserRoleId` whose name is in `UserRole.csv`, a deal an
`AccountId` whose name, industry and size are in `Account.csv`. A lookup adds the other file's columns to the table's
file under new labels, which the mapping's `columns` then take like any other.
"""

from __future__ import annotations

import pandas as pd

from salesops_helpers.data.mapping.schema import Lookup
from salesops_helpers.data.parsing import as_text
from salesops_helpers.data.quality import DataQualityLog, Problem, Severity
from salesops_helpers.data.reading import RawTable, canonical_name

# Salesforce ids come in a 15-character, case-sensitive form (reports) and an 18-character form (the API and Data
# Export) whose first 15 characters are the short form; a key in one form finds a match in the other.
SHORT_ID, LONG_ID = 15, 18
MOST_EXAMPLES = 5


def _column(frame: pd.DataFrame, label: str) -> str | None:
    """The frame's column with this label, ignoring case and spacing."""
    return {canonical_name(str(c)): str(c) for c in frame.columns}.get(canonical_name(label))


def _error(log: DataQualityLog, raw: RawTable, file: str, message: str) -> None:
    log.add(Problem("error", raw.table.name, file, None, message))


def _salesforce_forms(keys: pd.Series, known: pd.Index) -> pd.Series:
    """Keys in the other length of Salesforce id turned into the form the other file uses (others unchanged)."""
    lengths = known.str.len()
    if keys.isna().all() or not len(known):
        return keys
    if (lengths == LONG_ID).all():
        short = pd.Series(known, index=known.str[:SHORT_ID])
        short = short[~short.index.duplicated(keep="first")]
        found = keys.where(keys.str.len() == SHORT_ID).map(short)
        return found.fillna(keys)
    if (lengths == SHORT_ID).all():
        return keys.where(keys.str.len() != LONG_ID, keys.str[:SHORT_ID])
    return keys


def key_column(raw: RawTable, lookup: Lookup, log: DataQualityLog) -> str | None:
    """The table's column that holds the lookup's key, or None after logging that the file has none."""
    found = _column(raw.frame, lookup.key)
    if found is None:
        columns = ", ".join(str(c) for c in raw.frame.columns)
        message = (
            f"the lookup in {lookup.file} takes its key from the column '{lookup.key}', which is not in the file "
            f"(columns found: {columns})"
        )
        _error(log, raw, raw.file, message)
    return found


def _moments(values: pd.Series, date_format: str) -> pd.Series:
    """Dates or moments for ordering rows (unreadable ones missing): ISO, or the mapping's format with any time."""
    text = as_text(values)
    if date_format.upper() == "ISO":
        return pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True).dt.tz_convert(None)
    return pd.to_datetime(text, format=date_format, exact=False, errors="coerce")


def _one_row_per_key(
    other: pd.DataFrame, lookup: Lookup, raw: RawTable, other_file: str, log: DataQualityLog, date_format: str
) -> pd.DataFrame | None:
    """The other file's rows indexed by their match value, one row per value (None after logging a missing column):
    the earliest by the lookup's `earliest` column, else the first in the file, with a warning."""
    label = _column(other, lookup.earliest) if lookup.earliest else None
    if lookup.earliest and label is None:
        columns = ", ".join(str(c) for c in other.columns)
        message = (
            f"the lookup orders rows by the column '{lookup.earliest}', which is not in the file "
            f"(columns found: {columns})"
        )
        _error(log, raw, other_file, message)
        return None
    index = other.assign(_key=as_text(other[_column(other, lookup.match)])).dropna(subset=["_key"])
    if label is not None:
        index = index.assign(_when=_moments(index[label], date_format))
        index = index.sort_values("_when", kind="stable", na_position="last").drop(columns="_when")
    repeated = int(index["_key"].duplicated().sum())
    if repeated and label is not None:
        message = (
            f"{repeated:,} rows share their {lookup.match} with an earlier one: the lookup uses the row with the "
            f"earliest {label} of each"
        )
        log.add(Problem("info", raw.table.name, other_file, None, message))
    elif repeated:
        message = f"{repeated:,} {lookup.match} values appear more than once: the lookup uses the first row of each"
        log.add(Problem("warning", raw.table.name, other_file, None, message))
    return index.drop_duplicates("_key").set_index("_key")


def apply_lookup(
    raw: RawTable, lookup: Lookup, other: pd.DataFrame, other_file: str, log: DataQualityLog, date_format: str = "ISO"
) -> str:
    """Add the lookup's columns from the other file's cells to the table's; returns a note of how many keys found a
    match ("" after logging that the other file lacks a column). Keys that find none leave the new cells empty, with
    a warning and example rows (an info line when the lookup is optional)."""
    key = key_column(raw, lookup, log)
    if key is None:
        return ""
    wanted = [lookup.match, *lookup.take]
    missing = [label for label in wanted if _column(other, label) is None]
    if missing:
        columns = ", ".join(str(c) for c in other.columns)
        message = (
            f"the lookup needs the column(s) {', '.join(missing)}, which are not in the file (columns found: {columns})"
        )
        _error(log, raw, other_file, message)
        return ""
    index = _one_row_per_key(other, lookup, raw, other_file, log, date_format)
    if index is None:
        return ""
    keys = _salesforce_forms(as_text(raw.frame[key]), index.index)
    for column, label in lookup.take.items():
        raw.frame[label] = keys.map(index[_column(other, column)]).astype(object)
    present = keys.notna()
    unmatched = present & ~keys.isin(index.index)
    if unmatched.any():
        rows = raw.frame.index[unmatched][:MOST_EXAMPLES]
        examples = pd.DataFrame({"row": rows + 1, key: raw.frame.loc[rows, key].to_numpy()})
        message = (
            f"{int(unmatched.sum()):,} of {int(present.sum()):,} {key} values are not in {other_file} "
            f"(column {lookup.match}), so {', '.join(lookup.take.values())} is empty for them"
        )
        severity: Severity = "info" if lookup.optional else "warning"
        log.add(Problem(severity, raw.table.name, raw.file, key, message, int(unmatched.sum()), "", examples))
    taken = ", ".join(f"'{label}'" for label in lookup.take.values())
    matched = int((present & ~unmatched).sum())
    return f"{taken} looked up in {other_file} through {key}: {matched:,} of {int(present.sum()):,} keys found"
