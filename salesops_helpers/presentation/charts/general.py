"""Charts for the reports: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from salesops_helpers import formatting
from salesops_helpers.presentation import style
from salesops_helpers.presentation.style import OUTCOME_COLOURS


def _figure(width: float = 9, height: float = 4) -> tuple[Figure, Axes]:
    """A figure with one axes outside pyplot's state machine (see style.figure)."""
    return style.figure(width, height)


@style.themed
def monthly_volume_chart(volume: pd.DataFrame, title: str) -> Figure:
    """Deals created, won and lost per month (columns month, created, won, lost) as lines."""
    figure, axes = style.figure()
    months = volume["month"]
    axes.plot(months, volume["created"], color=style.OPEN, label="created")
    axes.plot(months, volume["won"], color=style.WON, label="won")
    axes.plot(months, volume["lost"], color=style.LOST, label="lost")
    style.title(axes, title)
    axes.set_xlabel("Month")
    style.month_axis(axes.xaxis)
    axes.set_ylabel("Deals per month (count)")
    style.count_axis(axes.yaxis)
    axes.set_ylim(bottom=0)
    style.legend(axes, ncols=3, loc="upper left")
    return figure


@style.themed
def stage_amount_chart(stages: pd.DataFrame, currency: str, title: str) -> Figure:
    """Deal value by stage (columns stage, outcome, amount) as horizontal bars coloured by outcome."""
    figure, axes = style.figure(9, 0.45 * len(stages) + 1.4)
    colours = [OUTCOME_COLOURS.get(outcome, style.NEUTRAL) for outcome in stages["outcome"]]
    axes.barh(stages["stage"].astype(str), stages["amount"], color=colours)
    axes.invert_yaxis()
    style.title(axes, title)
    axes.set_xlabel(style.money_label("Deal value", currency))
    axes.set_ylabel("")
    axes.grid(axis="y", visible=False)
    style.money_axis(axes.xaxis, currency)
    for y, amount in enumerate(stages["amount"]):
        axes.annotate(
            formatting.money(amount, currency),
            (amount, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            parse_math=False,
        )
    axes.margins(x=0.12)
    return figure


@style.themed
def kpi_trends_chart(
    series: pd.DataFrame,
    metrics: list[tuple[str, str, str]],
    baselines: dict[str, float],
    targets: dict[str, float],
    currency: str,
    title: str,
) -> Figure:
    """Small multiples: each KPI month by month (series has period_start and one column per key), with its
    trailing-twelve-month baseline dashed and its monthly target dotted. metrics: (key, name, unit) triples."""
    columns = 3
    rows = -(-len(metrics) // columns)
    figure = Figure(figsize=style.bounded(11, 2.7 * rows + 0.6), layout="constrained")
    axes_grid = figure.subplots(rows, columns, squeeze=False, sharex=True)
    for axes, (key, name, unit) in zip(axes_grid.flat, metrics, strict=False):
        axes.plot(series["period_start"], series[key], color=style.ACTUAL, marker="o", markersize=2.5, label="actual")
        if key in baselines and pd.notna(baselines[key]):
            axes.axhline(
                baselines[key], color=style.BASELINE, linestyle="--", linewidth=1, label="12-month baseline (monthly)"
            )
        if key in targets and pd.notna(targets[key]):
            axes.axhline(targets[key], color=style.TARGET, linestyle=":", linewidth=1.5, label="target")
        axes.set_title(name, loc="left", fontsize=10, parse_math=False)
        axes.set_ylabel(style.unit_label(unit, currency), fontsize=9)
        style.unit_axis(axes.yaxis, unit, currency)
        style.month_axis(axes.xaxis)
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        axes.tick_params(axis="y", labelsize=8)
    for axes in list(axes_grid.flat)[len(metrics) :]:
        axes.set_visible(False)
    handles, labels = [], []
    for axes in axes_grid.flat:
        for handle, label in zip(*axes.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if len(handles) > 1:
        figure.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False)
    style.suptitle(figure, title)
    return figure
