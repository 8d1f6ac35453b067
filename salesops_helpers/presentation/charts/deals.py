"""Charts of the deal inspection: computed tables in, a matplotlib Figure out, titled with its finding."""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from salesops_helpers import formatting
from salesops_helpers.analyses.deals.categories import (
    BEST_CASE,
    CALL,
    CLOSED,
    COMMIT,
    COMPANY,
    HORIZONS,
    NO_AMOUNT,
    PIPELINE,
    TOO_FEW,
)
from salesops_helpers.presentation import style

# Each chart's size in inches, whatever the number of bins, groups or deals: it never grows with the data. The
# conversion chart has one size for the company alone and one for several groups, however many groups there are.
CALIBRATION_SIZE = (7.0, 5.2)
CONVERSION_SIZE = (9.0, 3.0)
GROUPS_SIZE = (9.0, 5.6)
ROLLUP_SIZE = (9.0, 3.2)
# The most groups the conversion chart draws by default; the conversion table holds every group.
MOST_GROUPS = 12
# The roll-up's stack, left to right: what is already won, then the call from surest to least sure.
STACK = (CLOSED, *CALL)
# A colour per forecast category, the same in every chart of the report: won in the won colour, the call from dark
# (Commit) to grey (Pipeline); and the colour of an amount written on each.
CATEGORY_COLOURS: dict[str, style.Colour] = {
    CLOSED: style.WON,
    COMMIT: style.ACTUAL,
    BEST_CASE: style.SKY_BLUE,
    PIPELINE: style.NEUTRAL,
}
_TEXT_ON = {CLOSED: "white", COMMIT: "white", BEST_CASE: "#222222", PIPELINE: "#222222"}
# A share that is not meaningful, in the few words that fit beside an empty bar.
_SHORT_NOTES = {TOO_FEW: "too few deals", NO_AMOUNT: "no amount called", "": "none called"}
# A segment of the roll-up narrower than this share of the longest bar carries no amount (it would not fit).
_LABELLED_SEGMENT = 0.07


@style.themed
def calibration_chart(table: pd.DataFrame, title: str) -> Figure:
    """Reliability diagram (win_probability.reliability's table): each bin's mean predicted probability against the
    share of its deals won, sized and labelled by its deals, beside the diagonal of perfect calibration."""
    figure, axes = style.figure(*CALIBRATION_SIZE)
    axes.plot([0, 1], [0, 1], color=style.BASELINE, linestyle="--", linewidth=1, label="perfectly calibrated")
    bins = table.reindex(columns=["deals", "predicted", "observed"])  # an empty table may have no columns at all
    bins = bins[(bins["deals"] > 0) & bins["predicted"].notna() & bins["observed"].notna()]
    if len(bins):
        sizes = 30 + 370 * bins["deals"] / bins["deals"].max()
        axes.scatter(
            bins["predicted"],
            bins["observed"],
            s=sizes,
            color=style.ACTUAL,
            alpha=0.8,
            edgecolor="white",
            zorder=3,
            label="deals in a bin of predicted probability (area: deals)",
        )
        for predicted, observed, deals in zip(bins["predicted"], bins["observed"], bins["deals"], strict=True):
            axes.annotate(
                formatting.count(deals),
                (predicted, observed),
                xytext=(9, -3),
                textcoords="offset points",
                fontsize=8,
                parse_math=False,
            )
    else:
        axes.text(0.5, 0.55, "no scored deals", ha="center", color=style.BASELINE, transform=axes.transAxes)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_aspect("equal", adjustable="box")
    style.title(axes, title)
    axes.set_xlabel("Predicted win probability")
    axes.set_ylabel("Share won")
    for axis in (axes.xaxis, axes.yaxis):
        style.percent_axis(axis)
        axis.set_major_locator(mticker.MultipleLocator(0.2))
    # a fixed-size marker in the legend, not the largest bin's
    style.legend(axes, loc="upper left", markerscale=0.5)
    return figure


