"""What a report finds, as data: headline figures and the executive summary every report's summary module builds.

Presentation shows them (presentation.summary, presentation.headlines); the batch reads them back through
presentation.contract. Nothing here draws or writes HTML.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from salesops_helpers.formatting import month_name

# How a figure or a status word stands (its colour on the page): against its target, or against the previous period
# in the direction that is better; WARN for a status between the two (an analysis the data supports only in part).
GOOD, BAD, WARN, NEUTRAL = "good", "bad", "warn", ""
ROLES = ("Where it stands", "Largest change", "Biggest risk", "Suggested action")
MAX_FIGURES = 5


@dataclass(frozen=True)
class Headline:
    """One named figure: a stable key, the label readers see, the raw value and its formatted text.

    Optional, for the index's dashboard: the change against the previous period as text (`change`), whether the
    figure stands well or badly (`status`: good, bad or empty), its value month by month, oldest first (`trend`,
    with the months as YYYY-MM in `trend_periods` and each value formatted in `trend_text`), and `dashboard` False
    for figures kept off the index.
    """

    key: str
    label: str
    value: float | int | str | None
    text: str
    change: str = ""
    status: str = NEUTRAL
    trend: tuple[float | None, ...] = ()
    trend_periods: tuple[str, ...] = ()
    trend_text: tuple[str, ...] = ()
    dashboard: bool = True

    def __post_init__(self) -> None:
        if not len(self.trend) == len(self.trend_periods) == len(self.trend_text):
            raise ValueError(f"Headline {self.key}: trend, trend_periods and trend_text differ in length")


@dataclass(frozen=True)
class ExecutiveSummary:
    """Four computed sentences (standing, change against the previous period, risk, action), an optional fifth for
    context, and up to five key figures; `recorded` figures go to the index without being shown."""

    standing: str
    change: str
    risk: str
    action: str
    figures: list[Headline]
    context: str = ""
    recorded: list[Headline] = field(default_factory=list)

    def __post_init__(self) -> None:
        empty = [role for role, text in zip(ROLES, self._core(), strict=True) if not text.strip()]
        if empty:
            raise ValueError(f"An executive summary needs every sentence; missing: {', '.join(empty)}")
        if len(self.figures) > MAX_FIGURES:
            raise ValueError(f"An executive summary shows at most {MAX_FIGURES} key figures, got {len(self.figures)}")

    def _core(self) -> tuple[str, str, str, str]:
        return (self.standing, self.change, self.risk, self.action)

    def sentences(self) -> list[str]:
        """The summary's sentences in reading order: three to five."""
        return [*self._core(), *([self.context] if self.context.strip() else [])]

    def text(self) -> str:
        """The summary as plain text, one labelled sentence a line."""
        labels = [*ROLES, "Context"]
        return "\n".join(f"{label}: {s}" for label, s in zip(labels, self.sentences(), strict=False))


def trend_headline(
    key: str,
    label: str,
    values: pd.Series,
    text_of: Callable[[float], str],
    change_of: Callable[[float], str],
    better: str,
    target: float | None = None,
    months: int = 12,
) -> Headline:
    """A key figure from a KPI's monthly values (index: periods as YYYY-MM, oldest first, the last one current): its
    change on the month before, its status and its last `months` values as a trend. Status: against the target when
    one is given (met in the `better` direction, up or down), else whether the change went the `better` way."""
    values = values.astype(float)
    current = float(values.iloc[-1]) if len(values) else math.nan
    previous = float(values.iloc[-2]) if len(values) > 1 else math.nan
    change = current - previous
    if target is not None and not math.isnan(target) and not math.isnan(current) and better in ("up", "down"):
        met = current >= target if better == "up" else current <= target
        status = GOOD if met else BAD
    elif math.isnan(change) or abs(change) < 1e-12 or better not in ("up", "down"):
        status = NEUTRAL
    else:
        status = GOOD if (change > 0) == (better == "up") else BAD
    change_text = "" if math.isnan(change) else f"{change_of(change)} vs {month_name(str(values.index[-2]))}"
    if target is not None and not math.isnan(target):
        # the colour says how the figure stands against its target; the words say it too
        change_text = " · ".join(part for part in (change_text, f"target {text_of(target)}") if part)
    recent = values.iloc[-months:]
    return Headline(
        key,
        label,
        current,
        text_of(current),
        change=change_text,
        status=status,
        trend=tuple(None if math.isnan(v) else v for v in recent),
        trend_periods=tuple(str(p) for p in recent.index),
        trend_text=tuple(text_of(v) for v in recent),
    )


NOT_MEANINGFUL = "not meaningful"


def unstable_headline(headline: Headline) -> Headline:
    """A key figure whose value this period is too unstable to state (metrics.stability): it says so, with no
    change and no status; its trend is kept."""
    return replace(headline, text=NOT_MEANINGFUL, change="", status=NEUTRAL)


# How a column's values are written, or toned: a value in, text out (presentation.report.table applies them).
Formatter = Callable[..., str]


@dataclass(frozen=True)
class ShownTable:
    """A table for readers: its rows, how columns are written (formats) and coloured (tones). No columns and no
    rows when there is nothing to show, which the page shows as nothing."""

    frame: pd.DataFrame
    formats: dict[str, Formatter] = field(default_factory=dict)
    tones: dict[str, Formatter] = field(default_factory=dict)


NOTHING = ShownTable(pd.DataFrame())
