"""The executive summary box that opens every report: labelled sentences and the key-figure cards."""

from __future__ import annotations

import html
from typing import Any

from salesops_helpers.analyses.findings import ROLES, ExecutiveSummary
from salesops_helpers.presentation.contract import HEADLINE_MIMETYPE, SUMMARY_MIMETYPE, headline_record
from salesops_helpers.presentation.headlines import figure_cards


def summary_html(summary: ExecutiveSummary) -> str:
    """The summary box as HTML: labelled sentences, then the key-figure cards; every text is escaped."""
    labels = [*ROLES, "Context"]
    items = "".join(
        f'<li><span class="salesops-role">{html.escape(label)}.</span> {html.escape(sentence)}</li>'
        for label, sentence in zip(labels, summary.sentences(), strict=False)
    )
    return (
        '<section class="salesops-summary-box" aria-label="Executive summary">'
        '<h2 class="salesops-summary-title">Summary</h2>'
        f'<ul class="salesops-summary-points">{items}</ul>{figure_cards(summary.figures)}</section>'
    )


def summary_bundle(summary: ExecutiveSummary) -> dict[str, Any]:
    """The display bundle: the box for readers, the figures (shown and recorded) as data for the batch's index."""
    return {
        "text/html": summary_html(summary),
        "text/plain": summary.text(),
        HEADLINE_MIMETYPE: [headline_record(h) for h in [*summary.figures, *summary.recorded]],
        SUMMARY_MIMETYPE: {"roles": [*ROLES, "Context"][: len(summary.sentences())], "sentences": summary.sentences()},
    }


def show_summary(summary: ExecutiveSummary) -> None:
    """Display the executive summary in a notebook, recording its figures for the batch."""
    from IPython.display import display

    display(summary_bundle(summary), raw=True)
