"""The forecast a report shows: the backtest, the default model (the combination) and every model's forecast of
the months ahead with calibrated intervals, put together once for the notebook, the store and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesops_helpers.analyses.forecast import accuracy, intervals
from salesops_helpers.analyses.forecast.backtest import (
    HORIZON,
    MAX_ORIGINS,
    Backtest,
    accuracy_by_horizon,
    accuracy_table,
    champion,
    default_model,
    forecast_ahead,
    forecasts_ahead,
    run_backtest,
)
from salesops_helpers.analyses.forecast.models import LEVELS
from salesops_helpers.analyses.forecast.pipeline_forecast import QuarterForecast
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.formatting import plural
from salesops_helpers.metrics.readiness import MIN_ORIGINS, MIN_TRAIN, available_origins, forecast_ready


@dataclass
class Outlook:
    """The backtest of a monthly series and the forecasts that follow from it (empty when it is too short)."""

    series: pd.Series
    horizon: int
    backtest: Backtest | None = None
    accuracy: pd.DataFrame | None = None  # accuracy_table, with calibrated coverage added
    by_horizon: pd.DataFrame | None = None
    default: str | None = None  # the default model (backtest.default_model): the combination, as a rule
    ahead: dict[str, pd.DataFrame] = field(default_factory=dict)  # per model: calibrated and raw_ bounds
    scale: float = float("nan")  # mase_scale of the whole series: the unit of calibrated widths now
    reason: str = ""  # why there is no backtest

    @property
    def ready(self) -> bool:
        """Whether the series was long enough for a backtest and a forecast."""
        return self.default is not None

    @property
    def origins(self) -> int:
        """How many origins the backtest used."""
        return 0 if self.backtest is None else len(self.backtest.origins)

    def rows(self, model: str) -> pd.DataFrame:
        """One model's backtest rows."""
        assert self.backtest is not None
        return self.backtest.forecasts[self.backtest.forecasts["model"] == model]


def coverage_table(backtest: Backtest) -> pd.DataFrame:
    """Per model: raw (the model's own) and calibrated interval coverage, both measured on the same rows without
    hindsight, and the adapted level the calibrated intervals aim at now (intervals.coverage_check). Columns:
    model, raw_80, calibrated_80, adapted_80, raw_95, calibrated_95, adapted_95, rows."""
    out = []
    for name in backtest.forecasts["model"].unique():
        check = intervals.coverage_check(backtest.forecasts[backtest.forecasts["model"] == name]).set_index("level")
        row = {"model": name}
        for level in LEVELS:
            row[f"raw_{level}"] = check.loc[level, "raw"]
            row[f"calibrated_{level}"] = check.loc[level, "calibrated"]
            row[f"adapted_{level}"] = check.loc[level, "adapted"]
        row["rows"] = int(check["rows"].iloc[0])
        out.append(row)
    return pd.DataFrame(out)


def build_outlook(
    series: pd.Series, horizon: int = HORIZON, max_origins: int = MAX_ORIGINS, min_origins: int = MIN_ORIGINS
) -> Outlook:
    """Backtest every model over the last max_origins months (fewer when the series is shorter, but at least
    min_origins), take the default model (default_model: the combination), and forecast the months ahead with each
    model, intervals calibrated from its own backtest errors. Not ready (no default model, reason says why) when the
    series is too short or the default model's MASE is not finite (a flat or all-zero series).

    accuracy: accuracy_table (coverage_80/95 over every scored row) with raw_80/95 and calibrated_80/95 from
    coverage_table, the two measured on the same rows (coverage_rows of them)."""
    outlook = Outlook(series, horizon)
    if not forecast_ready(len(series), min_origins):  # the rule data health applies too
        outlook.reason = (
            f"there is too little history for a backtest (the series has {plural(len(series), 'month')}, "
            f"and a backtest over {min_origins} origins needs at least "
            f"{min_origins + MIN_TRAIN}: {MIN_TRAIN} months to fit before the first origin)"
        )
        return outlook
    outlook.backtest = run_backtest(series, horizon, min(max_origins, available_origins(len(series))))
    table = accuracy_table(outlook.backtest)
    coverage = coverage_table(outlook.backtest).set_index("model")
    for level in LEVELS:
        table[f"raw_{level}"] = table["model"].map(coverage[f"raw_{level}"])
        table[f"calibrated_{level}"] = table["model"].map(coverage[f"calibrated_{level}"])
    table["coverage_rows"] = table["model"].map(coverage["rows"])
    outlook.accuracy = table
    outlook.by_horizon = accuracy_by_horizon(outlook.backtest)
    best = default_model(table)
    if not np.isfinite(table.set_index("model").loc[best, "mase"]):
        outlook.reason = (
            "the backtest could not measure any model's accuracy (the series does not change from year to year, "
            "flat or all zero, so no error can be scaled and MASE is undefined)"
        )
        return outlook
    outlook.default = best
    outlook.scale = accuracy.mase_scale(series.to_numpy(dtype=float))
    for name, raw in forecasts_ahead(series, list(table["model"]), horizon).items():
        levels = {level: float(coverage.loc[name, f"adapted_{level}"]) for level in LEVELS}
        quantiles = intervals.horizon_quantiles(outlook.rows(name), horizon, levels)
        calibrated = intervals.calibrate(raw[["month", "horizon", "forecast"]], quantiles, outlook.scale)
        for level in LEVELS:
            calibrated[f"raw_lower_{level}"] = raw[f"lower_{level}"].to_numpy()
            calibrated[f"raw_upper_{level}"] = raw[f"upper_{level}"].to_numpy()
        outlook.ahead[name] = calibrated
    return outlook


