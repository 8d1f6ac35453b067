"""Rolling-origin backtest: each model refitted at each of the last N months (expanding window), forecasting
horizons 1 to H, scored against what was booked."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesops_helpers.analyses.forecast import accuracy
from salesops_helpers.analyses.forecast.defaults import HORIZON, MAX_ORIGINS
from salesops_helpers.analyses.forecast.models import (
    COMBINATION,
    COMBINED,
    LEVELS,
    MODELS,
    Model,
    ModelForecast,
    combine,
)
from salesops_helpers.errors import SalesopsError

# How long a series must be for a backtest is the readiness rule data health applies too (metrics.readiness).
from salesops_helpers.metrics.readiness import MIN_ORIGINS, MIN_TRAIN, available_origins  # noqa: F401 (re-exported)


class TooShortError(SalesopsError, ValueError):
    """A series with too few months for the backtest asked for."""


def origin_positions(months: int, origins: int, min_train: int = MIN_TRAIN) -> list[int]:
    """Positions (0-based) of the last month of training at each origin: the last `origins` months but the last."""
    if origins < 1:
        raise TooShortError("a backtest needs at least one origin")
    if available_origins(months, min_train) < origins:
        raise TooShortError(
            f"the series has {months} months; {origins} origins need at least {origins + min_train} "
            f"({min_train} months of training before the first origin, and a month after the last to score)"
        )
    return list(range(months - origins - 1, months - 1))


@dataclass
class Backtest:
    """Every model's forecasts at every origin (one row per model, origin and horizon) and its fitting time."""

    series: pd.Series
    horizon: int
    forecasts: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def origins(self) -> list[pd.Timestamp]:
        """The months whose end is each forecast's starting point."""
        return sorted(self.forecasts["origin"].unique())

    @property
    def scored(self) -> pd.DataFrame:
        """The rows whose month has an actual to compare with."""
        return self.forecasts[self.forecasts["actual"].notna()]


def _rows(
    name: str, forecast: ModelForecast, origin: pd.Timestamp, series: pd.Series, position: int, scale: float
) -> list[dict]:
    rows = []
    for step in range(len(forecast.mean)):
        target = position + 1 + step
        row = {
            "model": name,
            "origin": origin,
            "horizon": step + 1,
            "month": origin + pd.DateOffset(months=step + 1),
            "actual": float(series.iloc[target]) if target < len(series) else np.nan,
            "forecast": float(forecast.mean[step]),
            "scale": scale,
        }
        for level in LEVELS:
            row[f"lower_{level}"] = float(forecast.lower[level][step])
            row[f"upper_{level}"] = float(forecast.upper[level][step])
        rows.append(row)
    return rows


# The models whose fit runs in a process of its own (Prophet's Stan optimiser), fitted in a forked process beside the
# others, so that both cores work: in a thread, its many short steps would queue for Python's lock behind the others.
FITTED_BESIDE = ("Prophet",)


def _fits(
    models: dict[str, Model], values: np.ndarray, positions: list[int], start: pd.Timestamp, horizon: int
) -> tuple[dict[tuple[int, str], ModelForecast], dict[str, float]]:
    """Each model's forecast at each origin, fitted on the months up to it, and each model's seconds in all."""
    made = {}
    seconds = dict.fromkeys(models, 0.0)
    for position in positions:
        for name, model in models.items():
            clock = time.perf_counter()
            made[position, name] = model(values[: position + 1], start, horizon)
            seconds[name] += time.perf_counter() - clock
    return made, seconds


