"""Who was on the team: reps who joined or left in the period, deals with an unknown owner, reps without quota."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData


@dataclass(frozen=True)
class Roster:
    """The period's roster changes and the gaps that change how its figures read."""

    joined: pd.DataFrame  # team, rep, hire_date
    left: pd.DataFrame  # team, rep, end_date
    unknown_owners: pd.DataFrame  # owner_id, deals, amount (deals of owners not in the reps table)
    without_quota: pd.DataFrame  # team, rep: employed in the period without a quota above 0


def roster(data: SalesData, period: Period) -> Roster:
    """Reps hired or gone inside the period, deals whose owner is not in the reps table, employed reps without quota."""
    reps = data.reps.rename(columns={"name": "rep"}).assign(team=lambda f: f["team"].astype("object"))
    joined = reps.loc[period.contains(reps["hire_date"]), ["team", "rep", "hire_date"]]
    left = reps.loc[period.contains(reps["end_date"]), ["team", "rep", "end_date"]]
    opps = data.opportunities
    unknown = opps[~opps["owner_id"].isin(reps["rep_id"])]
    owners = (
        unknown.groupby("owner_id", observed=True)
        .agg(deals=("opportunity_id", "size"), amount=("amount", "sum"))
        .reset_index()
        .sort_values("deals", ascending=False)
    )
    employed = (reps["hire_date"].isna() | (reps["hire_date"] <= period.end)) & (
        reps["end_date"].isna() | (reps["end_date"] >= period.start)
    )
    with_quota = set()
    if data.quotas is not None:
        quotas = data.quotas[period.contains(data.quotas["period_start"])]
        with_quota = set(quotas.loc[quotas["quota"] > 0, "rep_id"])
    without = reps.loc[employed & ~reps["rep_id"].isin(with_quota), ["team", "rep"]]
    return Roster(
        joined.sort_values("hire_date").reset_index(drop=True),
        left.sort_values("end_date").reset_index(drop=True),
        owners.reset_index(drop=True),
        without.sort_values(["team", "rep"]).reset_index(drop=True),
    )
