"""The fiscal calendar: labels, exact first and last days, parsing, and stepping back, worked out by hand.

Three calendars are checked: the demo company's (fiscal year starts in February and is named by the calendar year
it ends in, so February 2026 to January 2027 is FY2027 and its Q1 is February to April 2026), a calendar-year one
(start month 1), and one starting in July named by the year it starts in (July 2026 to June 2027 is FY2026).
"""

from __future__ import annotations

import pandas as pd
import pytest

from salesops_helpers import load_config
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period, PeriodError
from salesops_helpers.paths import DEFAULT_CONFIG

FEB_END = FiscalCalendar(2, "end")
CALENDAR = FiscalCalendar(1, "end")
JUL_START = FiscalCalendar(7, "start")


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def span(period: Period) -> tuple[str, str, str, str]:
    """kind, label, first day and last day of a period, as text."""
    return period.kind, period.label, f"{period.start:%Y-%m-%d}", f"{period.end:%Y-%m-%d}"


# --------------------------------------------------------------------------------------------------------------------
# The configured calendar
# --------------------------------------------------------------------------------------------------------------------


def test_the_default_configuration_gives_a_february_year_named_by_its_end() -> None:
    assert FiscalCalendar.from_config(load_config(DEFAULT_CONFIG)) == FiscalCalendar(2, "end")


# --------------------------------------------------------------------------------------------------------------------
# February start, named by the end (FY2027 = Feb 2026 .. Jan 2027)
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "fiscal_year", "fiscal_quarter"),
    [
        ("2026-01-31", 2026, 4),  # last day of FY2026 (Feb 2025 .. Jan 2026); Q4 is Nov .. Jan
        ("2026-02-01", 2027, 1),  # first day of FY2027; Q1 is Feb .. Apr
        ("2026-04-30", 2027, 1),  # last day of Q1
        ("2026-05-01", 2027, 2),  # first day of Q2 (May .. Jul)
        ("2026-07-31", 2027, 2),  # last day of Q2
        ("2026-08-01", 2027, 3),  # first day of Q3 (Aug .. Oct)
        ("2026-10-31", 2027, 3),  # last day of Q3
        ("2026-11-01", 2027, 4),  # first day of Q4 (Nov .. Jan)
        ("2026-12-31", 2027, 4),  # calendar year ends, fiscal year does not
        ("2027-01-31", 2027, 4),  # last day of FY2027
        ("2027-02-01", 2028, 1),  # first day of FY2028
    ],
)
def test_february_year_numbers_and_quarters(when: str, fiscal_year: int, fiscal_quarter: int) -> None:
    assert FEB_END.fiscal_year(day(when)) == fiscal_year
    assert FEB_END.fiscal_quarter(day(when)) == fiscal_quarter


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-02-01", ("quarter", "FY2027 Q1", "2026-02-01", "2026-04-30")),
        ("2026-04-30", ("quarter", "FY2027 Q1", "2026-02-01", "2026-04-30")),
        ("2026-06-15", ("quarter", "FY2027 Q2", "2026-05-01", "2026-07-31")),
        ("2026-10-15", ("quarter", "FY2027 Q3", "2026-08-01", "2026-10-31")),
        ("2026-12-25", ("quarter", "FY2027 Q4", "2026-11-01", "2027-01-31")),  # crosses the calendar year
        ("2027-01-31", ("quarter", "FY2027 Q4", "2026-11-01", "2027-01-31")),
        ("2026-01-10", ("quarter", "FY2026 Q4", "2025-11-01", "2026-01-31")),
        ("2028-03-01", ("quarter", "FY2029 Q1", "2028-02-01", "2028-04-30")),  # a leap February inside
    ],
)
def test_february_quarters(when: str, expected: tuple[str, str, str, str]) -> None:
    assert span(FEB_END.quarter(day(when))) == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-02-01", ("fiscal_year", "FY2027", "2026-02-01", "2027-01-31")),
        ("2026-10-15", ("fiscal_year", "FY2027", "2026-02-01", "2027-01-31")),
        ("2027-01-31", ("fiscal_year", "FY2027", "2026-02-01", "2027-01-31")),
        ("2026-01-31", ("fiscal_year", "FY2026", "2025-02-01", "2026-01-31")),
        ("2027-02-01", ("fiscal_year", "FY2028", "2027-02-01", "2028-01-31")),
    ],
)
def test_february_years(when: str, expected: tuple[str, str, str, str]) -> None:
    assert span(FEB_END.year(day(when))) == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-10-01", ("month", "2026-10", "2026-10-01", "2026-10-31")),
        ("2026-10-31", ("month", "2026-10", "2026-10-01", "2026-10-31")),
        ("2026-11-15", ("month", "2026-11", "2026-11-01", "2026-11-30")),
        ("2026-02-14", ("month", "2026-02", "2026-02-01", "2026-02-28")),
        ("2028-02-14", ("month", "2028-02", "2028-02-01", "2028-02-29")),  # leap year
        ("2026-10-15 14:30", ("month", "2026-10", "2026-10-01", "2026-10-31")),  # a time of day is dropped
    ],
)
def test_months(when: str, expected: tuple[str, str, str, str]) -> None:
    period = FEB_END.month(day(when))
    assert span(period) == expected
    assert period.start == period.start.normalize()


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-10-15", ("ttm", "TTM 2026-10", "2025-11-01", "2026-10-31")),  # Nov 2025 .. Oct 2026: 12 months
        ("2026-12-01", ("ttm", "TTM 2026-12", "2026-01-01", "2026-12-31")),  # a calendar year
        ("2027-01-31", ("ttm", "TTM 2027-01", "2026-02-01", "2027-01-31")),  # exactly FY2027
        ("2028-02-29", ("ttm", "TTM 2028-02", "2027-03-01", "2028-02-29")),
    ],
)
def test_trailing_twelve_months(when: str, expected: tuple[str, str, str, str]) -> None:
    assert span(FEB_END.trailing_twelve_months(day(when))) == expected


