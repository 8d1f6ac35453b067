"""The process review's executive summary: the worst bottleneck, the velocity factor that moved most against the
month before, the stalled value and where it sits, and the deals to review first."""

from __future__ import annotations

import dataclasses

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.findings import (
    BAD,
    NEUTRAL,
    ExecutiveSummary,
    Headline,
    trend_headline,
    unstable_headline,
)
from salesops_helpers.analyses.process import slippage, stalled
from salesops_helpers.analyses.process.open_deals import stage_distribution
from salesops_helpers.analyses.process.review import ProcessReview, required, waterfall_headlines
from salesops_helpers.analyses.process.story import bottleneck_sentence, velocity_unstable_sentence
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.formatting import plural
from salesops_helpers.metrics import kpi_series
from salesops_helpers.metrics.deal_state import open_deals_at
from salesops_helpers.metrics.stability import stable_values

TREND_MONTHS = 12


def where_value_sits(deals: pd.DataFrame, by: str) -> pd.DataFrame:
    """Deals (with an amount) per value of a column: how many and their amount; largest amount first."""
    grouped = deals.groupby(by, observed=True)["amount"].agg(deals="size", amount="sum").reset_index()
    return grouped.sort_values(["amount", by], ascending=[False, True], ignore_index=True)


def largest_factor(velocity: pd.DataFrame) -> pd.Series | None:
    """The factor whose part of the velocity change is largest either way (velocity_change rows), None when the
    change cannot be split."""
    if not velocity["velocity_change"].notna().all():
        return None
    factors = velocity.iloc[:-1]
    return factors.loc[factors["velocity_change"].abs().idxmax()]


def trend_months(data: SalesData, calendar: FiscalCalendar, month: Period) -> list[Period]:
    """The months of the velocity trend: the last twelve up to the report's month, none before the first deal was
    created."""
    first = data.opportunities["created_date"].min()
    start = month.start - pd.DateOffset(months=TREND_MONTHS - 1)
    return calendar.months_between(max(start, first) if pd.notna(first) else start, month.end)


def process_summary(
    data: SalesData, calendar: FiscalCalendar, review: ProcessReview, currency: str
) -> ExecutiveSummary:
    """The process review's summary: the worst bottleneck, the velocity change's largest part, the stalled deals'
    value and the stage holding most of it (or what slipped), the deals to review first, and the key figures (the
    waterfall's parts recorded off the dashboard)."""
    return ExecutiveSummary(
        standing=_standing(data, review, currency),
        change=_change(review, calendar.previous(review.period), currency),
        risk=_risk(review, currency),
        action=_action(review, currency),
        figures=_figures(data, calendar, review, currency),
        context=_context(review, currency),
        recorded=[] if not review.has_flows else waterfall_headlines(review, currency, dashboard=False),
    )


def _standing(data: SalesData, review: ProcessReview, currency: str) -> str:
    if not review.has_history:
        text = "The data has no deal history, so bottlenecks cannot be found"
        open_now = open_deals_at(data, review.as_of)
        if open_now.empty:
            return text + f"; no deal is open at the end of {review.period.label}."
        # a deal closed since has no known stage on that day: it counts in the total but in no stage
        stages = stage_distribution(data, review.as_of)
        stages = stages[stages["amount"] > 0].sort_values(["amount", "stage"], ascending=[False, True])
        text += f"; {fmt.money(open_now['amount'].sum(), currency)} is open at the end of {review.period.label}"
        if stages.empty:
            return text + "."
        top = stages.iloc[0]
        return text + f", {fmt.money(top['amount'], currency)} of it in {top['stage']}, the most of any stage."
    worst = review.worst
    if worst is None:
        return bottleneck_sentence(review)
    return (
        f"The worst bottleneck is {worst['segment']} · {worst['stage']}: {fmt.percent(worst['next_step'])} of the "
        f"{fmt.count(worst['entered'])} {worst['segment']} deals that entered {worst['stage']} moved on, against "
        f"{fmt.percent(worst['company_next_step'])} for the company."
    )


