"""The whole process review of one period in one call, so the notebook only shows it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.findings import Headline
from salesops_helpers.analyses.process import bottlenecks, funnel, lost_reasons, slippage, stalled, waterfall
from salesops_helpers.analyses.process.stage_stays import stage_stays, time_per_stage
from salesops_helpers.analyses.process.time_in_stage import time_in_stage
from salesops_helpers.analyses.process.velocity_change import velocity_change
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.model import OPPORTUNITY_HISTORY

GROUPINGS = {"segment": "Segment", "team": "Team", "lead_source": "Lead source"}


@dataclass
class ProcessReview:
    """Every table of the process review for one period; the history-based ones are None without a history."""

    period: Period
    as_of: pd.Timestamp
    velocity: pd.DataFrame
    lost_reasons: pd.DataFrame | None
    settle_days: float
    stays: pd.DataFrame | None = None
    stage_time: pd.DataFrame | None = None
    paths: pd.DataFrame | None = None
    funnel: pd.DataFrame | None = None
    funnels_by: dict[str, pd.DataFrame] | None = None
    cohorts: pd.DataFrame | None = None
    times: pd.DataFrame | None = None
    ranking: pd.DataFrame | None = None
    worst: pd.Series | None = None
    stalled: pd.DataFrame | None = None
    moves: pd.DataFrame | None = None
    waterfall: pd.DataFrame | None = None
    per_rep: pd.DataFrame | None = None
    slipped: pd.DataFrame | None = None

    @property
    def has_history(self) -> bool:
        """Whether the history-based analyses could be made."""
        return self.stays is not None

    @property
    def has_flows(self) -> bool:
        """Whether slippage and the waterfall could be made (a history with close dates and amounts)."""
        return self.waterfall is not None


def has_history(data: SalesData) -> bool:
    """Whether the data has a history table with at least one row."""
    return data.history is not None and not data.history.empty


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
    missing = [
        c for c in ("close_date", "amount") if c not in data.columns_in_file.get(OPPORTUNITY_HISTORY.name, set())
    ]
    if missing:
        return (
            f"The history table has no {' or '.join(missing)} column, so close-date pushes, slipped deals and the "
            "pipeline waterfall cannot be worked out."
        )
    return ""


def review_process(data: SalesData, period: Period, calendar: FiscalCalendar) -> ProcessReview:
    """The process review of a period: history-based analyses up to the period's end (or the data's last day)."""
    as_of = min(period.end, data.as_of)
    velocity = velocity_change(data, period, calendar.previous(period))
    ttm = calendar.trailing_twelve_months(period.end)
    if not has_history(data):
        lost = lost_reasons.lost_reasons_by_stage(data, ttm) if lost_reasons.has_lost_reasons(data) else None
        return ProcessReview(period, as_of, velocity, lost, funnel.settling_days(data))
    stays = stage_stays(data, as_of)
    paths = funnel.deal_paths(stays, data, calendar)
    times = time_in_stage(stays, data.config.stage_names)
    ranking = bottlenecks.bottlenecks(paths, stays, data)
    moves = None if flows_note(data) else waterfall.pipeline_moves(data, period)
    lost = lost_reasons.lost_reasons_by_stage(data, ttm) if lost_reasons.has_lost_reasons(data) else None
    return ProcessReview(
        period=period,
        as_of=as_of,
        velocity=velocity,
        lost_reasons=lost,
        settle_days=funnel.settling_days(data),
        stays=stays,
        stage_time=stage_time_summary(stays, data),
        paths=paths,
        funnel=funnel.funnel(paths, data),
        funnels_by={key: funnel.funnel(paths, data, [key]) for key in GROUPINGS},
        cohorts=funnel.cohort_funnel(paths, data, as_of),
        times=times,
        ranking=ranking,
        worst=bottlenecks.worst_bottleneck(ranking),
        stalled=stalled.stalled_deals(stays, times, data),
        moves=moves,
        waterfall=None if moves is None else waterfall.waterfall(moves),
        per_rep=None if moves is None else slippage.pushes_per_rep(data, as_of),
        slipped=None if moves is None else slippage.slipped_deals(data, period),
    )


def stage_time_summary(stays: pd.DataFrame, data: SalesData) -> pd.DataFrame:
    """Per open stage: deals that entered it, deals that entered it more than once, the times a deal came back to it
    (visits − 1 summed over deals), and the median latest and cumulative days over deals that have left it."""
    per_deal = time_per_stage(stays)
    left = per_deal[~per_deal["now"]]
    summary = per_deal.groupby("stage", observed=False).agg(
        deals=("visits", "size"),
        re_entered=("visits", lambda v: int((v > 1).sum())),
        returns=("visits", lambda v: int((v - 1).clip(lower=0).sum())),
    )
    medians = left.groupby("stage", observed=False).agg(
        latest_days=("latest_days", "median"), cumulative_days=("cumulative_days", "median")
    )
    summary = summary.join(medians).reindex(data.config.open_stages)
    summary.index.name = "stage"
    return summary.reset_index()


def pivot_next_step(table: pd.DataFrame, by: str, stages: list[str]) -> pd.DataFrame:
    """A funnel by group as one row per group: deals, then the next-step conversion of each open stage, then the
    share won (cumulative conversion to won)."""
    wide = table[table["stage"].isin(stages)].pivot(index=by, columns="stage", values="next_step")[stages]
    won = table[~table["stage"].isin(stages)].set_index(by)
    wide.insert(0, "deals", won["deals"])
    wide["won"] = won["cumulative"]
    wide.columns.name = None
    return wide.reset_index()


NOT_ENOUGH = "not enough deals"


def bottleneck_sentence(review: ProcessReview, by: str = "segment") -> str:
    """The worst bottleneck named with its numbers, or why there is none."""
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


def process_headlines(review: ProcessReview, currency: str) -> list[Headline]:
    """The figures the index records: worst bottleneck, stalled value, slipped value and the waterfall's parts."""
    if not review.has_history:
        # one card, not one per analysis the data cannot support
        return [Headline("process_analyses", "Bottlenecks, stalls, slippage, waterfall", None, "need a history table")]
    worst = review.worst
    stalled_value = stalled.value_at_risk(review.stalled)
    slipped_value = float(review.slipped["amount"].sum()) if review.has_flows else None
    figures = [
        Headline(
            "worst_bottleneck",
            "Worst bottleneck" + ("" if worst is None else f" ({fmt.percent(worst['next_step'])} move on)"),
            None if worst is None else float(worst["shortfall"]),
            "none found" if worst is None else f"{worst['segment']} · {worst['stage']}",
        ),
        Headline("stalled_value", "Stalled deals' value", stalled_value, fmt.money(stalled_value, currency)),
        Headline(
            "slipped_value",
            f"Slipped out of {review.period.label}",
            slipped_value,
            fmt.money(slipped_value, currency) if review.has_flows else "needs close dates in history",
        ),
    ]
    return figures + (waterfall_headlines(review, currency) if review.has_flows else [])


