"""Charts of the sales process: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from salesops_helpers import formatting
from salesops_helpers.presentation import style

# the waterfall's totals; its other components are flows
_TOTALS = ("opening", "closing")


@style.themed
def funnel_chart(funnel: pd.DataFrame, title: str) -> Figure:
    """Deals that got at least as far as each stage (columns stage, reached, next_step; the open stages, then the won
    stage, as process.funnel gives them) as horizontal bars, each labelled with its count and the share that moved
    on from it; the stage fewest moved on from is highlighted, the won stage in the won colour."""
    figure, axes = style.figure(9, 0.5 * len(funnel) + 1.5)
    weakest = funnel["next_step"].idxmin() if funnel["next_step"].notna().any() else None
    colours = [style.HIGHLIGHT if index == weakest else style.ACTUAL for index in funnel.index]
    if colours:
        colours[-1] = style.WON
    axes.barh(funnel["stage"].astype(str), funnel["reached"], color=colours)
    axes.invert_yaxis()
    for y, (reached, moved) in enumerate(zip(funnel["reached"], funnel["next_step"], strict=True)):
        label = formatting.count(reached) + ("" if pd.isna(moved) else f"  ({formatting.percent(moved)} moved on)")
        axes.annotate(
            label, (reached, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9, parse_math=False
        )
    style.title(axes, title)
    axes.set_xlabel("Deals that got at least this far (count)")
    axes.grid(axis="y", visible=False)
    style.count_axis(axes.xaxis)
    axes.margins(x=0.3)
    return figure


@style.themed
def time_in_stage_chart(times: pd.DataFrame, title: str, quantile: str = "p90") -> Figure:
    """Days per stage at a quantile (median, p75 or p90) by Kaplan-Meier beside the closed-only figure (columns
    stage, km_<quantile>, naive_<quantile>)."""
    figure, axes = style.figure(9, 0.6 * len(times) + 1.6)
    y = np.arange(len(times))
    km_label = "Kaplan-Meier (stays still going count)"
    axes.barh(y - 0.2, times[f"km_{quantile}"], height=0.4, color=style.ACTUAL, label=km_label)
    axes.barh(y + 0.2, times[f"naive_{quantile}"], height=0.4, color=style.NEUTRAL, label="finished stays only")
    axes.set_yticks(y, [str(s) for s in times["stage"]])
    axes.invert_yaxis()
    style.title(axes, title)
    axes.set_xlabel(f"Time in the stage, {'median' if quantile == 'median' else quantile} (days)")
    axes.grid(axis="y", visible=False)
    style.count_axis(axes.xaxis)
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    return figure


@style.themed
def waterfall_chart(table: pd.DataFrame, currency: str, title: str) -> Figure:
    """The pipeline waterfall (columns component, amount): opening and closing as full bars, flows floating (won and
    lost in their outcome colours, other pipeline in as open, other pipeline out grey); each bar labelled with its
    amount, each component's name wrapped under its bar."""
    figure, axes = style.figure(12, 4.8)
    level, bottoms, heights, colours = 0.0, [], [], []
    for component, amount in zip(table["component"], table["amount"], strict=True):
        if component in _TOTALS:
            bottoms.append(0.0)
            heights.append(amount)
            colours.append(style.ACTUAL)
            level = amount
            continue
        bottoms.append(level if amount >= 0 else level + amount)
        heights.append(abs(amount))
        colours.append(style.OUTCOME_COLOURS.get(component, style.OPEN if amount >= 0 else style.NEUTRAL))
        level += amount
    x = np.arange(len(table))
    axes.bar(x, heights, bottom=bottoms, color=colours)
    for position, bottom, height, amount in zip(x, bottoms, heights, table["amount"], strict=True):
        axes.annotate(
            formatting.money(amount, currency),
            (position, bottom + height),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            parse_math=False,
        )
    axes.set_xticks(x, [textwrap.fill(str(c), 12) for c in table["component"]], fontsize=8)
    axes.set_ylabel(style.money_label("Open pipeline due in the period", currency))
    axes.grid(axis="x", visible=False)
    style.money_axis(axes.yaxis, currency)
    style.title(axes, title)
    axes.margins(y=0.12)
    return figure


# The most reps the pushes chart draws a bar for; the pushes table holds every rep.
MOST_REP_BARS = 25


@style.themed
def pushes_chart(per_rep: pd.DataFrame, title: str) -> Figure:
    """Close-date pushes per deal by rep (columns rep, pushes_per_deal, highest first), the highest highlighted, the
    median of every rep dashed; beyond MOST_REP_BARS reps, only the reps who push most."""
    shown = per_rep.head(MOST_REP_BARS)
    figure, axes = style.figure(9, 0.3 * len(shown) + 1.6)
    most = shown["pushes_per_deal"].max()
    colours = [style.HIGHLIGHT if value == most else style.ACTUAL for value in shown["pushes_per_deal"]]
    axes.barh(shown["rep"].astype(str), shown["pushes_per_deal"], color=colours)
    median = per_rep["pushes_per_deal"].median()
    axes.axvline(median, color=style.BASELINE, linestyle="--", linewidth=1, label=f"median {median:.1f}")
    axes.invert_yaxis()
    style.title(axes, title)
    cut = f" (the {len(shown)} of {len(per_rep):,} reps who push most)" if len(shown) < len(per_rep) else ""
    axes.set_xlabel("Close-date pushes per deal" + cut)
    axes.grid(axis="y", visible=False)
    axes.legend(loc="lower right")
    return figure
