"""Forecast accuracy measures, each defined once: MASE, WAPE, sMAPE, bias and interval coverage.

e = forecast − actual for each (origin, horizon) pair of a backtest; sums and means run over all pairs pooled.
"""

from __future__ import annotations

import numpy as np

SEASON = 12


def mase_scale(train: np.ndarray, season: int = SEASON) -> float:
    """Mean |y(t) − y(t − 12)| over the training months: the in-sample error of the seasonal naive forecast.

    With 12 months or fewer there is no year-on-year change, so the scale falls back to the naive one,
    mean |y(t) − y(t − 1)|. Missing (NaN) when the scale is 0 (a flat series) or there is a single month.
    """
    values = np.asarray(train, dtype=float)
    lag = season if len(values) > season else 1
    if len(values) <= lag:
        return float("nan")
    scale = float(np.mean(np.abs(values[lag:] - values[:-lag])))
    return scale if scale > 0 else float("nan")


def mase(forecast: np.ndarray, actual: np.ndarray, scale: np.ndarray) -> float:
    """Mean of |e| ÷ scale, each error scaled by the seasonal-naive scale of its origin (mase_scale); below 1 beats
    the seasonal naive forecast's in-sample error."""
    scaled = np.abs(np.asarray(forecast) - np.asarray(actual)) / np.asarray(scale, dtype=float)
    scaled = scaled[np.isfinite(scaled)]
    return float(np.mean(scaled)) if len(scaled) else float("nan")


def wape(forecast: np.ndarray, actual: np.ndarray) -> float:
    """Σ|e| ÷ Σ|actual|: the error as a share of what was booked."""
    total = float(np.sum(np.abs(actual)))
    return float(np.sum(np.abs(np.asarray(forecast) - np.asarray(actual)))) / total if total > 0 else float("nan")


def smape(forecast: np.ndarray, actual: np.ndarray) -> float:
    """Mean of 2|e| ÷ (|forecast| + |actual|), a pair with both at 0 counting as 0; between 0 and 2."""
    f, a = np.abs(np.asarray(forecast, dtype=float)), np.abs(np.asarray(actual, dtype=float))
    denominator = f + a
    terms = np.divide(
        2 * np.abs(np.asarray(forecast) - np.asarray(actual)),
        denominator,
        where=denominator > 0,
        out=np.zeros_like(denominator),
    )
    return float(np.mean(terms)) if len(terms) else float("nan")


def bias(forecast: np.ndarray, actual: np.ndarray) -> float:
    """Σe ÷ Σactual: above 0 the forecasts ran high (over-forecast), below 0 low."""
    total = float(np.sum(actual))
    return float(np.sum(np.asarray(forecast) - np.asarray(actual))) / total if total else float("nan")


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actuals inside their interval, lower ≤ actual ≤ upper."""
    inside = (np.asarray(actual) >= np.asarray(lower)) & (np.asarray(actual) <= np.asarray(upper))
    return float(np.mean(inside)) if len(inside) else float("nan")
