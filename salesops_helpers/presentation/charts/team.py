"""Charts of the team performance review: attainment spread, rep-by-month heatmap, ramp, activity, rep pages."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from salesops_helpers import formatting
from salesops_helpers.presentation import style

# Up to this many teams, charts colour each team and name it in the legend; beyond, one colour for every rep.
MOST_TEAM_COLOURS = 8


@style.themed
def attainment_histogram(rep_attainment: pd.DataFrame, title: str, *, teams: Iterable[str] | None = None) -> Figure:
    """Reps by attainment band (bars stacked by team), with quota (100%) marked. teams: every team in the data, so
    each keeps its colour (default: the teams in rep_attainment)."""
    figure, axes = style.figure(9, 3.8)
    shown = sorted(rep_attainment["team"].unique())
    colours = style.team_colours(shown if teams is None else [*teams, *shown])
    top = max(2.0, float(np.ceil(rep_attainment["attainment"].max() * 4) / 4)) if len(rep_attainment) else 2.0
    bins = np.arange(0, top + 0.25, 0.25).tolist()
    capped = rep_attainment["attainment"].clip(upper=top - 1e-9)
    if len(shown) > MOST_TEAM_COLOURS:
        axes.hist(capped, bins=bins, color=style.ACTUAL, edgecolor="white", label=f"all {len(shown):,} teams")
    else:
        values = [capped[rep_attainment["team"] == team] for team in shown]
        colour_list = [colours[str(t)] for t in shown]
        axes.hist(values, bins=bins, stacked=True, label=shown, color=colour_list, edgecolor="white")
    axes.axvline(1.0, color=style.TARGET, linestyle="--", linewidth=1)
    axes.annotate("quota", (1.0, 1), xycoords=("data", "axes fraction"), xytext=(4, -12), textcoords="offset points")
    style.title(axes, title)
    axes.set_xlabel("Quota attainment (% of quota)")
    axes.set_ylabel("Reps (count)")
    axes.grid(axis="x", visible=False)
    style.percent_axis(axes.xaxis)
    axes.xaxis.set_major_locator(mticker.MultipleLocator(0.25 if top <= 3 else 0.5))
    style.count_axis(axes.yaxis)
    style.legend(axes, title="Team")
    return figure


@style.themed
def attainment_heatmap(table: pd.DataFrame, title: str) -> Figure:
    """Rep × month attainment as coloured cells (100% near white, below vermillion, above blue), blank without a
    quota."""
    figure = Figure(figsize=style.bounded(11, 0.32 * len(table) + 1.8), layout="constrained")
    axes = figure.add_subplot()
    labels = [f"{rep} ({team})" for team, rep in table.index]
    shown = table.copy()
    shown.index = labels
    annotations = shown.map(lambda v: "" if pd.isna(v) else formatting.percent(v))
    sns.heatmap(
        shown.clip(upper=2.0),
        ax=axes,
        cmap=style.diverging_cmap(),
        center=1.0,
        vmin=0,
        vmax=2.0,
        annot=annotations,
        fmt="",
        annot_kws={"fontsize": 7},
        linewidths=0.5,
        cbar_kws={"label": "Attainment (% of monthly quota, capped at 200%)", "format": style.percent_formatter()},
    )
    style.title(axes, title)
    axes.set_xlabel("Month")
    axes.set_ylabel("")
    axes.grid(False)
    axes.tick_params(axis="y", labelsize=8)
    return figure


@style.themed
def ramp_chart(curves: dict[str, pd.DataFrame], title: str) -> Figure:
    """New hires' output as a share of an established rep's, by tenure month, one line per measure."""
    figure, axes = style.figure(9, 3.8)
    for colour, (name, curve) in zip(style.CATEGORY_COLOURS, curves.items(), strict=False):
        axes.plot(curve["tenure_month"], curve["relative"], marker="o", markersize=4, color=colour, label=name)
    axes.axhline(1.0, color=style.TARGET, linestyle="--", linewidth=1, label="established rep")
    axes.axhline(0.9, color=style.BASELINE, linestyle=":", linewidth=1, label="90%: counted as ramped")
    style.title(axes, title)
    axes.set_xlabel("Tenure month (1 = month of hire)")
    axes.set_ylabel("Share of an established rep's output (%)")
    axes.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    style.percent_axis(axes.yaxis)
    style.legend(axes, loc="upper left")
    return figure


@style.themed
def activity_chart(by_rep: pd.DataFrame, currency: str, title: str, *, teams: Iterable[str] | None = None) -> Figure:
    """Reps' activity counts against their bookings, coloured by team. teams: every team in the data, so each keeps
    its colour (default: the teams in by_rep)."""
    figure, axes = style.figure(9, 4)
    shown = by_rep["team"].unique()
    colours = style.team_colours(shown if teams is None else [*teams, *shown])
    if len(shown) > MOST_TEAM_COLOURS:
        label = f"reps of all {len(shown):,} teams"
        axes.scatter(by_rep["activities"], by_rep["bookings"], color=style.ACTUAL, label=label, s=12, alpha=0.5)
    else:
        for team, reps in by_rep.groupby("team", sort=True):
            axes.scatter(reps["activities"], reps["bookings"], color=colours[str(team)], label=team, s=28)
    style.title(axes, title)
    axes.set_xlabel("Activities logged (count)")
    axes.set_ylabel(style.money_label("Bookings", currency))
    style.count_axis(axes.xaxis)
    style.money_axis(axes.yaxis, currency)
    style.legend(axes, title="Team", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure


@style.themed
def bookings_against_quota_chart(months: pd.DataFrame, currency: str, title: str) -> Figure:
    """Monthly bookings as bars with the monthly quota as a line (months has period_start, bookings, quota)."""
    # fixed margins instead of constrained layout: this chart redraws on every picker change, and laying it out
    # again doubled its drawing time
    figure = Figure(figsize=(9, 3.4))
    axes = figure.add_subplot()
    style.title(axes, title)
    # room above the axes for each line of the title
    lines = axes.get_title(loc="left").count("\n") + 1
    figure.subplots_adjust(left=0.1, right=0.86, bottom=0.3, top=1 - (0.2 + 0.24 * lines) / 3.4)
    labels = [f"{day:%b %Y}" for day in months["period_start"]]
    axes.bar(labels, months["bookings"], color=style.ACTUAL, label="bookings")
    if months["quota"].notna().any():
        axes.plot(labels, months["quota"], color=style.TARGET, marker="_", markersize=14, linestyle="", label="quota")
    axes.set_xlabel("Month")
    axes.set_ylabel(style.money_label("Bookings", currency))
    axes.grid(axis="x", visible=False)
    style.money_axis(axes.yaxis, currency)
    axes.tick_params(axis="x", labelrotation=45)
    style.legend(axes, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure
