"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest

from salesops_helpers.config import WorkbookConfig, load_config
from salesops_helpers.data.loading import SalesData, load_data
from salesops_helpers.paths import DEFAULT_CONFIG
from tests import test_metrics


@pytest.fixture(scope="module")
def config() -> WorkbookConfig:
    """The workbook's default configuration (config/workbook.yml)."""
    return load_config(DEFAULT_CONFIG)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> SalesData:
    """tests/test_metrics.py's fourteen-deal company, loaded once per module."""
    return load_data(test_metrics.write_folder(tmp_path_factory.mktemp("metrics-company") / "company", {}), config)
