"""The reports' one look: a colour-blind-safe palette, a colour per role and per team, the theme, axis formats."""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import seaborn as sns
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.colors import Colormap, to_hex
from matplotlib.figure import Figure

from salesops_helpers import formatting

Colour = str

# seaborn's "colorblind" palette: ten colours (after Okabe and Ito) that stay apart for the common colour-vision
# deficiencies; every colour the reports use comes from it, apart from black and greys
PALETTE_NAME = "colorblind"
PALETTE: list[Colour] = sns.color_palette(PALETTE_NAME).as_hex()
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, BROWN, PINK, GREY, YELLOW, SKY_BLUE = PALETTE

# What each colour means, the same in every report and chart. Targets and quotas are drawn in near-black, dashed;
# baselines in grey, dashed.
ROLE_COLOURS: dict[str, Colour] = {
    "won": GREEN,
    "lost": VERMILLION,
    "open": SKY_BLUE,
    "actual": BLUE,
    "forecast": ORANGE,
    "highlight": PURPLE,
    "target": "#222222",
    "baseline": "#6f6f6f",
    "neutral": GREY,
}
WON, LOST, OPEN = ROLE_COLOURS["won"], ROLE_COLOURS["lost"], ROLE_COLOURS["open"]
ACTUAL, FORECAST, HIGHLIGHT = ROLE_COLOURS["actual"], ROLE_COLOURS["forecast"], ROLE_COLOURS["highlight"]
TARGET, BASELINE, NEUTRAL = ROLE_COLOURS["target"], ROLE_COLOURS["baseline"], ROLE_COLOURS["neutral"]
OUTCOME_COLOURS: dict[str, Colour] = {"won": WON, "lost": LOST, "open": OPEN}

# Colours for named things (teams, models, methods) in this order; grey is left out (it means "neutral") and yellow
# comes last, as it is the hardest to see on white.
CATEGORY_COLOURS: list[Colour] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, BROWN, PINK, SKY_BLUE, YELLOW]

# Overrides of seaborn's "whitegrid" style and "notebook" context.
THEME_RC: dict[str, object] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 12.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "figure.titlesize": 12.5,
    "figure.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.labelcolor": "#333333",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#b0b0b0",
    "axes.linewidth": 0.8,
    "axes.grid": True,
    "grid.color": "#ebebeb",
    "grid.linewidth": 0.7,
    "axes.axisbelow": True,
    "lines.linewidth": 1.8,
    "text.parse_math": False,
}


@functools.cache
def theme_rc() -> dict[Any, Any]:  # rcParams keys, typed by matplotlib as literals
    """Every rcParam the theme sets: seaborn's whitegrid style and notebook context, the palette, the overrides."""
    rc = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook"), **THEME_RC}
    rc["axes.prop_cycle"] = cycler(color=CATEGORY_COLOURS)
    return rc


def use_theme() -> None:
    """Make the reports' look the default for every chart drawn from here on (seaborn theme and rcParams)."""
    sns.set_theme(style="whitegrid", context="notebook", palette=CATEGORY_COLOURS)
    mpl.rcParams.update(theme_rc())


P = ParamSpec("P")
R = TypeVar("R")


def themed(chart: Callable[P, R]) -> Callable[P, R]:
    """Draw a chart function's figure in the reports' theme, whatever the caller's defaults are."""

    @functools.wraps(chart)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        with mpl.rc_context(theme_rc()):
            return chart(*args, **kwargs)

    return drawn


# The largest chart, in inches at 100 dpi: however many stages, reps or methods a chart has, its picture stays this
# size at most (1,200 × 1,400 pixels).
LARGEST_FIGURE = (12.0, 14.0)


def bounded(width: float, height: float) -> tuple[float, float]:
    """A figure size no larger than LARGEST_FIGURE."""
    return min(width, LARGEST_FIGURE[0]), min(height, LARGEST_FIGURE[1])


def figure(width: float = 9, height: float = 4) -> tuple[Figure, Axes]:
    """A figure with one axes, outside pyplot's state machine, so a notebook shows it exactly once, where returned; no
    larger than LARGEST_FIGURE."""
    drawn = Figure(figsize=bounded(width, height), layout="constrained")
    return drawn, drawn.add_subplot()


def title(axes: Axes, text: str) -> None:
    """The chart's finding as its title: left-aligned, wrapped to the figure's width, never read as math."""
    width = axes.get_figure(root=True).get_figwidth()  # type: ignore[union-attr]  # charts draw on a Figure
    axes.set_title(textwrap.fill(text, _title_width(width)), loc="left", parse_math=False)


def _title_width(inches: float) -> int:
    """How many characters of a title fit on one line: about ten an inch at the title's size, after the margin
    left of the axes (wider for heatmaps' row labels)."""
    return max(30, int((inches - 1.5) * 10))


def suptitle(drawn: Figure, text: str) -> None:
    """A figure-wide finding as its title (for small multiples), left-aligned and wrapped like `title`."""
    wrapped = textwrap.fill(text, _title_width(drawn.get_figwidth()))
    drawn.suptitle(wrapped, x=0.01, ha="left", parse_math=False)


