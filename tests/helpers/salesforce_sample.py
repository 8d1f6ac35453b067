"""Salesforce Developer Edition's sample opportunities, as a new org's Data Export holds them.

Every Developer Edition org is created with the same 31 sample opportunities of nine sample accounts (Burlington
Textiles, Edge Communications, United Oil & Gas, ...). Their names, stages and amounts are Salesforce's; their close
dates are set at fixed offsets from the day the org is created, as the records of orgs made years apart show (Edge
SLA 110 days before it, Burlington Textiles' generator 60 days before it). These are the close dates of an org made
on 29 July 2025, as a public dump of its records has them; everything is created and last changed at sign-up, by the
org's one user, who has no role. Won deals closed before they were created, nothing is lost, most open deals are past
their close date and nothing has a type, lead source or currency: a new org's export, quirks and all. The columns
this fixture leaves out are ones the sample data leaves empty.
"""

from __future__ import annotations

from pathlib import Path

SIGN_UP = "2025-07-29T18:42:10.000Z"  # the sign-up time is not in the dump: any time that day
ADMIN = "005gL000002ByxTQAS"
ACCOUNTS = {
    "0015g00001EdgeAAA": "Edge Communications",
    "0015g00001BurlAAA": "Burlington Textiles Corp of America",
    "0015g00001PyraAAA": "Pyramid Construction Inc.",
    "0015g00001DickAAA": "Dickenson plc",
    "0015g00001GranAAA": "Grand Hotels & Resorts Ltd",
    "0015g00001UnitAAA": "United Oil & Gas Corp.",
    "0015g00001ExprAAA": "Express Logistics and Transport",
    "0015g00001UnivAAA": "University of Arizona",
    "0015g00001GeneAAA": "GenePoint",
}
_EDGE, _BURL, _PYRA, _DICK, _GRAN, _UNIT, _EXPR, _UNIV, _GENE = ACCOUNTS
# (id, account, name, stage, amount, close date)
OPPORTUNITIES = [
    ("006gL000009l093QAA", _DICK, "Dickenson Mobile Generators", "Qualification", 15000, "2025-06-06"),
    ("006gL000009l094QAA", _UNIT, "United Oil Office Portable Generators", "Negotiation/Review", 125000, "2025-05-25"),
    ("006gL000009l095QAA", _EXPR, "Express Logistics Standby Generator", "Closed Won", 220000, "2025-04-20"),
    ("006gL000009l096QAA", _GENE, "GenePoint Standby Generator", "Closed Won", 85000, "2025-05-28"),
    ("006gL000009l097QAA", _GRAN, "Grand Hotels Kitchen Generator", "Id. Decision Makers", 15000, "2025-04-15"),
    ("006gL000009l098QAA", _UNIT, "United Oil Refinery Generators", "Proposal/Price Quote", 270000, "2025-07-09"),
    ("006gL000009l099QAA", _UNIT, "United Oil SLA", "Closed Won", 120000, "2025-07-16"),
    ("006gL000009l09AQAQ", _GRAN, "Grand Hotels Guest Portable Generators", "Value Proposition", 250000, "2025-07-24"),
    ("006gL000009l09BQAQ", _EDGE, "Edge Emergency Generator", "Closed Won", 75000, "2025-07-24"),
    ("006gL000009l09CQAQ", _UNIV, "University of AZ Portable Generators", "Closed Won", 50000, "2025-04-24"),
    ("006gL000009l09DQAQ", _PYRA, "Pyramid Emergency Generators", "Prospecting", 100000, "2025-06-02"),
    (
        "006gL000009l09EQAQ",
        _EXPR,
        "Express Logistics Portable Truck Generators",
        "Value Proposition",
        80000,
        "2025-04-18",
    ),
    ("006gL000009l09FQAQ", _GENE, "GenePoint Lab Generators", "Id. Decision Makers", 60000, "2025-07-18"),
    ("006gL000009l09GQAQ", _GENE, "GenePoint SLA", "Closed Won", 30000, "2025-07-21"),
    ("006gL000009l09HQAQ", _UNIT, "United Oil Installations", "Negotiation/Review", 270000, "2025-05-21"),
    ("006gL000009l09IQAQ", _EDGE, "Edge Installation", "Closed Won", 50000, "2025-05-15"),
    ("006gL000009l09JQAQ", _EDGE, "Edge SLA", "Closed Won", 60000, "2025-04-10"),
    ("006gL000009l09KQAQ", _GRAN, "Grand Hotels Generator Installations", "Closed Won", 350000, "2025-07-07"),
    ("006gL000009l09LQAQ", _UNIT, "United Oil Installations", "Closed Won", 270000, "2025-05-20"),
    ("006gL000009l09MQAQ", _UNIT, "United Oil Refinery Generators", "Closed Won", 915000, "2025-07-02"),
    ("006gL000009l09NQAQ", _BURL, "Burlington Textiles Weaving Plant Generator", "Closed Won", 235000, "2025-05-30"),
    ("006gL000009l09OQAQ", _UNIV, "University of AZ Installations", "Proposal/Price Quote", 100000, "2025-04-21"),
    ("006gL000009l09PQAQ", _EXPR, "Express Logistics SLA", "Perception Analysis", 120000, "2025-04-19"),
    ("006gL000009l09QQAQ", _UNIV, "University of AZ SLA", "Closed Won", 90000, "2025-04-28"),
    ("006gL000009l09RQAQ", _UNIT, "United Oil Installations", "Closed Won", 235000, "2025-06-01"),
    ("006gL000009l09SQAQ", _UNIT, "United Oil Emergency Generators", "Closed Won", 440000, "2025-05-14"),
    ("006gL000009l09TQAQ", _GRAN, "Grand Hotels SLA", "Closed Won", 90000, "2025-04-17"),
    ("006gL000009l09UQAQ", _UNIT, "United Oil Standby Generators", "Closed Won", 120000, "2025-07-17"),
    ("006gL000009l09VQAQ", _GRAN, "Grand Hotels Emergency Generators", "Closed Won", 210000, "2025-07-05"),
    ("006gL000009l09WQAQ", _UNIT, "United Oil Plant Standby Generators", "Needs Analysis", 675000, "2025-06-18"),
    ("006gL000009l09XQAQ", _EDGE, "Edge Emergency Generator", "Id. Decision Makers", 35000, "2025-07-30"),
]
# Salesforce's default forecast category and probability of each stage of its default sales process
STAGE_DEFAULTS = {
    "Prospecting": ("Pipeline", 10),
    "Qualification": ("Pipeline", 10),
    "Needs Analysis": ("Pipeline", 20),
    "Value Proposition": ("Pipeline", 50),
    "Id. Decision Makers": ("Pipeline", 60),
    "Perception Analysis": ("Pipeline", 70),
    "Proposal/Price Quote": ("Pipeline", 75),
    "Negotiation/Review": ("Pipeline", 90),
    "Closed Won": ("Closed", 100),
    "Closed Lost": ("Omitted", 0),
}


