"""The forecasting models, each fitted on a monthly series and forecasting h months ahead with 80% and 95% intervals.

Every model takes the training values (oldest first, one per month) and the month of the first value, and returns
a ModelForecast. Forecasts and interval bounds are clipped at zero: bookings cannot be negative.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

SEASON = 12  # months in a year: the seasonal period of every model
LEVELS = (80, 95)  # the interval levels, in percent
SEED = 7  # Prophet's sampling of its intervals and Stan's optimiser are seeded with it


@dataclass(frozen=True)
class ModelForecast:
    """h forecasts (mean) with lower and upper interval bounds per level (80, 95)."""

    mean: np.ndarray
    lower: dict[int, np.ndarray]
    upper: dict[int, np.ndarray]


def _clipped(mean: np.ndarray, lower: dict[int, np.ndarray], upper: dict[int, np.ndarray]) -> ModelForecast:
    """A forecast whose values and bounds are at least zero."""
    return ModelForecast(
        np.clip(np.asarray(mean, dtype=float), 0, None),
        {level: np.clip(np.asarray(v, dtype=float), 0, None) for level, v in lower.items()},
        {level: np.clip(np.asarray(v, dtype=float), 0, None) for level, v in upper.items()},
    )


def _normal(mean: np.ndarray, spread: np.ndarray) -> ModelForecast:
    """Intervals mean ± z × spread, z the standard normal quantile of each level."""
    z = {level: norm.ppf(0.5 + level / 200) for level in LEVELS}
    return _clipped(mean, {lv: mean - z[lv] * spread for lv in LEVELS}, {lv: mean + z[lv] * spread for lv in LEVELS})


def naive(y: np.ndarray, start: pd.Timestamp, h: int) -> ModelForecast:
    """Every month ahead equals the last month; spread σ√k, σ the root mean square of month-on-month changes."""
    changes = np.diff(y)
    sigma = float(np.sqrt(np.mean(changes**2))) if len(changes) else 0.0
    return _normal(np.full(h, float(y[-1])), sigma * np.sqrt(np.arange(1, h + 1)))


def seasonal_naive(y: np.ndarray, start: pd.Timestamp, h: int) -> ModelForecast:
    """Each month ahead equals the same month a year earlier (naive when the series is shorter than a year);
    spread σ√(years ahead), σ the root mean square of year-on-year changes."""
    if len(y) < SEASON:
        return naive(y, start, h)
    steps = np.arange(h)
    mean = np.asarray(y, dtype=float)[len(y) - SEASON + steps % SEASON]
    changes = y[SEASON:] - y[:-SEASON]
    sigma = float(np.sqrt(np.mean(changes**2))) if len(changes) else float(np.std(y))
    return _normal(mean, sigma * np.sqrt(steps // SEASON + 1))


# ETS forms tried, as (error, trend, damped, seasonal); each needs enough data for its parameters (see _ets_fits).
ETS_FORMS = [
    ("add", None, False, None),
    ("add", "add", True, None),
    ("add", None, False, "add"),
    ("add", "add", True, "add"),
    ("mul", None, False, "mul"),
    ("mul", "add", True, "mul"),
]


def _parameters(trend: str | None, damped: bool, seasonal: str | None) -> int:
    """Number of estimated values of an ETS form: smoothing parameters, damping and initial states."""
    count = 2  # alpha and the initial level
    count += 2 if trend else 0
    count += 1 if damped else 0
    count += SEASON if seasonal else 0  # gamma and 11 free initial seasonal states
    return count


def ets(y: np.ndarray, start: pd.Timestamp, h: int) -> ModelForecast:
    """Exponential smoothing (statsmodels ETSModel): of the forms in ETS_FORMS that the series is long enough for
    (at least 4 more months than estimated values, as R's forecast::ets asks), the one with the lowest AICc."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    values = pd.Series(np.asarray(y, dtype=float), index=pd.date_range(start, periods=len(y), freq="MS"))
    best = None
    for error, trend, damped, seasonal in ETS_FORMS:
        if len(values) < _parameters(trend, damped, seasonal) + 4:
            continue
        if (error == "mul" or seasonal == "mul") and values.min() <= 0:
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                fit = ETSModel(
                    values,
                    error=error,
                    trend=trend,
                    damped_trend=damped,
                    seasonal=seasonal,
                    seasonal_periods=SEASON if seasonal else None,
                ).fit(disp=False, maxiter=200)
            except (ValueError, np.linalg.LinAlgError):
                continue
        if np.isfinite(fit.aicc) and (best is None or fit.aicc < best.aicc):
            best = fit
    if best is None:
        return naive(values.to_numpy(), start, h)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        # the intervals of forms with a multiplicative part are simulated: seeded, or they change from run to run
        prediction = best.get_prediction(start=len(values), end=len(values) + h - 1, rng=np.random.default_rng(SEED))
        mean = np.asarray(prediction.predicted_mean, dtype=float)
        frames = {level: prediction.summary_frame(alpha=1 - level / 100) for level in LEVELS}
    return _clipped(
        mean,
        {level: frame["pi_lower"].to_numpy() for level, frame in frames.items()},
        {level: frame["pi_upper"].to_numpy() for level, frame in frames.items()},
    )


def theta(y: np.ndarray, start: pd.Timestamp, h: int) -> ModelForecast:
    """The Theta method (statsmodels ThetaModel, theta = 2): drift plus simple exponential smoothing of the series
    with its yearly pattern taken out multiplicatively (left in when it has fewer than two years, or zeros)."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    values = pd.Series(
        np.asarray(y, dtype=float), index=pd.date_range(start, periods=len(y), freq="MS"), name="bookings"
    )
    seasonal = len(values) >= 2 * SEASON and values.min() > 0
    if len(values) < 4:
        return naive(values.to_numpy(), start, h)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        fit = ThetaModel(values, period=SEASON, deseasonalize=seasonal, use_test=False).fit()
        mean = fit.forecast(h).to_numpy()
        bounds = {level: fit.prediction_intervals(h, alpha=1 - level / 100) for level in LEVELS}
    return _clipped(
        mean,
        {level: frame["lower"].to_numpy() for level, frame in bounds.items()},
        {level: frame["upper"].to_numpy() for level, frame in bounds.items()},
    )


# Months an airline model needs before it takes the yearly pattern: two years to difference twice, and half a year.
AIRLINE_MONTHS = 2 * SEASON + 6


def arima(y: np.ndarray, start: pd.Timestamp, h: int) -> ModelForecast:
    """Seasonal ARIMA(0,1,1)(0,1,1)12, the "airline model" (statsmodels SARIMAX), fitted to the logarithm of the
    series when every month is above zero (the forecast is then the median); ARIMA(0,1,1) with fewer than
    AIRLINE_MONTHS months; naive when the fit fails."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    values = np.asarray(y, dtype=float)
    logged = bool(values.min() > 0)
    seasonal = (0, 1, 1, SEASON) if len(values) >= AIRLINE_MONTHS else (0, 0, 0, 0)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            # the variance concentrated out of the likelihood: one parameter fewer, fitted in half the time
            fit = SARIMAX(
                np.log(values) if logged else values, order=(0, 1, 1), seasonal_order=seasonal, concentrate_scale=True
            ).fit(disp=False)
            prediction = fit.get_forecast(h)
            mean = np.asarray(prediction.predicted_mean, dtype=float)
            bounds = {level: np.asarray(prediction.conf_int(alpha=1 - level / 100)) for level in LEVELS}
        except (ValueError, np.linalg.LinAlgError):
            return naive(values, start, h)
    if not np.isfinite(mean).all():
        return naive(values, start, h)
    back = np.exp if logged else np.asarray
    return _clipped(
        back(mean),
        {level: back(bound[:, 0]) for level, bound in bounds.items()},
        {level: back(bound[:, 1]) for level, bound in bounds.items()},
    )


def quiet_prophet() -> None:
    """Silence Prophet and cmdstanpy: their progress lines and the notice that plotly is missing."""
    logging.getLogger("cmdstanpy").disabled = True
    for name in ("prophet", "prophet.plot", "prophet.models", "prophet.forecaster"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# The yearly pattern's sine/cosine pairs: one per full year of history, at least 2 and at most 6 (6 pairs fit any
# monthly pattern). Prophet's default of 10 overfits a few years of months.
PROPHET_FOURIER_ORDER = (2, 6)


def fourier_order(months: int) -> int:
    """Sine/cosine pairs of Prophet's yearly pattern for a series of this many months: years of history, 2 to 6."""
    return min(max(months // SEASON, PROPHET_FOURIER_ORDER[0]), PROPHET_FOURIER_ORDER[1])


def prophet(y: np.ndarray, start: pd.Timestamp, h: int) -> ModelForecast:
    """Prophet set up for months: linear trend, a multiplicative yearly pattern (fourier_order pairs; none with a
    year or less), no weekly or daily pattern, month-start dates; seeded; forecasts and bounds clipped at 0."""
    quiet_prophet()
    from prophet import Prophet

    history = pd.DataFrame({"ds": pd.date_range(start, periods=len(y), freq="MS"), "y": np.asarray(y, dtype=float)})
    model = Prophet(
        growth="linear",
        yearly_seasonality=False,
        weekly_seasonality=False,
        daily_seasonality=False,
        seasonality_mode="multiplicative",
        interval_width=0.8,
        uncertainty_samples=300,
    )
    if len(y) > SEASON:
        model.add_seasonality("yearly", period=365.25, fourier_order=fourier_order(len(y)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(history, seed=SEED)
        future = model.make_future_dataframe(periods=h, freq="MS", include_history=False)
        state = np.random.get_state()
        np.random.seed(SEED)
        try:
            samples = model.predictive_samples(future)["yhat"]
            model.uncertainty_samples = 0  # the mean needs no second round of sampling
            mean = model.predict(future)["yhat"].to_numpy()
        finally:
            np.random.set_state(state)
    lower = {level: np.percentile(samples, 50 - level / 2, axis=1) for level in LEVELS}
    upper = {level: np.percentile(samples, 50 + level / 2, axis=1) for level in LEVELS}
    return _clipped(mean, lower, upper)


Model = Callable[[np.ndarray, pd.Timestamp, int], ModelForecast]

# The models of the backtest, by the name reports use; "combination" is the mean of COMBINED (see backtest).
MODELS: dict[str, Model] = {
    "naive": naive,
    "seasonal naive": seasonal_naive,
    "ETS": ets,
    "Theta": theta,
    "Prophet": prophet,
    "ARIMA": arima,
}
# Four families whose errors partly offset. On 23 public monthly series (bench/forecast_benchmark.py) their mean
# scored a pooled MASE 15% below the former mean of seasonal naive, Theta and Prophet, and on the demo 9% below.
COMBINED = ("ETS", "Theta", "ARIMA", "Prophet")
COMBINATION = "combination"
MODEL_NAMES = [*MODELS, COMBINATION]


def combine(forecasts: list[ModelForecast]) -> ModelForecast:
    """The mean of several forecasts, bound by bound."""
    return ModelForecast(
        np.mean([f.mean for f in forecasts], axis=0),
        {level: np.mean([f.lower[level] for f in forecasts], axis=0) for level in LEVELS},
        {level: np.mean([f.upper[level] for f in forecasts], axis=0) for level in LEVELS},
    )
