"""Charts of the forecast report: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from salesops_helpers import formatting
from salesops_helpers.charts import OUTCOME_COLOURS

_PALETTE = sns.color_palette("colorblind")


def _figure(width: float = 9, height: float = 4) -> tuple[Figure, object]:
    """A figure outside pyplot's state machine, so a notebook shows it exactly once."""
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def _money_axis(axis: object, currency: str) -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.money(v, currency)))


def forecast_chart(
    history: pd.Series, ahead: pd.DataFrame, currency: str, title: str, warm_up: pd.Series | None = None
) -> Figure:
    """Monthly bookings, then the forecast with its calibrated 80% and 95% intervals as shaded bands."""
    figure, axes = _figure()
    if warm_up is not None and len(warm_up):
        axes.plot(warm_up.index, warm_up.to_numpy(), color=_PALETTE[7], linestyle=":", label="warm-up (left out)")
    axes.plot(
        history.index, history.to_numpy(), color=OUTCOME_COLOURS["won"], marker="o", markersize=3, label="bookings"
    )
    months = pd.DatetimeIndex(ahead["month"])
    axes.fill_between(months, ahead["lower_95"], ahead["upper_95"], color=_PALETTE[0], alpha=0.15, label="95% interval")
    axes.fill_between(months, ahead["lower_80"], ahead["upper_80"], color=_PALETTE[0], alpha=0.3, label="80% interval")
    axes.plot(months, ahead["forecast"], color=_PALETTE[0], marker="o", markersize=3, label="forecast")
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel(f"Bookings ({currency})")
    _money_axis(axes.yaxis, currency)
    axes.legend(frameon=False, ncols=5, loc="upper left", fontsize=8)
    sns.despine(ax=axes)
    return figure


def horizon_chart(by_horizon: pd.DataFrame, champion: str, title: str) -> Figure:
    """MASE of each model by months ahead (columns horizon and one per model); the default model drawn bold."""
    figure, axes = _figure(9, 3.8)
    for index, name in enumerate(c for c in by_horizon.columns if c != "horizon"):
        axes.plot(
            by_horizon["horizon"],
            by_horizon[name],
            marker="o",
            markersize=3,
            label=name,
            color=_PALETTE[index % len(_PALETTE)],
            linewidth=2.8 if name == champion else 1.2,
        )
    axes.axhline(1, color=_PALETTE[7], linestyle="--", linewidth=1)
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Months ahead")
    axes.set_ylabel("MASE (lower is better)")
    axes.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    axes.legend(frameon=False, ncols=3, fontsize=8, loc="upper left")
    sns.despine(ax=axes)
    return figure


def methods_chart(methods: pd.DataFrame, target: float | None, currency: str, title: str) -> Figure:
    """Each method's quarter forecast as a bar with its 80% range where it has one, and the target as a line."""
    figure, axes = _figure(9, 0.45 * len(methods) + 1.4)
    y = np.arange(len(methods))
    axes.barh(y, methods["forecast"], color=_PALETTE[0], alpha=0.8)
    has_range = methods["lower_80"].notna()
    axes.errorbar(
        methods.loc[has_range, "forecast"],
        y[has_range.to_numpy()],
        xerr=[
            methods.loc[has_range, "forecast"] - methods.loc[has_range, "lower_80"],
            methods.loc[has_range, "upper_80"] - methods.loc[has_range, "forecast"],
        ],
        fmt="none",
        ecolor="black",
        capsize=3,
        label="80% range",
    )
    if target is not None:
        axes.axvline(target, color=OUTCOME_COLOURS["lost"], linestyle="--", label="target")
    axes.set_yticks(y, methods["method"])
    axes.invert_yaxis()
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel(f"Bookings in the quarter ({currency})")
    _money_axis(axes.xaxis, currency)
    axes.legend(frameon=False, loc="lower right", fontsize=8)
    sns.despine(ax=axes)
    return figure


def history_chart(compared: pd.DataFrame, currency: str, title: str) -> Figure:
    """Monthly forecasts made by earlier runs (one marker per run and method) against what was booked."""
    figure, axes = _figure()
    months = compared[compared["kind"] == "month"]
    actual = months.groupby("start")["actual"].first()
    axes.plot(actual.index, actual.to_numpy(), color="black", marker="o", markersize=4, label="booked")
    for index, (name, rows) in enumerate(months.groupby("method", sort=True)):
        axes.scatter(rows["start"], rows["forecast"], s=14, color=_PALETTE[index % len(_PALETTE)], label=name)
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Month forecast")
    axes.set_ylabel(f"Bookings ({currency})")
    _money_axis(axes.yaxis, currency)
    axes.legend(frameon=False, ncols=4, fontsize=8, loc="upper left")
    sns.despine(ax=axes)
    return figure


def scenario_chart(history: pd.Series, drawn: pd.DataFrame, currency: str, title: str) -> Figure:
    """The last year's bookings, the forecast and a scenario's forecast (columns month, forecast, scenario)."""
    figure, axes = _figure(9, 3.6)
    recent = history[history.index > history.index[-1] - pd.DateOffset(years=1)]
    axes.plot(recent.index, recent.to_numpy(), color=OUTCOME_COLOURS["won"], marker="o", markersize=3, label="bookings")
    axes.plot(drawn["month"], drawn["forecast"], color=_PALETTE[0], marker="o", markersize=3, label="forecast")
    axes.plot(
        drawn["month"], drawn["scenario"], color=_PALETTE[1], marker="s", markersize=3, linestyle="--", label="scenario"
    )
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel(f"Bookings ({currency})")
    _money_axis(axes.yaxis, currency)
    axes.legend(frameon=False, ncols=3, fontsize=8, loc="upper left")
    sns.despine(ax=axes)
    return figure


def groups_chart(wide: pd.DataFrame, currency: str, title: str) -> Figure:
    """Monthly bookings of each group (one column per group, months as rows) as lines."""
    figure, axes = _figure(9, 3.6)
    for index, name in enumerate(wide.columns):
        axes.plot(wide.index, wide[name], color=_PALETTE[index % len(_PALETTE)], label=name, linewidth=1.4)
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel(f"Bookings ({currency})")
    _money_axis(axes.yaxis, currency)
    axes.legend(frameon=False, ncols=len(wide.columns), fontsize=8, loc="upper left")
    sns.despine(ax=axes)
    return figure
