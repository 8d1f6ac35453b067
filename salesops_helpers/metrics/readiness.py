"""Whether the data is long enough for a revenue forecast: the one rule the data-health report (00) and the revenue
forecast (04) both apply.

A forecast learns from the monthly bookings after the warm-up (the first months of the data, while deals begun
before it still close) up to the last complete month, and is made only when its rolling-origin backtest can run:
at least MIN_ORIGINS origins, each with MIN_TRAIN months to fit before it, so FORECAST_MIN_MONTHS months in all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers.calendar.periods import last_complete_month
from salesops_helpers.data.loading import SalesData

# Months of training at the first origin: 18, so that every origin's MASE scale (mase_scale of its training
# months) rests on at least 6 year-on-year changes; with 13 months it would rest on a single one.
MIN_TRAIN = 18
# Origins a backtest needs at least: with fewer there is no backtest, so no default model and no time-series forecast.
MIN_ORIGINS = 12
# Months of bookings after the warm-up that a time-series forecast needs: MIN_TRAIN before the first of MIN_ORIGINS.
FORECAST_MIN_MONTHS = MIN_TRAIN + MIN_ORIGINS
# The share of won deals' sales cycles that must fit between the data's first day and a month for that month's
# bookings to count: before then, deals created before the export began would still have been closing.
WARM_UP_CYCLE_QUANTILE = 0.9


def available_origins(months: int, min_train: int = MIN_TRAIN) -> int:
    """How many origins a series of this many months allows: each needs min_train months before it (the origin
    month included) and at least one month after it to score."""
    return max(0, months - min_train)


def forecast_ready(months: int, min_origins: int = MIN_ORIGINS, min_train: int = MIN_TRAIN) -> bool:
    """Whether a series of this many months allows a backtest over at least min_origins origins, and so a forecast
    (with the defaults: at least FORECAST_MIN_MONTHS months)."""
    return available_origins(months, min_train) >= min_origins


def warm_up_days(data: SalesData, last_day: pd.Timestamp | None = None) -> float:
    """The 90th percentile of (close date − created date) in days over deals won by last_day (close date ≤
    last_day, the report's date; every won deal without it); 0 without won deals."""
    opps = data.opportunities
    won = opps[opps["outcome"] == "won"]
    if last_day is not None:
        won = won[won["close_date"] <= last_day]
    cycles = (won["close_date"] - won["created_date"]).dt.days.dropna()
    return float(cycles.quantile(WARM_UP_CYCLE_QUANTILE)) if len(cycles) else 0.0


def first_counted_month(first_day: pd.Timestamp, days: float) -> pd.Timestamp:
    """The first month whose bookings count: the month that begins at least `days` (the warm-up) after the data's
    first day, as its first day."""
    counted = (pd.Timestamp(first_day) + pd.Timedelta(days=days)).normalize()
    return counted if counted.day == 1 else counted + pd.offsets.MonthBegin(1)


def forecast_date(
    period_end: pd.Timestamp, data_as_of: pd.Timestamp, today: pd.Timestamp | None = None
) -> pd.Timestamp:
    """The day the forecast is made at: the end of the report's month, or the end of the data's last complete month
    (periods.last_complete_month) when that is earlier. A month still under way is never treated as complete: it is
    the first month forecast, whole, and the series and the forecast origin end before it."""
    return min(pd.Timestamp(period_end).normalize(), last_complete_month(data_as_of, today).end)


@dataclass(frozen=True)
class ForecastMonths:
    """The months of bookings a forecast made on a day learns from: first and last as month starts."""

    first: pd.Timestamp  # the first month after the warm-up
    last: pd.Timestamp  # the month of the forecast date
    months: int  # first to last inclusive; 0 when the warm-up reaches past the last

    @property
    def ready(self) -> bool:
        """Whether they are enough for a forecast (forecast_ready)."""
        return forecast_ready(self.months)


def forecast_months(data: SalesData, day: pd.Timestamp, today: pd.Timestamp | None = None) -> ForecastMonths:
    """The months the revenue forecast for a report ending on `day` learns from: from the first month after the
    warm-up to the month of its forecast date (forecast_date of day), the months series.company_bookings counts."""
    last_day = forecast_date(day, data.as_of, today)
    first = first_counted_month(data.opportunities["created_date"].min(), warm_up_days(data, last_day))
    last = last_day.replace(day=1)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return ForecastMonths(first, last, max(0, months))
