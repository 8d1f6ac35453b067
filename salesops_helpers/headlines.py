"""Headline figures: the few named numbers a report records for the index, shown and stored as data together."""

from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass
from typing import Any

# Outputs with this MIME type carry a report's headline figures; the batch reads them from the executed notebook.
HEADLINE_MIMETYPE = "application/vnd.salesops.headlines+json"


@dataclass(frozen=True)
class Headline:
    """One named figure: a stable key, the label readers see, the raw value and its formatted text."""

    key: str
    label: str
    value: float | int | str | None
    text: str


def _plain(value: object) -> float | int | str | None:
    """A value JSON can hold: NumPy numbers as Python numbers, NaN as None."""
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value  # type: ignore[return-value]


def headline_bundle(headlines: list[Headline]) -> dict[str, Any]:
    """The display bundle for a key-figures panel: HTML for readers, JSON for the batch, plain text as fallback."""
    cards = "".join(
        '<div class="salesops-figure">'
        f'<div class="salesops-figure-value">{html.escape(h.text)}</div>'
        f'<div class="salesops-figure-label">{html.escape(h.label)}</div></div>'
        for h in headlines
    )
    return {
        "text/html": f'<div class="salesops-figures">{cards}</div>',
        "text/plain": "\n".join(f"{h.label}: {h.text}" for h in headlines),
        HEADLINE_MIMETYPE: [dict(asdict(h), value=_plain(h.value)) for h in headlines],
    }


def show_headlines(headlines: list[Headline]) -> None:
    """Display the key-figures panel in a notebook, recording the figures for the batch's index."""
    from IPython.display import display

    display(headline_bundle(headlines), raw=True)


def read_headlines(notebook: Any) -> list[dict[str, Any]]:
    """Every headline figure recorded in an executed notebook, in order (later keys replace earlier ones)."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for item in output.get("data", {}).get(HEADLINE_MIMETYPE, []):
                found[str(item["key"])] = dict(item)
    return list(found.values())
