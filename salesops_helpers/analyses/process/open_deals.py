"""Where open deals stand now, by stage: what the current stages tell without any history."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.deal_state import open_deals_at


def stage_distribution(data: SalesData, day: pd.Timestamp) -> pd.DataFrame:
    """Deals open at the end of day by stage, in process order: deals, amount, share of the open amount, and the
    median age in days since creation."""
    open_now = open_deals_at(data, day)
    created = data.opportunities.set_index("opportunity_id")["created_date"]
    open_now["age_days"] = (day - open_now["opportunity_id"].map(created)).dt.days
    stage = pd.Categorical(open_now["stage"].astype("object"), categories=data.config.open_stages)
    grouped = open_now.groupby(stage, observed=False)
    table = grouped.agg(deals=("amount", "size"), amount=("amount", "sum"), median_age_days=("age_days", "median"))
    total = table["amount"].sum()
    table["share"] = table["amount"] / total if total > 0 else float("nan")
    table.index.name = "stage"
    return table.reset_index()[["stage", "deals", "amount", "share", "median_age_days"]]