def _quoted(rows: list[list[str]]) -> bytes:
    """CSV as the Data Export writes it: every field quoted, CRLF line ends, cp1252."""
    return "".join(",".join(f'"{cell}"' for cell in row) + "\r\n" for row in rows).encode("cp1252")


def write_sample_export(folder: Path) -> Path:
    """The sample org's Data Export: Opportunity, OpportunityHistory (one row each, at creation), User (one admin,
    no role), an empty UserRole and the accounts."""
    folder.mkdir(parents=True)
    opportunity = [
        ["Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "Probability", "CloseDate", "Type",
         "LeadSource", "IsClosed", "IsWon", "ForecastCategoryName", "OwnerId", "CreatedDate", "LastModifiedDate"],
    ]  # fmt: skip
    history = [["Id", "OpportunityId", "CreatedById", "CreatedDate", "StageName", "Amount", "ExpectedRevenue",
                "CloseDate", "Probability", "ForecastCategory", "IsDeleted"]]  # fmt: skip
    for number, (key, account, name, stage, amount, close) in enumerate(OPPORTUNITIES, start=1):
        category, probability = STAGE_DEFAULTS[stage]
        closed, won = stage.startswith("Closed"), stage == "Closed Won"
        opportunity.append(
            [key, "0", account, name, stage, str(amount), str(probability), close, "", "", str(int(closed)),
             str(int(won)), category, ADMIN, SIGN_UP, SIGN_UP]
        )  # fmt: skip
        history.append(
            [f"008gL00000{number:08d}", key, ADMIN, SIGN_UP, stage, str(amount), str(amount * probability / 100),
             close, str(probability), category, "0"]
        )  # fmt: skip
    files = {
        "Opportunity.csv": opportunity,
        "OpportunityHistory.csv": history,
        "User.csv": [
            ["Id", "Username", "LastName", "FirstName", "UserRoleId", "IsActive"],
            [ADMIN, "admin@sample-de.example", "User", "Admin", "", "1"],
        ],
        "UserRole.csv": [["Id", "Name", "ParentRoleId"]],
        "Account.csv": [["Id", "IsDeleted", "Name"]] + [[key, "0", name] for key, name in ACCOUNTS.items()],
    }
    for name, rows in files.items():
        (folder / name).write_bytes(_quoted(rows))
    return folder
