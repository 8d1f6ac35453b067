"""The lead funnel's summary and recommendations (report 05): the month's leads and how the judged cohorts
converted, the change on the month before, the channel or follow-up that costs most, and what marketing and sales
should do; with its key figures."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.findings import ExecutiveSummary, Headline, trend_headline
from salesops_helpers.formatting import plural
from salesops_helpers.metrics.stability import relative_change


def window_name(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A span of months as readers write it: 'Sep 2025 to Aug 2026', or one month's name."""
    first, last = fmt.month_name(f"{start:%Y-%m}"), fmt.month_name(f"{end:%Y-%m}")
    return first if first == last else f"{first} to {last}"


def _rate(row: pd.Series) -> str:
    """'6.1% (90%: 5.7%-6.5%)'."""
    return f"{fmt.percent(row['lead_to_deal'], 1)} (90%: {fmt.percent(row['low'], 1)}-{fmt.percent(row['high'], 1)})"


def standing_sentence(month: str, leads: int, mqls: int, judged: pd.Series | None, window: str) -> str:
    """The month's leads and MQLs, and how many of the leads old enough to judge became deals and won deals
    (judged: channel_funnel's row for all channels together, None when no cohort is old enough)."""
    came = f"In {fmt.month_name(month, full=True)}, {plural(leads, 'lead')} came in and {fmt.count(mqls)} became MQLs"
    if judged is None or not judged["leads"]:
        return f"{came}; no leads are old enough yet to judge how many become deals."
    return (
        f"{came}; of the {fmt.count(judged['leads'])} leads created from {window} (old enough to judge), "
        f"{_rate(judged)} became deals and {fmt.percent(judged['lead_won_deals'] / judged['leads'], 1)} won deals."
    )


def change_sentence(month: str, before_month: str, now: int, before: int) -> str:
    """How the month's leads compare with the month before's, as a percentage only when the base allows one."""
    this, last = fmt.month_name(month), fmt.month_name(before_month)
    if now == before:
        return f"Leads held at {fmt.count(now)} from {last} to {this}."
    change = relative_change(float(now), float(before))
    verb = "rose" if now > before else "fell"
    if change is None:
        return f"Leads {verb} from {fmt.count(before)} in {last} to {fmt.count(now)} in {this}."
    return f"Leads {verb} {fmt.percent(abs(change))} from {fmt.count(before)} in {last} to {fmt.count(now)} in {this}."


def poor_channel_sentence(poor: pd.Series, window: str) -> str:
    """The high-volume channel that converts poorly (channels.poor_channel's row)."""
    return (
        f"{poor['group']} brought {fmt.percent(poor['lead_share'])} of the leads created from {window}, but only "
        f"{_rate(poor)} of them became deals, against {fmt.percent(poor['others_rate'], 1)} for the other channels."
    )


def missed_sentence(missed: int, since: str) -> str:
    """How many MQLs nobody followed up."""
    if not missed:
        return f"Every MQL since {since} was followed up or became a deal."
    return f"{plural(missed, 'MQL')} created since {since} had no activity at all a week after qualifying."


def risk_sentence(poor: pd.Series | None, window: str, missed: int, since: str) -> str:
    """The biggest risk: a high-volume channel that converts poorly, else MQLs nobody followed up."""
    if poor is not None:
        return poor_channel_sentence(poor, window)
    if missed:
        return missed_sentence(missed, since)
    return (
        "No channel with a tenth of the leads converts at under half the others' rate, and every MQL was followed up."
    )


def marketing_recommendation(
    poor: pd.Series | None, larger: pd.Series | None, cost_per_deal: dict[str, float], currency: str
) -> str:
    """What marketing should do: retarget or cut the channel that converts poorly (by its cost per deal when
    campaign costs exist) and grow the channel whose deals are larger."""
    money = partial(fmt.money, currency=currency)
    parts = []
    if poor is not None:
        name = str(poor["group"])
        own = cost_per_deal.get(name, math.nan)
        others = [value for key, value in cost_per_deal.items() if key != name and math.isfinite(value)]
        if math.isfinite(own) and others:
            best = min(others)
            parts.append(
                f"retarget or cut {name}, whose deals cost {money(own)} each in campaign spend against {money(best)} "
                "for the cheapest other channel"
            )
        else:
            parts.append(f"tighten {name}'s targeting and qualification before buying more of its volume")
    if larger is not None:
        parts.append(
            f"grow {larger['group']}, whose deals are {fmt.ratio(larger['median_deal'] / larger['others'])} as large "
            f"(median {money(larger['median_deal'])} against {money(larger['others'])})"
        )
    if not parts:
        return "Marketing: no channel stands out in conversion or deal size; keep the mix and watch the young cohorts."
    return "Marketing: " + "; ".join(parts) + "."


