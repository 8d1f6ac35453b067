"""The funnel from deal history: how many deals enter each stage, move on from it, and get at least that far."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.analyses.process.stage_stays import positions
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.data.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.metrics.groupings import NOT_SET
from salesops_helpers.metrics.survival import km_quantile

YOUNG = "too young to judge"


def cohort_tone(judged: object) -> str:
    """A cohort's judged cell: warn when it is too young to judge, '' when settled."""
    return "warn" if judged == YOUNG else ""


def next_step_conversion(moved_on: pd.Series, entered: pd.Series) -> pd.Series:
    """Deals that entered the stage and got further (a later open stage, or won) ÷ deals that entered the stage.

    A deal moved on when a stay after its first entry into the stage is in a later stage (or won), so a deal that
    moved back and on again counts once, and one that only came back to the stage from a later one (and got no
    further since) has not moved on from it; a deal still in the stage counts as not (yet) moved on, which is why
    young cohorts are marked.
    """
    return moved_on / entered.where(entered > 0)


def cumulative_conversion(reached: pd.Series, deals: pd.Series) -> pd.Series:
    """Deals whose furthest stage is this one or a later one ÷ all deals of the group that have a history (a deal
    that skipped a stage on its way further counts as having got that far)."""
    return reached / deals.where(deals > 0)


def settling_days(data: SalesData) -> float:
    """Kaplan-Meier 90th percentile of the days from creation to close, won and lost deals closing at their close
    date and open deals counted as still going at the data's last day (the longest of those times when fewer than
    nine deals in ten have closed by then): a creation cohort whose last day is fewer days than that before the
    report date is too young to judge (one deal in ten may still move)."""
    opps = data.opportunities[data.opportunities["created_date"].notna()]
    closed = (opps["outcome"] != "open").to_numpy()
    until = opps["close_date"].where(closed, data.as_of)
    cycle = ((until - opps["created_date"]).dt.days.clip(lower=0)).to_numpy(dtype=float)
    usable = ~np.isnan(cycle)
    cycle, closed = cycle[usable], closed[usable]
    if not len(cycle):
        return float("nan")
    p90 = km_quantile(cycle, closed, 0.9)
    return float(cycle.max()) if np.isnan(p90) else p90


def deal_paths(stays: pd.DataFrame, data: SalesData, calendar: FiscalCalendar) -> pd.DataFrame:
    """One row per deal with stays: the furthest stage it reached, which open stages it entered and which of those it
    moved on from (moved_on|<stage>: a later stay reached a later stage), and its segment, lead source, team (its
    current owner's) and creation quarter."""
    open_stages = data.config.open_stages
    if stays.empty:
        frame = pd.DataFrame({"opportunity_id": pd.Series(dtype="object"), "furthest": pd.Series(dtype="int64")})
        for name in open_stages:
            frame[name] = pd.Series(dtype="bool")
            frame[f"moved_on|{name}"] = pd.Series(dtype="bool")
        for column in ("segment", "lead_source", "team", "cohort"):
            frame[column] = pd.Series(dtype="object")
        return frame.assign(cohort_end=pd.Series(dtype="datetime64[ns]"))
    deal = stays["deal"].to_numpy()
    size = int(deal.max()) + 1
    furthest = np.full(size, -1, dtype=np.int64)
    np.maximum.at(furthest, deal, stays["rank"].to_numpy())
    rank = stays["rank"].to_numpy()
    is_open = (stays["outcome"] == "open").to_numpy()
    entered = np.zeros((size, len(open_stages)), dtype=bool)
    entered[deal[is_open], rank[is_open]] = True
    moved = np.zeros((size, len(open_stages)), dtype=bool)
    after = _furthest_after(deal, rank)
    first = is_open & ~pd.Series(deal * len(open_stages) + rank).duplicated().to_numpy()
    moved[deal[first], rank[first]] = after[first] > rank[first]
    ids = np.empty(size, dtype=object)
    ids[deal] = stays["opportunity_id"].to_numpy()
    paths = pd.DataFrame({"opportunity_id": ids, "furthest": furthest})
    for number, name in enumerate(open_stages):
        paths[name] = entered[:, number]
        paths[f"moved_on|{name}"] = moved[:, number]
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


def _furthest_after(deal: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """For each stay, the highest rank among the deal's later stays (−2 for a deal's last stay): a running maximum
    from the end, restarted at each deal by an offset that grows with every deal met going backwards (the deal
    numbers of the stays run in ascending order)."""
    if len(deal) == 0:
        return np.zeros(0, dtype=np.int64)
    span = int(rank.max()) + 3  # ranks run from −1: rank + 2 lies in [1, span)
    offset = (int(deal.max()) - deal.astype(np.int64)) * span
    including = np.maximum.accumulate((rank + 2 + offset)[::-1])[::-1] - offset - 2  # max over this stay and later
    after = np.full(len(deal), -2, dtype=np.int64)
    same = deal[1:] == deal[:-1]
    after[:-1] = np.where(same, including[1:], -2)
    return after


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
        counts[f"moved_on|{name}"] = paths[f"moved_on|{name}"].to_numpy(dtype=bool)
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
    for column in ("deals", "entered", "moved_on", "reached"):
        table[column] = pd.to_numeric(table[column]).astype(float)
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
    young = (table["cohort"].map(ends) > cutoff).to_numpy(dtype=bool) if len(table) else np.zeros(0, dtype=bool)
    table["judged"] = np.where(young, YOUNG, "settled")
    return table
