"""The canonical data model: the tables every notebook reads, their columns and column kinds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# id: an identifier (text); text: free text; category: a short label from a small set;
# date: a calendar day; datetime: a moment (date and time); amount: a money value >= 0.
ColumnKind = Literal["id", "text", "category", "date", "datetime", "amount"]


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    kind: ColumnKind
    required: bool
    description: str


@dataclass(frozen=True)
class Table:
    """One canonical table, stored as <name>.csv or <name>.parquet in the data folder."""

    name: str
    required: bool
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str
    # For optional tables: the analyses the table makes possible (reports say they are unavailable without it).
    enables: str = ""

    @property
    def required_columns(self) -> list[str]:
        """Names of the columns the table must have."""
        return [c.name for c in self.columns if c.required]

    @property
    def column_names(self) -> list[str]:
        """Names of all canonical columns, in documented order."""
        return [c.name for c in self.columns]


OPPORTUNITIES = Table(
    name="opportunities",
    required=True,
    key=("opportunity_id",),
    description="One row per deal, in its current state.",
    columns=(
        Column("opportunity_id", "id", True, "Unique id of the deal."),
        Column("owner_id", "id", True, "rep_id of the deal's current owner."),
        Column("created_date", "date", True, "Day the deal was created."),
        Column("close_date", "date", True, "Actual close day for won/lost deals, expected close day for open ones."),
        Column("stage", "category", True, "Current stage; one of the stages in the configuration."),
        Column("amount", "amount", True, "Deal value in `currency` (the reporting currency when absent)."),
        Column("name", "text", False, "Deal name."),
        Column("account", "text", False, "Customer account name."),
        Column("currency", "category", False, "ISO 4217 code of the amount."),
        Column("segment", "category", False, "Customer segment, such as Enterprise, Mid-Market, SMB."),
        Column("lead_source", "category", False, "Where the deal came from, such as Inbound, Outbound, Partner."),
        Column("deal_type", "category", False, "New Business, Expansion, Renewal, ..."),
        Column("lost_reason", "category", False, "Why a lost deal was lost."),
        Column("forecast_category", "category", False, "Pipeline, Best Case, Commit, Omitted or Closed."),
        Column(
            "last_modified",
            "datetime",
            False,
            "When the deal was last changed (the CRM's own time stamp); tells the day the export was taken.",
        ),
    ),
)

OPPORTUNITY_HISTORY = Table(
    name="opportunity_history",
    required=False,
    key=("opportunity_id", "changed_at"),
    description="One row per change of a deal, holding the deal's state after the change.",
    enables="time in stage, funnel conversion, stalled deals, slippage and push counts, the pipeline waterfall",
    columns=(
        Column("opportunity_id", "id", True, "The deal that changed."),
        Column("changed_at", "datetime", True, "When the change was saved."),
        Column("stage", "category", True, "Stage after the change."),
        Column("amount", "amount", False, "Amount after the change."),
        Column("close_date", "date", False, "Expected close day after the change."),
    ),
)

REPS = Table(
    name="reps",
    required=True,
    key=("rep_id",),
    description="One row per sales rep who owns or owned deals.",
    columns=(
        Column("rep_id", "id", True, "Unique id of the rep; deals' owner_id refers to it."),
        Column("name", "text", True, "The rep's name as reports show it."),
        Column("team", "category", True, "The rep's team."),
        Column("region", "category", False, "Sales region."),
        Column("manager", "text", False, "Name of the rep's manager."),
        Column("role", "category", False, "Job role, such as Account Executive."),
        Column("hire_date", "date", False, "First day in the sales team (drives new-hire ramp)."),
        Column("end_date", "date", False, "Last day, for reps who left."),
    ),
)

QUOTAS = Table(
    name="quotas",
    required=False,  # required when the configuration says quotas come from the file
    key=("rep_id", "period_start"),
    description="One row per rep and month: the bookings quota for that month.",
    enables="quota attainment and pipeline coverage against quota",
    columns=(
        Column("rep_id", "id", True, "The rep the quota belongs to."),
        Column("period_start", "date", True, "First day of the month the quota is for."),
        Column("quota", "amount", True, "Bookings quota for the month, in the reporting currency."),
    ),
)

ACTIVITIES = Table(
    name="activities",
    required=False,
    key=("activity_id",),
    description="One row per sales activity (call, email, meeting, ...).",
    enables="activity counts and activities per won deal",
    columns=(
        Column("activity_id", "id", True, "Unique id of the activity."),
        Column("rep_id", "id", True, "The rep who did it."),
        Column("occurred_at", "datetime", True, "When it happened."),
        Column("type", "category", True, "Call, Email, Meeting, Demo, ..."),
        Column("opportunity_id", "id", False, "The deal it was for, when there is one."),
    ),
)

TABLES: tuple[Table, ...] = (OPPORTUNITIES, OPPORTUNITY_HISTORY, REPS, QUOTAS, ACTIVITIES)
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