def quarter_time_series(outlook: Outlook, view: QuarterForecast, model: str | None = None) -> dict[str, float] | None:
    """A model's forecast of a quarter (the default model's unless named): booked so far + its forecast of the
    months left, with calibrated 80% and 95% bounds from its backtest errors on sums of those horizons."""
    model = model or outlook.default
    if model is None or not view.horizons or max(view.horizons) > outlook.horizon:
        return None
    rest = intervals.period_interval(outlook.rows(model), outlook.ahead[model], view.horizons, outlook.scale)
    return {key: value + view.booked if key != "scores" else value for key, value in rest.items()}


def backtest_summary(series: pd.Series, horizon: int, origins: int) -> tuple[pd.DataFrame, str]:
    """What `salesops backtest` prints: per model mase, wape, smape, bias, coverage_80 and coverage_95 (calibrated
    intervals, measured without hindsight) and seconds; and the champion (best pooled MASE)."""
    return summary_of(run_backtest(series, horizon, origins))


def summary_of(backtest: Backtest) -> tuple[pd.DataFrame, str]:
    """backtest_summary of a backtest already run."""
    table = accuracy_table(backtest)
    coverage = coverage_table(backtest).set_index("model")
    table["coverage_80"] = table["model"].map(coverage["calibrated_80"])
    table["coverage_95"] = table["model"].map(coverage["calibrated_95"])
    columns = ["model", "mase", "wape", "smape", "bias", "coverage_80", "coverage_95", "seconds"]
    return table[columns], champion(table)


# Beyond this many teams, each team's forecast is its share of the company's (group_forecasts).
MOST_MODELLED_GROUPS = 40


def group_forecasts(
    wide: pd.DataFrame, model: str, quarter: Period, horizons: list[int], company_rest: float | None = None
) -> pd.DataFrame:
    """Per group (a column of wide, months as rows): bookings over the last twelve months, booked so far in the
    quarter, and the forecast of the quarter's months left (no backtest per group): the model's forecast of the
    group's own series, or, with more than MOST_MODELLED_GROUPS groups and the company's forecast of those months
    (company_rest) given, the company's forecast split by each group's share of the last twelve months' bookings
    (top-down: many small series are too noisy to model one by one, and fitting each takes minutes).

    Columns: group, last_twelve_months, booked, forecast_rest, quarter_total.
    """
    series_of = {name: _monthly(wide[name]) for name in wide.columns}
    last_year = {name: float(series.tail(12).sum()) for name, series in series_of.items()}
    top_down = company_rest is not None and len(series_of) > MOST_MODELLED_GROUPS
    total = sum(last_year.values())
    rows = []
    for name, series in series_of.items():
        if top_down:
            rest = float(company_rest or 0.0) * (last_year[name] / total if total > 0 else 1 / len(series_of))
        else:
            ahead = forecast_ahead(series, model, max(horizons)) if horizons else None
            rest = 0.0 if ahead is None else float(ahead.loc[ahead["horizon"].isin(horizons), "forecast"].sum())
        booked = float(series[series.index >= quarter.start].sum())
        rows.append(
            {
                "group": name,
                "last_twelve_months": last_year[name],
                "booked": booked,
                "forecast_rest": rest,
                "quarter_total": booked + rest,
            }
        )
    return pd.DataFrame(rows)


def _monthly(column: pd.Series) -> pd.Series:
    """A column of monthly bookings as floats on month starts."""
    series = column.astype(float)
    series.index = pd.DatetimeIndex(series.index, freq="MS")
    return series
