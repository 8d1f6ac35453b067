"""Headline figures: the few named numbers a report records for the index, shown and stored as data together."""

from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass
from typing import Any

# Outputs with this MIME type carry a report's headline figures; the batch reads them from the executed notebook.
HEADLINE_MIMETYPE = "application/vnd.salesops.headlines+json"

# How a figure stands: against its target, or against the previous period in the direction that is better.
GOOD, BAD, NEUTRAL = "good", "bad", ""


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


def _plain(value: object) -> float | int | str | None:
    """A value JSON can hold: NumPy numbers as Python numbers, NaN as None."""
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value  # type: ignore[return-value]


def headline_record(headline: Headline) -> dict[str, Any]:
    """A headline as JSON data, as the batch stores it in the manifest."""
    record = asdict(headline)
    record["value"] = _plain(headline.value)
    record["trend"] = [_plain(v) for v in headline.trend]
    record["trend_periods"] = list(headline.trend_periods)
    record["trend_text"] = list(headline.trend_text)
    return record


def figure_cards(headlines: list[Headline]) -> str:
    """The key-figure cards as HTML (every text escaped): value, label, and the change when there is one."""
    cards = []
    for h in headlines:
        change = (
            f'<div class="salesops-figure-change salesops-{html.escape(h.status or "neutral")}">'
            f"{html.escape(h.change)}</div>"
            if h.change
            else ""
        )
        cards.append(
            f'<div class="salesops-figure salesops-{html.escape(h.status or "neutral")}">'
            f'<div class="salesops-figure-value">{html.escape(h.text)}</div>'
            f'<div class="salesops-figure-label">{html.escape(h.label)}</div>{change}</div>'
        )
    return f'<div class="salesops-figures">{"".join(cards)}</div>'


def headline_bundle(headlines: list[Headline]) -> dict[str, Any]:
    """The display bundle for a key-figures panel: HTML for readers, JSON for the batch, plain text as fallback."""
    return {
        "text/html": figure_cards(headlines),
        "text/plain": "\n".join(f"{h.label}: {h.text}" + (f" ({h.change})" if h.change else "") for h in headlines),
        HEADLINE_MIMETYPE: [headline_record(h) for h in headlines],
    }


def show_headlines(headlines: list[Headline]) -> None:
    """Display the key-figures panel in a notebook, recording the figures for the batch's index."""
    from IPython.display import display

    display(headline_bundle(headlines), raw=True)


def record_headlines(headlines: list[Headline]) -> None:
    """Record figures for the batch's index without showing them (figures the report shows another way)."""
    from IPython.display import display

    display({HEADLINE_MIMETYPE: [headline_record(h) for h in headlines], "text/plain": ""}, raw=True)


def read_headlines(notebook: Any) -> list[dict[str, Any]]:
    """Every headline figure recorded in an executed notebook, in order (later keys replace earlier ones)."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for item in output.get("data", {}).get(HEADLINE_MIMETYPE, []):
                found[str(item["key"])] = dict(item)
    return list(found.values())
