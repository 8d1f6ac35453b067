"""The process review's tables for readers: columns named in words, ranked as the report shows them.

A table that depends on the deal history comes in a list, empty when the review could not make it (no history, or
no close dates and amounts in it) or when it has no row to show, so the report shows it only when it has one.
"""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.process.review import GROUPINGS, ProcessReview, pivot_next_step, required
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table

OUTCOMES = ["won_deals", "lost_deals", "win_rate", "avg_deal_size", "sales_cycle_days"]
BOTTLENECK_COLUMNS = [
    "segment",
    "stage",
    "entered",
    "next_step",
    "company_next_step",
    "deals_short",
    "km_median",
    "time_share",
    "company_time_share",
]


def whole_deals(value: float) -> str:
    """A number of deals rounded to a whole one, never shown as −0 (a shortfall of −0.4 deals is 0)."""
    return fmt.count(value if pd.isna(value) else round(value) + 0.0)


def outcomes_by_segment(data: SalesData, window: Period, currency: str) -> pd.DataFrame:
    """Won and lost deals, win rate, average deal and median cycle of won deals per segment over the window, as text."""
    outcomes = kpi_table(data, window, ["segment"], OUTCOMES).formatted(currency)
    return outcomes.rename(
        columns={
            "won_deals": "won",
            "lost_deals": "lost",
            "win_rate": "win rate",
            "avg_deal_size": "average deal",
            "sales_cycle_days": "median cycle (won)",
        }
    )


def stage_time_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """Per open stage: deals that entered it, entered more than once, times come back, and the median latest and
    cumulative stays; none without a history."""
    if not review.has_history:
        return []
    return [
        required(review.stage_time).rename(
            columns={
                "deals": "deals that entered",
                "re_entered": "entered more than once",
                "returns": "times come back",
                "latest_days": "median latest stay",
                "cumulative_days": "median cumulative time",
            }
        )
    ]


def funnel_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """The funnel (deals, entered, moved on, reached, and the shares moving on and getting this far); none without
    a history."""
    if not review.has_history:
        return []
    return [
        required(review.funnel).rename(
            columns={"moved_on": "moved on", "next_step": "moved on (share)", "cumulative": "got this far"}
        )
    ]


def grouped_funnel_tables(review: ProcessReview, stages: list[str]) -> list[pd.DataFrame]:
    """The funnel by segment, by team and by lead source, one row per group (pivot_next_step); none without a
    history."""
    if not review.has_history:
        return []
    funnels_by = required(review.funnels_by)
    return [
        pivot_next_step(funnels_by[key], key, stages).rename(columns={key: label}) for key, label in GROUPINGS.items()
    ]


def cohort_tables(review: ProcessReview, stages: list[str]) -> list[pd.DataFrame]:
    """The funnel by creation quarter, one row per cohort with whether it is too young to judge; none without a
    history."""
    if not review.has_history:
        return []
    cohorts = required(review.cohorts)
    judged = cohorts[["cohort", "judged"]].drop_duplicates()
    return [pivot_next_step(cohorts, "cohort", stages).merge(judged, on="cohort")]


def time_in_stage_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """Stays per stage, those still going, and the Kaplan-Meier median, p75 and p90 beside the finished-only ones;
    none without a history."""
    if not review.has_history:
        return []
    return [
        required(review.times).rename(
            columns={
                "still_in": "still going",
                "km_median": "median",
                "km_p75": "p75",
                "km_p90": "p90",
                "naive_median": "median (finished only)",
                "naive_p75": "p75 (finished only)",
                "naive_p90": "p90 (finished only)",
            }
        )
    ]


def bottleneck_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """The stages and segments ranked by the deals short of the company's rate; none without a history."""
    if not review.has_history:
        return []
    return [
        required(review.ranking)[BOTTLENECK_COLUMNS].rename(
            columns={
                "next_step": "moved on",
                "company_next_step": "company moved on",
                "deals_short": "deals short",
                "km_median": "median days",
                "time_share": "time share",
                "company_time_share": "company time share",
            }
        )
    ]


def stalled_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """The stalled open deals, largest first; none without a history or a stalled deal."""
    if not review.has_history or required(review.stalled).empty:
        return []
    return [
        required(review.stalled).rename(
            columns={"opportunity_id": "deal", "days_in_stage": "days in stage", "threshold_days": "stage p90"}
        )
    ]


def push_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """Deals, deals pushed, pushes and pushes per deal of each rep; none without close dates in the history."""
    if not review.has_flows:
        return []
    per_rep = required(review.per_rep)
    return [
        per_rep.drop(columns=["compared"]).rename(
            columns={"rep_id": "rep id", "pushed_deals": "deals pushed", "pushes_per_deal": "pushes per deal"}
        )
    ]


def slipped_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """The deals that slipped out of the period with their close date then and now; none when none did or without
    close dates in the history."""
    if not review.has_flows or required(review.slipped).empty:
        return []
    return [
        required(review.slipped).rename(
            columns={"opportunity_id": "deal", "close_date_then": "due then", "close_date_now": "due now"}
        )
    ]


def waterfall_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """The pipeline waterfall's parts with their amounts and deals; none without close dates and amounts in the
    history."""
    if not review.has_flows:
        return []
    return [required(review.waterfall).drop(columns=["cents"])]


def lost_reason_tables(review: ProcessReview) -> list[pd.DataFrame]:
    """Deals lost in the last twelve months by reason and stage lost at; none when the data carries no reason."""
    if review.lost_reasons is None or review.lost_reasons.empty:
        return []
    return [review.lost_reasons]


def velocity_table(review: ProcessReview, calendar: FiscalCalendar, currency: str) -> pd.DataFrame:
    """Each velocity factor in the month before and in the month, in its unit, and its part of the change."""
    velocity = review.velocity
    shown = fmt.rows_by_unit(velocity, ["previous", "current"], currency)
    shown = shown.assign(
        velocity_change=[fmt.change(value, "currency_per_day", currency) for value in velocity["velocity_change"]]
    )
    return shown[["factor", "previous", "current", "velocity_change"]].rename(
        columns={
            "previous": calendar.previous(review.period).label,
            "current": review.period.label,
            "velocity_change": "part of change",
        }
    )
