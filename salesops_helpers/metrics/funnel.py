"""The lead funnel: what became of the leads created in a period, and the KPIs built on it.

Which leads count, for every lead KPI:
- a lead belongs to the period it was created in (its creation cohort), wherever its later steps fall, so a young
  cohort's rates are still rising (`young_cohort` says when a cohort is too young to judge);
- a lead reached a step when it has the step's day or a later step's: an SQL date makes it an MQL, a deal makes it an
  SQL; a deal is the one it was converted to, won when the deal is won (whenever that happened);
- a lead belongs to its owner's team; its source is its own, else its campaign's channel, else `Unknown`;
- a campaign's cost counts in the period its start date falls in, under its channel and its own name; groupings
  that are not by source or campaign have no cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesops_helpers.config import Funnel
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.catalogue import Metric, _ratio
from salesops_helpers.metrics.survival import kaplan_meier

# Groupings a lead KPI table can be broken down by: the lead's own attributes and its owner's.
LEAD_GROUPINGS = ("source", "campaign", "segment", "sourced_by", "team", "rep")
COST_GROUPINGS = ("source", "campaign")
NOT_SET = "(not set)"
# A cohort is judged once this share of its eventual deals would have been made, by past leads' pace.
MATURE_SHARE = 0.9
FOLLOW_UP_GRACE_DAYS = 7  # an MQL with no touch for a week after it qualified counts as never followed up

LEAD_TOTAL_COLUMNS = [
    "leads",
    "mqls",
    "sqls",
    "lead_deals",
    "lead_won_deals",
    "lead_pipeline",
    "lead_bookings",
    "touched_leads",
    "speed_to_lead_hours",
    "mqls_due_follow_up",
    "mqls_not_followed_up",
    "campaign_cost",
]


@dataclass(frozen=True)
class LeadOutcomes:
    """One row per lead with what became of it, and how its speed to lead was measured."""

    frame: pd.DataFrame
    # "first activity", "owner assignment" or "" when the data can tell neither
    touch_basis: str
    as_of: pd.Timestamp

    def created_between(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """The leads created from start to end, both days included."""
        day = self.frame["created_day"]
        return self.frame[(day >= start) & (day <= end)]

    def not_followed_up(self, leads: pd.DataFrame) -> pd.Series:
        """Which of these leads (rows of frame) are MQLs, qualified at least a week before the data's day, with no
        activity and no deal; and which were due a follow-up (the MQLs qualified that long ago)."""
        due = leads["mql"] & (leads["mql_date"] <= self.as_of - pd.Timedelta(days=FOLLOW_UP_GRACE_DAYS))
        return due & leads["first_touch"].isna() & ~leads["deal"]


def lead_outcomes(
    leads: pd.DataFrame,
    deals: pd.DataFrame,
    reps: pd.DataFrame,
    activities: pd.DataFrame | None,
    as_of: pd.Timestamp,
    funnel: Funnel,
) -> LeadOutcomes:
    """Each lead's cohort, steps reached, deal, first touch and speed to lead (hours), and its age on as_of."""
    frame = leads[["lead_id", "created_at", "source", "campaign", "segment", "owner_id", "status"]].copy()
    frame = frame[frame["created_at"] <= as_of + pd.Timedelta(days=1)].copy()
    frame["created_day"] = frame["created_at"].dt.normalize()
    frame["cohort"] = frame["created_at"].dt.to_period("M").dt.start_time.astype("datetime64[ns]")
    source = frame["source"].astype("str")
    frame["source"] = source
    frame["sourced_by"] = source.map({value: funnel.sourced_by(value) for value in source.unique()})
    frame["campaign"] = frame["campaign"].astype("object").fillna(NOT_SET)
    frame["segment"] = frame["segment"].astype("object").fillna(NOT_SET)
    kept = leads.loc[frame.index]
    deal_of = kept["opportunity_id"]
    amounts = dict(zip(deals["opportunity_id"], deals["amount"], strict=True))
    outcome = dict(zip(deals["opportunity_id"], deals["outcome"].astype("str"), strict=True))
    frame["deal"] = deal_of.notna()
    frame["won"] = deal_of.map(outcome).eq("won")
    frame["sql"] = kept["sql_date"].notna() | frame["deal"]
    frame["mql"] = kept["mql_date"].notna() | frame["sql"]
    frame["mql_date"] = kept["mql_date"].fillna(kept["sql_date"]).fillna(kept["converted_date"])
    frame["pipeline"] = deal_of.map(amounts).astype(float).fillna(0.0)
    frame["bookings"] = frame["pipeline"].where(frame["won"], 0.0)
    frame["days_to_deal"] = (kept["converted_date"] - frame["created_day"]).dt.days.where(frame["deal"])
    frame["age_days"] = (as_of - frame["created_day"]).dt.days.clip(lower=0)
    names = dict(zip(reps["rep_id"], reps["name"], strict=True))
    teams = dict(zip(reps["rep_id"], reps["team"].astype("str"), strict=True))
    frame["rep"] = frame["owner_id"].map(names).fillna(NOT_SET)
    frame["team"] = frame["owner_id"].map(teams).fillna(NOT_SET)
    touch, basis = _first_touch(kept, activities)
    frame["first_touch"] = touch
    frame["speed_to_lead_hours"] = ((touch - frame["created_at"]).dt.total_seconds() / 3600).clip(lower=0)
    return LeadOutcomes(frame.reset_index(drop=True), basis, as_of)


