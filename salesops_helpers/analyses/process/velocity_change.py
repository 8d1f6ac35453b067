"""Sales velocity against the previous period, its change split over its four factors."""

from __future__ import annotations

import math

import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.catalogue import METRICS_BY_KEY, velocity_cycle_days
from salesops_helpers.metrics.stability import caveats
from salesops_helpers.metrics.table import kpi_table
from salesops_helpers.metrics.totals import period_totals

FACTORS = {
    "open_start_deals": "Deals open at the period's start",
    "win_rate": "Win rate",
    "avg_deal_size": "Average deal size",
    "cycle_days": "Sales cycle (median days)",
}


def velocity_factors(data: SalesData, period: Period) -> dict[str, float]:
    """The catalogue's velocity for the period and its four factors, from the same period totals."""
    totals = period_totals(data, period, [])
    factors = {
        "open_start_deals": float(totals["open_start_deals"].iloc[0]),
        "win_rate": float(METRICS_BY_KEY["win_rate"].compute(totals).iloc[0]),
        "avg_deal_size": float(METRICS_BY_KEY["avg_deal_size"].compute(totals).iloc[0]),
        # the catalogue's velocity counts a cycle shorter than its floor as the floor
        "cycle_days": float(velocity_cycle_days(totals).iloc[0]),
    }
    factors["velocity"] = float(METRICS_BY_KEY["velocity"].compute(totals).iloc[0])
    return factors


def factor_contributions(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """The change in velocity split over its factors (log-mean Divisia): each factor's part is L × ln(after ÷
    before) of that factor (ln(before ÷ after) for the cycle, as a longer cycle lowers velocity), with L = (V1 − V0)
    ÷ ln(V1 ÷ V0), or V0 when velocity did not change; the four parts add up to the change exactly. Missing when a
    factor is missing or 0 in either period."""
    values = [before[k] for k in FACTORS] + [after[k] for k in FACTORS] + [before["velocity"], after["velocity"]]
    if not all(math.isfinite(v) and v > 0 for v in values):
        return dict.fromkeys(FACTORS, math.nan)
    v0, v1 = before["velocity"], after["velocity"]
    weight = v0 if math.isclose(v0, v1, rel_tol=1e-12) else (v1 - v0) / math.log(v1 / v0)
    parts = {key: weight * math.log(after[key] / before[key]) for key in FACTORS}
    parts["cycle_days"] = -parts["cycle_days"]
    return parts


def velocity_change(data: SalesData, period: Period, previous: Period) -> pd.DataFrame:
    """One row per factor and one for velocity: previous period, this period, and each factor's part of the change."""
    before, after = velocity_factors(data, previous), velocity_factors(data, period)
    parts = factor_contributions(before, after)
    rows = [(name, before[key], after[key], parts[key]) for key, name in FACTORS.items()]
    rows.append(("Sales velocity", before["velocity"], after["velocity"], after["velocity"] - before["velocity"]))
    table = pd.DataFrame(rows, columns=["factor", "previous", "current", "velocity_change"])
    table.insert(1, "unit", ["count", "share", "currency", "days", "currency_per_day"])
    return table


def velocity_caveats(data: SalesData, periods: list[Period]) -> dict[str, str]:
    """Why velocity is not meaningful in each of the periods where it is too unstable to state (stability.caveats),
    by period label, in the order given."""
    found = {}
    for period in periods:
        values = kpi_table(data, period, metrics=["won_deals", "lost_deals", "sales_cycle_days", "velocity"]).values
        reason = caveats(values.iloc[0].to_dict()).get("velocity")
        if reason is not None:
            found[period.label] = reason
    return found
