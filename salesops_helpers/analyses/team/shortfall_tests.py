"""Is a rep really short of their peers? One-sided two-sample tests, and Holm's correction across reps.

Both the rep's and the peers' figures carry noise, so each test compares two samples; the p-value is the chance of a
shortfall at least this large if the rep were in truth as good as the peers.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

_NORMAL = NormalDist()


def _below(z: np.ndarray) -> np.ndarray:
    """One-sided p-values P(Z ≤ z), missing where z is."""
    return np.array([np.nan if np.isnan(v) else _NORMAL.cdf(v) for v in z], dtype=float)


def rate_shortfall_p(k: pd.Series, n: pd.Series, peer_k: pd.Series, peer_n: pd.Series) -> np.ndarray:
    """Two-proportion z-test of k/n below K/N: z = (k/n − K/N) ÷ √(p̄(1−p̄)(1/n + 1/N)), p̄ = (k+K)/(n+N); p = Φ(z)."""
    k, n, big_k, big_n = (np.asarray(v, dtype=float) for v in (k, n, peer_k, peer_n))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k + big_k) / (n + big_n)
        z = (k / n - big_k / big_n) / np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / big_n))
    z[(n == 0) | (big_n == 0) | ~np.isfinite(z)] = np.nan
    return _below(z)


def log_mean_shortfall_p(values: pd.Series, peer_values: pd.Series) -> float:
    """Welch z-test of the mean log amount below the peers': z = (m − M) ÷ √(s²/n + S²/N) on log amounts, which
    suits skewed deal sizes; missing below 3 values on either side."""
    a, b = np.log(values.clip(lower=1).dropna()), np.log(peer_values.clip(lower=1).dropna())
    if len(a) < 3 or len(b) < 3:
        return float("nan")
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return float(_below(np.array([(a.mean() - b.mean()) / se]))[0]) if se > 0 else float("nan")


def count_rate_shortfall_p(
    count: pd.Series, exposure: pd.Series, peer_count: pd.Series, peer_exposure: pd.Series
) -> np.ndarray:
    """Poisson rate test of c/t below C/T: z = (c/t − C/T) ÷ √(c/t² + C/T²) (counts per month); p = Φ(z)."""
    c, t, big_c, big_t = (np.asarray(v, dtype=float) for v in (count, exposure, peer_count, peer_exposure))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (c / t - big_c / big_t) / np.sqrt(c / t**2 + big_c / big_t**2)
    z[(t == 0) | (big_t == 0) | ~np.isfinite(z)] = np.nan
    return _below(z)


def holm_significant(p_values: pd.Series, alpha: float) -> pd.Series:
    """Holm's step-down rule: sorted p(1) ≤ … ≤ p(m), reject while p(i) ≤ α ÷ (m − i + 1); keeps the chance of any
    false flag among the m tests at most α. Missing p-values are never significant and do not count in m."""
    known = p_values.dropna().sort_values(kind="stable")
    m = len(known)
    significant = pd.Series(False, index=p_values.index)
    for i, (index, value) in enumerate(known.items()):
        if value > alpha / (m - i):
            break
        significant[index] = True
    return significant