def sales_recommendation(slow: pd.Series | None, missed: int, median_hours: float) -> str:
    """What sales should do: a follow-up rule for the slow team, and the MQLs nobody touched."""
    parts = []
    if slow is not None:
        parts.append(
            f"{slow['group']} first touches its leads after a median {fmt.hours(slow['speed_hours'])} against "
            f"{fmt.hours(slow['others_speed'])} for the other teams, and its MQLs become SQLs at "
            f"{fmt.percent(slow['mql_to_sql'])} against {fmt.percent(slow['others_rate'])}: set a same-day follow-up "
            "rule for it"
        )
    if missed:
        parts.append(f"follow up the {plural(missed, 'MQL')} nobody has touched (listed below)")
    if not parts:
        if math.isnan(median_hours):
            return "Sales: log first touches on leads, so that speed to lead can be measured."
        return f"Sales: leads are first touched after a median {fmt.hours(median_hours)}; keep it so."
    return "Sales: " + "; ".join(parts) + "."


def sourced_sentence(totals: pd.DataFrame, window: str) -> str:
    """Who sourced the pipeline created and the bookings over the window (volume.sourced_totals)."""
    shares = totals.set_index("sourced_by")
    if shares["pipeline_created"].sum() <= 0:
        return f"No pipeline was created from {window}."
    others = [
        f"{who} {fmt.percent(shares.loc[who, 'pipeline_created_share'])}"
        for who in ("sales", "partner", "unknown")
        if who in shares.index and shares.loc[who, "pipeline_created"] > 0
    ]
    rest = f" ({', '.join(others)})" if others else ""
    return (
        f"Marketing sourced {fmt.percent(shares.loc['marketing', 'pipeline_created_share'])} of the pipeline created "
        f"from {window}{rest} and {fmt.percent(shares.loc['marketing', 'bookings_share'])} of the bookings."
    )


def funnel_summary(
    *,
    month: str,
    monthly: pd.DataFrame,
    judged: pd.Series | None,
    judged_window: str,
    poor: pd.Series | None,
    larger: pd.Series | None,
    slow: pd.Series | None,
    missed: int,
    missed_since: str,
    cost_per_deal: dict[str, float],
    sourced: pd.DataFrame,
    sourced_window: str,
    currency: str,
) -> ExecutiveSummary:
    """The lead funnel's summary (monthly: lead KPIs per month as YYYY-MM, oldest first, the report's month last)."""
    now = monthly.iloc[-1]
    before_month = str(monthly.index[-2]) if len(monthly) > 1 else ""
    change = (
        change_sentence(month, before_month, int(now["leads"]), int(monthly.iloc[-2]["leads"]))
        if before_month
        else f"{fmt.month_name(month, full=True)} is the first month with leads, so there is no change to state."
    )
    sales = sales_recommendation(slow, missed, float(now["speed_to_lead"]))
    marketing = marketing_recommendation(poor, larger, cost_per_deal, currency)
    action = sales if slow is not None or (missed and poor is None) else marketing
    figures = [
        trend_headline("leads", "Leads", monthly["leads"], fmt.count, partial(fmt.change, unit="count"), "up"),
        trend_headline("mqls", "MQLs", monthly["mqls"], fmt.count, partial(fmt.change, unit="count"), "up"),
        Headline(
            "lead_to_deal",
            "Lead to deal",
            None if judged is None else float(judged["lead_to_deal"]),
            "–" if judged is None else fmt.percent(judged["lead_to_deal"], 1),
            f"leads of {judged_window}" if judged is not None else "",
        ),
        trend_headline(
            "speed_to_lead",
            "Speed to lead",
            monthly["speed_to_lead"],
            fmt.hours,
            partial(fmt.change, unit="hours"),
            "down",
        ),
    ]
    shares = sourced.set_index("sourced_by")["pipeline_created_share"]
    share = float(shares.get("marketing", math.nan))
    figures.append(
        Headline(
            "marketing_pipeline_share",
            "Marketing-sourced pipeline",
            None if math.isnan(share) else share,
            fmt.percent(share),
            sourced_window,
        )
    )
    return ExecutiveSummary(
        standing=standing_sentence(month, int(now["leads"]), int(now["mqls"]), judged, judged_window),
        change=change,
        risk=risk_sentence(poor, judged_window, missed, missed_since),
        action=action,
        figures=figures,
        context=sourced_sentence(sourced, sourced_window),
    )


def no_leads_summary(sourced: pd.DataFrame, sourced_window: str) -> ExecutiveSummary:
    """The summary when the data has no leads: what the deals' own sources still tell."""
    return ExecutiveSummary(
        standing="The data has no leads table, so the funnel from first touch to deal cannot be shown.",
        change="Without leads there is no lead volume to compare month on month.",
        risk="Which channels bring leads that never become deals stays unknown.",
        action="Add the CRM's leads export (docs/data-model.md, leads; docs/mappings.md for Salesforce and HubSpot).",
        figures=[],
        context=sourced_sentence(sourced, sourced_window),
    )
