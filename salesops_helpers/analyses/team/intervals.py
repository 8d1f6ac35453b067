"""How sure a rate built on few deals is: the Wilson score interval."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

LEVEL = 0.90  # the interval shown beside a rate or mean (90%: a one-in-ten chance the truth lies outside)


def z_value(level: float = LEVEL) -> float:
    """The two-sided standard normal quantile for a confidence level (1.645 for 90%)."""
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson_interval(
    successes: pd.Series | np.ndarray, trials: pd.Series | np.ndarray, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a rate p = k/n: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) ÷ (1 + z²/n); missing at n = 0."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high
