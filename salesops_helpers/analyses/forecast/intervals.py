"""Calibrated intervals (adaptive conformal, by horizon): interval widths taken from the backtest's own errors.

A backtest error's conformity score is |actual − forecast| ÷ scale, the scale being mase_scale of the months
before its origin, so scores of a growing series stay comparable. The calibrated interval of a new forecast at
horizon h is forecast ± q × scale now, q the conformal quantile of the scores at horizon h, and clipped at 0.

The quantile's level adapts as the backtest goes (adaptive conformal inference, Gibbs and Candès 2021): it starts
at 80% (or 95%) and each backtest month whose outcome is known moves it (adapted_level), up after a month outside
its interval, down a little after one inside. Fixed split-conformal levels assume errors as large now as before:
on public series whose errors grew or shrank over the years they held from about 50% to 100% of the months.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from salesops_helpers.analyses.forecast import accuracy
from salesops_helpers.analyses.forecast.models import LEVELS

# Fewer scores than this at a horizon: the scores of every horizon are used instead.
MIN_SCORES = 8
# An 80% interval that held between these shares of the months measured is taken as calibrated.
COVERAGE_AIM_80 = (0.7, 0.9)
# How far one month's outcome moves the level aimed at (adapted_level): large enough to correct within the 50-70
# months a backtest scores, small enough that one miss does not swing the width.
ADAPT_STEP = 0.1


def adapted_level(level: float, misses: int, months: int, step: float = ADAPT_STEP) -> float:
    """The level to aim at after `months` outcomes of which `misses` fell outside their interval:
    level + step × (misses − (1 − level) × months), a share (0.8 for 80%); above 1 means the largest score."""
    return level + step * (misses - (1 - level) * months)


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The ⌈(n + 1) × level⌉-th smallest of n scores (level as a share, 0.8); the largest score when that rank is
    above n (fewer than level ÷ (1 − level) scores), the smallest when it is below 1, NaN without scores."""
    ordered = np.sort(np.asarray(scores, dtype=float)[np.isfinite(scores)])
    if len(ordered) == 0:
        return float("nan")
    rank = math.ceil((len(ordered) + 1) * level)
    return float(ordered[min(max(rank, 1), len(ordered)) - 1])


def scores(rows: pd.DataFrame) -> pd.Series:
    """|actual − forecast| ÷ scale for each scored backtest row of one model."""
    return (rows["actual"] - rows["forecast"]).abs() / rows["scale"]


def horizon_quantiles(rows: pd.DataFrame, horizon: int, levels: dict[int, float] | None = None) -> pd.DataFrame:
    """The conformal quantile of each level at horizons 1 to `horizon` from one model's scored backtest rows, at
    the share `levels` gives for it (the adapted level from coverage_check; 0.8 and 0.95 without).

    Columns: horizon, q_80, q_95, scores (how many scores the quantile rests on; all horizons' when a horizon has
    fewer than MIN_SCORES).
    """
    shares = {lv: lv / 100 for lv in LEVELS} | (levels or {})
    scored = rows[rows["actual"].notna()].assign(score=scores)
    out = []
    for h in range(1, horizon + 1):
        own = scored.loc[scored["horizon"] == h, "score"].dropna()
        used = own if len(own) >= MIN_SCORES else scored["score"].dropna()
        out.append(
            {
                "horizon": h,
                **{f"q_{lv}": conformal_quantile(used.to_numpy(), shares[lv]) for lv in LEVELS},
                "scores": len(used),
            }
        )
    return pd.DataFrame(out)


