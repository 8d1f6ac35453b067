"""Headline figures on the page: the key-figure cards, shown and recorded as data for the batch together."""

from __future__ import annotations

from typing import Any

from salesops_helpers.analyses.findings import Headline
from salesops_helpers.presentation.contract import HEADLINE_MIMETYPE, STYLESHEET_MIMETYPE, headline_record
from salesops_helpers.presentation.templates import render, stylesheets


def figure_cards(headlines: list[Headline]) -> str:
    """The key-figure cards as HTML (every text escaped): value, label, and the change when there is one."""
    return render("figure_cards", headlines=headlines)


def headline_bundle(headlines: list[Headline]) -> dict[str, Any]:
    """The display bundle for a key-figures panel: HTML and its stylesheet for readers, JSON for the batch, plain
    text as fallback."""
    return {
        "text/html": figure_cards(headlines),
        STYLESHEET_MIMETYPE: stylesheets("figure_cards"),
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
