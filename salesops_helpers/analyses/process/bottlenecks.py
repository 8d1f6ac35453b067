"""Bottlenecks: where a group's deals move on less often, and linger longer, than the company's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.analyses.process.funnel import funnel
from salesops_helpers.analyses.process.time_in_stage import time_in_stage
from salesops_helpers.data.loading import SalesData

MIN_DEALS = 20  # fewer deals entering a stage than this make a conversion rate too noisy to rank


def time_share(median_days: pd.Series, total_days: pd.Series) -> pd.Series:
    """Kaplan-Meier median days in the stage ÷ the sum of those medians over every open stage with stays, for the
    same deals: the part of a typical journey spent in the stage, so that a segment's overall pace cancels out
    (missing when any of those medians is missing: the total is then unknown)."""
    return median_days / total_days.where(total_days > 0)


def deals_short(entered: pd.Series, shortfall: pd.Series) -> pd.Series:
    """Deals that entered the stage × (the company's next-step conversion − the group's): how many more of the
    group's deals would have moved on at the company's rate (the ranking of bottlenecks)."""
    return entered * shortfall


def bottlenecks(paths: pd.DataFrame, stays: pd.DataFrame, data: SalesData, by: str = "segment") -> pd.DataFrame:
    """Per open stage and group: next-step conversion against the company's (shortfall in points), time share
    against the company's (and their ratio), deals short; ranked, worst first, groups under MIN_DEALS last."""
    stages = data.config.open_stages
    group = funnel(paths, data, [by])
    group = group[group["stage"].isin(stages)]
    company = funnel(paths, data).set_index("stage")
    table = group[[by, "stage", "entered", "moved_on", "next_step"]].copy()
    table["company_next_step"] = table["stage"].astype("object").map(company["next_step"]).astype(float)
    table["shortfall"] = table["company_next_step"] - table["next_step"]
    tagged = stays.assign(**{by: paths[by].to_numpy()[stays["deal"].to_numpy()]}) if len(stays) else stays
    group_time = time_in_stage(tagged, data.config.stage_names, [by])
    company_time = time_in_stage(stays, data.config.stage_names)
    group_time["total"] = group_time.groupby(by, observed=True)["km_median"].transform(_total)
    group_time["time_share"] = time_share(group_time["km_median"], group_time["total"])
    company_total = pd.Series(_total(company_time["km_median"]), index=company_time.index, dtype=float)
    company_time["time_share"] = time_share(company_time["km_median"], company_total)
    merged = table.merge(
        group_time[[by, "stage", "km_median", "time_share"]].astype({"stage": "object"}), on=[by, "stage"], how="left"
    )
    merged["company_km_median"] = (
        merged["stage"].astype("object").map(company_time.set_index("stage")["km_median"].to_dict()).astype(float)
    )
    merged["company_time_share"] = (
        merged["stage"].astype("object").map(company_time.set_index("stage")["time_share"].to_dict()).astype(float)
    )
    merged["time_ratio"] = merged["time_share"] / merged["company_time_share"].where(merged["company_time_share"] > 0)
    merged["deals_short"] = deals_short(merged["entered"], merged["shortfall"])
    merged["judged"] = merged["entered"] >= MIN_DEALS
    merged["stage"] = pd.Categorical(merged["stage"], categories=stages)
    ranked = merged.sort_values(
        ["judged", "deals_short", "time_ratio", by, "stage"], ascending=[False, False, False, True, True]
    )
    return ranked.reset_index(drop=True)


def _total(medians: pd.Series) -> float:
    """The sum of the medians, missing when any is missing or there are none."""
    return float(medians.sum()) if len(medians) and medians.notna().all() else float("nan")


def worst_bottleneck(ranked: pd.DataFrame) -> pd.Series | None:
    """The first ranked stage and group with enough deals and a real shortfall (None when there is none)."""
    candidates = ranked[ranked["judged"] & (ranked["deals_short"] > 0)]
    return None if candidates.empty else candidates.iloc[0]


def has_time(row: pd.Series) -> bool:
    """Whether a bottleneck row has a time share to compare (both medians estimated)."""
    return bool(np.isfinite(row["time_ratio"]))