def cores() -> int:
    """The cores this process may use: OMP_NUM_THREADS when set (the batch gives each of two notebooks side by side
    one, batch/execute.py), else the processors it may run on."""
    allotted = os.environ.get("OMP_NUM_THREADS", "").strip()
    if allotted.isdigit() and int(allotted) > 0:
        return int(allotted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _fork() -> multiprocessing.context.BaseContext | None:
    """The fork start method where it is safe and cheap (Linux: the child shares the loaded libraries) and a second
    core is free for it, else None (a forked worker on a busy machine only adds its cost: the demo batch with two
    jobs took 8% more CPU so)."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods() or cores() < 2:
        return None
    return multiprocessing.get_context("fork")


def run_backtest(
    series: pd.Series,
    horizon: int = HORIZON,
    origins: int = MAX_ORIGINS,
    models: dict[str, Model] | None = None,
    min_train: int = MIN_TRAIN,
) -> Backtest:
    """Refit each model at each origin on the months up to it only (expanding window) and forecast `horizon` months.

    series: monthly values indexed by month start. The combination (mean of the models in COMBINED) is added when all
    of them are among the models. Rows: model, origin, horizon, month, actual (NaN past the data), forecast,
    scale (mase_scale of the training months), lower_80, upper_80, lower_95, upper_95.
    """
    from threadpoolctl import threadpool_limits

    models = MODELS if models is None else models
    values = series.to_numpy(dtype=float)
    positions = origin_positions(len(values), origins, min_train)
    start = pd.Timestamp(series.index[0])
    rows: list[dict] = []
    beside = {name: model for name, model in models.items() if name in FITTED_BESIDE}
    rest = {name: model for name, model in models.items() if name not in FITTED_BESIDE}
    context = _fork() if beside and rest else None
    # One BLAS thread: the models' matrices are small, and a second thread only spins on the core the other process
    # needs. Each fit is seeded, so the frame is the same whichever process makes it.
    with threadpool_limits(limits=1):
        if context is None:
            made, seconds = _fits(models, values, positions, start, horizon)
        else:
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                later = pool.submit(_fits, beside, values, positions, start, horizon)
                made, seconds = _fits(rest, values, positions, start, horizon)
                made_beside, seconds_beside = later.result()
            made |= made_beside
            seconds = {name: (seconds | seconds_beside)[name] for name in models}
    for position in positions:
        origin = pd.Timestamp(series.index[position])
        scale = accuracy.mase_scale(values[: position + 1])
        for name in models:
            rows += _rows(name, made[position, name], origin, series, position, scale)
        if all(name in models for name in COMBINED):
            combined = combine([made[position, name] for name in COMBINED])
            rows += _rows(COMBINATION, combined, origin, series, position, scale)
    if all(name in models for name in COMBINED):
        seconds[COMBINATION] = sum(seconds[n] for n in COMBINED)
    return Backtest(series, horizon, pd.DataFrame(rows), seconds)


def _measures(rows: pd.DataFrame) -> dict[str, float]:
    f, a = rows["forecast"].to_numpy(), rows["actual"].to_numpy()
    return {
        "mase": accuracy.mase(f, a, rows["scale"].to_numpy()),
        "wape": accuracy.wape(f, a),
        "smape": accuracy.smape(f, a),
        "bias": accuracy.bias(f, a),
        **{
            f"coverage_{level}": accuracy.coverage(a, rows[f"lower_{level}"], rows[f"upper_{level}"])
            for level in LEVELS
        },
    }


def accuracy_table(backtest: Backtest) -> pd.DataFrame:
    """One row per model, pooled over every origin and horizon: mase, wape, smape, bias, coverage_80 and
    coverage_95 of the model's own (raw) intervals, beats_seasonal_naive (share of origins where its mean scaled
    error is below seasonal naive's) and seconds; best MASE first."""
    scored = backtest.scored
    per_origin = scored.assign(scaled=(scored["forecast"] - scored["actual"]).abs() / scored["scale"])
    per_origin = per_origin.groupby(["model", "origin"])["scaled"].mean().unstack("model")
    rows = []
    for name, rows_of_model in scored.groupby("model", sort=False):
        row = {"model": name, **_measures(rows_of_model)}
        if "seasonal naive" in per_origin:
            row["beats_seasonal_naive"] = float((per_origin[name] < per_origin["seasonal naive"]).mean())
        row["seconds"] = backtest.seconds.get(name, float("nan"))
        rows.append(row)
    return pd.DataFrame(rows).sort_values("mase", kind="stable").reset_index(drop=True)


def accuracy_by_horizon(backtest: Backtest) -> pd.DataFrame:
    """MASE of each model at each horizon: one row per horizon, one column per model."""
    scored = backtest.scored
    table = {
        name: rows.groupby("horizon").apply(
            lambda r: accuracy.mase(r["forecast"], r["actual"], r["scale"]), include_groups=False
        )
        for name, rows in scored.groupby("model", sort=False)
    }
    return pd.DataFrame(table).rename_axis("horizon").reset_index()


def champion(table: pd.DataFrame) -> str:
    """The model with the lowest pooled MASE (the first listed on a tie)."""
    return str(table.sort_values("mase", kind="stable")["model"].iloc[0])


# A single model is the default only when its backtest error is this much below the combination's.
CLEARLY_BETTER = 0.2


def default_model(table: pd.DataFrame) -> str:
    """The model reports forecast with: the combination whenever the backtest measured it (its pooled MASE is a
    number), unless the best single model's pooled MASE is more than CLEARLY_BETTER (20%) below it; otherwise the
    champion. Picking the lowest backtest error overfits the few origins a backtest has: on 23 public monthly
    series the model so chosen at each origin erred 2.7% more than the combination out of sample, while this rule
    erred as much as the best single model (bench/forecast_benchmark.py --public); the margin keeps a model that
    is far better, as Prophet on a smooth series, from being averaged with worse ones."""
    mase = table.set_index("model")["mase"]
    best = champion(table)
    if COMBINATION not in mase.index or not np.isfinite(mase[COMBINATION]):
        return best
    single = mase.drop(COMBINATION).min()
    if single < (1 - CLEARLY_BETTER) * mase[COMBINATION]:
        return str(mase.drop(COMBINATION).idxmin())
    return COMBINATION


def forecast_ahead(series: pd.Series, name: str, horizon: int = HORIZON) -> pd.DataFrame:
    """One model's forecast of the months after the series, fitted on all of it, with the model's own (raw)
    intervals. Columns: month, horizon, forecast, lower_80, upper_80, lower_95, upper_95."""
    return forecasts_ahead(series, [name], horizon)[name]


def forecasts_ahead(series: pd.Series, names: list[str], horizon: int = HORIZON) -> dict[str, pd.DataFrame]:
    """forecast_ahead of several models, each fitted once: the combination reuses its members' fits."""
    values = series.to_numpy(dtype=float)
    start = pd.Timestamp(series.index[0])
    needed = {m for name in names for m in (COMBINED if name == COMBINATION else (name,))}
    fitted = {name: MODELS[name](values, start, horizon) for name in MODELS if name in needed}
    if COMBINATION in names:
        fitted[COMBINATION] = combine([fitted[member] for member in COMBINED])
    return {name: _ahead_frame(series, fitted[name], horizon) for name in names}


def _ahead_frame(series: pd.Series, made: ModelForecast, horizon: int) -> pd.DataFrame:
    last = pd.Timestamp(series.index[-1])
    frame = pd.DataFrame(
        {
            "month": [last + pd.DateOffset(months=k) for k in range(1, horizon + 1)],
            "horizon": range(1, horizon + 1),
            "forecast": made.mean,
        }
    )
    for level in LEVELS:
        frame[f"lower_{level}"] = made.lower[level]
        frame[f"upper_{level}"] = made.upper[level]
    return frame
