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
        Column("lead_id", "id", False, "The lead the deal was converted from, when it came from one."),
        Column("campaign", "category", False, "The marketing campaign the deal is attributed to."),
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
        Column("lead_id", "id", False, "The lead it was for, when there is one (drives speed to lead)."),
    ),
)

LEADS = Table(
    name="leads",
    required=False,
    key=("lead_id",),
    description="One row per lead (a prospect before a deal exists), in its current state.",
    enables="the lead funnel: lead volume, conversion by channel, speed to lead, marketing-sourced pipeline",
    columns=(
        Column("lead_id", "id", True, "Unique id of the lead."),
        Column("created_at", "datetime", True, "When the lead was created (a day alone reads as its midnight)."),
        Column("source", "category", False, "The channel the lead came from, such as Paid Search, Webinar, Outbound."),
        Column("campaign", "category", False, "The campaign that brought the lead; campaigns' campaign refers to it."),
        Column("owner_id", "id", False, "rep_id of the lead's owner."),
        Column("status", "category", False, "The lead's status in the CRM, such as Open, Working, Disqualified."),
        Column("mql_date", "date", False, "Day the lead became a marketing-qualified lead (MQL)."),
        Column("sql_date", "date", False, "Day the lead became a sales-qualified lead (SQL)."),
        Column("converted_date", "date", False, "Day the lead was converted (to a deal, an account or a contact)."),
        Column("opportunity_id", "id", False, "The deal the lead was converted to, when there is one."),
        Column("assigned_at", "datetime", False, "When the lead was first given to its owner."),
        Column("disqualified_reason", "category", False, "Why a disqualified lead was dropped."),
        Column("segment", "category", False, "Customer segment or industry of the lead."),
    ),
)

CAMPAIGNS = Table(
    name="campaigns",
    required=False,
    key=("campaign",),
    description="One row per marketing campaign, with what it cost.",
    enables="cost per lead, per MQL, per deal and per won deal, and pipeline and bookings per unit of spend",
    columns=(
        Column("campaign", "id", True, "Name of the campaign; leads' and deals' campaign refer to it."),
        Column("channel", "category", False, "The channel the campaign ran in; stands in for a lead's empty source."),
        Column("start_date", "date", False, "First day of the campaign."),
        Column("end_date", "date", False, "Last day of the campaign."),
        Column("cost", "amount", False, "What the campaign cost, in the reporting currency."),
    ),
)

TABLES: tuple[Table, ...] = (OPPORTUNITIES, OPPORTUNITY_HISTORY, REPS, QUOTAS, ACTIVITIES, LEADS, CAMPAIGNS)
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
