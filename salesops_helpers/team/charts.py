"""Charts of the team performance review: attainment spread, rep-by-month heatmap, ramp, activity, rep pages."""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from salesops_helpers import formatting
from salesops_helpers.charts import _PALETTE, _figure


def _percent_axis(axis: object) -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.percent(v)))


def attainment_histogram(rep_attainment: pd.DataFrame, title: str) -> Figure:
    """Reps by attainment band (bars stacked by team), with quota (100%) marked."""
    figure, axes = _figure(9, 3.8)
    teams = sorted(rep_attainment["team"].unique())
    top = max(2.0, float(np.ceil(rep_attainment["attainment"].max() * 4) / 4)) if len(rep_attainment) else 2.0
    bins = np.arange(0, top + 0.25, 0.25)
    values = [rep_attainment.loc[rep_attainment["team"] == team, "attainment"].clip(upper=top - 1e-9) for team in teams]
    axes.hist(values, bins=bins, stacked=True, label=teams, color=_PALETTE[: len(teams)], edgecolor="white")
    axes.axvline(1.0, color="black", linestyle="--", linewidth=1)
    axes.annotate("quota", (1.0, 1), xycoords=("data", "axes fraction"), xytext=(4, -12), textcoords="offset points")
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Quota attainment")
    axes.set_ylabel("Reps")
    _percent_axis(axes.xaxis)
    axes.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    axes.legend(frameon=False, title="Team")
    sns.despine(ax=axes)
    return figure


def attainment_heatmap(table: pd.DataFrame, title: str) -> Figure:
    """Rep × month attainment as coloured cells (100% white, below red, above blue), blank without a quota."""
    figure = Figure(figsize=(11, 0.32 * len(table) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    labels = [f"{rep} ({team})" for team, rep in table.index]
    shown = table.copy()
    shown.index = labels
    annotations = shown.map(lambda v: "" if pd.isna(v) else formatting.percent(v))
    sns.heatmap(
        shown.clip(upper=2.0),
        ax=axes,
        cmap="RdBu",
        center=1.0,
        vmin=0,
        vmax=2.0,
        annot=annotations,
        fmt="",
        annot_kws={"fontsize": 7},
        linewidths=0.5,
        cbar_kws={"label": "Attainment (capped at 200%)", "format": mticker.PercentFormatter(1.0, decimals=0)},
    )
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel("")
    axes.tick_params(axis="y", labelsize=8)
    return figure


def ramp_chart(curves: dict[str, pd.DataFrame], title: str) -> Figure:
    """New hires' output as a share of an established rep's, by tenure month, one line per measure."""
    figure, axes = _figure(9, 3.8)
    for colour, (name, curve) in zip(_PALETTE, curves.items(), strict=False):
        axes.plot(curve["tenure_month"], curve["relative"], marker="o", color=colour, label=name)
    axes.axhline(1.0, color="black", linewidth=1, label="established rep")
    axes.axhline(0.9, color=_PALETTE[7], linestyle=":", linewidth=1, label="90%: counted as ramped")
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Tenure month (1 = month of hire)")
    axes.set_ylabel("Share of an established rep's output")
    axes.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    _percent_axis(axes.yaxis)
    axes.legend(frameon=False, loc="upper left")
    sns.despine(ax=axes)
    return figure


def activity_chart(by_rep: pd.DataFrame, currency: str, title: str) -> Figure:
    """Reps' activity counts against their bookings, coloured by team."""
    figure, axes = _figure(9, 4)
    for colour, (team, reps) in zip(_PALETTE, by_rep.groupby("team", sort=True), strict=False):
        axes.scatter(reps["activities"], reps["bookings"], color=colour, label=team)
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Activities logged")
    axes.set_ylabel(f"Bookings ({currency})")
    axes.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.money(v, currency)))
    axes.legend(frameon=False, title="Team", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    sns.despine(ax=axes)
    return figure


def bookings_against_quota_chart(months: pd.DataFrame, currency: str, title: str) -> Figure:
    """Monthly bookings as bars with the monthly quota as a line (months has period_start, bookings, quota)."""
    # fixed margins instead of constrained layout: this chart redraws on every picker change, and laying it out
    # again doubled its drawing time
    figure = Figure(figsize=(9, 3.4))
    figure.subplots_adjust(left=0.1, right=0.98, bottom=0.3, top=0.88)
    axes = figure.add_subplot()
    labels = [f"{day:%b %Y}" for day in months["period_start"]]
    axes.bar(labels, months["bookings"], color=_PALETTE[0], label="bookings")
    if months["quota"].notna().any():
        axes.plot(labels, months["quota"], color="black", marker="_", markersize=14, linestyle="", label="quota")
    axes.set_title(title, loc="left", parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel(f"Amount ({currency})")
    axes.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.money(v, currency)))
    axes.tick_params(axis="x", labelrotation=45)
    axes.legend(frameon=False, ncols=2, loc="lower right", bbox_to_anchor=(1.0, 1.0))
    sns.despine(ax=axes)
    return figure
