"""How fast leads are followed up, by team and rep, and how it goes with their conversion; MQLs nobody touched."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.analyses.team.intervals import wilson_interval
from salesops_helpers.metrics.funnel import LeadOutcomes, mql_to_sql

# Speed-to-lead buckets, in hours: how soon a lead was first touched.
BUCKETS = (
    (0.0, 1.0, "within an hour"),
    (1.0, 24.0, "1-24 hours"),
    (24.0, 72.0, "1-3 days"),
    (72.0, np.inf, "after 3 days"),
)
NEVER = "never touched"
MIN_MQLS = 20  # a team or rep's follow-up is judged on at least this many MQLs
SLOW_FACTOR = 2.0  # a team is slow when its median speed is at least this multiple of the other teams'


def speed_by(outcomes: LeadOutcomes, start: pd.Timestamp, end: pd.Timestamp, by: str = "team") -> pd.DataFrame:
    """Per team (or rep) over the leads created from start to end: MQLs, the median hours to a first touch, the share
    of leads touched within a day, and the MQL-to-SQL rate with its 90% interval; the slowest first."""
    window = outcomes.created_between(start, end)
    window = window.assign(within_a_day=window["speed_to_lead_hours"] <= 24)  # never touched: not within a day
    grouped = window.groupby(by, observed=True, sort=True)
    table = (
        pd.DataFrame(
            {
                "leads": grouped.size(),
                "touched": grouped["first_touch"].count(),
                "speed_hours": grouped["speed_to_lead_hours"].median(),
                "within_a_day": grouped["within_a_day"].mean(),
                "mqls": grouped["mql"].sum(),
                "sqls": grouped["sql"].sum(),
            }
        )
        .reset_index()
        .rename(columns={by: "group"})
    )
    if by == "rep":
        teams = window.drop_duplicates("rep").set_index("rep")["team"]
        table.insert(1, "team", table["group"].map(teams))
    table["mql_to_sql"] = mql_to_sql(table)
    table["low"], table["high"] = wilson_interval(table["sqls"], table["mqls"])
    return table.sort_values(["speed_hours", "group"], ascending=[False, True], na_position="last", ignore_index=True)


def slow_team(outcomes: LeadOutcomes, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series | None:
    """The slowest team with at least 20 MQLs in the window, when its median speed to lead is at least twice the
    median over the other teams' leads and its MQLs become SQLs less often than theirs; else None."""
    table = speed_by(outcomes, start, end, "team")
    judged = table[(table["mqls"] >= MIN_MQLS) & table["speed_hours"].notna()]
    if len(judged) < 2:
        return None
    row = judged.iloc[0]
    window = outcomes.created_between(start, end)
    rest = window[window["team"] != row["group"]]
    others_speed = float(rest["speed_to_lead_hours"].median())
    others_rate = float(rest["sql"].sum() / max(int(rest["mql"].sum()), 1))
    if row["speed_hours"] >= SLOW_FACTOR * others_speed and row["mql_to_sql"] < others_rate:
        return pd.concat([row, pd.Series({"others_speed": others_speed, "others_rate": others_rate})])
    return None


def speed_and_conversion(outcomes: LeadOutcomes, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """MQL-to-SQL rate of the window's MQLs by how soon they were first touched (the buckets, then never touched),
    with its 90% interval: how speed to lead goes with conversion (not a proof that one causes the other)."""
    mqls = outcomes.created_between(start, end)
    mqls = mqls[mqls["mql"]]
    hours = mqls["speed_to_lead_hours"]
    labels = pd.Series(NEVER, index=mqls.index)
    for low, high, label in BUCKETS:
        labels[(hours >= low) & (hours < high)] = label
    order = [label for _, _, label in BUCKETS] + [NEVER]
    grouped = mqls.groupby(pd.Categorical(labels, categories=order), observed=False)
    table = pd.DataFrame({"mqls": grouped.size(), "sqls": grouped["sql"].sum()}).rename_axis("bucket").reset_index()
    table["bucket"] = table["bucket"].astype("str")
    table["mql_to_sql"] = mql_to_sql(table)
    table["low"], table["high"] = wilson_interval(table["sqls"], table["mqls"])
    return table


def not_followed_up(outcomes: LeadOutcomes, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """MQLs created from start to end, qualified at least a week before the data's day, with no activity and no
    deal: the longest waiting first."""
    window = outcomes.created_between(start, end)
    missed = window[outcomes.not_followed_up(window)].copy()
    missed["days_waiting"] = (outcomes.as_of - missed["mql_date"]).dt.days
    columns = ["lead_id", "created_at", "mql_date", "days_waiting", "source", "segment", "rep", "team"]
    return missed[columns].sort_values(["days_waiting", "lead_id"], ascending=[False, True], ignore_index=True)
