"""The sentences and chart titles of the process review, written from its computed tables (every number in them is
computed); a section the data cannot support says what it needs instead."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.process import bottlenecks, slippage, stalled, waterfall
from salesops_helpers.analyses.process.review import ProcessReview, has_history, missing_flow_columns, required
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.model import OPPORTUNITY_HISTORY

NOT_ENOUGH = "not enough deals"


def without_history_note() -> str:
    """What the review cannot show without a history table, in plain words."""
    return (
        f"The data has no {OPPORTUNITY_HISTORY.name} table, so {OPPORTUNITY_HISTORY.enables} cannot be worked out: "
        "they need each deal's saved changes. What the current stages allow is shown: where open deals stand, win "
        "rates and cycle lengths, the velocity change, and lost reasons (without the stage lost at)."
    )


def flows_note(data: SalesData) -> str:
    """Why slippage and the waterfall cannot be made, or "" when they can."""
    if not has_history(data):
        return "Slippage and the pipeline waterfall need the history table (close dates and amounts on past days)."
    missing = missing_flow_columns(data)
    if missing:
        return (
            f"The history table has no {' or '.join(missing)} column, so close-date pushes, slipped deals and the "
            "pipeline waterfall cannot be worked out."
        )
    return ""


def returns_sentence(review: ProcessReview) -> str:
    """How many times a deal came back to a stage it had been in before (each visit after the first)."""
    returns = int(required(review.stage_time)["returns"].sum())
    if returns == 0:
        return "No deal came back to a stage it had been in before."
    times = "Once" if returns == 1 else f"{fmt.count(returns)} times"
    return f"{times} a deal came back to a stage it had been in before (moved back or reopened)."


def truncated_note(review: ProcessReview) -> str:
    """How many deals' history starts on a later day than their creation (first stay left out of time in stage)."""
    stays = review.stays
    count = int(stays["truncated"].sum()) if stays is not None and len(stays) else 0
    if count == 0:
        return "Every deal's history starts on the day it was created."
    deals = "1 deal's history starts" if count == 1 else f"{fmt.count(count)} deals' histories start"
    return (
        f"{deals} on a later day than the deal was created: the first stay's start is unknown, so time in stage "
        "leaves it out."
    )


def stays_sentence(review: ProcessReview) -> str:
    """The stage stays rebuilt from the history, how often deals came back and whose history starts late; or what
    the review cannot show without a history."""
    if not review.has_history:
        return without_history_note()
    return (
        f"The review rebuilds {fmt.plural(len(required(review.stays)), 'stage stay')} of "
        f"{fmt.plural(len(required(review.paths)), 'deal')} "
        f"from the history saved up to {review.as_of:%Y-%m-%d}; a stay still going counts up to the end of that day. "
        f"{returns_sentence(review)} {truncated_note(review)}"
    )


def _has_funnel(review: ProcessReview) -> bool:
    """Whether the review has a funnel with at least one stage that deals entered."""
    return review.has_history and bool(required(review.funnel)["next_step"].notna().any())


def _narrowest(review: ProcessReview) -> pd.Series:
    """The funnel's stage that lets the smallest share of deals move on."""
    funnel = required(review.funnel)
    return funnel.loc[funnel["next_step"].idxmin()]


def funnel_sentence(review: ProcessReview) -> str:
    """How many deals have a history, the share won and the stage that lets the fewest move on."""
    if not _has_funnel(review):
        return f"The funnel needs the history table and deals in it: {NOT_ENOUGH} here."
    narrowest, funnel = _narrowest(review), required(review.funnel)
    return (
        f"Of {fmt.plural(int(funnel['deals'].iloc[0]), 'deal')} with a history, "
        f"{fmt.percent(funnel['cumulative'].iloc[-1])} were won; the stage that lets the fewest deals move on "
        f"is {narrowest['stage']} ({fmt.percent(narrowest['next_step'])})."
    )


def funnel_chart_titles(review: ProcessReview) -> list[str]:
    """The funnel chart's title (the share won and the narrowest stage), or none without a funnel to draw."""
    if not _has_funnel(review):
        return []
    won = fmt.percent(required(review.funnel)["cumulative"].iloc[-1])
    return [f"{won} of deals are won; {_narrowest(review)['stage']} lets the fewest move on"]


def groupings_sentence(review: ProcessReview) -> str:
    """What the funnels by segment, team and lead source show, or that they need the history."""
    if not review.has_history:
        return "Funnels by segment, team and lead source need the history table."
    return "Share of deals moving on from each stage, by segment, team and lead source (won: share of all deals won)."


def cohorts_sentence(review: ProcessReview) -> str:
    """Which creation cohorts are too young to judge and why, or that cohorts need the history."""
    if not review.has_history:
        return "Funnels by creation cohort need the history table."
    return (
        f"By creation quarter (fiscal): cohorts whose last day is less than {fmt.days(review.settle_days)} before "
        f"{review.as_of:%Y-%m-%d} are marked too young to judge: nine deals in ten are won or lost within that time "
        "(Kaplan-Meier, deals still open counted as still going)."
    )