def waterfall_headlines(review: ProcessReview, currency: str, dashboard: bool = True) -> list[Headline]:
    """One figure per part of the pipeline waterfall (keys waterfall_opening ... waterfall_closing)."""
    return [
        Headline(
            "waterfall_" + waterfall.component_key(row.component),
            f"Pipeline {row.component}",
            row.amount,
            fmt.money(row.amount, currency),
            dashboard=dashboard,
        )
        for row in review.waterfall.itertuples()
    ]


def velocity_sentence(velocity: pd.DataFrame, currency: str) -> str:
    """Velocity then and now, and the factor whose part of the change is largest (or why it cannot be split)."""
    rows = velocity.set_index("factor")
    parts = rows["velocity_change"].iloc[:-1]
    if not rows["velocity_change"].notna().all():
        return (
            "The velocity change cannot be split: a factor is missing or 0 in one of the two months (no deal won, or "
            "no deal open at the start)."
        )
    largest = parts.abs().idxmax()
    return (
        f"Sales velocity went from {fmt.by_unit(rows['previous'].iloc[-1], 'currency_per_day', currency)} to "
        f"{fmt.by_unit(rows['current'].iloc[-1], 'currency_per_day', currency)}; {largest.lower()} moved it most "
        f"({fmt.change(parts[largest], 'currency_per_day', currency)})."
    )


