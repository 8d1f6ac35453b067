"""Stalled deals: open deals that have sat in their current stage longer than nine deals in ten do."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.analyses.process.stage_stays import stage_stays
from salesops_helpers.analyses.process.time_in_stage import time_in_stage
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData


def stall_threshold(times: pd.DataFrame) -> pd.Series:
    """Per open stage, the Kaplan-Meier p90 of days in the stage, over every stay in it (stays still going
    censored): a deal in the stage longer than that has stalled. Missing when the estimate never falls to one
    stay in ten (too many of the longest stays are still going): deals in that stage are then not judged."""
    return times.set_index("stage")["km_p90"].astype(float)


def unjudged_stages(stays: pd.DataFrame, times: pd.DataFrame) -> list[str]:
    """The open stages that hold a deal now but have no stall threshold, in process order."""
    if stays.empty:
        return []
    current = stays[stays["last"] & (stays["outcome"] == "open")]
    limits = stall_threshold(times)
    held = current["stage"].astype("object").unique()
    missing = [stage for stage in held if pd.isna(limits.get(stage, float("nan")))]
    order = [str(stage) for stage in times["stage"].cat.categories] if len(times) else []
    return sorted(missing, key=lambda stage: order.index(stage) if stage in order else len(order))


def stalled_deals(stays: pd.DataFrame, times: pd.DataFrame, data: SalesData) -> pd.DataFrame:
    """Deals whose latest stay is in an open stage and longer than the stage's stall threshold: deal, owner,
    stage, amount, days in the stage, threshold; largest amount first."""
    columns = ["opportunity_id", "name", "owner", "stage", "amount", "days_in_stage", "threshold_days"]
    if stays.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    current = stays[stays["last"] & (stays["outcome"] == "open")]
    limits = stall_threshold(times)
    limit = current["stage"].astype("object").map(limits)
    over = (limit.notna() & (current["days"] > limit)).to_numpy()
    stalled = current[over].assign(threshold_days=limit.to_numpy()[over])
    opps = data.opportunities.set_index("opportunity_id")
    names = data.reps.set_index("rep_id")["name"].astype("object")
    found = stalled["opportunity_id"]
    owner_ids = opps["owner_id"].reindex(found)
    table = pd.DataFrame(
        {
            "opportunity_id": found.to_numpy(),
            "name": opps["name"].astype("object").reindex(found).to_numpy(),
            "owner": owner_ids.map(names).fillna(owner_ids).to_numpy(),
            "stage": stalled["stage"].astype("object").to_numpy(),
            "amount": opps["amount"].reindex(found).to_numpy(),
            "days_in_stage": stalled["days"].to_numpy(),
            "threshold_days": stalled["threshold_days"].to_numpy(),
        }
    )
    return table.sort_values(["amount", "opportunity_id"], ascending=[False, True], ignore_index=True)


def value_at_risk(stalled: pd.DataFrame) -> float:
    """Sum of the current amounts of the stalled deals."""
    return float(stalled["amount"].sum()) if len(stalled) else 0.0


def value_at_risk_by_month(data: SalesData, months: list[Period]) -> pd.Series:
    """The stalled deals' value at the end of each month (or the data's last day), as that month's report counts it:
    stays and stall thresholds rebuilt from the history saved by then, each deal at its current amount; indexed by
    the months' labels."""
    values = []
    for month in months:
        stays = stage_stays(data, min(month.end, data.as_of))
        values.append(value_at_risk(stalled_deals(stays, time_in_stage(stays, data.config.stage_names), data)))
    return pd.Series(values, index=[month.label for month in months], dtype=float)
