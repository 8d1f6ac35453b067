"""Sales-operations workbook helpers: configuration, data loading and validation, demo company."""

from salesops_helpers.config import WorkbookConfig, load_config
from salesops_helpers.data.loading import SalesData, load_data
from salesops_helpers.data.quality import DataQualityLog, DataValidationError

__all__ = [
    "DataQualityLog",
    "DataValidationError",
    "SalesData",
    "WorkbookConfig",
    "load_config",
    "load_data",
]
__version__ = "0.1.0"
