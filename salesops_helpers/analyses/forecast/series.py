"""Monthly bookings series (month-start dates) for the company and for each team or segment, from the metric layer."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.data.loading import SalesData
from salesops_helpers.errors import SalesopsError
from salesops_helpers.metrics import kpi_series
from salesops_helpers.metrics.readiness import (  # noqa: F401 (forecast_date re-exported)
    first_counted_month,
    forecast_date,
    warm_up_days,
)


class SeriesError(SalesopsError, ValueError):
    """A monthly series that cannot be used: unreadable dates or values, gaps, or too few months."""


@dataclass(frozen=True)
class BookingsSeries:
    """Monthly bookings from the first month after the warm-up to the report's month, and what was left out."""

    values: pd.Series  # indexed by month start, named bookings
    all_months: pd.Series  # every month of the data up to the report's month, warm-up included
    warm_up_days: float  # the sales-cycle length (days) the warm-up spans

    @property
    def warm_up(self) -> pd.Series:
        """The months left out at the start of the data."""
        if not len(self.values):
            return self.all_months  # every month is still warming up
        return self.all_months[self.all_months.index < self.values.index[0]]


def monthly_bookings(
    data: SalesData, calendar: FiscalCalendar, last_day: pd.Timestamp, by: str | None = None
) -> pd.DataFrame:
    """Bookings (the metric layer's definition) for every month from the data's first to the month of last_day.

    Columns: month (month start), the grouping's column when by is given, bookings.
    """
    months = calendar.months_between(data.opportunities["created_date"].min(), last_day)
    frame = kpi_series(data, months, [by] if by else None, ["bookings"])
    frame = frame.rename(columns={"period_start": "month"}).drop(columns="period")
    frame["bookings"] = frame["bookings"].astype(float).fillna(0.0)
    return frame.reset_index(drop=True)


def company_bookings(
    data: SalesData, calendar: FiscalCalendar, last_day: pd.Timestamp, monthly: pd.DataFrame | None = None
) -> BookingsSeries:
    """The company's monthly bookings, starting with the first month that begins at least warm_up_days after the
    data's first day. monthly: monthly_bookings(data, calendar, last_day, by) already computed for a grouping, whose
    groups are summed per month instead of computing the series again (every deal belongs to one group)."""
    if monthly is None:
        frame = monthly_bookings(data, calendar, last_day)
    else:
        months = [m.start for m in calendar.months_between(data.opportunities["created_date"].min(), last_day)]
        frame = _company_total(monthly, months)
    every = pd.Series(frame["bookings"].to_numpy(), index=pd.DatetimeIndex(frame["month"], freq="MS"), name="bookings")
    days = warm_up_days(data, last_day)
    first_month = first_counted_month(data.opportunities["created_date"].min(), days)
    return BookingsSeries(every[every.index >= first_month], every, days)


def _company_total(monthly: pd.DataFrame, months: list[pd.Timestamp]) -> pd.DataFrame:
    """A grouped monthly_bookings table summed over its groups for every month listed (a month in which no group has
    a row books 0): columns month, bookings."""
    totals = monthly.groupby("month", sort=True)["bookings"].sum().reindex(pd.DatetimeIndex(months), fill_value=0.0)
    return pd.DataFrame({"month": totals.index, "bookings": totals.to_numpy(dtype=float)})


def group_bookings(monthly: pd.DataFrame, by: str, since: pd.Timestamp) -> pd.DataFrame:
    """Groups as columns, months as rows, from `since` on (a wide table of monthly_bookings(..., by))."""
    wide = monthly[monthly["month"] >= since].pivot_table(
        index="month", columns=by, values="bookings", aggfunc="sum", fill_value=0.0, observed=True
    )
    wide.columns = [str(c) for c in wide.columns]
    return wide


def read_monthly_csv(path: str, date_col: str | None = None, value_col: str | None = None) -> pd.Series:
    """A monthly series from a CSV an analyst brings: a date column (2024-01, 2024-01-01, 2024-01-31, Jan 2024,
    01/2024 ...) and a numeric value column (the first two columns unless named). Raises SeriesError saying what is
    wrong: a missing column, unreadable dates or values, two rows for one month, or a month missing in between."""
    try:
        frame = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise SeriesError(f"cannot read {path}: {error}") from None
    if frame.shape[1] < 2 and (date_col is None or value_col is None):
        raise SeriesError(f"{path} needs a date column and a value column; it has {list(frame.columns)}")
    date_col = date_col or str(frame.columns[0])
    value_col = value_col or str(frame.columns[1])
    for column in (date_col, value_col):
        if column not in frame.columns:
            raise SeriesError(f"{path} has no column {column!r}; its columns are {', '.join(map(str, frame.columns))}")
    months = parse_months(frame[date_col].astype(str), path, date_col)
    values = pd.to_numeric(frame[value_col].astype(str).str.replace(",", "").str.strip(), errors="coerce")
    bad = values.isna()
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 2
        raise SeriesError(
            f"{path}, column {value_col!r}, row {row}: {frame[value_col].iloc[row - 2]!r} is not a number"
        )
    series = pd.Series(values.to_numpy(dtype=float), index=months, name=value_col).sort_index()
    duplicated = series.index[series.index.duplicated()]
    if len(duplicated):
        raise SeriesError(f"{path}: month {duplicated[0]:%Y-%m} appears more than once (the series must be monthly)")
    expected = pd.date_range(series.index[0], series.index[-1], freq="MS")
    missing = expected.difference(series.index)
    if len(missing):
        raise SeriesError(
            f"{path}: month {missing[0]:%Y-%m} is missing between {expected[0]:%Y-%m} and "
            f"{expected[-1]:%Y-%m} (give every month, with 0 where nothing was booked)"
        )
    series.index = pd.DatetimeIndex(series.index, freq="MS")
    return series


_MONTH_FORMATS = [
    "%Y-%m",
    "%Y-%m-%d",
    "%Y/%m",
    "%Y/%m/%d",
    "%b %Y",
    "%B %Y",
    "%m/%Y",
    "%Y%m",
    "%b-%y",
    "%Y %b",
    "%Y-%m-%d %H:%M:%S",
]


def parse_months(texts: pd.Series, path: str = "the file", column: str = "date") -> pd.DatetimeIndex:
    """Month starts from dates written in one common form (the first form that reads every value wins)."""
    cleaned = texts.str.strip()
    for form in _MONTH_FORMATS:
        parsed = pd.to_datetime(cleaned, format=form, errors="coerce")
        if parsed.notna().all():
            return pd.DatetimeIndex(parsed.dt.to_period("M").dt.start_time)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns that it reads each value on its own: that is the intent
        parsed = pd.to_datetime(cleaned, errors="coerce", dayfirst=False)
    if parsed.notna().all():
        return pd.DatetimeIndex(parsed.dt.to_period("M").dt.start_time)
    row = int(np.flatnonzero(parsed.isna())[0]) + 2
    raise SeriesError(
        f"{path}, column {column!r}, row {row}: {cleaned.iloc[row - 2]!r} is not a month "
        "(write 2024-01, 2024-01-01 or Jan 2024)"
    )