def longest_stage_sentence(times: pd.DataFrame) -> str:
    """The stage with the longest Kaplan-Meier median, with its p90 when it is known."""
    known = times[times["km_median"].notna()]
    if known.empty:
        return f"Time in stage needs finished stays: {NOT_ENOUGH} here."
    row = known.loc[known["km_median"].idxmax()]
    text = f"{row['stage']} takes longest: a median of {fmt.days(row['km_median'])}"
    if pd.isna(row["km_p90"]):
        return text + "; how long the longest tenth of its stays last is not known yet (too many are still going)."
    return text + f", and one stay in ten lasts more than {fmt.days(row['km_p90'])}."


def time_in_stage_sentence(review: ProcessReview) -> str:
    """The stage that takes longest (longest_stage_sentence), or what time in stage needs."""
    if not review.has_history or not required(review.times)["km_median"].notna().any():
        return f"Time in stage needs the history table and finished stays: {NOT_ENOUGH} here."
    return longest_stage_sentence(required(review.times))


def time_chart_titles(review: ProcessReview) -> list[str]:
    """The time-in-stage chart's title: the stage whose longest tenth of stays lasts longest, against what finished
    stays alone say; none while no stage has a p90."""
    if not review.has_history or not required(review.times)["km_p90"].notna().any():
        return []
    times = required(review.times)
    slowest = times.loc[times["km_p90"].idxmax()]
    return [
        f"One {slowest['stage']} stay in ten lasts over {fmt.days(slowest['km_p90'])}; finished stays alone say "
        f"{fmt.days(slowest['naive_p90'])}"
    ]


def bottleneck_sentence(review: ProcessReview, by: str = "segment") -> str:
    """The worst bottleneck named with its numbers, or why there is none."""
    if not review.has_history:
        return "Bottlenecks need the history table."
    worst = review.worst
    if worst is None:
        return (
            f"No stage shows a shortfall against the company in any {by.replace('_', ' ')} with at least "
            f"{bottlenecks.MIN_DEALS} deals entering it: {NOT_ENOUGH} to name a bottleneck."
        )
    text = (
        f"The worst bottleneck is {worst[by]} deals in {worst['stage']}: {fmt.percent(worst['next_step'])} of the "
        f"{fmt.count(worst['entered'])} that entered it moved on, against {fmt.percent(worst['company_next_step'])} "
        f"for the company, about {fmt.count(worst['deals_short'])} deals short"
    )
    if bottlenecks.has_time(worst):
        text += (
            f"; they spend {fmt.percent(worst['time_share'])} of their time in open stages there (median "
            f"{fmt.days(worst['km_median'])}) against {fmt.percent(worst['company_time_share'])} company-wide, "
            f"{worst['time_ratio']:.1f} times the usual share"
        )
    return text + "."


def _listed(names: list[str]) -> str:
    """Names joined in prose: A, B and C (at most formatting.MOST_NAMES, then how many more)."""
    return fmt.listed(names)


def stalled_sentence(review: ProcessReview, currency: str) -> str:
    """How many open deals have stalled and the value at risk."""
    if not review.has_history:
        return "Stalled deals need the history table."
    deals = required(review.stalled)
    count = len(deals)
    unjudged = stalled.unjudged_stages(review.stays, review.times)
    caveat = ""
    if unjudged:
        caveat = (
            f" Deals now in {_listed(unjudged)} are not judged: too few stays there have ended to say how long nine "
            "stays in ten last."
        )
    if count == 0:
        where = " in a stage with a stall threshold" if unjudged else ""
        return f"No open deal has stalled{where}.{caveat}"
    value = fmt.money(stalled.value_at_risk(deals), currency)
    deals_have = "1 open deal has" if count == 1 else f"{fmt.count(count)} open deals have"
    return f"{deals_have} stalled, worth {value} in all: the value at risk.{caveat}"


def slippage_sentence(review: ProcessReview, data: SalesData, currency: str) -> str:
    """The rep who pushes close dates most against the median rep, and what slipped out of the period; or why
    slippage cannot be worked out (flows_note)."""
    if not review.has_flows:
        return flows_note(data)
    per_rep, slipped = required(review.per_rep), required(review.slipped)
    compared = per_rep[per_rep["compared"]]
    moved = (
        "No deal slipped out of the period."
        if slipped.empty
        else f"{fmt.plural(len(slipped), 'deal')} worth {fmt.money(slipped['amount'].sum(), currency)} slipped out "
        f"of {review.period.label}."
    )
    if compared.empty:
        return f"{NOT_ENOUGH.capitalize()} per rep to compare pushes (at least {slippage.MIN_DEALS} each). {moved}"
    top = compared.iloc[0]
    if top["pushes"] == 0:
        return f"No rep has pushed a close date yet. {moved}"
    return (
        f"{top['rep']} pushes close dates most: {top['pushes_per_deal']:.1f} pushes per deal against a median of "
        f"{compared['pushes_per_deal'].median():.1f} across the {fmt.plural(len(compared), 'rep')} with at least "
        f"{slippage.MIN_DEALS} deals. {moved}"
    )


