"""Report notebooks on disk: finding them, reading them (jupytext py:percent or .ipynb) and their parameters."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import papermill

from salesops_helpers.errors import SalesopsError

# A report notebook's file name: two digits, an underscore, a name (00_data_health.py).
_REPORT_NAME = re.compile(r"(\d{2})_([a-z0-9_]+)")


# The kernel every report runs on: the batch starts it on its own Python (see execute.ProjectKernelManager), and
# `make setup` registers it under this name for JupyterLab.
KERNELSPEC = {"name": "salesops", "display_name": "Python (salesops workbook)", "language": "python"}


class NotebookError(SalesopsError, ValueError):
    """A notebook that cannot be run as asked: unknown name, missing or unknown parameters."""


@dataclass(frozen=True)
class ReportNotebook:
    """One report notebook source: its file, its name (the file stem) and its short name (without the number)."""

    path: Path

    @property
    def name(self) -> str:
        """The file stem, such as 00_data_health; also the name of its HTML report."""
        return self.path.stem

    @property
    def short_name(self) -> str:
        """The name without its number, such as data_health."""
        match = _REPORT_NAME.fullmatch(self.name)
        return match.group(2) if match else self.name

    def read(self) -> nbformat.NotebookNode:
        """The notebook as a notebook object, without outputs."""
        return read_notebook(self.path)


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a py:percent (.py) or .ipynb notebook; it runs on the workbook's Python kernel."""
    notebook = jupytext.read(path, fmt="py:percent") if path.suffix == ".py" else nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.setdefault("language_info", {"name": "python"})
    return notebook


def find_notebooks(folder: Path) -> list[ReportNotebook]:
    """The report notebooks of a folder, in their numbered order (.py sources win over .ipynb copies)."""
    found: dict[str, ReportNotebook] = {}
    for path in sorted(folder.glob("*.ipynb")) + sorted(folder.glob("*.py")):
        if _REPORT_NAME.fullmatch(path.stem):
            found[path.stem] = ReportNotebook(path)
    return [found[name] for name in sorted(found)]


def select_notebooks(available: list[ReportNotebook], wanted: list[str] | None) -> list[ReportNotebook]:
    """The notebooks named (by full or short name, or number), in the folder's order; every notebook when none."""
    if not wanted:
        return available
    unknown = [name for name in wanted if not any(name in (nb.name, nb.short_name, nb.name[:2]) for nb in available)]
    if unknown:
        names = ", ".join(nb.name for nb in available) or "none"
        raise NotebookError(f"unknown notebook {', '.join(repr(n) for n in unknown)}; the notebooks are: {names}")
    return [nb for nb in available if any(name in (nb.name, nb.short_name, nb.name[:2]) for name in wanted)]


def declared_parameters(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """The parameters a notebook declares in its cell tagged 'parameters', by name (papermill's own inspection)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notebook.ipynb"
        nbformat.write(notebook, path)
        return papermill.inspect_notebook(path)


def check_parameters(name: str, notebook: nbformat.NotebookNode, parameters: dict[str, Any]) -> None:
    """Refuse to run a notebook that lacks a parameters cell or does not declare every parameter passed."""
    declared = declared_parameters(notebook)
    if not declared:
        raise NotebookError(f"notebook {name} has no cell tagged 'parameters', so it cannot take {sorted(parameters)}")
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise NotebookError(
            f"notebook {name} does not declare the parameter(s) {', '.join(unknown)} "
            f"(it declares {', '.join(sorted(declared))})"
        )


def notebook_title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """The text of the notebook's first Markdown heading, or the fallback."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback
