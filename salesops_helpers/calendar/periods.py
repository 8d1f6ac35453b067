"""Report periods: the calendar month a monthly batch reports on."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from salesops_helpers.errors import PeriodError

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class ReportPeriod:
    """One calendar month, from its first to its last day."""

    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def label(self) -> str:
        """The period as YYYY-MM, the name of its report folder."""
        return self.start.strftime("%Y-%m")

    @property
    def title(self) -> str:
        """The period as people say it: October 2026."""
        return self.start.strftime("%B %Y")

    def previous(self) -> ReportPeriod:
        """The month before."""
        return month_of(self.start - pd.Timedelta(days=1))


def month_of(day: pd.Timestamp) -> ReportPeriod:
    """The calendar month a day falls in."""
    start = pd.Timestamp(day).normalize().replace(day=1)
    return ReportPeriod(start, start + pd.offsets.MonthEnd(0))


def parse_period(text: str) -> ReportPeriod:
    """A YYYY-MM string as a ReportPeriod; anything else is a PeriodError that says what is expected."""
    match = _MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(f"period '{text}' is not a month written as YYYY-MM, such as 2026-10")
    return month_of(pd.Timestamp(year=int(match.group(1)), month=int(match.group(2)), day=1))


# Days a data set may stop short of a month's end and still count as covering it (weekends, holidays).
QUIET_DAYS = 7


def last_complete_month(as_of: pd.Timestamp, today: pd.Timestamp | None = None) -> ReportPeriod:
    """The month of the data's latest day when the data reaches its end, else the month before.

    A month counts as reached when the data's latest day is its last day, or when the month is over on the
    calendar and the data stops at most QUIET_DAYS short of its end: an export taken on 2 November whose last
    deal changed on Friday 30 October reports on October, not September.
    """
    today = pd.Timestamp.today().normalize() if today is None else today
    month = month_of(as_of)
    short = (month.end - as_of.normalize()).days
    reached = short <= 0 or (today > month.end and short <= QUIET_DAYS)
    return month if reached else month.previous()


def resolve_period(text: str | None, first_day: pd.Timestamp, as_of: pd.Timestamp) -> ReportPeriod:
    """The period asked for (or the last complete month when none is), checked against the data's span."""
    if not text:
        period = last_complete_month(as_of)
        if period.end < first_day:
            raise PeriodError(
                f"the data holds no complete month: it runs from {first_day:%Y-%m-%d} to {as_of:%Y-%m-%d}; "
                "name a period with --period YYYY-MM"
            )
        return period
    period = parse_period(text)
    if period.start > as_of:
        raise PeriodError(
            f"period {period.label} is after the data: its latest day is {as_of:%Y-%m-%d} "
            f"(the last complete month is {last_complete_month(as_of).label})"
        )
    if period.end < first_day:
        raise PeriodError(f"period {period.label} is before the data: its first day is {first_day:%Y-%m-%d}")
    return period
