"""Hand-made lead exports with the real labels: Salesforce objects (also as a Data Export), a HubSpot deals and
contacts export, and Olist's marketing funnel, for the lead tables of the ready mappings in mappings/.

Each export holds the awkward rows real ones do; the comments say what each row is for and what the mapped tables
must hold, as tests/test_mapping_leads.py checks.
"""

from __future__ import annotations

from tests.helpers.more_crm_exports import Rows, csv_text

# Salesforce: 18-character ids. Ana (Enterprise) and Ben (SMB) own deals and leads; L5 waits in a lead queue.
ANA, BEN, QUEUE = "0058a000000AnaDAAA", "0058a000000BenOAAA", "00G8a000000QueUEAA"
ENTERPRISE, SMB = "00E8a000001le98EAA", "00E8a000001smb1EAA"
O1, O2, O3 = "0068a00000L1aaaAAA", "0068a00000L2aaaAAA", "0068a00000L3aaaAAA"
L1, L2, L3, L4, L5, L6 = (f"00Q8a00000Q{n}aaaAAA" for n in range(1, 7))
C1, C2, C3 = "7018a000000C1aaAAA", "7018a000000C2aaAAA", "7018a000000C3aaAAA"
WEBINAR, FAIR = "2026 Q3 Logistics Webinar", "Fachmesse Köln 2026"

