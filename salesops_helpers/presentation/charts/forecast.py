"""Charts of the forecast report: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from salesops_helpers.presentation import style


@style.themed
def forecast_chart(
    history: pd.Series, ahead: pd.DataFrame, currency: str, title: str, warm_up: pd.Series | None = None
) -> Figure:
    """Monthly bookings, then the forecast with its calibrated 80% and 95% intervals as shaded bands."""
    figure, axes = style.figure()
    if warm_up is not None and len(warm_up):
        axes.plot(warm_up.index, warm_up.to_numpy(), color=style.NEUTRAL, linestyle=":", label="warm-up (left out)")
    axes.plot(history.index, history.to_numpy(), color=style.ACTUAL, marker="o", markersize=3, label="bookings")
    months = pd.DatetimeIndex(ahead["month"])
    axes.fill_between(
        months, ahead["lower_95"], ahead["upper_95"], color=style.FORECAST, alpha=0.15, lw=0, label="95% interval"
    )
    axes.fill_between(
        months, ahead["lower_80"], ahead["upper_80"], color=style.FORECAST, alpha=0.3, lw=0, label="80% interval"
    )
    axes.plot(months, ahead["forecast"], color=style.FORECAST, marker="o", markersize=3, label="forecast")
    return _bookings_by_month(figure, axes, title, currency, "Month", 5)


@style.themed
def horizon_chart(by_horizon: pd.DataFrame, default: str, title: str) -> Figure:
    """MASE of each model by months ahead (columns horizon and one per model); the default model drawn bold."""
    figure, axes = style.figure(9, 3.8)
    models = [c for c in by_horizon.columns if c != "horizon"]
    colours = style.category_colours(models)
    for name in models:
        axes.plot(
            by_horizon["horizon"],
            by_horizon[name],
            marker="o",
            markersize=3,
            label=f"{name} (default)" if name == default else name,
            color=colours[str(name)],
            linewidth=2.8 if name == default else 1.2,
            zorder=3 if name == default else 2,
        )
    axes.axhline(1, color=style.BASELINE, linestyle="--", linewidth=1, label="repeating last year (MASE 1)")
    style.title(axes, title)
    axes.set_xlabel("Months ahead")
    axes.set_ylabel("MASE (lower is better)")
    axes.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    style.legend(axes, ncols=3, loc="upper left")
    return figure


@style.themed
def methods_chart(methods: pd.DataFrame, target: float | None, currency: str, title: str) -> Figure:
    """Each method's quarter forecast as a bar with its 80% range where it has one, and the target as a line."""
    figure, axes = style.figure(9, 0.45 * len(methods) + 1.6)
    y = np.arange(len(methods))
    axes.barh(y, methods["forecast"], color=style.FORECAST, label="forecast")
    has_range = methods["lower_80"].notna()
    if has_range.any():
        axes.errorbar(
            methods.loc[has_range, "forecast"],
            y[has_range.to_numpy()],
            xerr=[
                methods.loc[has_range, "forecast"] - methods.loc[has_range, "lower_80"],
                methods.loc[has_range, "upper_80"] - methods.loc[has_range, "forecast"],
            ],
            fmt="none",
            ecolor=style.TARGET,
            elinewidth=1,
            capsize=3,
            label="80% range",
        )
    if target is not None:
        axes.axvline(target, color=style.TARGET, linestyle="--", linewidth=1.2, label="target")
    axes.set_yticks(y, [str(m) for m in methods["method"]])
    axes.invert_yaxis()
    style.title(axes, title)
    axes.set_xlabel(style.money_label("Bookings in the quarter", currency))
    axes.grid(axis="y", visible=False)
    style.money_axis(axes.xaxis, currency)
    style.legend(axes, loc="lower right")
    return figure


@style.themed
def history_chart(compared: pd.DataFrame, currency: str, title: str) -> Figure:
    """Monthly forecasts made by earlier runs (one marker per run and method) against what was booked."""
    figure, axes = style.figure()
    months = compared[compared["kind"] == "month"]
    actual = months.groupby("start")["actual"].first()
    axes.plot(actual.index, actual.to_numpy(), color=style.ACTUAL, marker="o", markersize=4, label="booked")
    colours = style.category_colours(months["method"].unique(), avoid=[style.ACTUAL])
    for name, rows in months.groupby("method", sort=True):
        axes.scatter(rows["start"], rows["forecast"], s=14, color=colours[str(name)], label=name)
    return _bookings_by_month(figure, axes, title, currency, "Month forecast", 4)


@style.themed
def scenario_chart(history: pd.Series, drawn: pd.DataFrame, currency: str, title: str) -> Figure:
    """The last year's bookings, the forecast and a scenario's forecast (columns month, forecast, scenario)."""
    figure, axes = style.figure(9, 3.6)
    recent = history[history.index > history.index[-1] - pd.DateOffset(years=1)]
    axes.plot(recent.index, recent.to_numpy(), color=style.ACTUAL, marker="o", markersize=3, label="bookings")
    axes.plot(drawn["month"], drawn["forecast"], color=style.FORECAST, marker="o", markersize=3, label="forecast")
    axes.plot(
        drawn["month"],
        drawn["scenario"],
        color=style.HIGHLIGHT,
        marker="s",
        markersize=3,
        linestyle="--",
        label="scenario",
    )
    return _bookings_by_month(figure, axes, title, currency, "Month", 3)


@style.themed
def groups_chart(wide: pd.DataFrame, currency: str, title: str, *, teams: Iterable[str] | None = None) -> Figure:
    """Monthly bookings of each group (one column per group, months as rows) as lines. teams: when the groups are
    teams, every team in the data, so each keeps its colour (default: the columns)."""
    figure, axes = style.figure(9, 3.6)
    names = [str(name) for name in wide.columns]
    colours = style.team_colours(names if teams is None else [*teams, *names])
    for column, name in zip(wide.columns, names, strict=True):
        axes.plot(wide.index, wide[column], color=colours[name], label=name, linewidth=1.6)
    return _bookings_by_month(figure, axes, title, currency, "Month", min(len(names), 5))


def _bookings_by_month(
    figure: Figure, axes: Axes, title: str, currency: str, xlabel: str, legend_columns: int
) -> Figure:
    """Finish a chart of bookings over months: its title, month ticks, money ticks and axis labels, and its legend."""
    style.title(axes, title)
    axes.set_xlabel(xlabel)
    style.month_axis(axes.xaxis)
    axes.set_ylabel(style.money_label("Bookings", currency))
    style.money_axis(axes.yaxis, currency)
    style.legend(axes, ncols=legend_columns, loc="upper left")
    return figure
