"""Charts of the sales process: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

import textwrap

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from salesops_helpers import formatting
from salesops_helpers.charts import OUTCOME_COLOURS, _figure

_PALETTE = sns.color_palette("colorblind")


def funnel_chart(funnel: pd.DataFrame, title: str) -> Figure:
    """Deals that got at least as far as each stage (columns stage, reached, next_step) as horizontal bars, each
    labelled with its count and the share that moved on from it."""
    figure, axes = _figure(9, 0.5 * len(funnel) + 1.4)
    axes.barh(funnel["stage"], funnel["reached"], color=OUTCOME_COLOURS["open"])
    axes.invert_yaxis()
    for y, (reached, moved) in enumerate(zip(funnel["reached"], funnel["next_step"], strict=True)):
        label = formatting.count(reached) + ("" if pd.isna(moved) else f"  ({formatting.percent(moved)} moved on)")
        axes.annotate(label, (reached, y), xytext=(4, 0), textcoords="offset points", va="center", parse_math=False)
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Deals that got at least this far")
    axes.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.count(v)))
    axes.margins(x=0.3)
    sns.despine(ax=axes)
    return figure


def time_in_stage_chart(times: pd.DataFrame, title: str, quantile: str = "p90") -> Figure:
    """Days per stage at a quantile (median, p75 or p90) by Kaplan-Meier beside the closed-only figure (columns
    stage, km_<quantile>, naive_<quantile>)."""
    figure, axes = _figure(9, 0.6 * len(times) + 1.4)
    y = np.arange(len(times))
    km_label = "Kaplan-Meier (stays still going count)"
    axes.barh(y - 0.2, times[f"km_{quantile}"], height=0.4, color=_PALETTE[0], label=km_label)
    axes.barh(y + 0.2, times[f"naive_{quantile}"], height=0.4, color=_PALETTE[7], label="finished stays only")
    axes.set_yticks(y, [str(s) for s in times["stage"]])
    axes.invert_yaxis()
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel(f"Days in the stage ({'median' if quantile == 'median' else quantile})")
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    sns.despine(ax=axes)
    return figure


def waterfall_chart(table: pd.DataFrame, currency: str, title: str) -> Figure:
    """The pipeline waterfall (columns component, amount): opening and closing as full bars, flows floating; each
    bar labelled with its amount, each component's name wrapped under its bar."""
    figure, axes = _figure(12, 4.8)
    level, bottoms, heights, colours = 0.0, [], [], []
    for component, amount in zip(table["component"], table["amount"], strict=True):
        if component in ("opening", "closing"):
            bottoms.append(0.0)
            heights.append(amount)
            colours.append(_PALETTE[7])
            level = amount
        else:
            bottoms.append(level if amount >= 0 else level + amount)
            heights.append(abs(amount))
            colours.append(OUTCOME_COLOURS["won"] if amount >= 0 else OUTCOME_COLOURS["lost"])
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
    axes.set_ylabel(f"Open pipeline due in the period ({currency})")
    axes.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.money(v, currency)))
    axes.set_title(title, loc="left", parse_math=False)
    axes.margins(y=0.12)
    sns.despine(ax=axes)
    return figure


def pushes_chart(per_rep: pd.DataFrame, title: str) -> Figure:
    """Close-date pushes per deal by rep (columns rep, pushes_per_deal), highest first, the median dashed."""
    figure, axes = _figure(9, 0.3 * len(per_rep) + 1.4)
    axes.barh(per_rep["rep"], per_rep["pushes_per_deal"], color=_PALETTE[0])
    median = per_rep["pushes_per_deal"].median()
    axes.axvline(median, color=_PALETTE[7], linestyle="--", linewidth=1, label=f"median {median:.1f}")
    axes.invert_yaxis()
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Close-date pushes per deal")
    axes.legend(frameon=False, loc="lower right")
    sns.despine(ax=axes)
    return figure