# O1 (won) came from L1 and names the webinar, the campaign L1 touched last (Salesforce's Primary Campaign Source);
# O2 is a partner deal with no lead and no campaign; O3 (lost) came from L6 and names the fair.
SF_OPPORTUNITY: Rows = [
    ["Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "CloseDate", "Type", "LeadSource",
     "ForecastCategoryName", "CurrencyIsoCode", "OwnerId", "CreatedDate", "LastModifiedDate", "CampaignId"],
    [O1, "false", "0018a00000A1aaaAAA", "Acme - Platform", "Closed Won", "12000", "2026-10-20", "New Business",
     "Trade Show", "Closed", "USD", ANA, "2026-08-05T09:15:00.000+0000", "2026-10-20T16:30:00.000+0000", C1],
    [O2, "false", "0018a00000A2aaaAAA", "Bolt - Add-on", "Negotiation/Review", "8000", "2026-12-15",
     "Existing Business", "Partner Referral", "Commit", "USD", BEN, "2026-09-12T10:00:00.000+0000",
     "2026-10-28T10:00:00.000+0000", ""],
    [O3, "false", "0018a00000A3aaaAAA", "Cask - Platform", "Closed Lost", "3000", "2026-10-12", "New Business",
     "Web", "Omitted", "USD", BEN, "2026-09-20T08:00:00.000+0000", "2026-10-12T09:00:00.000+0000", C2],
]  # fmt: skip
SF_USER: Rows = [
    ["Id", "Name", "FirstName", "LastName", "Department", "UserRoleId", "IsActive"],
    [ANA, "Ana Díaz", "Ana", "Díaz", "Enterprise", ENTERPRISE, "true"],
    [BEN, "Ben Okoro", "Ben", "Okoro", "SMB", SMB, "true"],
]
SF_QUOTA: Rows = [
    ["Id", "QuotaOwnerId", "StartDate", "QuotaAmount", "CurrencyIsoCode"],
    ["0J98a0000001aaaAAA", ANA, "2026-10-01", "10000", "USD"],
    ["0J98a0000002aaaAAA", BEN, "2026-10-01", "6000", "USD"],
]
# The fair has no actual cost yet (its budget stands in); C3 was deleted.
SF_CAMPAIGN: Rows = [
    ["Id", "IsDeleted", "Name", "Type", "Status", "StartDate", "EndDate", "BudgetedCost", "ActualCost", "IsActive"],
    [C1, "false", WEBINAR, "Webinar", "Completed", "2026-07-01", "2026-07-31", "6000", "5200.50", "false"],
    [C2, "false", FAIR, "Trade Show", "Completed", "2026-06-10", "2026-06-12", "15000", "", "false"],
    [C3, "true", "Old newsletter", "Email", "Aborted", "2025-01-01", "2025-01-31", "100", "90", "false"],
]  # fmt: skip
# L1 met us at the fair (June) and joined the webinar (July): its campaign is the fair, its earliest membership,
# although the webinar's row comes first in the file. A contact's membership (no LeadId) concerns no lead.
SF_CAMPAIGN_MEMBER: Rows = [
    ["Id", "IsDeleted", "CampaignId", "LeadId", "ContactId", "Status", "HasResponded", "CreatedDate"],
    ["00v8a000000M1aaAAA", "false", C1, L1, "", "Attended", "true", "2026-07-10T15:00:00.000+0000"],
    ["00v8a000000M2aaAAA", "false", C2, L1, "", "Responded", "true", "2026-06-11T10:00:00.000+0000"],
    ["00v8a000000M3aaAAA", "false", C1, L2, "", "Registered", "false", "2026-07-15T09:00:00.000+0000"],
    ["00v8a000000M4aaAAA", "false", C2, L6, "", "Responded", "true", "2026-06-11T12:00:00.000+0000"],
    ["00v8a000000M5aaAAA", "false", C1, "", "0038a000000K1aaAAA", "Attended", "true", "2026-07-20T09:00:00.000+0000"],
]  # fmt: skip
# L1 converted to O1; L2 has no LeadSource (its campaign's channel, Webinar, stands in); L3 was converted without
# an opportunity (converted date, no deal); L4 was deleted; L5 sits in a queue (an owner no rep has) and in no
# campaign; L6 converted to the lost O3.
SF_LEAD: Rows = [
    ["Id", "IsDeleted", "FirstName", "LastName", "Company", "Status", "LeadSource", "Industry", "OwnerId",
     "CreatedDate", "IsConverted", "ConvertedDate", "ConvertedOpportunityId", "ConvertedAccountId"],
    [L1, "false", "Jo", "Acme", "Acme", "Closed - Converted", "Trade Show", "Transportation", ANA,
     "2026-06-11T10:00:00.000+0000", "true", "2026-08-05", O1, "0018a00000A1aaaAAA"],
    [L2, "false", "Kai", "Bolt", "Bolt", "Working - Contacted", "", "Retail", BEN,
     "2026-07-15T09:00:00.000+0000", "false", "", "", ""],
    [L3, "false", "Lu", "Dune", "Dune", "Closed - Converted", "Web", "Retail", BEN,
     "2026-08-20T14:30:00.000+0000", "true", "2026-09-01", "", "0018a00000A4aaaAAA"],
    [L4, "true", "Mo", "Echo", "Echo", "Open - Not Contacted", "Web", "Energy", ANA,
     "2026-08-21T08:00:00.000+0000", "false", "", "", ""],
    [L5, "false", "Noa", "Fjord", "Fjord", "Open - Not Contacted", "Purchased List", "Energy", QUEUE,
     "2026-10-01T07:45:00.000+0000", "false", "", "", ""],
    [L6, "false", "Oli", "Cask", "Cask", "Closed - Converted", "Web", "Manufacturing", ANA,
     "2026-06-11T12:00:00.000+0000", "true", "2026-09-20", O3, "0018a00000A3aaaAAA"],
]  # fmt: skip
SF_LEAD_FILES = {"Lead.csv": SF_LEAD, "Campaign.csv": SF_CAMPAIGN, "CampaignMember.csv": SF_CAMPAIGN_MEMBER}
SF_OBJECTS: dict[str, Rows] = {
    "Opportunity.csv": SF_OPPORTUNITY,
    "User.csv": SF_USER,
    "ForecastingQuota.csv": SF_QUOTA,
    **SF_LEAD_FILES,
}


def _data_export_rows(rows: Rows) -> Rows:
    """Rows as the Data Export writes them: booleans as 0/1."""
    flags = {"true": "1", "false": "0"}
    return [rows[0]] + [[flags.get(cell, cell) for cell in row] for row in rows[1:]]


