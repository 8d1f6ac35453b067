"""The notebook sources: reviewable py:percent files without outputs, thin story over the package, batch-ready."""

import ast
import json
import re
import subprocess

import pytest

from salesops_helpers.batch.notebooks import declared_parameters, find_notebooks
from salesops_helpers.paths import NOTEBOOKS, PROJECT_ROOT

BATCH_PARAMETERS = {"period", "data_dir", "config_path", "output_dir", "interactive", "mapping_path"}
REPORTS = find_notebooks(NOTEBOOKS)


def _tracked(pattern: str) -> list[str]:
    """Files git tracks that match a pathspec."""
    result = subprocess.run(["git", "ls-files", pattern], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_there_are_report_notebooks_and_the_data_health_one_comes_first():
    assert REPORTS, "no report notebooks found in notebooks/"
    assert REPORTS[0].name == "00_data_health"
    assert all(nb.path.suffix == ".py" for nb in REPORTS)


def _stored_outputs(notebook: dict) -> list[str]:
    """What a notebook file stores that a committed notebook must not: outputs and execution counts."""
    found = []
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell.get("outputs"):
            found.append(f"cell {number} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {number} has an execution count")
    return found


def test_the_output_check_finds_outputs():
    executed = {"cells": [{"cell_type": "code", "execution_count": 3, "outputs": [{"output_type": "stream"}]}]}
    assert _stored_outputs(executed) == ["cell 1 has outputs", "cell 1 has an execution count"]
    assert _stored_outputs({"cells": [{"cell_type": "code", "execution_count": None, "outputs": []}]}) == []


def test_no_committed_notebook_carries_outputs():
    for name in _tracked("*.ipynb"):
        notebook = json.loads((PROJECT_ROOT / name).read_text(encoding="utf-8"))
        assert not _stored_outputs(notebook), f"{name} is committed with {_stored_outputs(notebook)}"


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
