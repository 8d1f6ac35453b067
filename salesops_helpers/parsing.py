"""Turning a raw table's text cells into typed columns, logging every value that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesops_helpers.quality import MAX_EXAMPLES, DataQualityLog, Problem, Severity
from salesops_helpers.reading import RawTable


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
        values: pd.Series | None = None,
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
        if values is not None:
            examples[column or "value"] = values.iloc[first].to_numpy()
        examples.insert(0, "row", frame.index[first] + self.raw.row_offset)
        noun = "row" if count == 1 else "rows"
        self.log.add(
            Problem(
                severity,
                self.raw.table.name,
                self.raw.file,
                column,
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


def is_blank(values: pd.Series) -> pd.Series:
    """Whether each cell is empty (missing, or only spaces)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values.isna()
    return as_text(values).isna()


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


def _parse_with_format(text: pd.Series, date_format: str) -> pd.Series:
    """Dates in a strftime format, also when exports add a time of day after the date."""
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for suffix in TIME_SUFFIXES:
        todo = text.notna() & parsed.isna()
        if not todo.any():
            break
        attempt = pd.to_datetime(text[todo], format=date_format + suffix, errors="coerce")
        parsed[todo] = attempt.astype("datetime64[ns]")
    return parsed


def parse_dates(check: Checker, column: str, date_format: str, day_only: bool) -> pd.Series:
    """Dates (day_only) or moments of one column; values that cannot be read are logged as errors."""
    values = check.frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values.dt.tz_convert(None) if values.dt.tz is not None else values
    else:
        text = as_text(values)
        if date_format.upper() == "ISO":
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True).dt.tz_convert(None)
            expected = "ISO dates such as 2026-10-31"
        else:
            parsed = _parse_with_format(text, date_format)
            expected = f"dates in the configured format {date_format}"
        check.flag(
            text.notna() & parsed.isna(),
            "error",
            column,
            f"cannot read the value as a date; expected {expected} "
            "(set data.date_format in the configuration if the file uses another format)",
        )
    parsed = parsed.astype("datetime64[ns]")
    return parsed.dt.normalize() if day_only else parsed


def parse_amounts(check: Checker, column: str) -> pd.Series:
    """Numbers of one amount column; text that is not a number and negative values are logged as errors."""
    values = check.frame[column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
    else:
        text = as_text(values)
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        check.flag(
            text.notna() & numbers.isna(),
            "error",
            column,
            "not a number (write amounts as plain numbers such as 12500.50, "
            "without currency symbols or thousands separators)",
        )
    check.flag(numbers < 0, "error", column, "negative amount (amounts must be zero or more)")
    check.flag(np.isinf(numbers), "error", column, "infinite amount")
    return numbers
