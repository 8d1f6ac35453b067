"""The set-up promises: pyproject and environment.yml agree, the Makefile and README say what they should."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from salesops_helpers.paths import PROJECT_ROOT

# Packages conda-forge names differently from PyPI.
CONDA_NAMES = {"python-duckdb": "duckdb"}
# PyPI packages that a conda-forge package already provides (conda's psycopg is built with libpq).
PROVIDED_BY_CONDA = {"psycopg-binary": "psycopg"}
NAMED_PACKAGES = {"jupyterlab", "pandas", "seaborn", "ipywidgets", "prophet", "papermill", "nbconvert"}


def _split(requirement: str) -> tuple[str, str]:
    """Name (normalised) and version specifier of a requirement such as 'pandas>=2.2'."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_installs_the_same_packages_as_pyproject():
    project = _pyproject()["project"]
    wanted = dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"])
    for provided in PROVIDED_BY_CONDA:
        wanted.pop(provided)
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    for conda_name, pypi_name in CONDA_NAMES.items():
        conda[pypi_name] = conda.pop(conda_name)
    assert conda.pop("python") == ">=3.11"
    conda.pop("pip")
    assert conda == wanted
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


def test_pyproject_names_the_packages_the_workbook_is_built_on():
    project = _pyproject()["project"]
    names = {_split(r)[0] for r in project["dependencies"]}
    assert names >= NAMED_PACKAGES
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"]["salesops"] == "salesops_helpers.cli.main:main"
    assert {"pytest", "ruff"} <= {_split(r)[0] for r in project["optional-dependencies"]["dev"]}


def test_make_without_target_lists_every_target():
    result = subprocess.run(
        ["make", "--no-print-directory"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    listed = set(re.findall(r"make (\w+)", result.stdout))
    assert {"help", "setup", "lab", "data", "reports", "test", "lint", "clean"} <= listed


def test_make_data_regenerates_the_committed_demo_folder_with_the_default_seed():
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "data"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert "salesops demo --out data/demo --seed 42" in result.stdout


def test_readme_opens_with_exactly_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make reports", "make test"]
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_ci_runs_the_lint_and_the_lint_checks_style_and_types():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make lint$", ci, re.M), ".ci/run must run make lint"
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "lint"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert "ruff check" in result.stdout and "ruff format --check" in result.stdout and "mypy" in result.stdout
    assert _pyproject()["tool"]["mypy"]["files"] == ["salesops_helpers"]


def test_jupyter_kernel_is_registered_inside_the_environment():
    # make setup registers it with --sys-prefix, so it lives inside the environment the tests run in.
    spec = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "salesops" / "kernel.json"
    assert spec.is_file(), f"kernel 'salesops' not registered in {sys.prefix}; run make setup"
    assert Path(yaml.safe_load(spec.read_text())["argv"][0]).resolve().parent == Path(sys.executable).resolve().parent
