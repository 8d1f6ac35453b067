"""Turning a raw table's text cells into typed columns, logging every value that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesops_helpers.data.quality import MAX_EXAMPLES, DataQualityLog, Problem, Severity
from salesops_helpers.data.reading import RawTable


@dataclass
class Checker:
    """Records problems about the rows of one raw table, with example rows a user can find in the file."""

    raw: RawTable
    log: DataQualityLog
    # Cells that were empty in the file, per column: tells "empty" apart from "could not be read".
    blank: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        """The table being checked."""
        return self.raw.frame

    def flag(
        self,
        mask: pd.Series,
        severity: Severity,
        column: str | None,
        message: str,
        action: str = "",
        show: list[str] | None = None,
    ) -> int:
        """Log a problem for the rows where mask holds, with up to five example rows; returns the count."""
        if not mask.index.equals(self.frame.index):
            mask = mask.reindex(self.frame.index)
        mask = mask.fillna(False).astype(bool)
        count = int(mask.sum())
        if not count:
            return 0
        frame = self.frame
        cols = [c for c in (*self.raw.table.key, *(show or []), column) if c and c in frame.columns]
        cols = list(dict.fromkeys(cols))
        first = np.flatnonzero(mask.to_numpy())[:MAX_EXAMPLES]
        examples = frame.iloc[first][cols].copy()
        examples.insert(0, "row", frame.index[first] + 1)
        for name in examples.columns:
            if pd.api.types.is_datetime64_any_dtype(examples[name]):
                moments = examples[name]
                fmt = "%Y-%m-%d" if (moments.dropna() == moments.dropna().dt.normalize()).all() else "%Y-%m-%d %H:%M"
                examples[name] = moments.dt.strftime(fmt)
        noun = "row" if count == 1 else "rows"
        label = self.raw.labels.get(column or "")
        self.log.add(
            Problem(
                severity,
                self.raw.table.name,
                self.raw.file,
                f"{label} ({column})" if label and label != column else column,
                f"{count:,} {noun}: {message}",
                count,
                action,
                examples.astype("object").where(examples.notna(), ""),
            )
        )
        return count


def as_text(values: pd.Series) -> pd.Series:
    """Values as trimmed text, with empty cells missing."""
    text = values.astype("str") if values.dtype != "str" else values
    text = text.str.strip()
    return text.mask(text.eq("") | values.isna())


def parse_text(values: pd.Series, category: bool) -> pd.Series:
    """Trimmed text (or a categorical of it for short labels)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        trimmed = [str(c).strip() for c in values.cat.categories]
        if len(set(trimmed)) == len(trimmed) and "" not in trimmed:
            values = values.cat.rename_categories(trimmed)
            return values if category else values.astype("str").mask(values.isna())
    text = as_text(values)
    return text.astype("category") if category else text


TIME_SUFFIXES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
EARLIEST, LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31 23:59:59")
ISO_DAY = r"\d{4}-\d{2}-\d{2}"


def _parse_iso(text: pd.Series, day_only: bool) -> pd.Series:
    """ISO dates or moments; a value must give at least year, month and day."""
    full = text.str.match(ISO_DAY).fillna(False).astype(bool)
    moments = pd.to_datetime(text.where(full), format="ISO8601", errors="coerce", utc=True)
    if not day_only:
        return moments.dt.tz_convert(None).astype("datetime64[us]")
    # The calendar day as written: a time zone must not move a deal closed at midnight into the day before.
    day = text.str.slice(0, 10).where(moments.notna())
    return pd.to_datetime(day, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")


def _parse_with_format(text: pd.Series, date_format: str, day_only: bool) -> pd.Series:
    """Dates in a strftime format, also with a time of day after the date; ISO dates are accepted too."""
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for suffix in TIME_SUFFIXES:
        todo = text.notna() & parsed.isna()
        if not todo.any():
            return parsed
        attempt = pd.to_datetime(text[todo], format=date_format + suffix, errors="coerce")
        parsed[todo] = attempt.astype("datetime64[us]")
    todo = text.notna() & parsed.isna()
    if todo.any():
        parsed[todo] = _parse_iso(text[todo], day_only)
    return parsed


def parse_dates(check: Checker, column: str, date_format: str, day_only: bool) -> pd.Series:
    """Dates (day_only) or moments of one column; unreadable values are logged as errors, empty cells in blank."""
    values = check.frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        check.blank[column] = values.isna()
        parsed = values
        if values.dt.tz is not None:
            parsed = values.dt.tz_localize(None) if day_only else values.dt.tz_convert(None)
    else:
        text = as_text(values)
        check.blank[column] = text.isna()
        if date_format.upper() == "ISO":
            parsed = _parse_iso(text, day_only)
            expected = "ISO dates such as 2026-10-31"
        else:
            parsed = _parse_with_format(text, date_format, day_only)
            expected = f"dates in the format {date_format} (or ISO)"
        check.flag(
            text.notna() & parsed.isna(),
            "error",
            column,
            f"cannot read the value as a date; expected {expected} "
            f"(set {check.raw.setting('date_format')} if the file uses another format)",
        )
    outside = parsed.notna() & ((parsed < EARLIEST) | (parsed > LATEST))
    check.flag(outside, "error", column, "date outside the years 1900 to 2199 (a typo or a mangled spreadsheet date)")
    parsed = parsed.mask(outside).astype("datetime64[ns]")
    return parsed.dt.normalize() if day_only else parsed


def parse_amounts(check: Checker, column: str) -> pd.Series:
    """Numbers of one amount column; non-numbers and negatives are logged as errors, empty cells in blank."""
    values = check.frame[column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        check.blank[column] = numbers.isna()
    else:
        text = as_text(values)
        check.blank[column] = text.isna()
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        check.flag(
            text.notna() & numbers.isna(),
            "error",
            column,
            "not a number (set format.decimal and format.thousands in the mapping to the export's marks)"
            if check.raw.mapped
            else "not a number (write amounts as plain numbers such as 12500.50, "
            "without currency symbols or thousands separators)",
        )
    check.flag(numbers < 0, "error", column, "negative amount (amounts must be zero or more)")
    check.flag(np.isinf(numbers), "error", column, "infinite amount")
    return numbers