@style.themed
def conversion_chart(conversion: pd.DataFrame, title: str, most_groups: int = MOST_GROUPS) -> Figure:
    """Share of the called amount won within its quarter per category, Commit, Best Case then Pipeline
    (category_conversion's table): the company's as three bars, or per group as grouped bars for at most
    `most_groups` groups (the company, then the lowest and highest Commit shares); a share that is not meaningful
    drawn as no bar, with its reason."""
    conversion = conversion.assign(group=conversion["group"].astype(str))
    groups = list(dict.fromkeys(conversion["group"]))
    called = conversion[conversion["category"].isin(CALL)]
    if len(groups) <= 1:
        figure, axes = style.figure(*CONVERSION_SIZE)
        _company_bars(axes, called.set_index("category"))
        cut = ""
    else:
        figure, axes = style.figure(*GROUPS_SIZE)
        shown = shown_groups(conversion, most_groups)
        _group_bars(axes, called, shown)
        kept = "the company, " if COMPANY in shown else ""
        cut = f" ({len(shown)} of {len(groups):,} groups: {kept}the lowest and highest Commit shares)"
        cut = cut if len(shown) < len(groups) else ""
    style.title(axes, title)
    axes.set_xlabel("Share of the called amount won within its quarter (%)" + cut)
    axes.grid(axis="y", visible=False)
    axes.set_xlim(0, 1.12)
    style.percent_axis(axes.xaxis)
    axes.xaxis.set_major_locator(mticker.FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
    return figure


def shown_groups(conversion: pd.DataFrame, most_groups: int = MOST_GROUPS) -> list[str]:
    """The groups the conversion chart draws, in its order: the company first if present, then up to `most_groups`
    in all taken alternately from the lowest and the highest Commit share, shown lowest first (groups without a
    meaningful Commit share last, by name)."""
    groups = list(dict.fromkeys(conversion["group"].astype(str)))
    rows = conversion[conversion["category"] == COMMIT]
    commit = pd.Series(rows["share_amount"].to_numpy(dtype=float), index=rows["group"].astype(str))
    commit = commit[~commit.index.duplicated()].reindex(groups)
    others = [group for group in groups if group != COMPANY]
    measured = sorted((g for g in others if pd.notna(commit[g])), key=lambda g: (float(commit[g]), g))
    unmeasured = sorted(g for g in others if pd.isna(commit[g]))
    # lowest, highest, second lowest, second highest, ... (past the middle each comes again, and counts once)
    ends = [group for pair in zip(measured, reversed(measured), strict=True) for group in pair]
    company = [COMPANY] if COMPANY in groups else []
    taken = set(list(dict.fromkeys([*ends, *unmeasured]))[: max(0, most_groups - len(company))])
    return company + [group for group in [*measured, *unmeasured] if group in taken]


def _company_bars(axes: Axes, rows: pd.DataFrame) -> None:
    """One group's share per category as one bar each, the category's reason where it has no share to draw."""
    y = np.arange(len(CALL), dtype=float)
    shares = np.array([_share(rows, category) for category in CALL])
    drawn = ~np.isnan(shares)
    colours = [CATEGORY_COLOURS[category] for category, has in zip(CALL, drawn, strict=True) if has]
    axes.barh(y[drawn], shares[drawn], color=colours, height=0.6)
    for position, category, share in zip(y, CALL, shares, strict=True):
        text = _note(rows, category, short=False) if np.isnan(share) else formatting.percent(share)
        _beside(axes, position, share, text, 9)
    axes.set_yticks(y, list(CALL))
    axes.set_ylim(len(CALL) - 0.5, -0.5)  # every category's row, with or without a bar, Commit on top


def _group_bars(axes: Axes, conversion: pd.DataFrame, shown: list[str]) -> None:
    """Each shown group's share per category as a bar of a group of three (none where the share is not meaningful,
    its reason in its place), with the categories in the legend."""
    y = np.arange(len(shown), dtype=float)
    height = 0.8 / len(CALL)
    for offset, category in enumerate(CALL):
        rows = conversion[conversion["category"] == category].drop_duplicates("group").set_index("group")
        positions = y + (offset - (len(CALL) - 1) / 2) * height
        shares = np.array([_share(rows, group) for group in shown])
        drawn = ~np.isnan(shares)
        axes.barh(positions[drawn], shares[drawn], height=height, color=CATEGORY_COLOURS[category], label=category)
        for position, group, share in zip(positions, shown, shares, strict=True):
            text = _note(rows, group, short=True) if np.isnan(share) else formatting.percent(share)
            _beside(axes, position, share, text, 7)
    axes.set_yticks(y, shown)
    axes.get_yticklabels()[0].set_fontweight("bold" if shown[0] == COMPANY else "normal")
    axes.set_ylim(len(shown) - 0.5, -0.5)  # the first group on top
    axes.figure.legend(loc="outside lower center", ncols=len(CALL), frameon=False)


def _share(rows: pd.DataFrame, key: str) -> float:
    """The share of the called amount won of a row (by category or group); NaN when it is missing or not meaningful."""
    return float(rows.loc[key, "share_amount"]) if key in rows.index else float("nan")


def _note(rows: pd.DataFrame, key: str, short: bool) -> str:
    """Why a row has no share: its note (shortened beside a thin bar), or that nothing was called in it."""
    note = str(rows.loc[key, "note"]) if key in rows.index else ""
    return _SHORT_NOTES.get(note, note) if short or not note else note


def _beside(axes: Axes, y: float, share: float, text: str, size: float) -> None:
    """A bar's figure at its end, or in grey where there is no bar (a share that is not meaningful)."""
    missing = bool(np.isnan(share))
    axes.annotate(
        text,
        (0.0 if missing else share, y),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        fontsize=size,
        color=style.BASELINE if missing else "#222222",
        fontstyle="italic" if missing else "normal",
        parse_math=False,
    )


@style.themed
def rollup_chart(
    rollup: pd.DataFrame,
    currency: str,
    title: str,
    target: float | None = None,
    *,
    target_quarter: str | None = None,
) -> Figure:
    """The company's call for this quarter and the next (category_rollup's rows; the latest day if several) as one
    stacked bar each: Closed, Commit, Best Case, Pipeline (Omitted and other categories left out), with the target
    as a dashed line across the bar of its quarter when given. target_quarter: the label of the quarter the target
    is for (default: this quarter's; on a quarter's last day the quarter being sold into is the next one)."""
    figure, axes = style.figure(*ROLLUP_SIZE)
    company = rollup[rollup["group"].astype(str) == COMPANY]
    if len(company):
        company = company[company["day"] == company["day"].max()]
    amounts = company.pivot_table(index="horizon", columns="category", values="amount", aggfunc="sum")
    amounts = amounts.reindex(index=list(HORIZONS), columns=list(STACK)).fillna(0.0)
    quarters = company.drop_duplicates("horizon").set_index("horizon")["quarter"]
    y = np.arange(len(HORIZONS))
    left = np.zeros(len(HORIZONS))
    widest = float(amounts.sum(axis=1).max()) or 1.0
    for category in STACK:
        widths = amounts[category].to_numpy()
        bars = axes.barh(y, widths, left=left, height=0.6, color=CATEGORY_COLOURS[category], label=category)
        labels = [formatting.money(w, currency) if w >= _LABELLED_SEGMENT * widest else "" for w in widths]
        axes.bar_label(bars, labels=labels, label_type="center", fontsize=8, color=_TEXT_ON[category])
        left += widths
    row = 0 if target_quarter is None else _row_of(quarters, target_quarter)
    if target is not None and row is not None:
        axes.plot([target] * 2, [row - 0.42, row + 0.42], color=style.TARGET, linestyle="--", lw=1.4, label="target")
    # each bar's total beside its name, where no target line can cross it
    names = [
        "\n".join(filter(None, [quarters.get(horizon), f"{horizon}: {formatting.money(total, currency)}"]))
        for horizon, total in zip(HORIZONS, left, strict=True)
    ]
    axes.set_yticks(y, names)
    axes.invert_yaxis()
    style.title(axes, title)
    axes.set_xlabel(style.money_label("Amount closed and called in the quarter", currency))
    axes.grid(axis="y", visible=False)
    style.money_axis(axes.xaxis, currency)
    axes.set_xlim(0, max(widest, target if target is not None and row is not None else 0.0) * 1.05)
    handles, labels = axes.get_legend_handles_labels()
    stacked = sorted(zip(handles, labels, strict=True), key=lambda pair: pair[1] == "target")  # the target last
    figure.legend(*zip(*stacked, strict=True), loc="outside lower center", ncols=len(stacked), frameon=False)
    return figure


def _row_of(quarters: pd.Series, label: str) -> int | None:
    """The roll-up's row (0 this quarter, 1 the next) of the quarter with this label; None when neither has it."""
    horizons = quarters.index[quarters == label]
    return HORIZONS.index(horizons[0]) if len(horizons) else None
