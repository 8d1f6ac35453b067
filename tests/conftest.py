"""Fixtures shared by several test modules: the default configuration, the companies loaded once, and the reports
rendered once per test run (every notebook run starts a Jupyter kernel, so the renders are few and shared: under
pytest-xdist, as `make test` runs, one worker renders and the others read its result).

Tests that render a notebook, open chromium or need the PostgreSQL server are marked `slow`; `make test-fast` leaves
them out. A test that asks for a rendered batch or the browser is marked here, so none slips into the fast loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from salesops_helpers.config import WorkbookConfig, load_config
from salesops_helpers.data.loading import SalesData, load_data
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from tests.helpers import metrics_company, six_deals
from tests.helpers.runs import SCRIPT_NAME, DemoRun, SixDealRun, salesops_run, write_hostile_demo
from tests.helpers.shared import once_per_run

# Fixtures that render notebooks or start chromium: every test using one is slow. Besides this module's, the browser
# of tests/browser.py and tests/test_batch.py's runs of its fixture notebooks.
SLOW_FIXTURES = frozenset({"demo_run", "six_deal_run", "browser", "failed_run", "secret_run"})


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark slow every test that uses a rendered batch or the browser."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Validated data goes to a cache folder of the test session's, never the user's (notebooks run by the tests
    inherit it)."""
    folder = tmp_path_factory.mktemp("salesops-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SALESOPS_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def config() -> WorkbookConfig:
    """The workbook's default configuration (config/workbook.yml); frozen, so one serves the session."""
    return load_config(DEFAULT_CONFIG)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> SalesData:
    """The fourteen-deal company of tests/helpers/metrics_company.py, loaded once per module."""
    return load_data(metrics_company.write_folder(tmp_path_factory.mktemp("metrics-company") / "company", {}), config)


@pytest.fixture(scope="session")
def demo_data(config: WorkbookConfig) -> SalesData:
    """The demo company (data/demo) loaded with the default configuration, once per session: tests only read it."""
    return load_data(DEMO_DATA, config)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo company with a deal and a rep named like markup (tests/helpers/runs.py), rendered once per session:
    notebook 04 for September 2026, then every notebook for October 2026 with --jobs 2, into one reports folder (so
    October's forecast holds September's against what was booked). Tests only read it."""
    return once_per_run(tmp_path_factory, "demo-run", _render_demo)


def _render_demo(base: Path) -> DemoRun:
    """The two runs of `demo_run` into `base`."""
    data = write_hostile_demo(base / "data")
    out = base / "reports"
    september = salesops_run("--data", str(data), "--out", str(out), "--only", "04", "--period", "2026-09")
    october = salesops_run("--data", str(data), "--out", str(out), "--jobs", "2")
    return DemoRun(data=data, out=out, september=september, october=october)


@pytest.fixture(scope="session")
def six_deal_run(tmp_path_factory: pytest.TempPathFactory) -> SixDealRun:
    """Every notebook with --jobs 2 on the six-deal company (tests/helpers/six_deals.py), its open deal O4 named like a
    script and due on 20 March 2024, so past its close date at the end of the month. Rendered once per session."""
    return once_per_run(tmp_path_factory, "six-deal-run", _render_six_deals)


def _render_six_deals(base: Path) -> SixDealRun:
    """The run of `six_deal_run` into `base`."""
    files = dict(six_deals.VALID_FILES)
    files["opportunities.csv"] = files["opportunities.csv"].replace(
        "O4,Dune - Connectors,Dune,R2,2024-02-15,2024-06-01", f"O4,{SCRIPT_NAME},Dune,R2,2024-02-15,2024-03-20"
    )
    data = six_deals.write_folder(base / "data", files)
    out = base / "reports"
    return SixDealRun(out=out, result=salesops_run("--data", str(data), "--out", str(out), "--jobs", "2"))