def stalled_sentence(review: ProcessReview, currency: str) -> str:
    """How many open deals have stalled and the value at risk."""
    if not review.has_history:
        return "Stalled deals need the history table."
    count = len(review.stalled)
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
    value = fmt.money(stalled.value_at_risk(review.stalled), currency)
    deals = "1 open deal has" if count == 1 else f"{fmt.count(count)} open deals have"
    return f"{deals} stalled, worth {value} in all: the value at risk.{caveat}"


def _listed(names: list[str]) -> str:
    """Names joined in prose: A, B and C."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def slippage_sentence(review: ProcessReview, currency: str) -> str:
    """The rep who pushes close dates most against the median rep, and what slipped out of the period."""
    if not review.has_flows:
        return ""
    compared = review.per_rep[review.per_rep["compared"]]
    slipped = review.slipped
    moved = (
        "No deal slipped out of the period."
        if slipped.empty
        else f"{fmt.count(len(slipped))} deal{'' if len(slipped) == 1 else 's'} worth "
        f"{fmt.money(slipped['amount'].sum(), currency)} slipped out of {review.period.label}."
    )
    if compared.empty:
        return f"{NOT_ENOUGH.capitalize()} per rep to compare pushes (at least {slippage.MIN_DEALS} each). {moved}"
    top = compared.iloc[0]
    if top["pushes"] == 0:
        return f"No rep has pushed a close date yet. {moved}"
    return (
        f"{top['rep']} pushes close dates most: {top['pushes_per_deal']:.1f} pushes per deal against a median of "
        f"{compared['pushes_per_deal'].median():.1f} across the {len(compared)} reps with at least "
        f"{slippage.MIN_DEALS} deals. {moved}"
    )


def whole_deals(value: float) -> str:
    """A number of deals rounded to a whole one, never shown as −0 (a shortfall of −0.4 deals is 0)."""
    return fmt.count(value if pd.isna(value) else round(value) + 0.0)


def returns_sentence(review: ProcessReview) -> str:
    """How many times a deal came back to a stage it had been in before (each visit after the first)."""
    returns = int(review.stage_time["returns"].sum())
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


def waterfall_sentence(review: ProcessReview, currency: str) -> str:
    """The waterfall in one sentence: opening, closing, won, lost, pushed out, and what closed dated elsewhere."""
    parts = review.waterfall.set_index("component")

    def money(component: str) -> str:
        return fmt.money(abs(parts.loc[component, "amount"]), currency)

    text = (
        f"{review.period.label} opened with {money('opening')} due in it and closed with {money('closing')} still "
        f"open; {money('won')} was won, {money('lost')} lost and {money('pushed out')} pushed out"
    )
    elsewhere = parts.loc["closed, dated elsewhere"]
    if elsewhere["deals"]:
        deals = "1 deal" if elsewhere["deals"] == 1 else f"{fmt.count(elsewhere['deals'])} deals"
        text += (
            f"; {deals} worth {money('closed, dated elsewhere')} closed in the month by the history but "
            "are dated outside it now (or reopened), so neither bookings nor the month's losses count them"
        )
    gap = waterfall.balance_gap(review.waterfall)
    return text + f". Opening plus the changes minus closing: {fmt.money(gap, currency, True)}."
