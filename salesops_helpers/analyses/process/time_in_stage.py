"""Time in stage: how long stays last, with stays still going counted as censored (Kaplan-Meier)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_helpers.metrics.survival import km_quantile

QUANTILES = {"median": 0.5, "p75": 0.75, "p90": 0.9}


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
