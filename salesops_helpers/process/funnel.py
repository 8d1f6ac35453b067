"""The funnel from deal history: how many deals enter each stage, move on from it, and get at least that far."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.fiscal_calendar import FiscalCalendar
from salesops_helpers.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.metrics.totals import NOT_SET
from salesops_helpers.process.stage_stays import positions

YOUNG = "too young to judge"


def next_step_conversion(moved_on: pd.Series, entered: pd.Series) -> pd.Series:
    """Deals that entered the stage and got further (a later open stage, or won) ÷ deals that entered the stage.

    "Further" is the furthest stage a deal ever reached, so a deal that moved back and on again counts once; a
    deal still in the stage counts as not (yet) moved on, which is why young cohorts are marked.
    """
    return moved_on / entered.where(entered > 0)


def cumulative_conversion(reached: pd.Series, deals: pd.Series) -> pd.Series:
    """Deals whose furthest stage is this one or a later one ÷ all deals of the group that have a history (a deal
    that skipped a stage on its way further counts as having got that far)."""
    return reached / deals.where(deals > 0)


def settling_days(data: SalesData) -> float:
    """90th percentile of the days from creation to close over won and lost deals: a creation cohort whose last
    day is fewer days than that before the data's last day is too young to judge (one deal in ten may still move)."""
    closed = data.opportunities[data.opportunities["outcome"] != "open"]
    cycle = (closed["close_date"] - closed["created_date"]).dt.days
    return float(cycle.quantile(0.9)) if len(cycle) else float("nan")


def deal_paths(stays: pd.DataFrame, data: SalesData, calendar: FiscalCalendar) -> pd.DataFrame:
    """One row per deal with stays: the furthest stage it reached, which open stages it entered, and its segment,
    lead source, team (its current owner's) and creation quarter."""
    open_stages = data.config.open_stages
    if stays.empty:
        columns = ["opportunity_id", "furthest", *open_stages, "segment", "lead_source", "team", "cohort"]
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).assign(cohort_end=pd.NaT)
    deal = stays["deal"].to_numpy()
    size = int(deal.max()) + 1
    furthest = np.full(size, -1, dtype=np.int64)
    np.maximum.at(furthest, deal, stays["rank"].to_numpy())
    rank = stays["rank"].to_numpy()
    is_open = (stays["outcome"] == "open").to_numpy()
    entered = np.zeros((size, len(open_stages)), dtype=bool)
    entered[deal[is_open], rank[is_open]] = True
    ids = np.empty(size, dtype=object)
    ids[deal] = stays["opportunity_id"].to_numpy()
    paths = pd.DataFrame({"opportunity_id": ids, "furthest": furthest})
    for number, name in enumerate(open_stages):
        paths[name] = entered[:, number]
    opps = data.opportunities
    at = positions(paths["opportunity_id"], opps["opportunity_id"])  # every deal with history is a known deal
    for column in ("segment", "lead_source"):
        paths[column] = opps[column].astype("object").to_numpy()[at]
        paths[column] = paths[column].fillna(NOT_SET)
    owners = opps["owner_id"].to_numpy()[at]
    teams = data.reps.set_index("rep_id")["team"].astype("object")
    paths["team"] = pd.Series(owners).map(teams).fillna(UNKNOWN_TEAM).to_numpy()
    created = pd.Series(opps["created_date"].to_numpy()[at])
    days = created.dropna().unique()
    quarters = [calendar.quarter(day) for day in days]
    paths["cohort"] = created.map(pd.Series([q.label for q in quarters], index=days)).fillna(NOT_SET).to_numpy()
    paths["cohort_end"] = created.map(pd.Series([q.end for q in quarters], index=days)).to_numpy()
    return paths


def funnel(paths: pd.DataFrame, data: SalesData, by: list[str] | None = None) -> pd.DataFrame:
    """Per group and stage (the open stages, then won): deals, entered, moved on, reached, next-step and
    cumulative conversion."""
    by = list(by or [])
    open_stages = data.config.open_stages
    won_stage = next(s.name for s in data.config.stages if s.outcome == "won")
    counts = paths[by].copy() if by else pd.DataFrame(index=paths.index)
    counts["_all"] = "All"
    counts["deals"] = 1
    furthest = paths["furthest"].to_numpy() if len(paths) else np.zeros(0, dtype=np.int64)
    for number, name in enumerate(open_stages):
        entered = paths[name].to_numpy(dtype=bool)
        counts[f"entered|{name}"] = entered
        counts[f"moved_on|{name}"] = entered & (furthest > number)
        counts[f"reached|{name}"] = furthest >= number
    won = furthest == len(open_stages)
    counts[f"entered|{won_stage}"] = won
    counts[f"reached|{won_stage}"] = won
    keys = by or ["_all"]
    sums = counts.drop(columns=[] if not by else ["_all"]).groupby(keys, observed=True, sort=True).sum()
    if sums.empty and not by:
        sums = pd.DataFrame(0, index=pd.Index(["All"], name="_all"), columns=counts.columns.drop("_all"))
    rows = []
    for number, name in enumerate([*open_stages, won_stage]):
        part = pd.DataFrame(index=sums.index)
        part["stage"] = name
        part["step"] = number
        part["deals"] = sums["deals"]
        part["entered"] = sums[f"entered|{name}"]
        part["moved_on"] = sums[f"moved_on|{name}"] if name != won_stage else np.nan
        part["reached"] = sums[f"reached|{name}"]
        rows.append(part)
    table = pd.concat(rows).reset_index().sort_values([*keys, "step"], kind="stable", ignore_index=True)
    table["next_step"] = next_step_conversion(table["moved_on"], table["entered"])
    table["cumulative"] = cumulative_conversion(table["reached"], table["deals"])
    table = table.drop(columns=["step", "_all"], errors="ignore")
    for column in ("deals", "entered", "reached"):
        table[column] = table[column].astype("int64")
    return table


def cohort_funnel(paths: pd.DataFrame, data: SalesData, as_of: pd.Timestamp) -> pd.DataFrame:
    """The funnel by creation quarter, each cohort marked 'too young to judge' when it ended fewer than
    settling_days before as_of."""
    table = funnel(paths, data, ["cohort"])
    ends = paths.groupby("cohort")["cohort_end"].max() if len(paths) else pd.Series(dtype="datetime64[ns]")
    settle = settling_days(data)
    cutoff = as_of - pd.Timedelta(days=0 if np.isnan(settle) else settle)
    young = table["cohort"].map(ends) > cutoff
    table["judged"] = np.where(young, YOUNG, "settled")
    return table
