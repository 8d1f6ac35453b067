"""The company's fiscal calendar: months, fiscal quarters and years labelled as the company does (FY2027 Q1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from salesops_helpers.config import WorkbookConfig
from salesops_helpers.errors import PeriodError

__all__ = ["FiscalCalendar", "Period", "PeriodError"]

PeriodKind = Literal["month", "quarter", "fiscal_year", "ttm"]
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"FY\s*(\d{4})\s*[- ]?\s*Q([1-4])", re.IGNORECASE)
_YEAR = re.compile(r"FY\s*(\d{4})", re.IGNORECASE)
_TTM = re.compile(r"TTM\s*[- :]?\s*(\d{4}-\d{1,2})", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A span of whole days, start to end inclusive, with the label the company uses for it."""

    kind: PeriodKind
    start: pd.Timestamp
    end: pd.Timestamp
    label: str

    @property
    def months(self) -> int:
        """How many calendar months the period spans."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def contains(self, days: pd.Series) -> pd.Series:
        """Which of the days fall inside the period (both ends included)."""
        return (days >= self.start) & (days <= self.end)


def _month_start(day: pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(day).normalize().replace(day=1)


@dataclass(frozen=True)
class FiscalCalendar:
    """Fiscal years start on start_month; FY names follow the calendar year in which the fiscal year ends or starts."""

    start_month: int = 1
    named_by: Literal["start", "end"] = "end"

    @classmethod
    def from_config(cls, config: WorkbookConfig) -> FiscalCalendar:
        """The calendar of the configured company."""
        return cls(config.company.fiscal_year_start_month, config.company.fiscal_year_named_by)

    def fiscal_year(self, day: pd.Timestamp) -> int:
        """The fiscal year's number (the 2027 of FY2027) of a day."""
        starts_in = day.year if day.month >= self.start_month else day.year - 1
        return starts_in + 1 if self.named_by == "end" and self.start_month != 1 else starts_in

    def fiscal_quarter(self, day: pd.Timestamp) -> int:
        """The fiscal quarter (1 to 4) of a day."""
        return (day.month - self.start_month) % 12 // 3 + 1

    def _year_start(self, fiscal_year: int) -> pd.Timestamp:
        starts_in = fiscal_year - 1 if self.named_by == "end" and self.start_month != 1 else fiscal_year
        return pd.Timestamp(year=starts_in, month=self.start_month, day=1)

    def month(self, day: pd.Timestamp) -> Period:
        """The calendar month of a day, labelled 2026-10."""
        start = _month_start(day)
        return Period("month", start, start + pd.offsets.MonthEnd(0), start.strftime("%Y-%m"))

    def quarter(self, day: pd.Timestamp) -> Period:
        """The fiscal quarter of a day, labelled FY2027 Q3."""
        year, number = self.fiscal_year(day), self.fiscal_quarter(day)
        start = self._year_start(year) + pd.DateOffset(months=3 * (number - 1))
        return Period("quarter", start, start + pd.DateOffset(months=3) - pd.Timedelta(days=1), f"FY{year} Q{number}")

    def year(self, day: pd.Timestamp) -> Period:
        """The fiscal year of a day, labelled FY2027."""
        year = self.fiscal_year(day)
        start = self._year_start(year)
        return Period("fiscal_year", start, start + pd.DateOffset(years=1) - pd.Timedelta(days=1), f"FY{year}")

    def trailing_twelve_months(self, day: pd.Timestamp) -> Period:
        """The twelve calendar months ending with the month of a day, labelled TTM 2026-10."""
        end = self.month(day).end
        start = _month_start(end) - pd.DateOffset(months=11)
        return Period("ttm", start, end, f"TTM {end:%Y-%m}")

    def period(self, kind: PeriodKind, day: pd.Timestamp) -> Period:
        """The period of a kind that holds a day."""
        return {"month": self.month, "quarter": self.quarter, "fiscal_year": self.year}.get(
            kind, self.trailing_twelve_months
        )(day)

    def parse(self, text: str) -> Period:
        """A period from its label: 2026-10, FY2027 Q3 (or FY2027-Q3), FY2027, or TTM 2026-10."""
        cleaned = text.strip()
        if (
            (match := _TTM.fullmatch(cleaned))
            and (month := _MONTH.fullmatch(match.group(1)))
            and 1 <= int(month.group(2)) <= 12
        ):
            return self.trailing_twelve_months(pd.Timestamp(year=int(month.group(1)), month=int(month.group(2)), day=1))
        if (match := _MONTH.fullmatch(cleaned)) and 1 <= int(match.group(2)) <= 12:
            return self.month(pd.Timestamp(year=int(match.group(1)), month=int(match.group(2)), day=1))
        if match := _QUARTER.fullmatch(cleaned):
            start = self._year_start(int(match.group(1))) + pd.DateOffset(months=3 * (int(match.group(2)) - 1))
            return self.quarter(start)
        if match := _YEAR.fullmatch(cleaned):
            return self.year(self._year_start(int(match.group(1))))
        raise PeriodError(
            f"period '{text}' is not a month (2026-10), a fiscal quarter (FY2027 Q3), a fiscal year (FY2027) "
            "or trailing twelve months (TTM 2026-10)"
        )

    def previous(self, period: Period) -> Period:
        """The period of the same kind just before."""
        return self.period(period.kind, period.start - pd.Timedelta(days=1))

    def year_ago(self, period: Period) -> Period:
        """The period of the same kind a year earlier (found from its end: a TTM period is named by its last month)."""
        return self.period(period.kind, period.end - pd.DateOffset(years=1))

    def months_between(self, first: pd.Timestamp, last: pd.Timestamp) -> list[Period]:
        """Every calendar month from the month of first to the month of last."""
        starts = pd.date_range(_month_start(first), _month_start(last), freq="MS")
        return [self.month(start) for start in starts]