def category_colours(names: Iterable[str], avoid: Sequence[Colour] = ()) -> dict[str, Colour]:
    """A colour for each distinct name, in sorted order from CATEGORY_COLOURS (leaving out `avoid`), so the same
    list of names always gives each name the same colour; past the palette, evenly spaced hues."""
    ordered = sorted({str(name) for name in names})
    colours = [colour for colour in CATEGORY_COLOURS if colour not in {to_hex(c) for c in avoid}]
    if len(ordered) > len(colours):
        colours += sns.husl_palette(len(ordered) - len(colours), l=0.55).as_hex()
    return dict(zip(ordered, colours, strict=False))


def team_colours(team_names: Iterable[str]) -> dict[str, Colour]:
    """Each team's colour, from the list of ALL teams in the data: the same team has the same colour in every chart
    and report, whichever teams a chart shows."""
    return category_colours(team_names)


def money_formatter(currency: str) -> mticker.Formatter:
    """Ticks as amounts in the reporting currency: $0, $250k, $1.5M."""
    return mticker.FuncFormatter(lambda value, _: formatting.money(value, currency))


def percent_formatter() -> mticker.Formatter:
    """Ticks of a share (0 to 1) as percentages, with as many decimals as the tick spacing needs: 25%, 2.5%."""
    return _PercentFormatter()


class _PercentFormatter(mticker.Formatter):
    """Shares as percentages, with the fewest decimals (up to two) that state every tick exactly: 25%, 2.5%."""

    def __init__(self) -> None:
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Remember where the ticks are, to choose the decimals they need."""
        self.ticks = list(locs)

    def __call__(self, value: float, pos: int | None = None) -> str:
        """One tick's label."""
        return formatting.percent(value, self._digits())

    def _digits(self) -> int:
        """The decimals the ticks need."""
        for digits in range(2):
            if all(abs(round(loc * 100, digits) - loc * 100) < 1e-6 for loc in self.ticks):
                return digits
        return 2


def count_formatter() -> mticker.Formatter:
    """Ticks as whole numbers with thousands separators: 1,250."""
    return mticker.FuncFormatter(lambda value, _: formatting.count(value))


def money_axis(axis: Axis, currency: str) -> None:
    """An axis of amounts: k/M ticks in the reporting currency, at round steps ($250k, not $240k)."""
    # no 2.5 steps: $1.25M would read as $1.3M
    axis.set_major_locator(mticker.MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=True))
    axis.set_major_formatter(money_formatter(currency))


def percent_axis(axis: Axis) -> None:
    """An axis of shares (0 to 1) shown as percentages."""
    axis.set_major_locator(mticker.MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    axis.set_major_formatter(percent_formatter())


def count_axis(axis: Axis) -> None:
    """An axis of counts or days: whole numbers only."""
    axis.set_major_locator(mticker.MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=True))
    axis.set_major_formatter(count_formatter())


def month_axis(axis: Axis) -> None:
    """An axis of months: at most eight ticks, on month starts that are multiples of the step, read as Jul 2026."""
    axis.set_major_locator(_MonthTicks())
    axis.set_major_formatter(mdates.DateFormatter("%b %Y"))


class _MonthTicks(mticker.Locator):
    """Ticks every 1, 2, 3, 6 or 12 months from January (or every few Januaries), whichever gives at most eight."""

    def __call__(self) -> Sequence[float]:
        """The ticks inside the axis' view."""
        if self.axis is None:  # not yet attached to an axis: nothing to tick
            return []
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin: float, vmax: float) -> Sequence[float]:
        """The ticks between two dates (as matplotlib date numbers)."""
        vmin, vmax = sorted((vmin, vmax))
        start, end = mdates.num2date(vmin), mdates.num2date(vmax)
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        step = next((step for step in (1, 2, 3, 6, 12) if months / step <= 8), None)
        if step is None:
            return mdates.YearLocator(math.ceil(months / 12 / 8)).tick_values(start, end)
        return mdates.MonthLocator(bymonth=range(1, 13, step)).tick_values(start, end)


def unit_axis(axis: Axis, unit: str, currency: str) -> None:
    """An axis formatted for a KPI unit (currency, share, count, days, ratio, currency_per_day)."""
    if unit == "currency":
        money_axis(axis, currency)
    elif unit == "share":
        percent_axis(axis)
    elif unit in ("count", "days"):
        count_axis(axis)
    else:
        axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: formatting.by_unit(v, unit, currency)))


def money_label(what: str, currency: str) -> str:
    """An axis label naming the currency: Bookings (USD)."""
    return f"{what} ({currency})"


def unit_label(unit: str, currency: str) -> str:
    """The unit of a KPI as a short axis label: USD, %, days, deals, x, USD per day."""
    return {
        "currency": currency,
        "currency_per_day": f"{currency} per day",
        "share": "%",
        "days": "days",
        "hours": "hours",
        "ratio": "ratio (x)",
        "reps": "reps",
    }.get(unit, "count")


def legend(axes: Axes, **options: Any) -> None:
    """A frameless legend, drawn only when there are at least two labelled things to tell apart."""
    if len(axes.get_legend_handles_labels()[1]) >= 2:
        axes.legend(frameon=False, **options)


def diverging_cmap() -> Colormap:
    """Below a mark in vermillion, at it near white, above it in blue: colour-blind safe (no red against green)."""
    return sns.blend_palette([VERMILLION, "#f7f7f7", BLUE], as_cmap=True)
