"""Bring your own CRM data: mapping files that turn an export into the canonical tables (docs/mappings.md)."""

from salesops_helpers.data.mapping.apply import TableSummary, mapped_tables
from salesops_helpers.data.mapping.schema import Mapping, load_mapping

__all__ = ["Mapping", "TableSummary", "load_mapping", "mapped_tables"]
