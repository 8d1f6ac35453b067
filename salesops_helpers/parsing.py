"""Turning a raw table's text cells into typed columns, logging every value that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesops_helpers.quality import MAX_EXAMPLES, DataQualityLog, Problem, Severity
from salesops_helpers.reading import RawTable


@dataclass
class Checker:
    """Records problems about the rows of one raw table, with example rows a user can find in the file."""

    raw: RawTable
    log: DataQualityLog

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


def _as_text(values: pd.Series) -> pd.Series:
    """Values as trimmed text, with empty cells missing."""
    text = values.astype("str") if values.dtype != "str" else values
    text = text.str.strip()
    return text.mask(text.eq("") | values.isna())


def parse_text(values: pd.Series, category: bool) -> pd.Series:
    """Trimmed text (or a categorical of it for short labels)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.cat.rename_categories(lambda c: str(c).strip())
        return values if category else values.astype("str").mask(values.isna())
    text = _as_text(values)
    return text.astype("category") if category else text


def parse_dates(check: Checker, column: str, date_format: str, day_only: bool) -> pd.Series:
    """Dates (day_only) or moments of one column; values that cannot be read are logged as errors."""
    values = check.frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values.dt.tz_convert(None) if values.dt.tz is not None else values
    else:
        text = _as_text(values)
        if date_format.upper() == "ISO":
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True).dt.tz_convert(None)
            expected = "ISO dates such as 2026-10-31"
        else:
            parsed = pd.to_datetime(text, format=date_format, errors="coerce")
            if parsed.dt.tz is not None:
                parsed = parsed.dt.tz_convert(None)
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
        text = _as_text(values)
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
