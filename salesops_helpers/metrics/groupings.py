"""The groupings a KPI table can be broken down by, and the columns each adds."""

from __future__ import annotations

# Groupings by the owner's attributes (quotas belong to reps, so these have quotas) and by the deal's own.
REP_GROUPINGS = ("team", "region", "manager", "rep")
DEAL_GROUPINGS = ("segment", "lead_source", "deal_type", "sourced_by")
GROUPINGS = REP_GROUPINGS + DEAL_GROUPINGS
# The group of rows whose grouping column is empty.
NOT_SET = "(not set)"


def group_columns(by: list[str]) -> list[str]:
    """The columns a grouping adds to a KPI table (a rep is shown by id and name)."""
    columns: list[str] = []
    for key in by:
        columns += ["rep_id", "rep"] if key == "rep" else [key]
    return columns