def _change(review: ProcessReview, previous: Period, currency: str) -> str:
    period, velocity = review.period, review.velocity
    rows = velocity.set_index("factor")
    total = rows.iloc[-1]
    factor = largest_factor(velocity)
    if factor is None:
        return (
            f"Sales velocity cannot be compared with {previous.label}: a factor is missing or 0 in one of the two "
            "months (no deal won, or no deal open at the start)."
        )
    if review.velocity_unstable:
        return velocity_unstable_sentence(review.velocity_unstable)
    if round(abs(total["velocity_change"])) == 0:
        return f"Sales velocity did not change against {previous.label}."
    verb = "rose" if total["velocity_change"] > 0 else "fell"
    name = factor["factor"][0].lower() + factor["factor"][1:]
    direction = "up" if factor["current"] > factor["previous"] else "down"
    return (
        f"Sales velocity {verb} from {fmt.by_unit(total['previous'], 'currency_per_day', currency)} in "
        f"{previous.label} to {fmt.by_unit(total['current'], 'currency_per_day', currency)} in {period.label}; "
        f"the largest part came from the {name}, {direction} from "
        f"{fmt.by_unit(factor['previous'], factor['unit'], currency)} to "
        f"{fmt.by_unit(factor['current'], factor['unit'], currency)} "
        f"({fmt.change(factor['velocity_change'], 'currency_per_day', currency)})."
    )


def _slipped(review: ProcessReview, currency: str) -> str:
    """'N deals worth $X slipped out of <month>', or that none did."""
    slipped = required(review.slipped)
    if slipped.empty:
        return f"no deal slipped out of {review.period.label}"
    return (
        f"{plural(len(slipped), 'deal')} worth "
        f"{fmt.money(slipped['amount'].sum(), currency)} slipped out of {review.period.label}"
    )


def _risk(review: ProcessReview, currency: str) -> str:
    if not review.has_history:
        return "Without the deal history, deals that stall or slip out of the month cannot be seen."
    deals = required(review.stalled)
    if deals.empty:
        if review.has_flows and not required(review.slipped).empty:
            return f"No open deal has stalled, but {_slipped(review, currency)}."
        return "No open deal has stalled" + (f", and {_slipped(review, currency)}." if review.has_flows else ".")
    top = where_value_sits(deals, "stage").iloc[0]
    value = fmt.money(stalled.value_at_risk(deals), currency)
    count = "1 open deal" if len(deals) == 1 else f"{fmt.count(len(deals))} open deals"
    return (
        f"{count} worth {value} {'has' if len(deals) == 1 else 'have'} stalled, sitting in their stage longer than "
        f"90% of stays there; {top['stage']} holds the most: "
        f"{plural(int(top['deals']), 'deal')} worth {fmt.money(top['amount'], currency)}."
    )


def _action(review: ProcessReview, currency: str) -> str:
    if not review.has_history:
        return (
            "Export the deal history (each deal's stage changes with their dates) to see where deals slow down, "
            "stall and slip."
        )
    stalled_deals = required(review.stalled)
    if not stalled_deals.empty:
        stage = where_value_sits(stalled_deals, "stage").iloc[0]
        deals = stalled_deals[stalled_deals["stage"] == stage["stage"]]
        return _review_deals(deals, f"stalled deal{'' if len(deals) == 1 else 's'} in {stage['stage']}", currency)
    if review.has_flows and not required(review.slipped).empty:
        slipped = required(review.slipped)
        what = f"deal{'' if len(slipped) == 1 else 's'} that slipped out of {review.period.label}"
        return _review_deals(slipped, what, currency)
    if review.worst is not None:
        worst = review.worst
        return (
            f"Review why {worst['segment']} deals move on from {worst['stage']} less often than the company's: "
            f"about {fmt.count(worst['deals_short'])} more would have at the company's rate."
        )
    return "No action stands out: no bottleneck, no stalled deal and no slipped deal was found."


