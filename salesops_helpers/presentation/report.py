"""What a report notebook calls first and shows with: the loaded period, formatted tables, computed prose."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from salesops_helpers import formatting
from salesops_helpers.analyses.findings import BAD, GOOD, WARN, ShownTable
from salesops_helpers.analyses.health import checks as health_checks
from salesops_helpers.calendar.periods import ReportPeriod, resolve_period
from salesops_helpers.config import WorkbookConfig, load_config
from salesops_helpers.data.loading import SalesData, load_data
from salesops_helpers.metrics import targets
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from salesops_helpers.presentation.contract import READER_HTML_MIMETYPE, ROWS_MIMETYPE, STYLESHEET_MIMETYPE
from salesops_helpers.presentation.templates import render, stylesheets

FIGURE = re.compile(r"^[-+−–±]?\s?[$€£¥]?\d[\d,.]*\s?(?:[kMB%x]|pts|days?|/day)?(?:\s\(.*\))?$|^[–-]$")


@dataclass
class Report:
    """One report's inputs: the configuration, the validated data and the period it covers."""

    config: WorkbookConfig
    data: SalesData
    period: ReportPeriod
    interactive: bool
    output_dir: Path | None

    @property
    def currency(self) -> str:
        """The reporting currency's ISO code."""
        return self.config.company.reporting_currency

    def money(self, value: float | None) -> str:
        """An amount in the reporting currency, abbreviated."""
        return formatting.money(value, self.currency)

    def money_change(self, value: float | None) -> str:
        """A signed difference in the reporting currency: +$12k above, -$3.0k below."""
        return formatting.change(value, "currency", self.currency)


def use_report_style() -> None:
    """Charts as embedded PNG images at a readable size in the reports' theme, pandas tables without clutter."""
    from salesops_helpers.presentation.style import use_theme

    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        # figures lay themselves out (constrained layout), so a tight bounding box would only draw them twice
        set_matplotlib_formats("png", bbox_inches=None)
    except ImportError:  # outside IPython there is nothing to configure
        pass
    use_theme()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)


def open_report(
    period: str = "",
    data_dir: str = "",
    config_path: str = "",
    output_dir: str = "",
    interactive: bool = True,
    mapping_path: str = "",
    as_of: str = "",
) -> Report:
    """Load the configuration and data (the demo company by default, or an export read through a mapping file),
    standing on the stated day if any, and resolve the period (default: the last complete month in the data)."""
    use_report_style()
    config = load_config(config_path or DEFAULT_CONFIG)
    # each notebook of a batch reads the same folder, so the validated data is cached
    data = load_data(data_dir or DEMO_DATA, config, cache=True, mapping=mapping_path or None).stated_as_of(as_of)
    first_day = data.opportunities["created_date"].min()
    resolved = resolve_period(period or None, first_day, data.as_of)
    return Report(config, data, resolved, interactive, Path(output_dir) if output_dir else None)


# The rows a reader's page shows of a long table, unless the table says otherwise.
READER_ROWS = 15
# The most rows a reader's page shows of any table, even one meant to be shown whole (teams, stages): a company with
# hundreds of teams gets a page that still reads, and every row in the analyst's notebook and a CSV file.
MOST_READER_ROWS = 40
# Status words the reports' tables show, each defined once where its rule lives, and how each stands: the colour
# only repeats what the word says.
STATUS_TONES = {
    targets.ON: GOOD,
    targets.ON_PACE: GOOD,
    health_checks.AVAILABLE: GOOD,
    targets.OFF: BAD,
    targets.BEHIND_PACE: BAD,
    health_checks.UNAVAILABLE: BAD,
    health_checks.LIMITED: WARN,
}
TONE_STYLES = {
    GOOD: "background-color: #e3f0fa; color: #0b3c5d",
    WARN: "background-color: #fff4d6; color: #5c4300",
    BAD: "background-color: #fde4d2; color: #7a2e00; font-weight: 600",
}


class ReportTable:
    """A formatted table that shows in full in JupyterLab and the analyst's notebook, and only its first
    `reader_rows` rows (with a note saying so) on the batch's page."""

    def __init__(self, full: Styler, short: Styler | None, total_rows: int, reader_rows: int, name: str = "") -> None:
        self.styler = full
        self.short = short
        self.total_rows = total_rows
        self.reader_rows = reader_rows
        self.name = name

    def to_html(self) -> str:
        """The full table as HTML."""
        return self.styler.to_html()

    def reader_html(self) -> str:
        """What the batch's page shows: the full table, or its first rows and a note naming what was left out."""
        if self.short is None:
            return self.to_html()
        note = render("table_note", shown=formatting.count(self.reader_rows), total=formatting.count(self.total_rows))
        return self.short.to_html() + note

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        bundle = {"text/html": self.to_html(), "text/plain": f"<table of {self.total_rows} rows>"}
        if self.short is not None:
            bundle[READER_HTML_MIMETYPE] = self.reader_html()
            bundle[STYLESHEET_MIMETYPE] = stylesheets("table_note")
            rows = self.styler.data.to_csv(index=False, date_format="%Y-%m-%d")
            bundle[ROWS_MIMETYPE] = {"name": self.name, "rows": self.total_rows, "csv": rows}  # type: ignore[assignment]
        return bundle


