"""Charts of the lead funnel: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from salesops_helpers.analyses.leads.page import ALL
from salesops_helpers.analyses.leads.volume import OTHER, SOURCED
from salesops_helpers.presentation import style

# Each chart's size in inches, whatever the number of months, channels or leads: it never grows with the data.
VOLUME_SIZE = (9.0, 4.0)
CHANNEL_SIZE = (9.0, 4.6)
CURVE_SIZE = (9.0, 4.0)
SPEED_SIZE = (9.0, 3.4)
SOURCED_SIZE = (9.0, 4.0)
MOST_CHANNELS = 12  # the channel chart draws the channels with most leads; the table holds every one
SOURCED_COLOURS: dict[str, style.Colour] = {
    "marketing": style.ACTUAL,
    "sales": style.FORECAST,
    "partner": style.GREEN,
    "unknown": style.NEUTRAL,
}


def _channel_colours(names: list[str]) -> dict[str, style.Colour]:
    """Each channel's colour, the 'Other channels' band grey."""
    colours = style.category_colours([name for name in names if name != OTHER])
    colours[OTHER] = style.NEUTRAL
    return colours


@style.themed
def volume_chart(volume: pd.DataFrame, title: str) -> Figure:
    """Leads created per month, stacked by channel (volume.monthly_volume)."""
    figure, axes = style.figure(*VOLUME_SIZE)
    colours = _channel_colours([str(name) for name in volume.columns])
    months = pd.to_datetime(volume.index)
    bottom = np.zeros(len(volume))
    for name in volume.columns:
        values = volume[name].to_numpy(dtype=float)
        axes.bar(months, values, width=25, bottom=bottom, color=colours[str(name)], label=str(name))
        bottom += values
    style.month_axis(axes.xaxis)
    style.count_axis(axes.yaxis)
    axes.set_ylabel("leads created")
    style.legend(axes, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.title(axes, title)
    return figure


@style.themed
def channel_chart(table: pd.DataFrame, overall: float | None, title: str) -> Figure:
    """Each channel's lead-to-deal rate with its 90% interval (channels.channel_funnel), the channels with most
    leads first, beside the rate of all channels together."""
    figure, axes = style.figure(*CHANNEL_SIZE)
    columns = ["group", "leads", "lead_to_deal", "low", "high"]
    rows = table.reindex(columns=columns).head(MOST_CHANNELS).iloc[::-1]  # a page without leads has no columns
    positions = np.arange(len(rows))
    axes.hlines(positions, rows["low"], rows["high"], color=style.ACTUAL, linewidth=3, alpha=0.45, label="90% interval")
    axes.scatter(rows["lead_to_deal"], positions, color=style.ACTUAL, zorder=3, label="lead to deal")
    if overall is not None and np.isfinite(overall):
        axes.axvline(overall, color=style.BASELINE, linestyle="--", linewidth=1, label="all channels")
    labels = [f"{name} ({count:,} leads)" for name, count in zip(rows["group"], rows["leads"], strict=True)]
    axes.set_yticks(positions, labels)
    style.percent_axis(axes.xaxis)
    axes.set_xlim(left=0)
    axes.set_xlabel("share of leads that became deals")
    style.legend(axes, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.title(axes, title)
    return figure


@style.themed
def curves_chart(curves: pd.DataFrame, title: str) -> Figure:
    """The share of leads converted to a deal within each number of days (page.conversion_curves)."""
    figure, axes = style.figure(*CURVE_SIZE)
    colours = style.category_colours([str(name) for name in curves.columns if name != ALL])
    for name in curves.columns:
        values = curves[name]
        if values.notna().any():
            is_all = name == ALL
            axes.plot(
                curves.index,
                values,
                marker="o" if is_all else None,
                color=style.TARGET if is_all else colours[str(name)],
                linewidth=2.4 if is_all else 1.5,
                label=str(name),
            )
    style.percent_axis(axes.yaxis)
    style.count_axis(axes.xaxis)
    axes.set_xlabel("days since the lead was created")
    axes.set_ylabel("converted to a deal")
    axes.set_ylim(bottom=0)
    style.legend(axes, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.title(axes, title)
    return figure


@style.themed
def speed_chart(table: pd.DataFrame, title: str) -> Figure:
    """MQL-to-SQL rate by how soon MQLs were first touched, with 90% intervals (follow_up.speed_and_conversion)."""
    figure, axes = style.figure(*SPEED_SIZE)
    rows = table.reindex(columns=["bucket", "mqls", "mql_to_sql", "low", "high"])
    rows = rows[rows["mqls"] > 0]
    positions = np.arange(len(rows))
    rates = rows["mql_to_sql"].to_numpy(dtype=float)
    errors = np.vstack([rates - rows["low"].to_numpy(dtype=float), rows["high"].to_numpy(dtype=float) - rates])
    axes.bar(positions, rates, color=style.ACTUAL, width=0.6)
    axes.errorbar(positions, rates, yerr=errors, fmt="none", ecolor=style.TARGET, capsize=4, linewidth=1)
    axes.set_xticks(
        positions, [f"{bucket}\n({mqls:,} MQLs)" for bucket, mqls in zip(rows["bucket"], rows["mqls"], strict=True)]
    )
    style.percent_axis(axes.yaxis)
    axes.set_ylabel("MQLs that became SQLs")
    axes.set_xlabel("first touch after the lead was created")
    style.title(axes, title)
    return figure


@style.themed
def sourced_chart(monthly: pd.DataFrame, currency: str, title: str) -> Figure:
    """Pipeline created per month, stacked by who sourced it (volume.sourced_by_month)."""
    figure, axes = style.figure(*SOURCED_SIZE)
    table = monthly.pivot_table(
        index="month", columns="sourced_by", values="pipeline_created", aggfunc="sum", observed=False
    ).fillna(0.0)
    bottom = np.zeros(len(table))
    for who in SOURCED:
        if who in table.columns and table[who].sum() > 0:
            values = table[who].to_numpy(dtype=float)
            axes.bar(table.index, values, width=25, bottom=bottom, color=SOURCED_COLOURS[who], label=who)
            bottom += values
    style.month_axis(axes.xaxis)
    style.money_axis(axes.yaxis, currency)
    axes.set_ylabel(style.money_label("pipeline created", currency))
    style.legend(axes, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.title(axes, title)
    return figure
