"""What-if scenarios: the monthly forecast redrawn for a different win rate, deal size or pipeline creation."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.calendar.fiscal import Period

# The scenarios of the static table: (name, win rate factor, deal size factor, pipeline creation factor).
SCENARIOS = [
    ("as forecast", 1.0, 1.0, 1.0),
    ("win rate −10%", 0.9, 1.0, 1.0),
    ("win rate +10%", 1.1, 1.0, 1.0),
    ("deal size −10%", 1.0, 0.9, 1.0),
    ("deal size +10%", 1.0, 1.1, 1.0),
    ("pipeline creation −20%", 1.0, 1.0, 0.8),
    ("pipeline creation +20%", 1.0, 1.0, 1.2),
    ("all three −10%", 0.9, 0.9, 0.9),
]


def scenario(
    forecast: pd.DataFrame, new_share: dict[int, float], win_rate: float, deal_size: float, creation: float
) -> pd.DataFrame:
    """forecast (columns month, horizon, forecast) with the scenario's value per month:

    forecast × win rate factor × ((1 − s) + s × creation factor × deal size factor), s = new_share[horizon], the
    share of that month's bookings that comes from deals not yet created. A changed win rate moves every deal's
    chance; deal size and pipeline creation only move deals still to be created.
    """
    share = forecast["horizon"].map(new_share).fillna(1.0)
    out = forecast[["month", "horizon", "forecast"]].copy()
    out["scenario"] = out["forecast"] * win_rate * ((1 - share) + share * creation * deal_size)
    return out


def scenario_table(
    forecast: pd.DataFrame, new_share: dict[int, float], quarters: list[tuple[Period, float]]
) -> pd.DataFrame:
    """Each scenario of SCENARIOS: the quarters' bookings (booked so far + forecast of the months left) and the
    change from the forecast. quarters: (quarter, booked so far) pairs."""
    rows = []
    for name, win, size, creation in SCENARIOS:
        drawn = scenario(forecast, new_share, win, size, creation)
        row: dict[str, object] = {"scenario": name}
        for quarter, booked in quarters:
            inside = (drawn["month"] >= quarter.start) & (drawn["month"] <= quarter.end)
            row[quarter.label] = booked + float(drawn.loc[inside, "scenario"].sum())
            row[f"{quarter.label} change"] = float(
                (drawn.loc[inside, "scenario"] - drawn.loc[inside, "forecast"]).sum()
            )
        rows.append(row)
    return pd.DataFrame(rows)
