"""The executive summary box that opens every report: labelled sentences and the key-figure cards."""

from __future__ import annotations

from typing import Any

from salesops_helpers.analyses.findings import ROLES, ExecutiveSummary
from salesops_helpers.presentation.contract import (
    HEADLINE_MIMETYPE,
    STYLESHEET_MIMETYPE,
    SUMMARY_MIMETYPE,
    headline_record,
)
from salesops_helpers.presentation.templates import render, stylesheets


def summary_html(summary: ExecutiveSummary) -> str:
    """The summary box as HTML: labelled sentences, then the key-figure cards; every text is escaped."""
    points = list(zip([*ROLES, "Context"], summary.sentences(), strict=False))
    return render("summary", points=points, headlines=summary.figures)


def summary_bundle(summary: ExecutiveSummary) -> dict[str, Any]:
    """The display bundle: the box and its stylesheets for readers, the figures (shown and recorded) as data for the
    batch's index."""
    return {
        "text/html": summary_html(summary),
        STYLESHEET_MIMETYPE: stylesheets("summary", "figure_cards"),
        "text/plain": summary.text(),
        HEADLINE_MIMETYPE: [headline_record(h) for h in [*summary.figures, *summary.recorded]],
        SUMMARY_MIMETYPE: {"roles": [*ROLES, "Context"][: len(summary.sentences())], "sentences": summary.sentences()},
    }


def show_summary(summary: ExecutiveSummary) -> None:
    """Display the executive summary in a notebook, recording its figures for the batch."""
    from IPython.display import display

    display(summary_bundle(summary), raw=True)
