"""One rule, one place: no helper of the package is a copy of another, and the word helpers live in formatting."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from salesops_helpers.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "salesops_helpers"
# Bodies shorter than this (in characters of their syntax tree) are too small to call a copy: `return x.y`.
MIN_BODY = 150
# Formatting words: defined once, in formatting.py, and called from everywhere else.
WORD_HELPERS = {"plural", "month_name", "signed_percent", "day_name"}


def function_bodies(path: Path) -> list[tuple[str, int, str]]:
    """(name, line, body) of every function in a source file, the body as its syntax tree without the docstring."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            found.append((node.name, node.lineno, "".join(ast.dump(s, annotate_fields=False) for s in body)))
    return found


def copies(paths: list[Path]) -> list[list[str]]:
    """Groups of functions whose bodies are the same statement for statement (names of locals included)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for name, line, body in function_bodies(path):
            if len(body) >= MIN_BODY:
                groups[body].append(f"{path.relative_to(path.parents[1])}:{line} {name}")
    return [places for places in groups.values() if len(places) > 1]


def test_no_function_of_the_package_is_a_copy_of_another():
    found = copies(sorted(PACKAGE.rglob("*.py")))
    assert not found, f"copied helpers (make one serve both): {found}"


def test_the_word_helpers_are_defined_only_in_formatting():
    elsewhere = [
        f"{path.relative_to(PACKAGE)}:{line} {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "formatting.py"
        for name, line, _ in function_bodies(path)
        if name.lstrip("_") in WORD_HELPERS | {"pluralise", "day"}
    ]
    assert not elsewhere, f"word helpers outside formatting.py: {elsewhere}"


def test_the_copy_check_finds_a_copied_helper(tmp_path):
    helper = (
        "def money(value):\n"
        '    """Money."""\n'
        "    if value is None:\n        return '-'\n"
        "    return f'${value:,.0f}' if value >= 0 else f'-${-value:,.0f}'\n"
    )
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(helper, encoding="utf-8")
    (tmp_path / "pkg" / "b.py").write_text(helper.replace('"""Money."""', '"""Cash."""'), encoding="utf-8")
    (tmp_path / "pkg" / "c.py").write_text(helper.replace("'-'", "'–'"), encoding="utf-8")
    found = copies(sorted((tmp_path / "pkg").glob("*.py")))
    assert found == [["pkg/a.py:1 money", "pkg/b.py:1 money"]]
