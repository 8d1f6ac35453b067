"""The demo tables' values as text (ids, moments and days), built fast enough for millions of rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesops_helpers.data.demo.organisation import FIRST_CREATED

BASE = np.datetime64(FIRST_CREATED.isoformat(), "m")  # day offset 0, as a moment


def calendar(first: int, last: int) -> pa.Array:
    """The ISO dates of the day offsets first to last."""
    return pa.array(np.datetime_as_string(BASE.astype("datetime64[D]") + np.arange(first, last + 1), unit="D"))


# The time of day of each office minute (08:00 to 18:00), as moments() writes it after the date.
CLOCK = pa.array([f"T{8 + m // 60:02d}:{m % 60:02d}:00" for m in range(601)])


def moments(days: np.ndarray) -> pa.Array:
    """Day offsets as ISO timestamps in office hours (08:00-17:59), keeping their order within a day."""
    if len(days) == 0:
        return pa.array([], pa.string())
    whole = np.floor(days)
    day = whole.astype("int64")
    minute = np.floor((days - whole) * 600).astype("int64")
    # Joined from a date per day and a time per minute: many times faster than formatting each moment.
    first = int(day.min())
    dates = calendar(first, int(day.max())).take(pa.array(day - first))
    return pc.binary_join_element_wise(dates, CLOCK.take(pa.array(minute)), "")


def days_to_dates(days: np.ndarray) -> pa.Array:
    """Whole day offsets as ISO dates."""
    day = np.asarray(days, "int64")
    if len(day) == 0:
        return pa.array([], pa.string())
    first = int(day.min())
    return calendar(first, int(day.max())).take(pa.array(day - first))


def text(values: np.ndarray | pa.Array) -> pd.Series:
    """A column of text from a NumPy or Arrow array of strings (through Arrow: far faster than pandas' own)."""
    return pd.Series(values if isinstance(values, pa.Array) else pa.array(values, pa.string()), dtype="str")


def labels(names: np.ndarray | pa.Array, codes: np.ndarray) -> pa.Array:
    """names[code] for each code, as Arrow strings."""
    known = names if isinstance(names, pa.Array) else pa.array(names, pa.string())
    return known.take(pa.array(codes, pa.int64()))


def numbered(prefix: str, count: int) -> pa.Array:
    """The ids prefix0000001, prefix0000002, ... (at least seven digits), built as bytes without a Python loop."""
    width = max(7, len(str(count)))
    numbers = np.arange(1, count + 1, dtype="int64")[:, None] // 10 ** np.arange(width - 1, -1, -1, dtype="int64")
    head = np.frombuffer(prefix.encode("ascii"), dtype="uint8")
    raw = np.hstack([np.broadcast_to(head, (count, len(head))), (numbers % 10 + 48).astype("uint8")])
    ids = pa.array(raw.view(f"S{raw.shape[1]}").ravel(), pa.binary()).cast(pa.string())
    # pyarrow hands back a chunked array for millions of values (2.5M leads of a 1M-deal company): one array
    return ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids


def dates_or_empty(days: np.ndarray) -> pa.Array:
    """Whole day offsets (NaN where missing) as ISO dates, "" where missing."""
    missing = np.isnan(days)
    return pc.if_else(pa.array(missing), "", days_to_dates(np.where(missing, 0.0, days)))


def moments_or_empty(days: np.ndarray) -> pa.Array:
    """Day offsets (NaN where missing) as ISO timestamps, "" where missing."""
    missing = np.isnan(days)
    return pc.if_else(pa.array(missing), "", moments(np.where(missing, 0.0, days)))
