"""The whole process review of one period in one call, so the notebook only shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.findings import Headline
from salesops_helpers.analyses.process import bottlenecks, funnel, lost_reasons, slippage, stalled, waterfall
from salesops_helpers.analyses.process.stage_stays import stage_stays, time_per_stage
from salesops_helpers.analyses.process.time_in_stage import time_in_stage
from salesops_helpers.analyses.process.velocity_change import velocity_caveats, velocity_change
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.model import OPPORTUNITY_HISTORY

GROUPINGS = {"segment": "Segment", "team": "Team", "lead_source": "Lead source"}

Table = TypeVar("Table")


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
    # the month before and the month whose velocity is too unstable to state, by label: why (velocity_caveats)
    velocity_unstable: dict[str, str] = field(default_factory=dict)

    @property
    def has_history(self) -> bool:
        """Whether the history-based analyses could be made."""
        return self.stays is not None

    @property
    def has_flows(self) -> bool:
        """Whether slippage and the waterfall could be made (a history with close dates and amounts)."""
        return self.waterfall is not None


def required(table: Table | None) -> Table:
    """A history-based table of a review that has it: has_history (has_flows for slippage and the waterfall)
    promises it, and a caller that skipped that check gets an error that says so."""
    if table is None:
        raise ValueError(
            "The process review has no such table: it is made only from a deal history (check review.has_history, "
            "or review.has_flows for slippage and the waterfall, first)."
        )
    return table


def has_history(data: SalesData) -> bool:
    """Whether the data has a history table with at least one row."""
    return data.history is not None and not data.history.empty


# The history columns close-date pushes, slipped deals and the pipeline waterfall need.
FLOW_COLUMNS = ("close_date", "amount")


def missing_flow_columns(data: SalesData) -> list[str]:
    """The FLOW_COLUMNS the history file lacks (all of them without a history file)."""
    in_file = data.columns_in_file.get(OPPORTUNITY_HISTORY.name, set())
    return [column for column in FLOW_COLUMNS if column not in in_file]


def review_process(data: SalesData, period: Period, calendar: FiscalCalendar) -> ProcessReview:
    """The process review of a period: history-based analyses up to the period's end (or the data's last day)."""
    as_of = min(period.end, data.as_of)
    velocity = velocity_change(data, period, calendar.previous(period))
    unstable = velocity_caveats(data, [calendar.previous(period), period])
    ttm = calendar.trailing_twelve_months(period.end)
    if not has_history(data):
        lost = lost_reasons.lost_reasons_by_stage(data, ttm) if lost_reasons.has_lost_reasons(data) else None
        return ProcessReview(period, as_of, velocity, lost, funnel.settling_days(data), velocity_unstable=unstable)
    stays = stage_stays(data, as_of)
    paths = funnel.deal_paths(stays, data, calendar)
    times = time_in_stage(stays, data.config.stage_names)
    ranking = bottlenecks.bottlenecks(paths, stays, data)
    moves = None if missing_flow_columns(data) else waterfall.pipeline_moves(data, period)
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
        velocity_unstable=unstable,
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


def process_headlines(review: ProcessReview, currency: str) -> list[Headline]:
    """The figures the index records: worst bottleneck, stalled value, slipped value and the waterfall's parts."""
    if not review.has_history:
        # one card, not one per analysis the data cannot support
        return [Headline("process_analyses", "Bottlenecks, stalls, slippage, waterfall", None, "need a history table")]
    worst = review.worst
    stalled_value = stalled.value_at_risk(review.stalled)
    slipped_value = float(required(review.slipped)["amount"].sum()) if review.has_flows else None
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
        for row in required(review.waterfall).itertuples()
    ]
