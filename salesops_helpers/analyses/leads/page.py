"""Everything the lead funnel's page (notebook 05) shows, computed once: the month's leads, the funnel by channel
and segment over the cohorts old enough to judge, time to convert, speed to lead and how it goes with conversion,
MQLs nobody followed up, channel efficiency, who sourced the pipeline, and the summary."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from salesops_helpers.analyses.findings import ExecutiveSummary
from salesops_helpers.analyses.leads import channels, follow_up, volume
from salesops_helpers.analyses.leads.summary import funnel_summary, no_leads_summary, window_name
from salesops_helpers.analyses.team.intervals import wilson_interval
from salesops_helpers.calendar.periods import ReportPeriod
from salesops_helpers.data.loading import SalesData
from salesops_helpers.formatting import day_name
from salesops_helpers.metrics import funnel

RECENT_DAYS = 90  # MQLs nobody followed up are listed over the leads created in this many days to the month's end
MOST_CURVES = 5  # the time-to-convert chart draws the company and this many channels with most leads
CURVE_DAYS = (7, 14, 30, 60, 90, 120, 180, 270, 365)
EFFICIENCY_KPIS = [
    "leads",
    "campaign_cost",
    "cost_per_lead",
    "cost_per_mql",
    "cost_per_deal",
    "cost_per_won_deal",
    "pipeline_per_spend",
    "bookings_per_spend",
]
ALL = "All channels"


@dataclass(frozen=True)
class FunnelPage:
    """What the lead funnel's page shows for one month (available False, and most tables empty, without leads)."""

    period: ReportPeriod
    available: bool
    touch_basis: str  # what speed to lead measures to: "first activity", "owner assignment" or ""
    maturity_days: float  # nine in ten past conversions to a deal took at most this many days
    half_days: float  # half the conversions to a deal took at most this many days
    judged_start: pd.Timestamp  # the twelve cohort months old enough to judge
    judged_end: pd.Timestamp
    monthly: pd.DataFrame  # lead KPIs per month (index YYYY-MM), the report's month last
    volume: pd.DataFrame  # volume.monthly_volume
    channels: pd.DataFrame  # channels.channel_funnel by source over the judged window
    judged: pd.Series | None  # the same for all channels together
    segments: pd.DataFrame  # channels.channel_funnel by segment
    poor: pd.Series | None
    larger: pd.Series | None
    curves: pd.DataFrame  # share converted by days (rows) for all channels and the largest ones (columns)
    speed_by_team: pd.DataFrame
    speed_by_rep: pd.DataFrame
    speed_conversion: pd.DataFrame
    slow: pd.Series | None
    missed: pd.DataFrame  # follow_up.not_followed_up over the recent days
    missed_since: pd.Timestamp
    efficiency: pd.DataFrame  # cost KPIs by source over the judged window (channels with campaign costs)
    sourced_monthly: pd.DataFrame
    sourced: pd.DataFrame
    summary: ExecutiveSummary

    @property
    def judged_window(self) -> str:
        """The judged cohorts as readers write them."""
        return window_name(self.judged_start, self.judged_end)

    @property
    def judged_rate(self) -> float | None:
        """The lead-to-deal rate of all channels over the judged cohorts."""
        return None if self.judged is None else float(self.judged["lead_to_deal"])

    @property
    def cost_per_deal(self) -> dict[str, float]:
        """Campaign cost per deal of each channel with costs."""
        if self.efficiency.empty:
            return {}
        return dict(zip(self.efficiency["source"], self.efficiency["cost_per_deal"], strict=True))

    @property
    def median_speed(self) -> float:
        """The report month's median speed to lead in hours (NaN when it cannot be measured)."""
        return float(self.monthly["speed_to_lead"].iloc[-1]) if len(self.monthly) else float("nan")

    @property
    def missed_since_text(self) -> str:
        """The first day of the window MQLs nobody followed up are listed over."""
        return day_name(self.missed_since.date())

    @property
    def sourced_window(self) -> str:
        """The months the sourced split covers."""
        return months_span(self.sourced_monthly)


def months_span(monthly: pd.DataFrame) -> str:
    """The months a table with a month column covers, as readers write them ("" when it has none)."""
    months = monthly["month"]
    return window_name(months.min(), months.max()) if len(months) else ""


def judged_window(outcomes: funnel.LeadOutcomes, period: ReportPeriod) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The twelve cohort months ending with the last month through the report's whose leads are old enough to
    judge (funnel.young_cohort), from the first month with leads at the earliest."""
    end = pd.Timestamp(period.end).normalize()
    first = outcomes.frame["cohort"].min()
    while funnel.young_cohort(outcomes, end) and end > first:
        end = end.replace(day=1) - pd.Timedelta(days=1)
    start = max(end.to_period("M").start_time - pd.DateOffset(months=11), first)
    return pd.Timestamp(start), end


def monthly_kpis(outcomes: funnel.LeadOutcomes, data: SalesData, end: pd.Timestamp) -> pd.DataFrame:
    """Leads, MQLs, speed to lead and lead to deal for each of the twelve months through end's (index YYYY-MM)."""
    rows = {}
    for start in volume.months_through(end):
        totals = funnel.lead_totals(outcomes, data.campaigns, start, start + pd.offsets.MonthEnd(0))
        table = funnel.lead_kpi_table(totals, ["leads", "mqls", "speed_to_lead", "lead_to_deal"])
        rows[f"{start:%Y-%m}"] = table.iloc[0] if len(table) else pd.Series(0.0, index=table.columns)
    return pd.DataFrame(rows).T.astype(float)


