"""When a KPI's value is too unstable for a summary to state: too few deals under a rate or an average, a cycle too
short for velocity, a quota too small to hold anything against, a change measured from next to nothing.

The thresholds are the catalogue's (MIN_DEALS, MIN_CYCLE_DAYS, MIN_QUOTA_SHARE), each KPI's rule in words its
`unstable_when`; a summary that meets an unstable value says why it is not meaningful instead of stating it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from salesops_helpers.formatting import days, plural
from salesops_helpers.metrics.catalogue import METRICS_BY_KEY, MIN_CYCLE_DAYS, MIN_DEALS, MIN_QUOTA_SHARE

# A change from a base under a tenth of the new figure (a rise of over 900%) is a leap only the small base makes.
MIN_BASE_SHARE = 0.1

RATES = ("win_rate", "win_rate_value")
AVERAGES = ("avg_deal_size", "median_deal_size", "sales_cycle_days")


def _too_few(count: float, what: str, needs: str) -> str:
    """'only 3 deals were won, fewer than the 5 a rate needs'."""
    number = round(count)
    verb = "was" if number == 1 else "were"
    return f"only {plural(number, 'deal')} {verb} {what}, fewer than the {MIN_DEALS} {needs} needs"


def _short_cycle(cycle_days: float) -> str:
    """Why velocity is not meaningful with a median cycle under MIN_CYCLE_DAYS."""
    when = "the day it was created" if cycle_days < 1 else f"{days(cycle_days)} after it was created"
    return (
        f"the median won deal closed {when}, under the {MIN_CYCLE_DAYS} days velocity needs (deals entered when "
        "already won never sat in the pipeline)"
    )


def caveats(values: Mapping[str, float | None]) -> dict[str, str]:
    """Why each KPI among `values` (KPI key -> value of one period and group, as kpi_table gives them) that has a
    value is too unstable to state, as a clause; KPIs that are stable, or missing, have no entry. A rate needs
    MIN_DEALS deals won or lost, a deal size or cycle MIN_DEALS won deals, velocity as many won deals and a median
    cycle of MIN_CYCLE_DAYS, attainment and coverage a quota of at least MIN_QUOTA_SHARE of what is held against it
    (the inputs a present KPI's rule reads must be among `values`)."""
    number = {key: math.nan if value is None else float(value) for key, value in values.items()}
    present = {key for key, value in number.items() if not math.isnan(value)}
    found: dict[str, str] = {}
    rates = [key for key in RATES if key in present]
    if rates and number["won_deals"] + number["lost_deals"] < MIN_DEALS:
        found |= dict.fromkeys(rates, _too_few(number["won_deals"] + number["lost_deals"], "won or lost", "a rate"))
    averages = [key for key in AVERAGES if key in present]
    if averages and number["won_deals"] < MIN_DEALS:
        found |= dict.fromkeys(averages, _too_few(number["won_deals"], "won", "an average"))
    if "velocity" in present:
        if number["won_deals"] < MIN_DEALS:
            found["velocity"] = _too_few(number["won_deals"], "won", "velocity")
        elif number["sales_cycle_days"] < MIN_CYCLE_DAYS:
            found["velocity"] = _short_cycle(number["sales_cycle_days"])
    if "attainment" in present and number["attainment"] > 1 / MIN_QUOTA_SHARE:
        found["attainment"] = f"the quota is under {MIN_QUOTA_SHARE:.0%} of the bookings"
    if "coverage" in present and number["coverage"] > 1 / MIN_QUOTA_SHARE:
        found["coverage"] = f"the quota is under {MIN_QUOTA_SHARE:.0%} of the pipeline due"
    return found


def stable_values(values: pd.DataFrame) -> pd.DataFrame:
    """KPI values (a kpi_table or kpi_series frame: a row per period or group, the KPIs a rule reads among its
    columns) with each value too unstable to state (caveats) made missing, so that no change is measured from or to
    it."""
    stable = values.copy()
    for index, row in values.iterrows():
        numbers = {key: value for key, value in row.items() if isinstance(key, str) and key in METRICS_BY_KEY}
        for key in caveats(numbers):
            stable.loc[index, key] = math.nan
    return stable


def relative_change(now: float, before: float) -> float | None:
    """(now − before) ÷ before, or None when the base is not above 0 or under MIN_BASE_SHARE of now."""
    if not before > 0 or before < MIN_BASE_SHARE * now:
        return None
    return (now - before) / before
