"""Deal inspection: the open deals that matter most this quarter, ranked by value at risk, each with its reasons.

Value at risk is what a deal's amount stands to lose: amount × (1 − win probability). The reasons are the signs a
sales leader asks about in a deal review, each stated with its figure: pushed out again and again, longer in its
stage than nine stays in ten, no activity for weeks, past its expected close date, moved back a stage, its amount
raised in the last weeks. The upside is the other list: deals likely to be won that the rep has not called Commit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.analyses.deals.features import ACTIVITY, RAISED, expected_close
from salesops_helpers.analyses.process.stage_stays import stage_stays
from salesops_helpers.analyses.process.stalled import stall_threshold
from salesops_helpers.analyses.process.time_in_stage import time_in_stage
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.formatting import plural

# A deal pushed out this often is one a rep keeps hoping for.
MANY_PUSHES = 2
# No logged activity for this long on a deal expected to close this quarter is a deal nobody is working.
QUIET_DAYS = 30
# An amount raised this close to the day, on a deal not yet won, is a number to check before it is counted.
LATE_RAISE_DAYS = 30
# A deal at least this likely to be won, outside Commit, is upside the call leaves out.
LIKELY_WIN = 0.6
CALLED = ("Commit", "Closed")
COLUMNS = [
    "opportunity_id",
    "name",
    "owner",
    "team",
    "stage",
    "amount",
    "expected_close",
    "forecast_category",
    "win_probability",
    "value_at_risk",
    "reasons",
]


def times_word(count: int) -> str:
    """'once', 'twice', 'three times', ... in words up to ten."""
    words = {1: "once", 2: "twice"}
    small = ["three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    if count in words:
        return words[count]
    return f"{small[count - 3]} times" if 3 <= count <= 10 else f"{count} times"


def deal_reasons(row: pd.Series, stall_days: float | None, activities: bool) -> list[str]:
    """The reasons a deal is at risk, each with its figure (module docstring), in the order a review asks."""
    found = []
    if row["pushes"] >= MANY_PUSHES:
        found.append(f"pushed {times_word(int(row['pushes']))}")
    if stall_days is not None and not np.isnan(stall_days) and row["days_in_stage"] > stall_days:
        found.append(
            f"in {row['stage']} for {int(row['days_in_stage'])} days where 90% of stays end within {round(stall_days)}"
        )
    if activities:
        quiet = row[ACTIVITY]
        if pd.isna(quiet):
            found.append("no activity logged")
        elif quiet >= QUIET_DAYS:
            found.append(f"no activity for {int(quiet)} days")
    if row["days_to_close"] < 0:
        found.append(f"{plural(int(-row['days_to_close']), 'day')} past its expected close date")
    if row["moves_back"] >= 1:
        found.append("moved back a stage")
    if not pd.isna(row[RAISED]) and row[RAISED] <= LATE_RAISE_DAYS:
        found.append(f"amount raised {plural(int(row[RAISED]), 'day')} ago")
    return found


def _or(values: pd.Series, fallback: pd.Series) -> np.ndarray:
    """The values as text, the fallback's where they are missing."""
    values = values.astype("object")
    return values.where(values.notna(), fallback.astype("object")).to_numpy()


def _with_names(scored: pd.DataFrame, data: SalesData) -> pd.DataFrame:
    """The scored deals with their name, owner's name, team and current forecast category."""
    opps = data.opportunities.set_index("opportunity_id")
    reps = data.reps.set_index("rep_id")
    ids = scored["opportunity_id"]
    owners = scored["owner_id"]
    frame = scored.copy()
    frame["name"] = _or(ids.map(opps["name"].astype("object")), ids)
    frame["owner"] = _or(owners.map(reps["name"].astype("object")), owners)
    frame["team"] = owners.map(reps["team"].astype("object")).fillna(UNKNOWN_TEAM).to_numpy()
    frame["forecast_category"] = ids.map(opps["forecast_category"].astype("object")).to_numpy()
    frame["expected_close"] = expected_close(frame["day"], frame["days_to_close"])
    return frame


def stall_days_by_stage(data: SalesData, day: pd.Timestamp) -> pd.Series:
    """Per open stage, the days within which nine stays in ten end (the process report's stall threshold)."""
    stays = stage_stays(data, day)
    return stall_threshold(time_in_stage(stays, data.config.stage_names)) if len(stays) else pd.Series(dtype=float)


def reviewed(scored: pd.DataFrame, data: SalesData) -> pd.DataFrame:
    """Every scored deal with its name, owner, team, current forecast category, expected close, value at risk =
    amount × (1 − win probability) and its reasons."""
    if scored.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = _with_names(scored, data)
    day = pd.Timestamp(scored["day"].iloc[0])
    limits = stall_days_by_stage(data, day)
    activities = data.activities is not None and not data.activities.empty
    frame["reasons"] = [
        "; ".join(deal_reasons(row, limits.get(row["stage"]), activities)) for _, row in frame.iterrows()
    ]
    frame["value_at_risk"] = frame["amount"] * (1 - frame["win_probability"])
    return frame


def inspection_list(deals: pd.DataFrame, quarter: Period) -> pd.DataFrame:
    """The reviewed deals expected to close by the quarter's end (so overdue ones too), the largest value at risk
    first."""
    frame = deals[deals["expected_close"] <= quarter.end]
    frame = frame.sort_values(["value_at_risk", "opportunity_id"], ascending=[False, True], ignore_index=True)
    return frame[COLUMNS]


def upside(deals: pd.DataFrame, quarter: Period) -> pd.DataFrame:
    """Reviewed deals expected to close in the quarter, at least LIKELY_WIN likely to be won, that are not called
    Commit: the likeliest value (amount × probability) first."""
    inside = (deals["expected_close"] >= quarter.start) & (deals["expected_close"] <= quarter.end)
    likely = deals["win_probability"] >= LIKELY_WIN
    outside = ~deals["forecast_category"].isin(CALLED)
    frame = deals[inside & likely & outside].copy()
    frame["expected_value"] = frame["amount"] * frame["win_probability"]
    frame = frame.sort_values(["expected_value", "opportunity_id"], ascending=[False, True], ignore_index=True)
    return frame[[*COLUMNS[:-2], "expected_value"]]
