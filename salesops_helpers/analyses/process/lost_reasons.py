"""Lost reasons by the stage a deal was lost at."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.analyses.team.loss_stage import stage_lost_at  # the one definition, shared with the team review
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData

UNKNOWN_STAGE = "(stage unknown)"
NO_REASON = "(no reason given)"


def lost_reasons_by_stage(data: SalesData, window: Period) -> pd.DataFrame:
    """Deals lost in the window (close date inside it): one row per reason, one column per stage lost at (unknown
    without history), counts of deals, and the total; most frequent reason first."""
    opps = data.opportunities
    lost = opps[(opps["outcome"] == "lost") & window.contains(opps["close_date"])]
    at = stage_lost_at(data).reindex(lost["opportunity_id"]).fillna(UNKNOWN_STAGE)
    frame = pd.DataFrame(
        {"reason": lost["lost_reason"].astype("object").fillna(NO_REASON).to_numpy(), "stage": at.to_numpy()}
    )
    counts = pd.crosstab(frame["reason"], frame["stage"]) if len(frame) else pd.DataFrame()
    order = [s for s in [*data.config.open_stages, UNKNOWN_STAGE] if s in counts.columns]
    counts = counts.reindex(columns=order)
    counts["all stages"] = counts.sum(axis=1)
    counts = counts.sort_values("all stages", ascending=False, kind="stable")
    counts.columns.name = None
    counts.index.name = "reason"
    return counts.reset_index()


def has_lost_reasons(data: SalesData) -> bool:
    """Whether any lost deal carries a lost reason."""
    opps = data.opportunities
    return bool(opps.loc[opps["outcome"] == "lost", "lost_reason"].notna().any())
