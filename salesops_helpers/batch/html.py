"""Executed notebooks to HTML pages that stand alone: no code, no prompts, no scripts, no logs."""

from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from salesops_helpers.batch.manifest import write_text
from salesops_helpers.batch.templates import ENVIRONMENT
from salesops_helpers.batch.templates import FOLDER as TEMPLATES
from salesops_helpers.presentation.contract import (
    HEADLINE_MIMETYPE,
    READER_HTML_MIMETYPE,
    ROWS_MIMETYPE,
    STYLESHEET_MIMETYPE,
)

# Outputs a reader must never see, or that need a running kernel: logs and warnings on stderr, live widgets.
_WIDGET_MIMETYPES = ("application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json")


@dataclass
class TableFiles:
    """The CSV files of a page's shortened tables, kept in one folder beside the page."""

    folder: str  # the folder's name, beside the page
    files: dict[str, str] = field(default_factory=dict)  # file name -> CSV text

    def add(self, name: str, rows: str) -> str:
        """Keep one table's rows; the link to its file from the page."""
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"
        file = f"{len(self.files) + 1:02d}-{slug[:60]}.csv"
        self.files[file] = rows
        return f"{self.folder}/{file}"

    def write(self, beside: Path) -> str | None:
        """Write the files into their folder beside the page (replacing an earlier run's); its name, or None."""
        target = beside / self.folder
        shutil.rmtree(target, ignore_errors=True)
        if not self.files:
            return None
        target.mkdir()
        for file, rows in self.files.items():
            write_text(target / file, rows)
        return self.folder


def _with_rows_link(output: nbformat.NotebookNode, tables: TableFiles) -> nbformat.NotebookNode:
    """A shortened table's output with its every row written to a CSV file and linked under the reader's table."""
    rows = output.data.pop(ROWS_MIMETYPE)
    href = tables.add(str(rows.get("name") or ""), str(rows["csv"]))
    link = ENVIRONMENT.get_template("table_rows.html.j2").render(href=href, rows=f"{int(rows['rows']):,}")
    output.data["text/html"] = str(output.data["text/html"]) + link
    return output


def _reader_outputs(outputs: list[nbformat.NotebookNode], tables: TableFiles) -> list[nbformat.NotebookNode]:
    """The outputs of one cell that belong in a page for readers."""
    kept = []
    for output in outputs:
        if output.output_type == "stream" and output.get("name") == "stderr":
            continue
        if output.output_type == "error":
            continue
        data = output.get("data", {})
        if any(m in data for m in _WIDGET_MIMETYPES) or "application/javascript" in data:
            continue
        if "<script" in str(data.get("text/html", "")).lower():
            continue  # a page for readers runs no code
        if HEADLINE_MIMETYPE in data and not str(data.get("text/html", "")).strip():
            continue  # figures recorded for the index only
        if READER_HTML_MIMETYPE in data:
            output = copy.deepcopy(output)
            output.data["text/html"] = output.data.pop(READER_HTML_MIMETYPE)
            if ROWS_MIMETYPE in output.data:
                output = _with_rows_link(output, tables)
        kept.append(output)
    return kept


def reader_notebook(notebook: nbformat.NotebookNode, tables: TableFiles | None = None) -> nbformat.NotebookNode:
    """A copy of an executed notebook holding only what readers see (code is hidden by the exporter); the rows of
    shortened tables go to `tables`."""
    tables = tables if tables is not None else TableFiles("tables")
    clean = copy.deepcopy(notebook)
    clean.metadata.pop("widgets", None)
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs = _reader_outputs(cell.outputs, tables)
    return clean


def output_stylesheets(notebook: nbformat.NotebookNode) -> list[str]:
    """The stylesheets a notebook's outputs carry as text/css (the CSS their HTML needs), each once, in the order they
    first appear; a sheet that another one holds whole (the figure cards' in the summary box's) is not repeated."""
    sheets: list[str] = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            sheet = str(output.get("data", {}).get(STYLESHEET_MIMETYPE, ""))
            # a sheet that could close the style element it goes into is no stylesheet
            if not sheet.strip() or "<" in sheet or any(sheet in kept for kept in sheets):
                continue
            sheets = [kept for kept in sheets if kept not in sheet] + [sheet]
    return sheets


def count_stderr_outputs(notebook: nbformat.NotebookNode) -> int:
    """How many stderr outputs (warnings, log lines) an executed notebook holds: the analyst's copy keeps them."""
    return sum(
        1
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "stream" and output.get("name") == "stderr"
    )


def tables_folder(page: str) -> str:
    """The folder beside a page (02_team.html) that holds its tables' CSV files (02_team-tables)."""
    return f"{Path(page).stem}-tables"


def export_html(notebook: nbformat.NotebookNode, target: Path, title: str, heading: str, footer: str) -> str | None:
    """Write the reader's page of an executed notebook to target, and beside it the CSV files of its shortened tables;
    the name of their folder, or None without any."""
    exporter = HTMLExporter(
        template_name="salesops_report",
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(TEMPLATES)],  # for the stylesheets the page template includes
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    tables = TableFiles(tables_folder(target.name))
    reader = reader_notebook(notebook, tables)
    stylesheets = output_stylesheets(reader)
    resources = {
        "metadata": {"name": title},
        "salesops": {"stylesheets": stylesheets, "heading": heading, "footer": footer},
    }
    page, _ = exporter.from_notebook_node(reader, resources=resources)
    folder = tables.write(target.parent)
    write_text(target, page)
    return folder