def salesforce_files(data_export: bool = False, leave_out: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The Salesforce objects as files: API exports in UTF-8, or the Data Export (every field quoted, 0/1 booleans,
    cp1252, User without Name, roles and accounts in their own files), without the files named in leave_out."""
    if not data_export:
        return {name: csv_text(rows).encode("utf-8") for name, rows in SF_OBJECTS.items() if name not in leave_out}
    user = [[row[0], row[2], row[3], row[5], row[6]] for row in SF_USER]
    files: dict[str, Rows] = {
        **SF_OBJECTS,
        "User.csv": user,
        "UserRole.csv": [["Id", "Name"], [ENTERPRISE, "Enterprise"], [SMB, "SMB"]],
        "Account.csv": [["Id", "Name"]] + [[f"0018a00000A{n}aaaAAA", f"Account {n}"] for n in range(1, 5)],
        "CurrencyType.csv": [["IsoCode", "ConversionRate", "IsCorporate"], ["USD", "1.000000", "1"]],
    }
    return {
        name: csv_text(_data_export_rows(rows), "\r\n", quote_all=True).encode("cp1252")
        for name, rows in files.items()
        if name not in leave_out
    }


# HubSpot: the deals export and a contacts export in one folder, as HubSpot names them. Ana and Ben own the deals.
HUBSPOT_DEALS_FILE = "hubspot-crm-exports-all-deals-2026-10-30.csv"
HUBSPOT_CONTACTS_FILE = "hubspot-crm-exports-all-contacts-2026-10-30.csv"
HUBSPOT_DEALS: Rows = [
    ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Create Date", "Deal owner",
     "Deal Type", 'Date entered "Appointment Scheduled (Sales Pipeline)"',
     'Date entered "Closed Won (Sales Pipeline)"', 'Date entered "Closed Lost (Sales Pipeline)"'],
    ["9001", "Acme deal", "Closed Won", "Sales Pipeline", "12000", "2026-09-20 10:00", "2026-07-01 09:00", "Ana Diaz",
     "newbusiness", "2026-07-01 09:00", "2026-09-20 10:00", ""],
    ["9002", "Bolt deal", "Closed Lost", "Sales Pipeline", "3000", "2026-10-05 12:00", "2026-08-10 08:00", "Ben Okoro",
     "newbusiness", "2026-08-10 08:00", "", "2026-10-05 12:00"],
    ["9003", "Cask deal", "Appointment Scheduled", "Sales Pipeline", "7000", "2026-12-01 00:00", "2026-09-05 13:00",
     "Ana Diaz", "existingbusiness", "2026-09-05 13:00", "", ""],
]  # fmt: skip
# 501 went through every stage and has two deals (the first listed, 9001, is its conversion); 502's source is a
# display label; 503 has only an MQL date (an internal lead status); 504 was created by hand and never qualified;
# 505 names deal 9003 without an opportunity date (the deal's created date stands in); 506 is owned by an SDR who
# owns no deal (an owner no rep has).
HUBSPOT_CONTACTS: Rows = [
    ["Record ID", "First Name", "Last Name", "Email", "Create Date", "Original Source", "Contact owner",
     "Lead Status", "Lifecycle Stage", "Became a Lead Date", "Became a Marketing Qualified Lead Date",
     "Became a Sales Qualified Lead Date", "Became an Opportunity Date", "Became a Customer Date", "Associated Deal"],
    ["501", "Jo", "Acme", "jo@acme.example", "2026-06-20 08:00", "ORGANIC_SEARCH", "Ana Diaz", "Open Deal",
     "Customer", "2026-06-20 08:00", "2026-06-25 10:00", "2026-06-28 09:00", "2026-07-01 09:00", "2026-09-20 10:00",
     "9001;9003"],
    ["502", "Kai", "Bolt", "kai@bolt.example", "2026-07-28 16:20", "Paid social", "Ben Okoro", "Open deal",
     "Opportunity", "2026-07-28 16:20", "2026-08-01 11:00", "", "2026-08-10 08:00", "", "9002"],
    ["503", "Lu", "Dune", "lu@dune.example", "2026-09-01 12:00", "EMAIL_MARKETING", "Ana Diaz", "IN_PROGRESS",
     "Marketing Qualified Lead", "2026-09-01 12:00", "2026-09-02 08:30", "", "", "", ""],
    ["504", "Mo", "Echo", "mo@echo.example", "2026-09-15 09:00", "OFFLINE", "Ana Diaz", "UNQUALIFIED", "Lead",
     "2026-09-15 09:00", "", "", "", "", ""],
    ["505", "Noa", "Cask", "noa@cask.example", "2026-08-30 10:00", "REFERRALS", "Ana Diaz", "", "Opportunity",
     "2026-08-30 10:00", "", "", "", "", "9003"],
    ["506", "Oli", "Fjord", "oli@fjord.example", "2026-10-02 07:30", "DIRECT_TRAFFIC", "Sam Reyes", "NEW", "Lead",
     "2026-10-02 07:30", "", "", "", "", ""],
]  # fmt: skip
HUBSPOT_FILES = {
    HUBSPOT_DEALS_FILE: csv_text(HUBSPOT_DEALS).encode("utf-8"),
    HUBSPOT_CONTACTS_FILE: csv_text(HUBSPOT_CONTACTS).encode("utf-8"),
}

# Olist's marketing funnel: 32-character hexadecimal ids, empty cells where the seller declared nothing.
MQL = [f"{n:x}" * 32 for n in range(1, 6)]
MISSING_MQL = "9" * 32
SELLERS = [f"{n:x}" * 32 for n in range(10, 13)]
REP_A, REP_B, SDR = "4" * 31 + "a", "4" * 31 + "b", "5" * 32
# MQL[0] and MQL[1] closed; MQL[2] came from an unknown origin and MQL[3] from none; MQL[4] from other publicities.
OLIST_LEADS: Rows = [
    ["mql_id", "first_contact_date", "landing_page_id", "origin"],
    [MQL[0], "2018-02-01", "88740e65d5d6b056e0cda098e1ea6313", "organic_search"],
    [MQL[1], "2018-02-03", "22c29808c4f815213303f8933030604c", "paid_search"],
    [MQL[2], "2018-02-10", "b76ef37428e6799c421989521c0e5077", "unknown"],
    [MQL[3], "2018-03-01", "b76ef37428e6799c421989521c0e5077", ""],
    [MQL[4], "2018-03-05", "ce1a65abd0973638f1c887a6efcfa82d", "other_publicities"],
]
# The third closed deal names an mql_id the leads file does not hold.
OLIST_DEALS: Rows = [
    ["mql_id", "seller_id", "sdr_id", "sr_id", "won_date", "business_segment", "lead_type", "lead_behaviour_profile",
     "has_company", "has_gtin", "average_stock", "business_type", "declared_product_catalog_size",
     "declared_monthly_revenue"],
    [MQL[0], SELLERS[0], SDR, REP_A, "2018-02-26 19:58:54", "pet", "online_medium", "cat", "", "", "", "reseller",
     "", "0.0"],
    [MQL[1], SELLERS[1], SDR, REP_B, "2018-03-10 10:12:00", "car_accessories", "industry", "eagle", "True", "True",
     "5-20", "manufacturer", "100.0", "500000.0"],
    [MISSING_MQL, SELLERS[2], SDR, REP_A, "2018-03-20 08:00:00", "home_decor", "online_big", "", "", "", "",
     "reseller", "", "0.0"],
]  # fmt: skip
OLIST_FILES = {
    "olist_marketing_qualified_leads_dataset.csv": csv_text(OLIST_LEADS).encode("utf-8"),
    "olist_closed_deals_dataset.csv": csv_text(OLIST_DEALS).encode("utf-8"),
}
