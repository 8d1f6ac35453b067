"""Canonical columns derived from several export columns: the first that has a value, or a status that overrides."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator

from salesops_helpers.data.model import Table
from salesops_helpers.data.parsing import as_text
from salesops_helpers.data.quality import DataQualityLog, Problem
from salesops_helpers.data.reading import canonical_name

if TYPE_CHECKING:
    from salesops_helpers.data.mapping.apply import TableSummary
    from salesops_helpers.data.mapping.schema import TableMapping


class Override(BaseModel):
    """An export column whose value replaces a canonical column's on the rows where it holds one of `values`: a
    won or lost status kept apart from the stage (Pipedrive's Status, Dynamics 365's Status)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str  # the export column's label (Deal - Status)
    values: list[str]  # the values that replace (compared ignoring case and surrounding spaces): [won, lost]

    @field_validator("values")
    @classmethod
    def _names_values(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one value, as [won, lost]")
        return value


def _label(source: pd.DataFrame, label: str, table: Table, file: str, key: str, log: DataQualityLog) -> str | None:
    """The source column with this label (ignoring case and spacing), or None after logging that it is missing."""
    found = {canonical_name(str(c)): str(c) for c in source.columns}.get(canonical_name(label))
    if found is None:
        near = difflib.get_close_matches(label, [str(c) for c in source.columns], n=3)
        hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
        columns = ", ".join(str(c) for c in source.columns)
        message = (
            f"the mapping's {key} names the column '{label}', which is not in the file (columns found: {columns}){hint}"
        )
        log.add(Problem("error", table.name, file, None, message))
    return found


def derive_columns(
    source: pd.DataFrame,
    frame: pd.DataFrame,
    table: Table,
    spec: TableMapping,
    file: str,
    log: DataQualityLog,
    summary: TableSummary,
) -> pd.DataFrame | None:
    """The renamed table with its first_of columns made and its overrides applied (before value translations, so
    `values` translates an overriding status like any stage); None after logging a label the file lacks."""
    used: set[str] = set()
    for column, labels in spec.first_of.items():
        found = [_label(source, label, table, file, f"tables.{table.name}.first_of.{column}", log) for label in labels]
        if None in found:
            return None
        columns = [label for label in found if label is not None]
        value = as_text(source[columns[0]])
        for label in columns[1:]:
            value = value.fillna(as_text(source[label]))
        frame[column] = value.astype(object).where(value.notna(), None)
        summary.mapped[column] = " or ".join(columns)
        used.update(columns)
    for column, override in spec.overrides.items():
        status_label = _label(source, override.column, table, file, f"tables.{table.name}.overrides.{column}", log)
        if status_label is None:
            return None
        status = as_text(source[status_label])
        wanted = {value.strip().casefold() for value in override.values}
        replace = status.str.casefold().isin(wanted).fillna(False).astype(bool)
        current = frame[column] if column in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        frame[column] = current.astype(object).where(~replace, status.astype(object))
        taken = f"{int(replace.sum()):,} {column} values taken from '{status_label}' ({', '.join(override.values)})"
        summary.notes.append(taken)
        used.add(status_label)
    summary.unmapped = [label for label in summary.unmapped if label not in used]
    return frame
