"""Sales-operations workbook helpers: configuration, data loading and validation, metrics, analyses and reports.

The names below are imported on first use, so that importing one layer (the batch, say) does not load the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesops_helpers.config import WorkbookConfig, load_config
    from salesops_helpers.data.loading import SalesData, load_data
    from salesops_helpers.data.quality import DataQualityLog, DataValidationError

_EXPORTS = {
    "DataQualityLog": "salesops_helpers.data.quality",
    "DataValidationError": "salesops_helpers.data.quality",
    "SalesData": "salesops_helpers.data.loading",
    "WorkbookConfig": "salesops_helpers.config",
    "load_config": "salesops_helpers.config",
    "load_data": "salesops_helpers.data.loading",
}
__all__ = ["DataQualityLog", "DataValidationError", "SalesData", "WorkbookConfig", "load_config", "load_data"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """The public names, imported from their layer when first asked for."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'salesops_helpers' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
