"""Notebooks tell, the package decides: the report notebooks hold no logic that chooses what a report says."""

from __future__ import annotations

import ast
import io
import re
import tokenize

import pytest

from salesops_helpers.batch.notebooks import find_notebooks
from salesops_helpers.paths import NOTEBOOKS

REPORTS = find_notebooks(NOTEBOOKS)
# At most this many if/else lines in all the report notebooks together (the bound), and in each one.
MAX_IF_ELSE_LINES = 25
MAX_PER_NOTEBOOK = 6
ALLOWED_IMPORTS = ("IPython", "pandas")


def if_else_lines(source: str) -> list[int]:
    """The lines holding an `if`, `elif` or `else` token: statements, conditional expressions, comprehension filters."""
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME and token.string in ("if", "elif", "else"):
            lines.add(token.start[0])
    return sorted(lines)


def nested_f_strings(source: str) -> list[int]:
    """The lines where an f-string's placeholder holds another f-string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.FormattedValue) and any(
                    isinstance(inner, ast.JoinedStr) for inner in ast.walk(part.value)
                ):
                    found.append(node.lineno)
    return found


def row_position_lookups(source: str) -> list[int]:
    """The lines that look a row up by its position: `.iloc[...]`, or `.loc[` with an integer first."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
            by_number = isinstance(first, ast.Constant) and isinstance(first.value, int)
            if node.value.attr == "iloc" or (node.value.attr == "loc" and by_number):
                found.append(node.lineno)
    return found


def guards_per_section(source: str) -> dict[str, int]:
    """How many `if` statements each section (from one `## ` markdown heading to the next) holds at cell level."""
    counts: dict[str, int] = {}
    section = "(before the first section)"
    for line in source.splitlines():
        heading = re.match(r"#\s+##\s+(.*)", line)
        if heading:
            section = heading.group(1).strip()
        elif re.match(r"(if|elif)\b", line):
            counts[section] = counts.get(section, 0) + 1
    return counts


def foreign_imports(source: str, package: str) -> list[str]:
    """Modules a notebook imports from outside its own analysis package, presentation and the allowed libraries."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            own = name == package or name.startswith(package + ".")
            shown = name == "salesops_helpers.presentation" or name.startswith("salesops_helpers.presentation.")
            if not (own or shown or name.split(".")[0] in ALLOWED_IMPORTS):
                found.append(name)
    return found


# The analysis package each report notebook tells the story of.
PACKAGES = {
    "00_data_health": "salesops_helpers.analyses.health",
    "01_mission_and_kpis": "salesops_helpers.analyses.kpis",
    "02_team_performance": "salesops_helpers.analyses.team",
    "03_process_bottlenecks": "salesops_helpers.analyses.process",
    "04_revenue_forecast": "salesops_helpers.analyses.forecast",
    "05_lead_funnel": "salesops_helpers.analyses.leads",
    "06_deal_inspection": "salesops_helpers.analyses.deals",
}


def _source(report) -> str:
    return report.path.read_text(encoding="utf-8")


def test_every_report_notebook_has_its_analysis_package():
    assert {report.name for report in REPORTS} == set(PACKAGES)


def test_all_report_notebooks_together_hold_at_most_25_if_else_lines():
    counts = {report.name: len(if_else_lines(_source(report))) for report in REPORTS}
    assert sum(counts.values()) <= MAX_IF_ELSE_LINES, counts


@pytest.mark.parametrize("report", REPORTS, ids=lambda nb: nb.name)
def test_notebook_keeps_its_if_else_lines_few_and_one_guard_a_section(report):
    source = _source(report)
    assert len(if_else_lines(source)) <= MAX_PER_NOTEBOOK, if_else_lines(source)
    crowded = {section: n for section, n in guards_per_section(source).items() if n > 1}
    assert not crowded, f"{report.name}: more than one guard in {crowded}"


@pytest.mark.parametrize("report", REPORTS, ids=lambda nb: nb.name)
def test_notebook_has_no_nested_f_string_and_no_lookup_by_row_position(report):
    source = _source(report)
    assert not nested_f_strings(source), f"{report.name}: nested f-strings on lines {nested_f_strings(source)}"
    assert not row_position_lookups(source), f"{report.name}: rows by position on {row_position_lookups(source)}"


@pytest.mark.parametrize("report", REPORTS, ids=lambda nb: nb.name)
def test_notebook_imports_only_its_analysis_package_and_presentation(report):
    assert foreign_imports(_source(report), PACKAGES[report.name]) == []


def test_the_checks_find_what_they_look_for():
    planted = (
        "# ## First\n"
        "if a:\n    x = 1\nelse:\n    x = 2\n"
        "y = [v for v in w if v]\n"
        "z = f\"{f'{x}'}\"\n"
        "first = frame.iloc[0]\nthird = frame.loc[2, 'amount']\nnamed = frame.loc['bookings']\n"
        "# ## Second\n"
        "if b:\n    pass\n"
        "elif c:\n    pass\n"
        "from salesops_helpers.metrics import kpi_table\nfrom salesops_helpers.presentation.report import say\n"
        "from salesops_helpers.analyses.team.story import plural\nimport pandas as pd\n"
    )
    assert if_else_lines(planted) == [2, 4, 6, 12, 14]
    assert nested_f_strings(planted) == [7]
    assert row_position_lookups(planted) == [8, 9]
    assert guards_per_section(planted) == {"First": 1, "Second": 2}
    assert foreign_imports(planted, "salesops_helpers.analyses.team") == ["salesops_helpers.metrics"]
    assert if_else_lines('text = "if else"  # if\n') == [], "words in strings and comments are not code"
