"""Hand-made exports of HubSpot (deals with property history), Pipedrive, Zoho CRM and Dynamics 365, with each
vendor's column labels and quirks, for the ready mappings of the same names in mappings/.

Every company has two reps who won and lost deals in October 2026; the tests check the mapped tables against the
figures worked out by hand in the comments here.
"""

from __future__ import annotations

from pathlib import Path

from salesops_helpers.paths import DEFAULT_CONFIG

Rows = list[list[str]]


def csv_text(rows: Rows, line_end: str = "\n", quote_all: bool = False) -> str:
    """Rows as CSV: fields quoted when they hold a comma, a quote or a line break (or always), quotes doubled."""

    def field(cell: str) -> str:
        if quote_all or any(mark in cell for mark in ',"\n\r'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join(",".join(field(cell) for cell in row) + line_end for row in rows)


def write_export(folder: Path, files: dict[str, bytes]) -> Path:
    """The export's files written into folder (made if needed); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def config_without_quotas(folder: Path) -> Path:
    """A copy of the default configuration with quotas.source none (none of these exports has quotas)."""
    path = folder / "workbook-no-quotas.yml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("source: file", "source: none"), "utf-8")
    return path


# HubSpot through Airbyte: deals, deals_property_history and owners. Stages are internal ids; owners are ids named
# in owners.csv (41003 was deactivated: not there); deal 9006 is archived. The property history has one row per
# change of any property, each deal's rows newest first; deal 9005 was lost on 20 September and reopened on
# 5 October. October 2026: Ana (41001) won 9001 for 12,000; Ben (41002) lost 9003; 9004 (owner 41003, Unassigned)
# was won for 2,500 by a workflow.
HUBSPOT_DEALS: Rows = [
    [
        "id",
        "archived",
        "properties_amount",
        "properties_closedate",
        "properties_createdate",
        "properties_dealname",
        "properties_dealstage",
        "properties_dealtype",
        "properties_hs_lastmodifieddate",
        "properties_hubspot_owner_id",
        "properties_pipeline",
    ],
    ["9001", "false", "12000", "2026-10-20T16:30:00Z", "2026-08-01T09:15:00Z", "Acme deal", "closedwon",
     "newbusiness", "2026-10-20T16:31:07.120Z", "41001", "default"],
    ["9002", "false", "8000", "2026-12-15T00:00:00Z", "2026-09-10T10:00:00Z", "Bolt deal", "contractsent",
     "existingbusiness", "2026-10-22T09:00:12.500Z", "41002", "default"],
    ["9003", "false", "3000", "2026-10-12T09:00:00Z", "2026-09-01T08:00:00Z", "Cask deal", "closedlost",
     "newbusiness", "2026-10-12T09:00:05.000Z", "41002", "default"],
    ["9004", "false", "2500", "2026-10-28T15:00:00Z", "2026-07-01T12:00:00Z", "Dune deal", "closedwon",
     "existingbusiness", "2026-10-28T15:00:02.000Z", "41003", "default"],
    ["9005", "false", "6000", "2026-11-30T00:00:00Z", "2026-08-20T10:00:00Z", "Echo deal", "presentationscheduled",
     "newbusiness", "2026-10-05T13:00:01.000Z", "41001", "default"],
    ["9006", "true", "99999", "2026-10-03T10:00:00Z", "2026-06-01T10:00:00Z", "Deleted deal", "closedwon",
     "newbusiness", "2026-10-03T10:00:00.000Z", "41001", "default"],
]  # fmt: skip
HUBSPOT_HISTORY: Rows = [
    ["dealId", "property", "value", "timestamp", "sourceType", "sourceId", "sourceLabel", "updatedByUserId"],
    ["9001", "dealstage", "closedwon", "2026-10-20T16:30:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9001", "dealstage", "contractsent", "2026-09-25T16:00:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9001", "dealstage", "qualifiedtobuy", "2026-08-15T11:30:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9001", "dealstage", "appointmentscheduled", "2026-08-01T09:15:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9001", "amount", "12000", "2026-09-25T16:00:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9001", "amount", "10000", "2026-08-01T09:15:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9001", "closedate", "2026-10-20T16:30:00Z", "2026-10-20T16:30:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9002", "dealstage", "contractsent", "2026-10-22T09:00:00.000Z", "CRM_UI", "userId:51002", "", "51002"],
    ["9002", "dealstage", "decisionmakerboughtin", "2026-10-01T14:00:00.000Z", "API", "", "Salesloft", ""],
    ["9002", "dealstage", "appointmentscheduled", "2026-09-10T10:00:00.000Z", "CRM_UI", "userId:51002", "", "51002"],
    ["9002", "hubspot_owner_id", "41002", "2026-09-10T10:00:00.000Z", "CRM_UI", "userId:51002", "", "51002"],
    ["9003", "dealstage", "closedlost", "2026-10-12T09:00:00.000Z", "CRM_UI", "userId:51002", "", "51002"],
    ["9003", "dealstage", "qualifiedtobuy", "2026-09-01T08:00:00.000Z", "IMPORT", "", "deals.csv", "51002"],
    ["9004", "dealstage", "closedwon", "2026-10-28T15:00:00.000Z", "AUTOMATION_PLATFORM", "enrollmentId:77",
     "Workflow: mark signed deals won", ""],
    ["9004", "dealstage", "appointmentscheduled", "2026-07-01T12:00:00.000Z", "CRM_UI", "userId:51003", "", "51003"],
    ["9005", "dealstage", "presentationscheduled", "2026-10-05T13:00:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9005", "dealstage", "closedlost", "2026-09-20T17:00:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9005", "dealstage", "presentationscheduled", "2026-09-01T10:00:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9005", "dealstage", "appointmentscheduled", "2026-08-20T10:00:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
    ["9006", "dealstage", "closedwon", "2026-10-03T10:00:00.000Z", "CRM_UI", "userId:51001", "", "51001"],
]  # fmt: skip
HUBSPOT_OWNERS: Rows = [
    ["id", "email", "firstName", "lastName", "userId", "createdAt", "archived"],
    ["41001", "ana@northwind.example", "Ana", "Diaz", "51001", "2025-01-10T08:00:00Z", "false"],
    ["41002", "ben@northwind.example", "Ben", "Okoro", "51002", "2025-03-02T08:00:00Z", "false"],
    ["41004", "cara@northwind.example", "Cara", "Lund", "51004", "2026-09-01T08:00:00Z", "false"],
]  # fmt: skip
HUBSPOT_EXPORT = {
    "deals.csv": csv_text(HUBSPOT_DEALS).encode("utf-8"),
    "deals_property_history.csv": csv_text(HUBSPOT_HISTORY).encode("utf-8"),
    "owners.csv": csv_text(HUBSPOT_OWNERS).encode("utf-8"),
}

# Pipedrive: the deals list export (every field quoted, owners by name, won/lost in Status while Stage keeps the last
# open stage, a deleted deal, an open deal without expected close date) and the Singer "dealflow" stream of the deals'
# flow (one row per changed field, stage ids, a JSON column, a row of the deleted deal) with its "stages" stream.
# October 2026: Ana won 101 for 12,000 (in Negotiations Started when marked won); Ben lost 103. Ben's 106 was won in
# September, 102 (8,500.50) is open, 105 still in its first stage with no stage change.
PIPEDRIVE_DEALS: Rows = [
    [
        "Deal - ID",
        "Deal - Title",
        "Deal - Creator",
        "Deal - Owner",
        "Deal - Value",
        "Deal - Currency",
        "Deal - Probability",
        "Deal - Organization",
        "Deal - Pipeline",
        "Deal - Contact person",
        "Deal - Stage",
        "Deal - Status",
        "Deal - Deal created",
        "Deal - Update time",
        "Deal - Last stage change",
        "Deal - Expected close date",
        "Deal - Won time",
        "Deal - Lost time",
        "Deal - Deal closed on",
        "Deal - Lost reason",
    ],
    ["101", "Acme – platform", "Ana Diaz", "Ana Diaz", "12000", "USD", "", "Acme, Inc.", "Sales pipeline", "Jo Acme",
     "Negotiations Started", "Won", "2026-08-03 09:15:00", "2026-10-20 16:30:00", "2026-10-01 10:00:00", "2026-10-31",
     "2026-10-20 16:30:00", "", "2026-10-20 16:30:00", ""],
    ["102", "Bolt add-on", "Ben Okoro", "Ben Okoro", "8500.5", "USD", "", "Bolt GmbH", "Sales pipeline", "",
     "Proposal Made", "Open", "2026-09-10 10:00:00", "2026-10-15 12:00:00", "2026-10-15 12:00:00", "2026-12-15",
     "", "", "", ""],
    ["103", "Cask renewal", "Ben Okoro", "Ben Okoro", "3000", "USD", "", "Cask Inc", "Sales pipeline", "",
     "Demo Scheduled", "Lost", "2026-09-01 08:00:00", "2026-10-12 09:00:00", "2026-09-15 14:00:00", "2026-11-30",
     "", "2026-10-12 09:00:00", "2026-10-12 09:00:00", "Went with a competitor"],
    ["104", "Dune (entered twice)", "Ana Diaz", "Ana Diaz", "5000", "USD", "", "Dune AG", "Sales pipeline", "",
     "Contact Made", "Deleted", "2026-09-20 10:00:00", "2026-09-26 10:00:00", "2026-09-25 10:00:00", "2026-10-30",
     "", "", "", ""],
    ["105", "Echo platform", "Ana Diaz", "Ana Diaz", "7000", "USD", "", "Echo SA", "Sales pipeline", "",
     "Qualified", "Open", "2026-10-05 11:00:00", "2026-10-05 11:00:00", "", "", "", "", "", ""],
    ["106", "Fjord pilot", "Ben Okoro", "Ben Okoro", "4000", "USD", "", "Fjord AS", "Sales pipeline", "",
     "Proposal Made", "Won", "2026-07-15 13:00:00", "2026-09-28 17:45:00", "2026-08-01 09:00:00", "2026-09-30",
     "2026-09-28 17:45:00", "", "2026-09-28 17:45:00", ""],
]  # fmt: skip
_MOVED = '{{"old_value_formatted": "{0}", "new_value_formatted": "{1}"}}'
PIPEDRIVE_FLOW: Rows = [
    ["id", "item_id", "user_id", "field_key", "old_value", "new_value", "is_bulk_update_flag", "log_time",
     "change_source", "additional_data"],
    ["9001", "101", "11", "stage_id", "1", "2", "false", "2026-08-10 10:00:00", "app",
     _MOVED.format("Qualified", "Contact Made")],
    ["9002", "101", "11", "value", "10000", "12000", "false", "2026-09-02 11:00:00", "app", ""],
    ["9003", "101", "11", "stage_id", "2", "4", "false", "2026-09-02 11:00:00", "app",
     _MOVED.format("Contact Made", "Proposal Made")],
    ["9004", "101", "11", "stage_id", "4", "5", "false", "2026-10-01 10:00:00", "app",
     _MOVED.format("Proposal Made", "Negotiations Started")],
    ["9005", "101", "11", "status", "open", "won", "false", "2026-10-20 16:30:00", "app", ""],
    ["9006", "102", "12", "stage_id", "1", "3", "false", "2026-09-20 15:00:00", "api",
     _MOVED.format("Qualified", "Demo Scheduled")],
    ["9007", "102", "12", "stage_id", "3", "4", "false", "2026-10-15 12:00:00", "app",
     _MOVED.format("Demo Scheduled", "Proposal Made")],
    ["9008", "103", "12", "stage_id", "2", "3", "false", "2026-09-15 14:00:00", "app",
     _MOVED.format("Contact Made", "Demo Scheduled")],
    ["9009", "103", "12", "status", "open", "lost", "false", "2026-10-12 09:00:00", "app", ""],
    ["9010", "103", "12", "lost_reason", "", "Went with a competitor", "false", "2026-10-12 09:00:00", "app", ""],
    ["9011", "106", "12", "stage_id", "1", "4", "true", "2026-08-01 09:00:00", "app",
     _MOVED.format("Qualified", "Proposal Made")],
    ["9012", "104", "11", "stage_id", "1", "2", "false", "2026-09-25 10:00:00", "app",
     _MOVED.format("Qualified", "Contact Made")],
]  # fmt: skip
PIPEDRIVE_STAGES: Rows = [
    ["id", "order_nr", "name", "active_flag", "deal_probability", "pipeline_id", "pipeline_name", "rotten_flag"],
    ["1", "1", "Qualified", "true", "100", "1", "Sales pipeline", "false"],
    ["2", "2", "Contact Made", "true", "100", "1", "Sales pipeline", "false"],
    ["3", "3", "Demo Scheduled", "true", "100", "1", "Sales pipeline", "false"],
    ["4", "4", "Proposal Made", "true", "100", "1", "Sales pipeline", "false"],
    ["5", "5", "Negotiations Started", "true", "100", "1", "Sales pipeline", "false"],
]
PIPEDRIVE_EXPORT = {
    "deals-8613042-17.csv": csv_text(PIPEDRIVE_DEALS, quote_all=True).encode("utf-8"),
    "dealflow.csv": csv_text(PIPEDRIVE_FLOW).encode("utf-8"),
    "stages.csv": csv_text(PIPEDRIVE_STAGES).encode("utf-8"),
}

# Zoho CRM: the Deals module export (UTF-8 with a byte-order mark, ids with the zcrm_ prefix, owners by name, a
# description holding a line break, a second lost stage "Closed-Lost to Competition") and a Deals-with-Stage-History
# report (day-first dates with AM/PM times, amounts with "$ " and thousands separators, each deal's rows newest first,
# deals named by name). October 2026: Ana won Acme (12,000) and Dune (2,500); Ben lost Cask to a competitor.
ZOHO_ID = "zcrm_5725767000000456{:03d}"
ZOHO_DEALS: Rows = [
    ["Record Id", "Deal Owner", "Deal Name", "Amount", "Closing Date", "Account Name", "Stage", "Type",
     "Probability (%)", "Expected Revenue", "Lead Source", "Created By", "Modified By", "Created Time",
     "Modified Time", "Reason For Loss", "Currency", "Exchange Rate", "Description"],
    [ZOHO_ID.format(1), "Ana Diaz", "Acme - Platform", "12000", "2026-10-20", "Acme Ltd", "Closed Won", "New Business",
     "100", "12000", "Web Site", "Ana Diaz", "Ana Diaz", "2026-08-01 09:15:00", "2026-10-20 16:30:00", "", "USD", "1",
     "Platform, three years"],
    [ZOHO_ID.format(2), "Ben Okoro", "Bolt - Add-on", "8000", "2026-12-15", "Bolt GmbH", "Negotiation/Review",
     "Existing Business", "90", "7200", "Partner", "Ben Okoro", "Ben Okoro", "2026-09-10 10:00:00",
     "2026-10-28 10:00:00", "", "USD", "1", ""],
    [ZOHO_ID.format(3), "Ben Okoro", "Cask - Renewal", "3000", "2026-10-12", "Cask Inc", "Closed-Lost to Competition",
     "Existing Business", "0", "0", "Web Site", "Ben Okoro", "Ben Okoro", "2026-09-01 08:00:00", "2026-10-12 09:00:00",
     "Price", "USD", "1", ""],
    [ZOHO_ID.format(4), "Ana Diaz", "Dune - Expansion", "2500", "2026-10-28", "Dune AG", "Closed Won",
     "Existing Business", "100", "2500", "Partner", "Ana Diaz", "Ana Diaz", "2026-10-02 11:00:00",
     "2026-10-28 15:00:00", "", "USD", "1", ""],
    [ZOHO_ID.format(5), "Zoë Brontë", "Echo - Platform", "6000", "2026-11-30", "Echo SA", "Needs Analysis",
     "New Business", "20", "1200", "Web Site", "Zoë Brontë", "Zoë Brontë", "2026-10-15 14:00:00",
     "2026-10-15 14:00:00", "", "USD", "1", "First call went well.\nSend the pricing sheet."],
]  # fmt: skip
ZOHO_STAGE_HISTORY: Rows = [
    ["Deal Name", "Stage", "Amount", "Probability (%)", "Expected Revenue", "Closing Date", "Last Modified Time",
     "Modified By", "Duration (Days)"],
    ["Acme - Platform", "Closed Won", "$ 12,000.00", "100", "$ 12,000.00", "20/10/2026", "20/10/2026 04:30 PM",
     "Ana Diaz", ""],
    ["Acme - Platform", "Proposal/Price Quote", "$ 12,000.00", "75", "$ 9,000.00", "31/10/2026", "02/09/2026 11:00 AM",
     "Ana Diaz", "48"],
    ["Acme - Platform", "Qualification", "$ 10,000.00", "10", "$ 1,000.00", "30/11/2026", "01/08/2026 09:15 AM",
     "Ana Diaz", "32"],
    ["Bolt - Add-on", "Negotiation/Review", "$ 8,000.00", "90", "$ 7,200.00", "15/12/2026", "28/10/2026 10:00 AM",
     "Ben Okoro", ""],
    ["Bolt - Add-on", "Needs Analysis", "$ 8,000.00", "20", "$ 1,600.00", "15/12/2026", "10/09/2026 10:00 AM",
     "Ben Okoro", "48"],
    ["Cask - Renewal", "Closed-Lost to Competition", "$ 3,000.00", "0", "$ 0.00", "12/10/2026", "12/10/2026 09:00 AM",
     "Ben Okoro", ""],
    ["Cask - Renewal", "Qualification", "$ 3,000.00", "10", "$ 300.00", "31/10/2026", "01/09/2026 08:00 AM",
     "Ben Okoro", "41"],
    ["Dune - Expansion", "Closed Won", "$ 2,500.00", "100", "$ 2,500.00", "28/10/2026", "28/10/2026 03:00 PM",
     "Ana Diaz", ""],
    ["Dune - Expansion", "Value Proposition", "$ 2,500.00", "50", "$ 1,250.00", "31/10/2026", "02/10/2026 11:00 AM",
     "Ana Diaz", "26"],
    ["Echo - Platform", "Needs Analysis", "$ 6,000.00", "20", "$ 1,200.00", "30/11/2026", "15/10/2026 02:00 PM",
     "Zoë Brontë", ""],
]  # fmt: skip
ZOHO_EXPORT = {
    "Deals_2026_10_30.csv": ("\ufeff" + csv_text(ZOHO_DEALS)).encode("utf-8"),
    "Stage History of Deals.csv": csv_text(ZOHO_STAGE_HISTORY).encode("utf-8"),
}

# Dynamics 365 Sales: an "All Opportunities" view and the Opportunity Sales Process view exported to Excel and saved
# as "CSV (Comma delimited)" by an en-GB user: cp1252 text, CRLF line ends, the three hidden "(Do Not Modify)"
# columns, day-first dates, amounts as "$12,000.00", the currency by name, Status apart from Pipeline Phase (Acme was
# won from 3-Propose), actual and estimated revenue and close dates, an open deal without an estimated close date.
# October 2026: Enterprise won Acme (actual 12,000, estimated 12,500) and Élan (actual 4,800); SMB lost Cask
# (no actual revenue: its estimate, 3,000, is its amount).
DYNAMICS_GUID = "6f1c2a1e-0b6a-ef11-a670-000d3a4b1c0{}"
DYNAMICS_OPPORTUNITIES: Rows = [
    ["(Do Not Modify) Opportunity", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "Topic",
     "Potential Customer", "Owner", "Owning Business Unit", "Status", "Status Reason", "Pipeline Phase",
     "Est. Revenue", "Actual Revenue", "Est. Close Date", "Actual Close Date", "Created On", "Currency"],
    [DYNAMICS_GUID.format(1), "hW3k9vQpXc+Lr1m2ZQ==", "20/10/2026 16:30", "Acme - Platform", "Acme Ltd", "Ana Díaz",
     "Enterprise", "Won", "Won", "3-Propose", "$12,500.00", "$12,000.00", "31/10/2026", "20/10/2026",
     "01/08/2026 09:15", "US Dollar"],
    [DYNAMICS_GUID.format(2), "p0Lk2mNq8Rt+aZ4xYw==", "28/10/2026 10:00", "Bolt - Add-on", "Bolt GmbH", "José Núñez",
     "SMB", "Open", "In Progress", "4-Close", "$8,000.00", "", "15/12/2026", "", "10/09/2026 10:00", "US Dollar"],
    [DYNAMICS_GUID.format(3), "Zx8vB1nM4qW+eR7tYu==", "12/10/2026 09:00", "Cask - Renewal", "Cask Inc", "José Núñez",
     "SMB", "Lost", "Out-Sold", "2-Develop", "$3,000.00", "", "30/11/2026", "12/10/2026", "01/09/2026 08:00",
     "US Dollar"],
    [DYNAMICS_GUID.format(4), "Qw2eR3tY4uI+oP5aSd==", "05/10/2026 12:00", "Dune - Expansion", "Dune AG", "Ana Díaz",
     "Enterprise", "Open", "On Hold", "1-Qualify", "$2,000.00", "", "", "", "05/10/2026 12:00", "US Dollar"],
    [DYNAMICS_GUID.format(5), "Mn6bV7cX8zL+kJ9hGf==", "25/10/2026 11:00", "Élan - Platform", "Élan SA", "Zoë Brontë",
     "Enterprise", "Won", "Won", "4-Close", "$5,000.00", "$4,800.00", "31/10/2026", "25/10/2026", "15/09/2026 08:00",
     "US Dollar"],
]  # fmt: skip
DYNAMICS_SALES_PROCESS: Rows = [
    ["(Do Not Modify) Opportunity Sales Process", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On",
     "Opportunity", "Active Stage", "Active Stage Started On", "Status Reason", "Completed On"],
    ["a1d0c6e2-0b6a-ef11-a670-000d3a4b1f01", "rT5yU6iO7p+AsDfGhJ==", "20/10/2026 16:30", "Acme - Platform", "Propose",
     "02/09/2026 11:00", "Finished", "20/10/2026 16:30"],
    ["a1d0c6e2-0b6a-ef11-a670-000d3a4b1f02", "kL8jH7gF6d+SaQwErT==", "28/10/2026 10:00", "Bolt - Add-on", "Close",
     "28/10/2026 10:00", "Active", ""],
    ["a1d0c6e2-0b6a-ef11-a670-000d3a4b1f03", "yU1iO2pA3s+DfGhJkL==", "15/09/2026 14:00", "Cask - Renewal", "Develop",
     "15/09/2026 14:00", "Active", ""],
    ["a1d0c6e2-0b6a-ef11-a670-000d3a4b1f04", "zX4cV5bN6m+QwErTyU==", "05/10/2026 12:00", "Dune - Expansion", "Qualify",
     "05/10/2026 12:00", "Active", ""],
    ["a1d0c6e2-0b6a-ef11-a670-000d3a4b1f05", "iO9pA8sD7f+GhJkLzX==", "25/10/2026 11:00", "Élan - Platform", "Close",
     "20/10/2026 09:00", "Finished", "25/10/2026 11:00"],
]  # fmt: skip
DYNAMICS_EXPORT = {
    "All Opportunities 30-10-2026 09-12-44.csv": csv_text(DYNAMICS_OPPORTUNITIES, "\r\n").encode("cp1252"),
    "Opportunity Sales Process 30-10-2026 09-13-02.csv": csv_text(DYNAMICS_SALES_PROCESS, "\r\n").encode("cp1252"),
}
