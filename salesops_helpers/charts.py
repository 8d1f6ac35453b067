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