def touch_basis(leads: pd.DataFrame, activities: pd.DataFrame | None) -> str:
    """What speed to lead runs to: "first activity" when some activity names a lead, else "owner assignment" when
    some lead has an assigned_at, else "" (it cannot be measured)."""
    if activities is not None and "lead_id" in activities and activities["lead_id"].notna().any():
        return "first activity"
    return "owner assignment" if leads["assigned_at"].notna().any() else ""


def _first_touch(leads: pd.DataFrame, activities: pd.DataFrame | None) -> tuple[pd.Series, str]:
    """Each lead's first touch by touch_basis: its first activity, else when it was given to its owner."""
    basis = touch_basis(leads, activities)
    if basis == "first activity" and activities is not None:
        touched = activities.dropna(subset=["lead_id"])
        first = touched.groupby(touched["lead_id"].astype("str"), observed=True)["occurred_at"].min()
        return leads["lead_id"].astype("str").map(first).astype("datetime64[ns]"), basis
    if basis == "owner assignment":
        return leads["assigned_at"], basis
    return pd.Series(pd.NaT, index=leads.index, dtype="datetime64[ns]"), basis


def lead_totals(
    outcomes: LeadOutcomes,
    campaigns: pd.DataFrame | None,
    start: pd.Timestamp,
    end: pd.Timestamp,
    by: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """Per-group totals of the leads created from start to end (both days included), with campaign costs."""
    unknown = [key for key in by if key not in LEAD_GROUPINGS]
    if unknown:
        raise ValueError(f"unknown lead grouping {', '.join(unknown)}; choose from {', '.join(LEAD_GROUPINGS)}")
    cohort = outcomes.created_between(start, end).copy()
    cohort["mql_due"] = cohort["mql"] & (cohort["mql_date"] <= outcomes.as_of - pd.Timedelta(days=FOLLOW_UP_GRACE_DAYS))
    cohort["mql_missed"] = outcomes.not_followed_up(cohort)
    keys = list(by) or [pd.Series("all", index=cohort.index, name="_all")]
    grouped = cohort.groupby(keys, observed=True, sort=True, dropna=False)
    table = pd.DataFrame(
        {
            "leads": grouped.size(),
            "mqls": grouped["mql"].sum(),
            "sqls": grouped["sql"].sum(),
            "lead_deals": grouped["deal"].sum(),
            "lead_won_deals": grouped["won"].sum(),
            "lead_pipeline": grouped["pipeline"].sum(),
            "lead_bookings": grouped["bookings"].sum(),
            "touched_leads": grouped["first_touch"].count(),
            "speed_to_lead_hours": grouped["speed_to_lead_hours"].median(),
            "mqls_due_follow_up": grouped["mql_due"].sum(),
            "mqls_not_followed_up": grouped["mql_missed"].sum(),
        }
    )
    table["campaign_cost"] = _costs(campaigns, start, end, list(by)).reindex(table.index)
    return table.reset_index(drop=not by)


def _costs(campaigns: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp, by: list[str]) -> pd.Series:
    """Campaign costs of campaigns starting in the period, by the grouping (missing for groupings without costs)."""
    if campaigns is None or not set(by) <= set(COST_GROUPINGS) or campaigns["cost"].notna().sum() == 0:
        return pd.Series(np.nan, index=pd.Index([], dtype="object"))
    running = campaigns[(campaigns["start_date"] >= start) & (campaigns["start_date"] <= end)]
    frame = pd.DataFrame(
        {
            "source": running["channel"].astype("object").fillna("Unknown"),
            "campaign": running["campaign"].astype("str"),
            "cost": running["cost"],
        }
    )
    if not by:
        return pd.Series([frame["cost"].sum(min_count=1)], index=pd.Index(["all"]))
    return frame.groupby(by, sort=True)["cost"].sum(min_count=1)


def young_cohort(outcomes: LeadOutcomes, cohort_end: pd.Timestamp) -> bool:
    """Whether leads created up to cohort_end are too young to judge: fewer days have passed since than it took the
    quickest nine in ten of past conversions to a deal (their rates are still rising)."""
    return bool((outcomes.as_of - cohort_end).days < maturity_days(outcomes))


def maturity_days(outcomes: LeadOutcomes) -> float:
    """Days by which nine in ten of the leads that became deals had done so (0 when none did)."""
    days = outcomes.frame["days_to_deal"].dropna()
    return float(np.quantile(days, MATURE_SHARE)) if len(days) else 0.0


def conversion_curve(outcomes: LeadOutcomes, days: list[int] | tuple[int, ...] = (7, 30, 60, 90, 180)) -> pd.Series:
    """Share of leads converted to a deal within each number of days, by Kaplan-Meier: 1 − S(t), with leads not
    converted counted as censored at their age (a lead created last week is not yet a lead that failed)."""
    frame = outcomes.frame
    elapsed = frame["days_to_deal"].fillna(frame["age_days"]).to_numpy(dtype=float)
    times, survival = kaplan_meier(elapsed, frame["deal"].to_numpy(dtype=bool))
    shares = []
    for limit in days:
        reached = np.nonzero(times <= limit)[0]
        shares.append(1.0 - float(survival[reached[-1]]) if len(reached) else 0.0)
    longest = frame["age_days"].max() if len(frame) else 0
    result = pd.Series(shares, index=pd.Index(list(days), name="days"), name="converted")
    return result.where(result.index <= longest)


# ------------------------------------------------------------------------------------------------------------------
# The lead KPIs: each a formula over lead_totals' columns, its docstring the formula in words
# ------------------------------------------------------------------------------------------------------------------


def leads_created(t: pd.DataFrame) -> pd.Series:
    """Number of leads created in the period."""
    return t["leads"]


def mqls(t: pd.DataFrame) -> pd.Series:
    """Leads created in the period that became marketing-qualified (an MQL date, or an SQL date or a deal)."""
    return t["mqls"]


def sqls(t: pd.DataFrame) -> pd.Series:
    """Leads created in the period that became sales-qualified (an SQL date, or a deal)."""
    return t["sqls"]


def lead_deals(t: pd.DataFrame) -> pd.Series:
    """Leads created in the period that were converted to a deal."""
    return t["lead_deals"]


def lead_to_mql(t: pd.DataFrame) -> pd.Series:
    """MQLs ÷ leads, over the leads created in the period."""
    return _ratio(t["mqls"], t["leads"])


def mql_to_sql(t: pd.DataFrame) -> pd.Series:
    """SQLs ÷ MQLs, over the leads created in the period."""
    return _ratio(t["sqls"], t["mqls"])


def sql_to_deal(t: pd.DataFrame) -> pd.Series:
    """Leads converted to a deal ÷ SQLs, over the leads created in the period."""
    return _ratio(t["lead_deals"], t["sqls"])


def lead_to_deal(t: pd.DataFrame) -> pd.Series:
    """Leads converted to a deal ÷ leads, over the leads created in the period."""
    return _ratio(t["lead_deals"], t["leads"])


def lead_to_won(t: pd.DataFrame) -> pd.Series:
    """Leads whose deal was won ÷ leads, over the leads created in the period."""
    return _ratio(t["lead_won_deals"], t["leads"])


def speed_to_lead(t: pd.DataFrame) -> pd.Series:
    """Median hours from a lead's creation to its first activity (or, when the data links no activities to leads,
    to its assignment to an owner), over the leads created in the period that were touched."""
    return t["speed_to_lead_hours"]


def mqls_not_followed_up(t: pd.DataFrame) -> pd.Series:
    """MQLs of the period, qualified at least a week before the data's day, with no activity and no deal."""
    return t["mqls_not_followed_up"]


def lead_pipeline(t: pd.DataFrame) -> pd.Series:
    """Sum of the amounts of the deals converted from the leads created in the period."""
    return t["lead_pipeline"]


def lead_bookings(t: pd.DataFrame) -> pd.Series:
    """Sum of the amounts of the won deals converted from the leads created in the period."""
    return t["lead_bookings"]


def campaign_cost(t: pd.DataFrame) -> pd.Series:
    """Sum of the costs of the campaigns that started in the period."""
    return t["campaign_cost"]


def cost_per_lead(t: pd.DataFrame) -> pd.Series:
    """Campaign cost ÷ leads created in the period."""
    return _ratio(t["campaign_cost"], t["leads"])


def cost_per_mql(t: pd.DataFrame) -> pd.Series:
    """Campaign cost ÷ MQLs among the leads created in the period."""
    return _ratio(t["campaign_cost"], t["mqls"])


def cost_per_deal(t: pd.DataFrame) -> pd.Series:
    """Campaign cost ÷ deals converted from the leads created in the period."""
    return _ratio(t["campaign_cost"], t["lead_deals"])


def cost_per_won_deal(t: pd.DataFrame) -> pd.Series:
    """Campaign cost ÷ won deals converted from the leads created in the period."""
    return _ratio(t["campaign_cost"], t["lead_won_deals"])


def pipeline_per_spend(t: pd.DataFrame) -> pd.Series:
    """Pipeline from the period's leads ÷ campaign cost of the period."""
    return _ratio(t["lead_pipeline"], t["campaign_cost"])


def bookings_per_spend(t: pd.DataFrame) -> pd.Series:
    """Bookings from the period's leads ÷ campaign cost of the period."""
    return _ratio(t["lead_bookings"], t["campaign_cost"])


_COHORT = "the period's leads are younger than the time nine in ten past conversions took (young cohort)"
_NO_COST = "no campaign costs, or a grouping other than source or campaign"
LEAD_METRICS: tuple[Metric, ...] = (
    Metric("leads", "Leads", "count", "up", leads_created, additive=True),
    Metric("mqls", "MQLs", "count", "up", mqls, additive=True),
    Metric("sqls", "SQLs", "count", "up", sqls, additive=True),
    Metric("lead_deals", "Deals from leads", "count", "up", lead_deals, additive=True),
    Metric("lead_to_mql", "Lead to MQL", "share", "up", lead_to_mql, "no leads", unstable_when=_COHORT),
    Metric("mql_to_sql", "MQL to SQL", "share", "up", mql_to_sql, "no MQLs", unstable_when=_COHORT),
    Metric("sql_to_deal", "SQL to deal", "share", "up", sql_to_deal, "no SQLs", unstable_when=_COHORT),
    Metric("lead_to_deal", "Lead to deal", "share", "up", lead_to_deal, "no leads", unstable_when=_COHORT),
    Metric("lead_to_won", "Lead to won deal", "share", "up", lead_to_won, "no leads", unstable_when=_COHORT),
    Metric(
        "speed_to_lead",
        "Speed to lead",
        "hours",
        "down",
        speed_to_lead,
        "no lead was touched, or the data links no activities to leads and has no assignment times",
        choice="the median, not the mean: a few leads touched weeks later would dominate a mean",
    ),
    Metric("mqls_not_followed_up", "MQLs never followed up", "count", "down", mqls_not_followed_up, additive=True),
    Metric("lead_pipeline", "Pipeline from leads", "currency", "up", lead_pipeline, additive=True),
    Metric("lead_bookings", "Bookings from leads", "currency", "up", lead_bookings, additive=True),
    Metric("campaign_cost", "Campaign cost", "currency", "neutral", campaign_cost, _NO_COST, additive=True),
    Metric("cost_per_lead", "Cost per lead", "currency", "down", cost_per_lead, _NO_COST),
    Metric("cost_per_mql", "Cost per MQL", "currency", "down", cost_per_mql, _NO_COST),
    Metric("cost_per_deal", "Cost per deal", "currency", "down", cost_per_deal, _NO_COST),
    Metric("cost_per_won_deal", "Cost per won deal", "currency", "down", cost_per_won_deal, _NO_COST),
    Metric("pipeline_per_spend", "Pipeline per unit of spend", "ratio", "up", pipeline_per_spend, _NO_COST),
    Metric("bookings_per_spend", "Bookings per unit of spend", "ratio", "up", bookings_per_spend, _NO_COST),
)
LEAD_METRICS_BY_KEY = {metric.key: metric for metric in LEAD_METRICS}


def lead_kpi_table(totals: pd.DataFrame, keys: list[str] | None = None) -> pd.DataFrame:
    """The lead KPIs (all, or those keys) for each row of lead_totals, beside the grouping columns."""
    metrics = [LEAD_METRICS_BY_KEY[key] for key in keys] if keys else list(LEAD_METRICS)
    groups = [column for column in totals.columns if column in LEAD_GROUPINGS]
    table = totals[groups].copy()
    for metric in metrics:
        table[metric.key] = metric.compute(totals).astype(float)
    return table


def data_outcomes(data: SalesData) -> LeadOutcomes | None:
    """lead_outcomes of a loaded data set (None when it has no leads)."""
    if data.leads is None:
        return None
    return lead_outcomes(data.leads, data.opportunities, data.reps, data.activities, data.as_of, data.config.funnel)


def lead_kpis(
    data: SalesData,
    start: pd.Timestamp,
    end: pd.Timestamp,
    by: list[str] | tuple[str, ...] = (),
    keys: list[str] | None = None,
) -> pd.DataFrame:
    """The lead KPI table of the leads created from start to end, by the grouping (empty when there are no leads)."""
    outcomes = data_outcomes(data)
    if outcomes is None:
        return pd.DataFrame(columns=[*by, *(keys or [m.key for m in LEAD_METRICS])])
    return lead_kpi_table(lead_totals(outcomes, data.campaigns, start, end, by), keys)


# ------------------------------------------------------------------------------------------------------------------
# Who sourced the pipeline and bookings: shares of the deal KPIs by sourced_by
# ------------------------------------------------------------------------------------------------------------------


def sourced_share(amounts: pd.Series, who: str = "marketing") -> float:
    """One source's share of an amount split by who sourced it (marketing, sales, partner, unknown): its amount ÷
    the sum over all of them, such as marketing-sourced pipeline ÷ all pipeline created in the period."""
    total = float(amounts.sum())
    return float(amounts.get(who, 0.0)) / total if total > 0 else float("nan")


def conversion_days_quantile(outcomes: LeadOutcomes, share: float = 0.5) -> float:
    """Days from creation to deal by which the given share of the leads that became deals had done so."""
    days = outcomes.frame["days_to_deal"].dropna()
    return float(np.quantile(days, share)) if len(days) else float("nan")


__all__ = [
    "LEAD_GROUPINGS",
    "LEAD_METRICS",
    "LEAD_METRICS_BY_KEY",
    "LeadOutcomes",
    "conversion_curve",
    "lead_kpi_table",
    "lead_outcomes",
    "lead_totals",
    "young_cohort",
]
