"""The package's layers only look down: data < calendar < metrics < analyses < presentation, batch and cli apart."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from salesops_helpers.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "salesops_helpers"
# Foundation modules every layer may use: errors, configuration, the project's folders, figures as text.
FOUNDATION = {"errors", "config", "paths", "formatting"}
LAYERS = ("foundation", "data", "calendar", "metrics", "analyses", "presentation")
# Apart from the layers: the batch renders any notebook folder and reads only the output contract; the command line
# and the package root (which re-exports a few names on first use) may use every layer.
BATCH_MAY_USE = {"foundation", "batch", "presentation.contract"}
# The one edge that points up, and why: a configuration's goals and targets name KPIs, so the configuration checks
# them against the metric catalogue, a module of pure definitions that imports nothing from the package.
ALLOWED_UP = {("config", "metrics.catalogue")}


def module_name(path: Path) -> str:
    """A source file's module path inside the package: 'data.loading', 'analyses.team' (for its __init__)."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    """The layer a module belongs to: its top folder, 'foundation' for the foundation modules, '' for the root."""
    top = module.split(".")[0] if module else ""
    if top in FOUNDATION:
        return "foundation"
    return top


def imported(source: str, module: str) -> list[str]:
    """Every package module a source imports, at any depth (in functions too), and every module named in a string
    passed to importlib (as 'salesops_helpers.x'), as paths inside the package."""
    found: list[str] = []
    package = module if (PACKAGE / module.replace(".", "/")).is_dir() else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "salesops_helpers" or node.module.startswith("salesops_helpers.")):
                target = node.module.removeprefix("salesops_helpers").lstrip(".")
            else:
                continue
            if target:
                found.append(target)
            else:  # from salesops_helpers import x: x is a module, or a name of the root (counted as the root's)
                found += [alias.name if _is_module(alias.name) else "" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.split(".")[0] == "salesops_helpers"]
            found += [name.removeprefix("salesops_helpers").lstrip(".") for name in names]
        elif _names_a_module(node):
            found.append(str(node.value).removeprefix("salesops_helpers."))
    return found


def _is_module(name: str) -> bool:
    """Whether a top-level name of the package is one of its modules or folders."""
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()


def _names_a_module(node: ast.AST) -> bool:
    """Whether a node is a string naming a package module, as passed to importlib.import_module."""
    text = node.value if isinstance(node, ast.Constant) else None
    return isinstance(text, str) and text.startswith("salesops_helpers.") and " " not in text


def problems(source: str, module: str) -> list[str]:
    """The imports of one module that break the layering, in words."""
    own = layer_of(module)
    found = []
    for target in imported(source, module):
        theirs = layer_of(target)
        if own in ("", "cli") or target == "":
            continue
        if own == "batch":
            if theirs not in BATCH_MAY_USE and not any(target.startswith(allowed) for allowed in BATCH_MAY_USE):
                found.append(f"{module} (batch) imports {target}: the batch may use only {sorted(BATCH_MAY_USE)}")
            continue
        if theirs in ("batch", "cli"):
            found.append(f"{module} ({own}) imports {target} ({theirs}), which stands apart from the layers")
        elif theirs not in LAYERS:
            found.append(f"{module} imports {target}, which belongs to no layer")
        elif LAYERS.index(theirs) > LAYERS.index(own) and (module, target) not in ALLOWED_UP:
            found.append(f"{module} ({own}) imports {target} ({theirs}), a layer above it")
    return found


def package_modules() -> list[tuple[str, str]]:
    """(module, source) for every source file of the package."""
    return [(module_name(p), p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))]


def test_every_module_belongs_to_a_layer_or_stands_apart():
    strays = [m for m, _ in package_modules() if layer_of(m) not in (*LAYERS, "", "batch", "cli")]
    assert not strays, f"modules outside the layers: {strays}"


def test_no_module_imports_from_a_layer_above_it():
    found = [problem for module, source in package_modules() for problem in problems(source, module)]
    assert not found, "\n".join(found)


def test_the_allowed_upward_edge_leads_to_a_module_that_imports_nothing_from_the_package():
    for _, target in ALLOWED_UP:
        source = (PACKAGE / (target.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        assert imported(source, target) == [], f"{target} must stay free of package imports to be allowed"


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("metrics.glossary", "from salesops_helpers.analyses.team import MEASURES", "a layer above it"),
        ("metrics.glossary", "import importlib\nimportlib.import_module('salesops_helpers.analyses.team')", "above"),
        ("data.loading", "def f():\n    from salesops_helpers.calendar import fiscal", "a layer above it"),
        ("analyses.team.summary", "from salesops_helpers.presentation.report import table", "a layer above it"),
        ("batch.execute", "from salesops_helpers.presentation.summary import show_summary", "the batch may use only"),
        ("batch.execute", "from salesops_helpers.data.loading import load_data", "the batch may use only"),
        ("metrics.table", "from salesops_helpers.cli.main import main", "stands apart"),
        ("presentation.summary", "from .. import analyses", ""),
        ("analyses.team", "from .story import plural", ""),
        ("analyses.team.story", "from ...presentation import report", "a layer above it"),
        ("data.cache", "from salesops_helpers import __version__", ""),
        ("data.cache", "from salesops_helpers import analyses", "a layer above it"),
        ("data.cache", "import salesops_helpers", ""),
        ("data.cache", "import salesops_helpers.presentation.style", "a layer above it"),
    ],
)
def test_the_check_finds_upward_imports_in_every_form(module, source, expected):
    found = problems(source, module)
    if expected:
        assert found and expected in found[0], found
    else:
        assert found == []


def test_the_check_lets_downward_and_foundation_imports_pass():
    source = (
        "from salesops_helpers import formatting\n"
        "from salesops_helpers.errors import SalesopsError\n"
        "from salesops_helpers.metrics import kpi_table\n"
        "from salesops_helpers.data.loading import SalesData\n"
    )
    assert problems(source, "analyses.process.story") == []
    assert problems("from salesops_helpers.presentation.contract import read_summary", "batch.execute") == []
    assert problems("from salesops_helpers.analyses.team import story", "cli.main") == []