def _review_deals(deals: pd.DataFrame, what: str, currency: str) -> str:
    """'Review the N <what>, worth $X, with their owners; <owner> holds the most ($Y in k).'"""
    owners = where_value_sits(deals, "owner")
    worth = fmt.money(deals["amount"].sum(), currency)
    if len(owners) == 1:
        owner = owners.iloc[0]
        the, them = ("the", "it") if len(deals) == 1 else (f"the {fmt.count(len(deals))}", "them")
        return f"Review {the} {what}, worth {worth}, with {owner['owner']}, who holds {them}."
    top = owners.iloc[0]
    return (
        f"Review the {fmt.count(len(deals))} {what}, worth {worth}, with their owners; {top['owner']} holds the most "
        f"({fmt.money(top['amount'], currency)} in {plural(int(top['deals']), 'deal')})."
    )


def _context(review: ProcessReview, currency: str) -> str:
    """What slipped out of the month and who pushes close dates most, when the risk sentence has not said it."""
    if not review.has_flows or required(review.stalled).empty:
        return ""
    text = _slipped(review, currency)
    text = text[0].upper() + text[1:]
    per_rep = required(review.per_rep)
    compared = per_rep[per_rep["compared"]]
    if compared.empty or compared["pushes"].iloc[0] == 0:
        return text + "."
    top = compared.iloc[0]
    return (
        text + f"; {top['rep']} pushes close dates most, {top['pushes_per_deal']:.1f} times per deal against a "
        f"median of {compared['pushes_per_deal'].median():.1f}."
    )


def _figures(data: SalesData, calendar: FiscalCalendar, review: ProcessReview, currency: str) -> list[Headline]:
    def money(value: float) -> str:
        return fmt.money(value, currency)

    def money_change(value: float) -> str:
        return fmt.change(value, "currency", currency)

    def per_day(value: float) -> str:
        return fmt.by_unit(value, "currency_per_day", currency)

    def per_day_change(value: float) -> str:
        return fmt.change(value, "currency_per_day", currency)

    def against_previous(key: str, label: str, previous: pd.Series, current: float) -> Headline:
        # each earlier month rebuilds the stays or slips from the whole history (seconds a month on a million deals),
        # so these figures compare with the month before and carry no twelve-month trend
        values = pd.Series([*previous, current], index=[*previous.index, review.period.label], dtype=float)
        return dataclasses.replace(
            trend_headline(key, label, values, money, money_change, "down"), trend=(), trend_periods=(), trend_text=()
        )

    months = trend_months(data, calendar, review.period)
    # a velocity too unstable to state is left out of the trend, and the card of one this month says so
    inputs = ["velocity", "won_deals", "lost_deals", "sales_cycle_days"]
    velocity = stable_values(kpi_series(data, months, [], inputs)).set_index("period")["velocity"]
    velocity_figure = trend_headline("velocity", "Sales velocity", velocity, per_day, per_day_change, "up")
    if review.period.label in review.velocity_unstable:
        velocity_figure = unstable_headline(velocity_figure)
    if not review.has_history:
        # one card for what the data cannot support, not one per analysis
        return [
            Headline("process_analyses", "Bottlenecks, stalls, slippage, waterfall", None, "need a history table"),
            velocity_figure,
        ]
    before = [calendar.previous(review.period)] if len(months) > 1 else []
    worst = review.worst
    figures = [
        Headline(
            "worst_bottleneck",
            "Worst bottleneck"
            + (
                ""
                if worst is None
                else f" ({fmt.percent(worst['next_step'])} move on, against {fmt.percent(worst['company_next_step'])})"
            ),
            None if worst is None else float(worst["shortfall"]),
            "none found" if worst is None else f"{worst['segment']} · {worst['stage']}",
            status=NEUTRAL if worst is None else BAD,
        ),
        against_previous(
            "stalled_value",
            "Stalled deals' value",
            stalled.value_at_risk_by_month(data, before),
            stalled.value_at_risk(review.stalled),
        ),
    ]
    if review.has_flows:
        figures.append(
            against_previous(
                "slipped_value",
                f"Slipped out of {review.period.label}",
                slippage.slipped_value_by_month(data, before),
                float(required(review.slipped)["amount"].sum()),
            )
        )
    else:
        figures.append(
            Headline("slipped_value", f"Slipped out of {review.period.label}", None, "needs close dates in history")
        )
    return [*figures, velocity_figure]
