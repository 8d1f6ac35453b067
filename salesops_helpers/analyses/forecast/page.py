"""Everything the revenue forecast's page (notebook 04) shows, computed once: the bookings series, the time-series
forecast and its backtest, the pipeline's view of the next two quarters, the scenarios, the earlier runs' forecasts
against what was booked, and the executive summary, whether the history allows a time-series forecast or not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from salesops_helpers.analyses.deals import categories, expected
from salesops_helpers.analyses.findings import ExecutiveSummary
from salesops_helpers.analyses.forecast import forecast_history, pipeline_forecast, scenarios
from salesops_helpers.analyses.forecast.outlook import Outlook, build_outlook, group_forecasts, quarter_time_series
from salesops_helpers.analyses.forecast.series import BookingsSeries, company_bookings, group_bookings, monthly_bookings
from salesops_helpers.analyses.forecast.summary import QuarterOutlook, forecast_summary
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.calendar.periods import ReportPeriod
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import targets
from salesops_helpers.metrics.readiness import forecast_date


@dataclass(frozen=True)
class ForecastPage:
    """What the revenue forecast's page shows for one period."""

    company: str
    period: ReportPeriod
    data_as_of: pd.Timestamp  # the data's latest day
    data_begins: pd.Timestamp  # the day the first deal was created
    as_of: pd.Timestamp  # the forecast date: the end of the period, or of the last complete month when earlier
    bookings: BookingsSeries
    outlook: Outlook  # the backtest and the models' forecasts; not ready when the series is too short
    team_months: pd.DataFrame  # bookings by month (rows) and team (columns) from the series' first month
    team_names: list[str]  # every team of the reps, in the order of the reps table
    teams: pd.DataFrame | None  # each team's forecast of the coming quarter (group_forecasts); None without a model
    quarters: list[QuarterOutlook]  # the coming quarter and the one after it
    probabilities: list[pd.DataFrame]  # stage_probabilities of each of those quarters
    checked: pd.DataFrame  # pipeline_backtest: each method's forecast of the quarter coming at past month ends
    weights: dict[str, float] | None  # the blend's weights, None when too few quarters are known
    pipeline_scores: pd.DataFrame  # pipeline_accuracy of checked
    staged: bool  # whether the data has a stage history (opportunity_history)
    needed: float | None  # pipeline to create to close the coming quarter's gap to target; None without a target
    new_share: dict[int, float]  # per month ahead, the share of bookings from deals not yet created
    scenarios: pd.DataFrame | None  # scenario_table of the forecast; None without one
    compared: pd.DataFrame  # earlier runs' forecasts of months and quarters that have ended, against bookings
    errors: pd.DataFrame  # error_by_method of compared
    rows: pd.DataFrame  # this run's forecasts, as the store keeps them
    summary: ExecutiveSummary

    @property
    def ready(self) -> bool:
        """Whether the history allowed a backtest and so a time-series forecast."""
        return self.outlook.ready

    @property
    def ahead(self) -> pd.DataFrame | None:
        """The default model's forecast of the months ahead with calibrated intervals; None without one."""
        default = self.outlook.default
        return None if default is None else self.outlook.ahead[default]

    @property
    def coming(self) -> QuarterOutlook:
        """The quarter being sold into."""
        return self.quarters[0]

    @property
    def has_teams(self) -> bool:
        """Whether any month of the series has teams to chart (none while every month is still warming up)."""
        return self.team_months.shape[1] > 0

    @property
    def observed(self) -> float:
        """The deal-month observations behind the coming quarter's historical stage probabilities."""
        return float(self.probabilities[0]["observed"].sum())

    @property
    def checked_any(self) -> bool:
        """Whether any past quarter could be checked against the methods' forecasts."""
        return not self.checked.empty

    @property
    def checked_earlier(self) -> bool:
        """Whether any earlier run's forecast can now be checked against what was booked."""
        return not self.compared.empty

    @property
    def booked_by_quarter(self) -> list[tuple[Period, float]]:
        """Each quarter ahead with what it has booked so far."""
        return [(q.quarter, q.view.booked) for q in self.quarters]


