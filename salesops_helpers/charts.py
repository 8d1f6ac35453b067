"""Charts for the reports: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from salesops_helpers import formatting

# One colour per deal outcome, the same in every report (seaborn's colour-blind palette).
_PALETTE = sns.color_palette("colorblind")
OUTCOME_COLOURS = {"won": _PALETTE[2], "lost": _PALETTE[3], "open": _PALETTE[0]}


def _figure(width: float = 9, height: float = 4) -> tuple[Figure, object]:
    """A figure outside pyplot's state machine, so a notebook shows it exactly once, where it is returned."""
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def monthly_volume_chart(volume: pd.DataFrame, title: str) -> Figure:
    """Deals created, won and lost per month (columns month, created, won, lost) as lines."""
    figure, axes = _figure()
    months = volume["month"]
    axes.plot(months, volume["created"], color=OUTCOME_COLOURS["open"], label="created")
    axes.plot(months, volume["won"], color=OUTCOME_COLOURS["won"], label="won")
    axes.plot(months, volume["lost"], color=OUTCOME_COLOURS["lost"], label="lost")
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel("Deals per month")
    axes.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.count(v)))
    axes.legend(frameon=False, ncols=3, loc="upper left")
    sns.despine(ax=axes)
    return figure


def stage_amount_chart(stages: pd.DataFrame, currency: str, title: str) -> Figure:
    """Deal value by stage (columns stage, outcome, amount) as horizontal bars coloured by outcome."""
    figure, axes = _figure(9, 0.45 * len(stages) + 1.2)
    colours = [OUTCOME_COLOURS.get(outcome, _PALETTE[7]) for outcome in stages["outcome"]]
    axes.barh(stages["stage"], stages["amount"], color=colours)
    axes.invert_yaxis()
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel(f"Deal value ({currency})")
    axes.set_ylabel("")
    axes.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.money(v, currency)))
    for y, amount in enumerate(stages["amount"]):
        axes.annotate(
            formatting.money(amount, currency),
            (amount, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            parse_math=False,
        )
    axes.margins(x=0.12)
    sns.despine(ax=axes)
    return figure


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
    figure = Figure(figsize=(11, 2.7 * rows), layout="constrained")
    axes_grid = figure.subplots(rows, columns, squeeze=False, sharex=True)
    for axes, (key, name, unit) in zip(axes_grid.flat, metrics, strict=False):
        axes.plot(series["period_start"], series[key], color=_PALETTE[0], marker="o", markersize=2.5)
        if key in baselines and pd.notna(baselines[key]):
            axes.axhline(
                baselines[key], color=_PALETTE[7], linestyle="--", linewidth=1, label="12-month baseline (monthly)"
            )
        if key in targets and pd.notna(targets[key]):
            axes.axhline(targets[key], color=_PALETTE[2], linestyle=":", linewidth=1.5, label="target")
        axes.set_title(name, loc="left", fontsize=10, parse_math=False)
        axes.yaxis.set_major_formatter(
            mticker.FuncFormatter(lambda v, _, unit=unit: formatting.by_unit(v, unit, currency))
        )
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        axes.tick_params(axis="y", labelsize=8)
        sns.despine(ax=axes)
    for axes in list(axes_grid.flat)[len(metrics) :]:
        axes.set_visible(False)
    handles, labels = axes_grid.flat[0].get_legend_handles_labels()
    for axes in axes_grid.flat:
        for handle, label in zip(*axes.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if handles:
        figure.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False)
    figure.suptitle(title, x=0.01, ha="left", parse_math=False)
    return figure