def test_period_picks_the_kind() -> None:
    when = day("2026-10-15")
    assert FEB_END.period("month", when).label == "2026-10"
    assert FEB_END.period("quarter", when).label == "FY2027 Q3"
    assert FEB_END.period("fiscal_year", when).label == "FY2027"
    assert FEB_END.period("ttm", when).label == "TTM 2026-10"


# --------------------------------------------------------------------------------------------------------------------
# Calendar year (start month 1) and July start named by the start
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("calendar", [CALENDAR, FiscalCalendar(1, "start")])
def test_a_calendar_fiscal_year_is_named_by_its_calendar_year(calendar: FiscalCalendar) -> None:
    assert calendar.fiscal_year(day("2026-01-01")) == 2026
    assert calendar.fiscal_year(day("2026-12-31")) == 2026
    assert span(calendar.year(day("2026-06-15"))) == ("fiscal_year", "FY2026", "2026-01-01", "2026-12-31")
    assert span(calendar.quarter(day("2026-01-01"))) == ("quarter", "FY2026 Q1", "2026-01-01", "2026-03-31")
    assert span(calendar.quarter(day("2026-10-15"))) == ("quarter", "FY2026 Q4", "2026-10-01", "2026-12-31")
    assert span(calendar.parse("FY2026 Q3")) == ("quarter", "FY2026 Q3", "2026-07-01", "2026-09-30")
    assert span(calendar.parse("FY2026")) == ("fiscal_year", "FY2026", "2026-01-01", "2026-12-31")


