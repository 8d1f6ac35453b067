"""Time in stage: how long stays last, with stays still going counted as censored (Kaplan-Meier)."""

from __future__ import annotations

import numpy as np
import pandas as pd

QUANTILES = {"median": 0.5, "p75": 0.75, "p90": 0.9}


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


def naive_quantile(days: np.ndarray, ended: np.ndarray, share: float) -> float:
    """Closed-only time in stage at a quantile: the quantile over finished stays alone (understates when many stays
    are still going)."""
    finished = np.asarray(days, dtype=float)[np.asarray(ended, dtype=bool)]
    return float(np.quantile(finished, share)) if len(finished) else float("nan")


def time_in_stage(stays: pd.DataFrame, stages: list[str], by: list[str] | None = None) -> pd.DataFrame:
    """Per open stage (and group): stays, stays still going, then median, p75 and p90 days by Kaplan-Meier and by
    finished stays alone; a deal's first stay of unknown start (truncated) is left out."""
    by = list(by or [])
    keep = stays["outcome"] == "open"
    if "truncated" in stays.columns:
        keep &= ~stays["truncated"].astype(bool)
    open_stays = stays[keep] if len(stays) else stays
    rows = []
    groups = open_stays.groupby([*by, "stage"], observed=True, sort=False) if len(open_stays) else []
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        days, ended = part["days"].to_numpy(float), part["ended"].to_numpy(bool)
        row = dict(zip([*by, "stage"], key, strict=True))
        row.update(stays=len(part), still_in=int((~ended).sum()))
        row.update({f"km_{name}": km_quantile(days, ended, q) for name, q in QUANTILES.items()})
        row.update({f"naive_{name}": naive_quantile(days, ended, q) for name, q in QUANTILES.items()})
        rows.append(row)
    columns = [*by, "stage", "stays", "still_in"]
    columns += [f"{kind}_{name}" for kind in ("km", "naive") for name in QUANTILES]
    table = pd.DataFrame(rows, columns=columns)
    table["stage"] = pd.Categorical(table["stage"].astype("object"), categories=stages)
    return table.sort_values([*by, "stage"], ignore_index=True).dropna(subset=["stage"]).reset_index(drop=True)
