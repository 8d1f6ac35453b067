"""Everything the deal inspection's page (notebook 06) shows, computed once: each open deal's win probability from
the method the backtest trusts, the inspection list and the upside, the quarter's expected bookings from those
probabilities against the reps' call and the target, the forecast-category roll-up and how much of past calls
closed, and the executive summary."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers.analyses.deals import categories
from salesops_helpers.analyses.deals.expected import ExpectedBookings, expected_bookings
from salesops_helpers.analyses.deals.inspection import inspection_list, reviewed, upside
from salesops_helpers.analyses.deals.summary import inspection_summary
from salesops_helpers.analyses.deals.win_probability import DealScores, deal_scores, reliability
from salesops_helpers.analyses.findings import ExecutiveSummary
from salesops_helpers.analyses.forecast.pipeline_forecast import quarters_ahead
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.calendar.periods import ReportPeriod
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import targets


@dataclass(frozen=True)
class InspectionPage:
    """What the deal inspection's page shows for one period."""

    period: ReportPeriod
    day: pd.Timestamp  # the scoring day: the end of the period, or the data's day when that is earlier
    quarter: Period  # the quarter being sold into on the day (the next day's quarter, as in report 04)
    scores: DealScores
    deals: pd.DataFrame  # every open deal, reviewed (inspection.reviewed), the largest value at risk first
    inspection: pd.DataFrame  # inspection_list for the quarter
    upside: pd.DataFrame  # upside for the quarter
    expected: ExpectedBookings
    target: float | None  # the quarter's bookings target
    rollup: pd.DataFrame  # category_rollup on the day, the company's rows
    rollup_before: pd.DataFrame  # the same a month earlier (empty before the data's first month end)
    rollup_by_manager: pd.DataFrame
    conversion: pd.DataFrame  # category_conversion of past_calls, the company pooled
    conversion_by_manager: pd.DataFrame
    history: bool  # whether the data has an opportunity history
    summary: ExecutiveSummary

    @property
    def calibration(self) -> pd.DataFrame:
        """The reliability table of the trusted method over the backtest (empty without one)."""
        scored = self.scores.backtest.scored
        return reliability(scored, self.scores.method) if len(scored) else pd.DataFrame()


def scoring_day(period: ReportPeriod, data: SalesData) -> pd.Timestamp:
    """The day the deals are scored on: the end of the report's month, or the data's day when that is earlier."""
    return min(pd.Timestamp(period.end).normalize(), pd.Timestamp(data.as_of).normalize())


def _company_rows(rollup: pd.DataFrame) -> pd.DataFrame:
    return rollup[rollup["group"] == categories.COMPANY].reset_index(drop=True)


def inspection_page(data: SalesData, config: WorkbookConfig, period: ReportPeriod) -> InspectionPage:
    """The deal inspection page of the period (module docstring)."""
    calendar = FiscalCalendar.from_config(config)
    day = scoring_day(period, data)
    quarter = quarters_ahead(calendar, day)[0]
    scores = deal_scores(data, day)
    deals = reviewed(scores.deals, data)
    deals = deals.sort_values(["value_at_risk", "opportunity_id"], ascending=[False, True], ignore_index=True)
    before = day.replace(day=1) - pd.Timedelta(days=1)
    first_end = data.opportunities["created_date"].min() + pd.offsets.MonthEnd(0)
    rollup = _company_rows(categories.category_rollup(data, day))
    rollup_before = _company_rows(categories.category_rollup(data, before)) if before >= first_end else rollup[:0]
    calls = categories.past_calls(data)
    calls = calls[calls["quarter_end"] <= day]  # the calls whose outcome was known on the day
    expected = expected_bookings(data, deals, quarter, day, calls)
    conversion = categories.category_conversion(calls)
    history = data.history is not None and not data.history.empty
    inspection, likely = inspection_list(deals, quarter), upside(deals, quarter)
    target = targets.target_for(config, "bookings", quarter)
    summary = inspection_summary(
        quarter=quarter,
        day=day,
        expected=expected,
        rollup=rollup,
        rollup_before=rollup_before,
        inspection=inspection,
        upside=likely,
        conversion=conversion,
        scores=scores,
        target=target,
        currency=config.company.reporting_currency,
    )
    return InspectionPage(
        period=period,
        day=day,
        quarter=quarter,
        scores=scores,
        deals=deals,
        inspection=inspection,
        upside=likely,
        expected=expected,
        target=target,
        rollup=rollup,
        rollup_before=rollup_before,
        rollup_by_manager=categories.category_rollup(data, day, "manager"),
        conversion=conversion,
        conversion_by_manager=categories.category_conversion(calls, "manager"),
        history=history,
        summary=summary,
    )
