"""New-hire ramp per rep for the team review; the ramp itself (rep-months against established reps of the same
team and month) is defined once in the metric layer, metrics/ramp.py, and re-exported here."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.metrics.ramp import (
    CURVE_MONTHS,
    ESTABLISHED_AFTER,
    SUSTAINED_MONTHS,
    months_to_productivity,
    new_hire_months,
    ramp_curve,
    ramp_months,
    with_established,
    within_curve,
)

__all__ = [
    "CURVE_MONTHS",
    "ESTABLISHED_AFTER",
    "SUSTAINED_MONTHS",
    "months_to_productivity",
    "new_hire_months",
    "ramp_by_rep",
    "ramp_curve",
    "ramp_months",
    "readable_ramp",
    "with_established",
]


def ramp_by_rep(rep_months: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per rep hired inside the data: tenure months seen (up to 12), the month from which output reached 90% of
    established output over three months in a row (missing: not within the first twelve months, or not yet), and
    the share reached over the last three of the first twelve tenure months seen."""
    frame = new_hire_months(rep_months, metric, CURVE_MONTHS + SUSTAINED_MONTHS - 1)
    rows = []
    for (rep_id, rep, team), months in frame.groupby(["rep_id", "rep", "team"], sort=True):
        months = months.set_index("tenure_month").sort_index()
        last = months.loc[:CURVE_MONTHS].tail(SUSTAINED_MONTHS)
        rows.append(
            (
                rep_id,
                rep,
                team,
                months["hire_date"].iloc[0],
                int(min(months.index.max(), CURVE_MONTHS)),
                within_curve(months_to_productivity(months[metric], months["established"])),
                last[metric].sum() / last["established"].sum() if last["established"].sum() > 0 else float("nan"),
                f"{last.index.min()}–{last.index.max()}" if len(last) > 1 else f"{last.index.min()}",
            )
        )
    columns = [
        "rep_id",
        "rep",
        "team",
        "hire_date",
        "months_seen",
        "months_to_productivity",
        "latest_share",
        "latest_months",
    ]
    table = pd.DataFrame(rows, columns=columns)
    table["months_to_productivity"] = table["months_to_productivity"].astype("Int64")
    return table


def readable_ramp(by_rep: pd.DataFrame) -> pd.DataFrame:
    """The per-hire ramp table as text for people ('not yet' for reps still ramping)."""
    return pd.DataFrame(
        {
            "team": by_rep["team"],
            "rep": by_rep["rep"],
            "hired": by_rep["hire_date"],
            "tenure months seen": by_rep["months_seen"],
            "ramped in month": by_rep["months_to_productivity"]
            .astype("object")
            .where(by_rep["months_to_productivity"].notna(), "not yet"),
            "share of established output": [
                f"{formatting.percent(share)} in tenure months {months}" if pd.notna(share) else "–"
                for share, months in zip(by_rep["latest_share"], by_rep["latest_months"], strict=True)
            ],
        }
    )