def calibrate(forecast: pd.DataFrame, quantiles: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Calibrated interval at horizon h: forecast ± q_h × scale, clipped at 0, where q_h is the conformal quantile
    of the backtest's conformity scores |actual − forecast| ÷ scale at that horizon (forecast has columns horizon
    and forecast; lower_80, upper_80, lower_95, upper_95 are added)."""
    out = forecast.merge(quantiles[["horizon", *[f"q_{lv}" for lv in LEVELS]]], on="horizon", how="left")
    for level in LEVELS:
        half = out.pop(f"q_{level}") * scale
        out[f"lower_{level}"] = (out["forecast"] - half).clip(lower=0)
        out[f"upper_{level}"] = out["forecast"] + half
    return out


def coverage_check(rows: pd.DataFrame, min_scores: int = MIN_SCORES) -> pd.DataFrame:
    """Raw and calibrated coverage of one model's backtest intervals, measured without hindsight.

    Each scored row is calibrated only with the scores of forecasts whose month had passed by its origin (month ≤
    origin), at its horizon (all horizons when its horizon has fewer than min_scores), at the level adapted to the
    counted rows whose month had passed by then (adapted_level); rows with fewer than min_scores such scores, or
    without a scale (a flat training series: no calibrated width), are not counted.
    Columns: level, raw, calibrated (shares of actuals inside), rows, adapted (the level to aim at now that every
    counted row's outcome is known, a share).
    """
    scored = rows[rows["actual"].notna()].assign(score=scores).sort_values(["origin", "horizon"], kind="stable")
    # each counted row with its calibrated (lower, upper) interval per level, in origin order
    checked: list[tuple[Any, dict[int, tuple[float, float]]]] = []
    for row in scored.itertuples(index=False):
        if not np.isfinite(row.scale):
            continue
        known = scored[scored["month"] <= row.origin]
        same = known.loc[known["horizon"] == row.horizon, "score"].dropna()
        used = same if len(same) >= min_scores else known["score"].dropna()
        if len(used) < min_scores:
            continue
        outcomes = [(earlier, kept) for earlier, kept in checked if earlier.month <= row.origin]
        bounds = {}
        for level in LEVELS:
            misses = sum(not _inside(earlier.actual, kept[level]) for earlier, kept in outcomes)
            share = adapted_level(level / 100, misses, len(outcomes))
            half = conformal_quantile(used.to_numpy(), share) * row.scale
            bounds[level] = (max(row.forecast - half, 0), row.forecast + half)
        checked.append((row, bounds))
    out = []
    for level in LEVELS:
        actual = np.array([row.actual for row, _ in checked])
        raw_lower = np.array([getattr(row, f"lower_{level}") for row, _ in checked])
        raw_upper = np.array([getattr(row, f"upper_{level}") for row, _ in checked])
        misses = sum(not _inside(row.actual, bounds[level]) for row, bounds in checked)
        out.append(
            {
                "level": level,
                "raw": accuracy.coverage(actual, raw_lower, raw_upper),
                "calibrated": accuracy.coverage(
                    actual, np.array([b[level][0] for _, b in checked]), np.array([b[level][1] for _, b in checked])
                ),
                "rows": len(checked),
                "adapted": adapted_level(level / 100, misses, len(checked)),
            }
        )
    return pd.DataFrame(out)


def _inside(actual: float, bounds: tuple[float, float]) -> bool:
    return bool(bounds[0] <= actual <= bounds[1])


def period_quantiles(rows: pd.DataFrame, horizons: list[int]) -> dict[int, float]:
    """Conformal quantiles (per level) of the scores of a sum of months: at each origin with every one of the
    horizons scored, |Σ actual − Σ forecast| ÷ scale. For a quarter's interval (horizons 1-3, or 4-6)."""
    scored = rows[rows["actual"].notna() & rows["horizon"].isin(horizons)]
    sums = scored.groupby("origin").agg(
        forecast=("forecast", "sum"), actual=("actual", "sum"), scale=("scale", "first"), n=("horizon", "size")
    )
    sums = sums[sums["n"] == len(horizons)]
    values = scores(sums).to_numpy()
    return {level: conformal_quantile(values, level / 100) for level in LEVELS} | {0: float(len(values))}


def period_interval(rows: pd.DataFrame, ahead: pd.DataFrame, horizons: list[int], scale: float) -> dict[str, float]:
    """A sum of future months (a quarter's months left) with its calibrated 80% and 95% bounds.

    ahead: the forecast of the months ahead (columns horizon, forecast); rows: the model's backtest rows.
    Returns forecast, lower_80, upper_80, lower_95, upper_95 and scores (origins behind the quantiles).
    """
    total = float(ahead.loc[ahead["horizon"].isin(horizons), "forecast"].sum())
    quantiles = period_quantiles(rows, horizons)
    out = {"forecast": total, "scores": quantiles[0]}
    for level in LEVELS:
        half = quantiles[level] * scale
        out[f"lower_{level}"] = max(total - half, 0.0)
        out[f"upper_{level}"] = total + half
    return out


def coverage_tone(share: object) -> str:
    """How an 80% interval's coverage stands: good inside COVERAGE_AIM_80, warn outside, '' when unmeasured."""
    if not isinstance(share, int | float) or math.isnan(share):
        return ""
    return "good" if COVERAGE_AIM_80[0] <= share <= COVERAGE_AIM_80[1] else "warn"
