"""Survival curves: how long something lasts when some of it is still going (Kaplan-Meier)."""

from __future__ import annotations

import numpy as np


def kaplan_meier(days: np.ndarray, ended: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The share of stays still going after each time t at which some stay ended: S(t) = product over ending times
    u ≤ t of (1 − stays ended at u ÷ stays lasting at least u); a stay still going at t counts as lasting at least t."""
    days = np.asarray(days, dtype=float)
    ended = np.asarray(ended, dtype=bool)
    if len(days) == 0:
        return np.zeros(0), np.zeros(0)
    times, inverse = np.unique(days, return_inverse=True)
    endings = np.bincount(inverse, weights=ended, minlength=len(times))
    leaving = np.bincount(inverse, minlength=len(times))
    at_risk = len(days) - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    has_end = endings > 0
    survival = np.cumprod(1.0 - endings[has_end] / at_risk[has_end])
    return times[has_end], survival


def km_quantile(days: np.ndarray, ended: np.ndarray, share: float) -> float:
    """Kaplan-Meier time in stage at a quantile: the first time t at which S(t) ≤ 1 − share (missing when S never
    falls that low: too many of the longest stays are still going)."""
    times, survival = kaplan_meier(days, ended)
    reached = np.nonzero(survival <= 1.0 - share + 1e-12)[0]
    return float(times[reached[0]]) if len(reached) else float("nan")