def pushes_chart_titles(review: ProcessReview) -> list[str]:
    """The pushes chart's title (the rep who pushes close dates most), or none when no compared rep has pushed one."""
    if not review.has_flows or required(review.per_rep).empty:
        return []
    top = required(review.per_rep).iloc[0]
    if not top["compared"] or top["pushes"] <= 0:
        return []
    return [f"{top['rep']} pushes close dates {top['pushes_per_deal']:.1f} times per deal, the most of any rep"]


def waterfall_sentence(review: ProcessReview, data: SalesData, currency: str) -> str:
    """The waterfall in one sentence: opening, closing, won, lost, pushed out, and what closed dated elsewhere; or
    why it cannot be worked out (flows_note)."""
    if not review.has_flows:
        return flows_note(data)
    table = required(review.waterfall)
    parts = table.set_index("component")

    def money(component: str) -> str:
        return fmt.money(abs(parts.loc[component, "amount"]), currency)

    text = (
        f"{review.period.label} opened with {money('opening')} due in it and closed with {money('closing')} still "
        f"open; {money('won')} was won, {money('lost')} lost and {money('pushed out')} pushed out"
    )
    elsewhere = parts.loc["closed, dated elsewhere"]
    if elsewhere["deals"]:
        one = elsewhere["deals"] == 1
        deals, are, them = ("1 deal", "is", "it") if one else (f"{fmt.count(elsewhere['deals'])} deals", "are", "them")
        text += (
            f"; {deals} worth {money('closed, dated elsewhere')} closed in the month by the history but {are} dated "
            f"outside it now (or reopened), so neither bookings nor the month's losses count {them}"
        )
    gap = waterfall.balance_gap(table)
    return text + f". Opening plus the changes minus closing: {fmt.money(gap, currency, True)}."


def waterfall_chart_titles(review: ProcessReview, currency: str) -> list[str]:
    """The waterfall chart's title: what was due in the month and how much of it was won, lost and pushed out;
    none without a waterfall."""
    if not review.has_flows:
        return []
    amounts = required(review.waterfall).set_index("component")["amount"]
    return [
        f"{fmt.money(amounts['opening'], currency)} was due in {review.period.start:%b %Y}: "
        f"{fmt.money(-amounts['won'], currency)} won, {fmt.money(-amounts['lost'], currency)} lost, "
        f"{fmt.money(-amounts['pushed out'], currency)} pushed out"
    ]


def velocity_unstable_sentence(unstable: Mapping[str, str]) -> str:
    """That velocity is not meaningful in the months given (label -> why, ProcessReview.velocity_unstable), so its
    change is not stated."""
    head = f"Sales velocity is not meaningful in {' or '.join(unstable)}, so its change is not stated: "
    if len(unstable) == 1:
        return head + next(iter(unstable.values())) + "."
    return head + "; ".join(f"in {label} {reason}" for label, reason in unstable.items()) + "."


def velocity_sentence(velocity: pd.DataFrame, unstable: Mapping[str, str], currency: str) -> str:
    """Velocity then and now, and the factor whose part of the change is largest; or why it cannot be split, or that
    it is not meaningful in either month (unstable: ProcessReview.velocity_unstable)."""
    rows = velocity.set_index("factor")
    parts = rows["velocity_change"].iloc[:-1]
    if not rows["velocity_change"].notna().all():
        return (
            "The velocity change cannot be split: a factor is missing or 0 in one of the two months (no deal won, or "
            "no deal open at the start)."
        )
    if unstable:
        return velocity_unstable_sentence(unstable)
    largest = parts.abs().idxmax()
    return (
        f"Sales velocity went from {fmt.by_unit(rows['previous'].iloc[-1], 'currency_per_day', currency)} to "
        f"{fmt.by_unit(rows['current'].iloc[-1], 'currency_per_day', currency)}; {largest.lower()} moved it most "
        f"({fmt.change(parts[largest], 'currency_per_day', currency)})."
    )


def lost_reasons_sentence(review: ProcessReview, label: str) -> str:
    """The most common lost reason and its share of the deals lost in the window (label), or that the data carries
    no lost reasons."""
    reasons = review.lost_reasons
    if reasons is None or reasons.empty:
        return "The data carries no lost reasons."
    top = reasons.iloc[0]
    return (
        f"{top['reason']} is the most common reason, {fmt.count(top['all stages'])} of "
        f"{fmt.plural(int(reasons['all stages'].sum()), 'deal')} lost in {label}."
    )
