"""The notebook sources: reviewable py:percent files without outputs, thin story over the package, batch-ready."""

import ast
import re
import subprocess

import pytest

from salesops_helpers.batch.notebooks import declared_parameters, find_notebooks
from salesops_helpers.paths import NOTEBOOKS, PROJECT_ROOT

BATCH_PARAMETERS = {"period", "data_dir", "config_path", "output_dir", "interactive", "mapping_path", "as_of"}
REPORTS = find_notebooks(NOTEBOOKS)


def _tracked(pattern: str) -> list[str]:
    """Files git tracks that match a pathspec."""
    result = subprocess.run(["git", "ls-files", pattern], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_there_are_report_notebooks_and_the_data_health_one_comes_first():
    assert REPORTS, "no report notebooks found in notebooks/"
    assert REPORTS[0].name == "00_data_health"
    assert all(nb.path.suffix == ".py" for nb in REPORTS)


def test_no_notebook_file_is_committed():
    """The .py files are the sources: a committed .ipynb (forced past .gitignore, or anywhere else) would carry
    outputs and drift from its .py."""
    assert _tracked("*.ipynb") == []


def test_the_ipynb_copies_made_for_jupyterlab_are_never_committed():
    result = subprocess.run(
        ["git", "check-ignore", "-q", "notebooks/00_data_health.ipynb"], cwd=PROJECT_ROOT, check=False
    )
    assert result.returncode == 0, "notebooks/*.ipynb must be git-ignored: the .py files are the sources"


@pytest.mark.parametrize("report", REPORTS, ids=lambda nb: nb.name)
def test_notebook_is_paired_for_jupyterlab(report):
    header = report.path.read_text(encoding="utf-8").split("# ---", 2)[1]
    assert "formats: ipynb,py:percent" in header, "make lab pairs each .py with an .ipynb through this header"
    assert "name: salesops" in header, "the notebook opens on the workbook's own kernel"


@pytest.mark.parametrize("report", REPORTS, ids=lambda nb: nb.name)
def test_notebook_declares_exactly_the_batch_parameters(report):
    assert set(declared_parameters(report.read())) == BATCH_PARAMETERS


@pytest.mark.parametrize("report", REPORTS, ids=lambda nb: nb.name)
def test_notebook_holds_story_not_logic(report):
    """Logic lives in the package: no function or class definitions, no shell-outs, no magics in the notebooks."""
    notebook = report.read()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert not re.search(r"^\s*[!%]", cell.source, re.MULTILINE), f"shell-out or magic in:\n{cell.source}"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda), (
                f"definition in a notebook cell:\n{cell.source}"
            )
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name for alias in node.names]
                module = getattr(node, "module", None) or ""
                assert not {"subprocess", "os"} & {module, *names}, f"{report.name} imports {module or names}"


@pytest.mark.parametrize("report", REPORTS, ids=lambda nb: nb.name)
def test_notebook_opens_with_a_title_and_then_its_summary(report):
    """The summary (which records the key figures for the index) is the first thing shown after the title."""
    notebook = report.read()
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    shows = [
        call
        for cell in notebook.cells
        if cell.cell_type == "code"
        for call in re.findall(r"\b(?:show_\w+|say|table|display)\(", cell.source)
    ]
    assert shows and shows[0] == "show_summary(", f"the first thing shown must be the summary, not {shows[:1]}"