@pytest.mark.parametrize(
    ("when", "fiscal_year", "fiscal_quarter"),
    [
        ("2026-06-30", 2025, 4),  # last day of FY2025 (Jul 2025 .. Jun 2026); Q4 is Apr .. Jun
        ("2026-07-01", 2026, 1),  # first day of FY2026
        ("2026-10-15", 2026, 2),  # Q2 is Oct .. Dec
        ("2027-01-01", 2026, 3),  # Q3 is Jan .. Mar
        ("2027-06-30", 2026, 4),
    ],
)
def test_july_start_named_by_start(when: str, fiscal_year: int, fiscal_quarter: int) -> None:
    assert JUL_START.fiscal_year(day(when)) == fiscal_year
    assert JUL_START.fiscal_quarter(day(when)) == fiscal_quarter


def test_july_start_periods() -> None:
    assert span(JUL_START.year(day("2027-06-30"))) == ("fiscal_year", "FY2026", "2026-07-01", "2027-06-30")
    assert span(JUL_START.quarter(day("2026-10-15"))) == ("quarter", "FY2026 Q2", "2026-10-01", "2026-12-31")
    assert span(JUL_START.parse("FY2026 Q3")) == ("quarter", "FY2026 Q3", "2027-01-01", "2027-03-31")
    assert span(JUL_START.parse("FY2026")) == ("fiscal_year", "FY2026", "2026-07-01", "2027-06-30")
    # Named by its end, the same July 2026 .. June 2027 year is FY2027.
    assert span(FiscalCalendar(7, "end").parse("FY2027")) == ("fiscal_year", "FY2027", "2026-07-01", "2027-06-30")


# --------------------------------------------------------------------------------------------------------------------
# Parsing labels
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10", ("month", "2026-10", "2026-10-01", "2026-10-31")),
        (" 2026-10 ", ("month", "2026-10", "2026-10-01", "2026-10-31")),
        ("2026-1", ("month", "2026-01", "2026-01-01", "2026-01-31")),
        ("FY2027 Q3", ("quarter", "FY2027 Q3", "2026-08-01", "2026-10-31")),
        ("fy2027-q3", ("quarter", "FY2027 Q3", "2026-08-01", "2026-10-31")),
        ("FY2027Q3", ("quarter", "FY2027 Q3", "2026-08-01", "2026-10-31")),
        ("FY2027 Q4", ("quarter", "FY2027 Q4", "2026-11-01", "2027-01-31")),
        ("FY2027 Q1", ("quarter", "FY2027 Q1", "2026-02-01", "2026-04-30")),
        ("FY2027", ("fiscal_year", "FY2027", "2026-02-01", "2027-01-31")),
        ("fy2027", ("fiscal_year", "FY2027", "2026-02-01", "2027-01-31")),
        ("TTM 2026-10", ("ttm", "TTM 2026-10", "2025-11-01", "2026-10-31")),
        ("ttm-2026-10", ("ttm", "TTM 2026-10", "2025-11-01", "2026-10-31")),
    ],
)
def test_parse(text: str, expected: tuple[str, str, str, str]) -> None:
    assert span(FEB_END.parse(text)) == expected


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "FY2027 Q5", "Q3 2027", "FY27", "October 2026", "", "TTM", "TTM 2026-13"]
)
def test_a_bad_label_raises_period_error_showing_the_forms(text: str) -> None:
    with pytest.raises(PeriodError) as raised:
        FEB_END.parse(text)
    message = str(raised.value)
    assert f"'{text}'" in message
    for example in ("2026-10", "FY2027 Q3", "FY2027", "TTM 2026-10"):
        assert example in message
    assert isinstance(raised.value, ValueError)


def test_parse_round_trips_every_label() -> None:
    when = day("2026-10-15")
    for kind in ("month", "quarter", "fiscal_year", "ttm"):
        period = FEB_END.period(kind, when)
        assert FEB_END.parse(period.label) == period


# --------------------------------------------------------------------------------------------------------------------
# Stepping back
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2026-02", ("month", "2026-01", "2026-01-01", "2026-01-31")),  # across the fiscal-year boundary
        ("2026-01", ("month", "2025-12", "2025-12-01", "2025-12-31")),  # across the calendar-year boundary
        ("FY2027 Q1", ("quarter", "FY2026 Q4", "2025-11-01", "2026-01-31")),
        ("FY2027 Q4", ("quarter", "FY2027 Q3", "2026-08-01", "2026-10-31")),
        ("FY2027", ("fiscal_year", "FY2026", "2025-02-01", "2026-01-31")),
        ("TTM 2026-10", ("ttm", "TTM 2025-10", "2024-11-01", "2025-10-31")),  # the twelve months before
    ],
)
def test_previous(label: str, expected: tuple[str, str, str, str]) -> None:
    assert span(FEB_END.previous(FEB_END.parse(label))) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2026-10", ("month", "2025-10", "2025-10-01", "2025-10-31")),
        ("2026-02", ("month", "2025-02", "2025-02-01", "2025-02-28")),
        ("2028-02", ("month", "2027-02", "2027-02-01", "2027-02-28")),  # from a leap February
        ("FY2027 Q1", ("quarter", "FY2026 Q1", "2025-02-01", "2025-04-30")),
        ("FY2027 Q4", ("quarter", "FY2026 Q4", "2025-11-01", "2026-01-31")),
        ("FY2027", ("fiscal_year", "FY2026", "2025-02-01", "2026-01-31")),
        # The same twelve months a year earlier: Nov 2024 .. Oct 2025, i.e. TTM 2025-10.
        ("TTM 2026-10", ("ttm", "TTM 2025-10", "2024-11-01", "2025-10-31")),
        ("TTM 2027-01", ("ttm", "TTM 2026-01", "2025-02-01", "2026-01-31")),
    ],
)
def test_year_ago(label: str, expected: tuple[str, str, str, str]) -> None:
    assert span(FEB_END.year_ago(FEB_END.parse(label))) == expected


def test_july_calendar_steps_back_across_its_year_boundary() -> None:
    q1 = JUL_START.parse("FY2026 Q1")  # Jul .. Sep 2026
    assert span(JUL_START.previous(q1)) == ("quarter", "FY2025 Q4", "2026-04-01", "2026-06-30")
    assert span(JUL_START.year_ago(q1)) == ("quarter", "FY2025 Q1", "2025-07-01", "2025-09-30")


# --------------------------------------------------------------------------------------------------------------------
# months_between, Period.months and Period.contains
# --------------------------------------------------------------------------------------------------------------------


def test_months_between() -> None:
    months = FEB_END.months_between(day("2026-10-15"), day("2027-01-03"))
    assert [span(m) for m in months] == [
        ("month", "2026-10", "2026-10-01", "2026-10-31"),
        ("month", "2026-11", "2026-11-01", "2026-11-30"),
        ("month", "2026-12", "2026-12-01", "2026-12-31"),
        ("month", "2027-01", "2027-01-01", "2027-01-31"),
    ]
    assert [m.label for m in FEB_END.months_between(day("2026-10-31"), day("2026-10-01"))] == ["2026-10"]
    assert FEB_END.months_between(day("2026-11-01"), day("2026-10-31")) == []


@pytest.mark.parametrize(
    ("label", "months"),
    [("2026-10", 1), ("FY2027 Q4", 3), ("FY2027", 12), ("TTM 2026-10", 12), ("FY2027 Q1", 3)],
)
def test_period_months(label: str, months: int) -> None:
    assert FEB_END.parse(label).months == months


def test_contains_includes_both_ends() -> None:
    q3 = FEB_END.parse("FY2027 Q3")  # 2026-08-01 .. 2026-10-31
    days = pd.Series(pd.to_datetime(["2026-07-31", "2026-08-01", "2026-09-15", "2026-10-31", "2026-11-01", None]))
    assert q3.contains(days).tolist() == [False, True, True, True, False, False]
