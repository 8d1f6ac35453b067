"""The contract between report notebooks and the batch: the outputs a notebook emits and the batch reads back.

A notebook records its headline figures and summary sentences as outputs with the MIME types below, and may give a
reader's (shortened) version of a table; the batch reads them from the executed notebook, and knows nothing else of
what a report computes.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesops_helpers.analyses.findings import Headline

# Outputs with this MIME type carry a report's headline figures; the batch reads them from the executed notebook.
HEADLINE_MIMETYPE = "application/vnd.salesops.headlines+json"
# Outputs with this MIME type carry a report's summary sentences; the batch shows the first on the index.
SUMMARY_MIMETYPE = "application/vnd.salesops.summary+json"
# Outputs carrying this MIME type hold the reader's (shortened) version of a table; the batch's page shows it in place
# of text/html, while JupyterLab and the analyst's notebook show the full table.
READER_HTML_MIMETYPE = "application/vnd.salesops.reader+html"
# Outputs carrying this MIME type hold every row of a table shortened on the reader's page, as CSV with its row count
# and a name ({"name": ..., "rows": ..., "csv": ...}); the batch writes it as a CSV file beside the page and links it.
ROWS_MIMETYPE = "application/vnd.salesops.rows+json"
# Outputs may carry the stylesheet their HTML needs under this MIME type (notebook front ends do not display it); the
# batch puts each sheet once into the head of the reader's page.
STYLESHEET_MIMETYPE = "text/css"


def _plain(value: object) -> float | int | str | None:
    """A value JSON can hold: NumPy numbers as Python numbers, NaN as None."""
    if hasattr(value, "item"):
        value = value.item()
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


def read_headlines(notebook: Any) -> list[dict[str, Any]]:
    """Every headline figure recorded in an executed notebook, in order (later keys replace earlier ones)."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for item in output.get("data", {}).get(HEADLINE_MIMETYPE, []):
                found[str(item["key"])] = dict(item)
    return list(found.values())


def read_summary(notebook: Any) -> dict[str, list[str]]:
    """The summary recorded in an executed notebook (roles and sentences), or empty lists when it shows none."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(SUMMARY_MIMETYPE)
            if found:
                return {"roles": list(found["roles"]), "sentences": list(found["sentences"])}
    return {"roles": [], "sentences": []}