def conversion_curves(outcomes: funnel.LeadOutcomes, names: list[str]) -> pd.DataFrame:
    """funnel.conversion_curve for all leads and for each named channel's, side by side."""
    curves = {ALL: funnel.conversion_curve(outcomes, CURVE_DAYS)}
    for name in names:
        subset = outcomes.frame[outcomes.frame["source"] == name]
        curves[name] = funnel.conversion_curve(replace(outcomes, frame=subset), CURVE_DAYS)
    return pd.DataFrame(curves)


def _all_channels(table: pd.DataFrame) -> pd.Series | None:
    """channel_funnel's rows summed into one for all channels, with its rate and interval."""
    if table.empty:
        return None
    total = table[["leads", "mqls", "sqls", "lead_deals", "lead_won_deals", "lead_pipeline", "lead_bookings"]].sum()
    one = pd.DataFrame([total])
    one["group"] = ALL
    one["lead_to_deal"] = funnel.lead_to_deal(one)
    one["mql_to_sql"] = funnel.mql_to_sql(one)
    one["low"], one["high"] = wilson_interval(one["lead_deals"], one["leads"])
    return one.iloc[0]


def funnel_page(data: SalesData, period: ReportPeriod) -> FunnelPage:
    """The lead funnel page of the month (module docstring)."""
    end = pd.Timestamp(period.end).normalize()
    sourced_monthly = volume.sourced_by_month(data, end)
    sourced = volume.sourced_totals(sourced_monthly)
    sourced_window = months_span(sourced_monthly)
    outcomes = funnel.data_outcomes(data)
    currency = data.config.company.reporting_currency
    if outcomes is None or outcomes.frame.empty:
        empty = pd.DataFrame()
        return FunnelPage(
            period, False, "", 0.0, float("nan"), end, end, empty, empty, empty, None, empty, None, None, empty,
            empty, empty, empty, None, empty, end, empty, sourced_monthly, sourced,
            no_leads_summary(sourced, sourced_window),
        )  # fmt: skip
    start, judged_end = judged_window(outcomes, period)
    by_channel = channels.channel_funnel(outcomes, start, judged_end)
    judged = _all_channels(by_channel)
    poor = channels.poor_channel(by_channel)
    larger = channels.larger_deal_channel(outcomes, start, judged_end)
    slow = follow_up.slow_team(outcomes, start, judged_end)
    since = (end - pd.Timedelta(days=RECENT_DAYS - 1)).normalize()
    missed = follow_up.not_followed_up(outcomes, since, end)
    totals = funnel.lead_totals(outcomes, data.campaigns, start, judged_end, ["source"])
    efficiency = funnel.lead_kpi_table(totals, EFFICIENCY_KPIS)
    efficiency = efficiency[efficiency["campaign_cost"] > 0].sort_values("leads", ascending=False, ignore_index=True)
    monthly = monthly_kpis(outcomes, data, end)
    summary = funnel_summary(
        month=f"{end:%Y-%m}",
        monthly=monthly,
        judged=judged,
        judged_window=window_name(start, judged_end),
        poor=poor,
        larger=larger,
        slow=slow,
        missed=len(missed),
        missed_since=day_name(since.date()),
        cost_per_deal=dict(zip(efficiency["source"], efficiency["cost_per_deal"], strict=True)),
        sourced=sourced,
        sourced_window=sourced_window,
        currency=currency,
    )
    return FunnelPage(
        period=period,
        available=True,
        touch_basis=outcomes.touch_basis,
        maturity_days=funnel.maturity_days(outcomes),
        half_days=funnel.conversion_days_quantile(outcomes, 0.5),
        judged_start=start,
        judged_end=judged_end,
        monthly=monthly,
        volume=volume.monthly_volume(outcomes, end),
        channels=by_channel,
        judged=judged,
        segments=channels.channel_funnel(outcomes, start, judged_end, "segment"),
        poor=poor,
        larger=larger,
        curves=conversion_curves(outcomes, list(by_channel["group"][:MOST_CURVES])),
        speed_by_team=follow_up.speed_by(outcomes, start, judged_end, "team"),
        speed_by_rep=follow_up.speed_by(outcomes, start, judged_end, "rep"),
        speed_conversion=follow_up.speed_and_conversion(outcomes, start, judged_end),
        slow=slow,
        missed=missed,
        missed_since=since,
        efficiency=efficiency,
        sourced_monthly=sourced_monthly,
        sourced=sourced,
        summary=summary,
    )