def forecast_page(
    data: SalesData, config: WorkbookConfig, period: ReportPeriod, output_dir: str | Path | None
) -> ForecastPage:
    """The forecast page of the period: made at the end of the period, or of the data's last complete month when
    that is earlier; the store of earlier forecasts read from beside output_dir (the default reports folder for a
    run by hand)."""
    calendar = FiscalCalendar.from_config(config)
    company, currency = config.company.name, config.company.reporting_currency
    as_of = forecast_date(period.end, data.as_of)
    # bookings by team, month by month, once: the company's series is their sum
    by_team = monthly_bookings(data, calendar, as_of, "team")
    bookings = company_bookings(data, calendar, as_of, by_team)
    outlook = build_outlook(bookings.values)
    ahead_of = pipeline_forecast.quarters_ahead(calendar, as_of)
    seen = pipeline_forecast.snapshots(data, as_of)
    probabilities = [pipeline_forecast.stage_probabilities(data, seen, as_of, q) for q in ahead_of]
    views = [
        pipeline_forecast.quarter_forecast(data, q, as_of, p, bookings.all_months, first=i == 0)
        for i, (q, p) in enumerate(zip(ahead_of, probabilities, strict=True))
    ]
    time_series = [quarter_time_series(outlook, view) for view in views]
    backtest_rows = outlook.backtest.forecasts if outlook.ready and outlook.backtest is not None else None
    calls = categories.past_calls(data)
    days = pipeline_forecast.backtest_days(data, calendar, as_of)
    by_deals = expected.deal_forecasts(data, calendar, as_of, days, calls)
    checked = pipeline_forecast.pipeline_backtest(
        data, calendar, as_of, bookings.all_months, backtest_rows, deal_forecasts=by_deals.past
    )
    weights = pipeline_forecast.blend_weights(checked)
    # the deal probabilities forecast only the quarter being sold into
    deal_rows = [by_deals.now_row(), None]
    methods = [
        pipeline_forecast.method_table(v, ts, weights, d)
        for v, ts, d in zip(views, time_series, deal_rows, strict=True)
    ]
    quarters = [
        QuarterOutlook(q, view, frame, ts, targets.target_for(config, "bookings", q))
        for q, view, frame, ts in zip(ahead_of, views, methods, time_series, strict=True)
    ]
    store = forecast_history.read_store(forecast_history.store_path(output_dir) or forecast_history.DEFAULT_STORE)
    month_target = targets.target_for(config, "bookings", calendar.month(as_of))
    summary = forecast_summary(
        quarters[0], quarters[1], outlook, bookings, calendar, store, company, period.label, month_target, currency
    )
    since = bookings.values.index[0] if len(bookings.values) else as_of
    team_months = group_bookings(by_team, "team", since)
    default = outlook.default  # None without a forecast
    teams = None
    if default is not None:
        ahead = outlook.ahead[default]
        rest = float(ahead.loc[ahead["horizon"].isin(views[0].horizons), "forecast"].sum())
        teams = group_forecasts(team_months, default, ahead_of[0], views[0].horizons, rest)
    gap = quarters[0].gap
    needed = pipeline_forecast.pipeline_needed(gap, views[0].open_deals) if gap is not None else None
    new_share = {h: pipeline_forecast.new_deal_share(data, as_of, h) for h in range(1, outlook.horizon + 1)}
    booked = [(view.quarter, view.booked) for view in views]
    scenario_frame = (
        scenarios.scenario_table(outlook.ahead[default], new_share, booked) if default is not None else None
    )
    compared = forecast_history.forecast_vs_actual(store, bookings.all_months, company, period.label, as_of)
    return ForecastPage(
        company=company,
        period=period,
        data_as_of=data.as_of,
        data_begins=data.opportunities["created_date"].min(),
        as_of=as_of,
        bookings=bookings,
        outlook=outlook,
        team_months=team_months,
        team_names=list(data.reps["team"].dropna().unique()),
        teams=teams,
        quarters=quarters,
        probabilities=probabilities,
        checked=checked,
        weights=weights,
        pipeline_scores=pipeline_forecast.pipeline_accuracy(checked),
        staged=data.history is not None and not data.history.empty,
        needed=needed,
        new_share=new_share,
        scenarios=scenario_frame,
        compared=compared,
        errors=forecast_history.error_by_method(compared),
        rows=forecast_history.forecast_rows(outlook.ahead, list(zip(ahead_of, methods, strict=True)), as_of),
        summary=summary,
    )


def store_forecasts(page: ForecastPage, output_dir: str | Path | None) -> Path | None:
    """Store this run's forecasts in the reports folder beside output_dir, replacing the period's earlier ones;
    the file written, or None for a run by hand (no output folder), which stores nothing."""
    written = forecast_history.store_path(output_dir)
    if written is not None:
        forecast_history.save_forecasts(written, page.rows, page.company, page.period.label)
    return written