def table(
    frame: pd.DataFrame,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    *,
    tones: Mapping[str, Callable[[Any], str]] | None = None,
    reader_rows: int | None = READER_ROWS,
    name: str = "",
    total_last: bool = False,
) -> ReportTable:
    """A table for readers: no index, numbers right-aligned and text left, dates as YYYY-MM-DD, every cell and
    header HTML-escaped, missing values as a dash, status words coloured by how they stand (`tones` maps other
    columns to a function giving good, warn, bad or ''), and on the batch's page only the first `reader_rows` rows
    (None: all, up to MOST_READER_ROWS), the batch writing every row to a CSV file named after `name`; rank the rows
    by what matters first. total_last: the last row (a total) stays on the reader's page however many are cut."""
    full = _styled(frame, formats, tones)
    shown = min(MOST_READER_ROWS, len(frame) if reader_rows is None else reader_rows)
    if len(frame) <= shown:
        return ReportTable(full, None, len(frame), len(frame), name)
    short = pd.concat([frame.head(shown - 1), frame.tail(1)]) if total_last else frame.head(shown)
    return ReportTable(full, _styled(short, formats, tones), len(frame), shown, name)


def shown_table(shown: ShownTable, reader_rows: int | None = None, name: str = "") -> ReportTable:
    """A table an analysis prepared (rows, formats, tones) as a report table; every row on the reader's page (up to
    MOST_READER_ROWS) unless reader_rows says otherwise."""
    return table(shown.frame, shown.formats, tones=shown.tones, reader_rows=reader_rows, name=name)


def status_tone(value: object) -> str:
    """How a status word stands: good, warn, bad, or '' for a word without a tone."""
    return STATUS_TONES.get(str(value).strip().lower(), "") if isinstance(value, str) else ""


def _styled(
    frame: pd.DataFrame,
    formats: Mapping[str, Callable[[Any], str]] | None,
    tones: Mapping[str, Callable[[Any], str]] | None,
) -> Styler:
    """The Styler behind `table`."""
    dates = {
        column: (lambda d: "–" if pd.isna(d) else f"{d:%Y-%m-%d}")
        for column in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[column])
    }
    numeric = {
        column
        for column in frame.columns
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
    }
    # text that is a formatted figure ($12k, 23%, 1.2x, –) aligns right like a number
    numeric |= {
        column
        for column in frame.columns
        if (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]))
        and len(frame)
        and frame[column].map(lambda v: isinstance(v, str) and FIGURE.match(v) is not None).all()
    }
    # short text (names, formatted figures) stays on one line; long prose may wrap
    short = {column for column in frame.columns if column not in numeric and _longest_text(frame[column]) <= 24}
    align = {
        column: [
            {
                "selector": "",
                "props": (
                    "text-align: right; white-space: nowrap"
                    if column in numeric
                    else "text-align: left; white-space: nowrap"
                    if column in short
                    else "text-align: left"
                ),
            }
        ]
        for column in frame.columns
    }
    styler = frame.style.hide(axis="index").set_table_styles(align)
    # headers may wrap even where the column's figures may not, so that wide tables fit the page
    styler = styler.set_table_styles(
        [{"selector": "th.col_heading", "props": "white-space: normal; word-break: normal; overflow-wrap: normal"}],
        overwrite=False,
    )
    styler = styler.format(escape="html", na_rep="–")
    styler = styler.format({**dates, **(formats or {})}, escape="html", na_rep="–")
    styler = styler.format_index(escape="html", axis=1)
    toned = {"status": status_tone} if "status" in frame.columns else {}
    for column, tone in {**toned, **(tones or {})}.items():
        if column in frame.columns:
            styler = styler.map(lambda v, tone=tone: TONE_STYLES.get(tone(v), ""), subset=[column])
    return styler


def _longest_text(values: pd.Series) -> int:
    """The length of the longest value as text (0 for an empty or all-missing column)."""
    lengths = values.dropna().astype(str).str.len()
    return int(lengths.max()) if len(lengths) else 0


def say(template: str, **values: object) -> None:
    """Show computed prose (Markdown): each value is inserted into the template escaped, so data is never markup."""
    from IPython.display import Markdown, display

    display(Markdown(template.format(**{key: escape_markdown(str(value)) for key, value in values.items()})))


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as it is: HTML special characters escaped, Markdown punctuation backslashed."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]#|~$])", r"\\\1", escaped)
