"""The planted company of tests/test_data_health.py: ten deals D1..D10, three reps, and a planted data problem of
each kind (its docstring lists them); the report period ends on 2024-03-31.
"""

from __future__ import annotations

from pathlib import Path

REPS_CSV = """\
rep_id,name,team,hire_date,end_date
R1,Ann Lee,Enterprise,2022-01-10,
R2,Bob Ray,SMB,2022-06-01,2024-02-28
R3,Cy Doe,SMB,2023-01-09,
"""

# No account, currency, segment, lead_source, deal_type or forecast_category column.
OPPORTUNITIES_CSV = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,lost_reason
D1,Acme,R1,2023-10-01,2023-11-20,Closed Won,5000,
D2,Bolt,R1,2023-11-05,2024-01-15,Closed Lost,2000,Price
D3,Cask,R2,2023-12-01,2024-02-10,Proposal,3000,
D4,Dune,R3,2024-01-10,2024-05-30,Negotiation,8000,
D5,Echo,R3,2024-01-20,2024-03-01,Discovery,7000,
D6,Fern,R9,2024-02-01,2024-03-20,Qualification,,
D7,Gale,R1,2024-04-05,2024-04-20,Qualification,1000,
D8,Hive,R2,2023-09-01,2023-12-15,Closed Lost,4000,
D9,Iris,R3,2023-08-01,2023-09-30,Closed Won,6000,
D10,Jade,R1,2023-07-01,2023-08-15,Closed Lost,0,
"""

HISTORY_HEADER = "opportunity_id,changed_at,stage,amount,close_date"
HISTORY_ROWS = [
    "D10,2023-07-01T09:00:00,Prospecting,0,2023-09-01",
    "D10,2023-08-15T09:00:00,Closed Lost,0,2023-08-15",
    "D9,2023-08-01T09:00:00,Discovery,6000,2023-10-15",
    "D9,2023-09-30T09:00:00,Closed Won,6000,2023-09-30",
    "D8,2023-09-01T09:00:00,Qualification,4000,2023-12-01",
    "D8,2023-12-15T09:00:00,Closed Lost,4000,2023-12-15",
    "D1,2023-10-01T09:00:00,Prospecting,5000,2023-12-01",
    "D1,2023-11-20T10:00:00,Closed Won,5000,2023-11-20",
    "D2,2023-11-05T09:00:00,Discovery,2000,2024-01-31",
    "D2,2024-01-15T09:00:00,Closed Lost,2000,2024-01-15",
    "D3,2023-12-01T09:00:00,Proposal,3000,2024-02-10",
    "D4,2024-01-10T09:00:00,Proposal,8000,2024-05-30",
    "D4,2024-03-12T09:00:00,Negotiation,8000,2024-05-30",
    "D5,2024-01-20T09:00:00,Discovery,7000,2024-03-01",
    "D6,2024-02-01T09:00:00,Qualification,,2024-03-20",
    "D7,2024-04-05T09:00:00,Qualification,1000,2024-04-20",
    "DX,2024-01-25T09:00:00,Prospecting,100,2024-03-01",
]

QUOTAS_CSV = """\
rep_id,period_start,quota
R1,2024-01-01,5000
R1,2024-02-01,5000
R1,2024-03-01,5000
R2,2024-01-01,4000
R3,2024-01-01,4000
R9,2024-02-01,1000
"""

ACTIVITIES_CSV = """\
activity_id,rep_id,occurred_at,type,opportunity_id
A1,R1,2023-10-02T10:00:00,Call,D1
A2,R2,2024-01-03T11:00:00,Email,D3
A3,R3,2024-01-21T15:00:00,Meeting,
A4,R9,2024-01-22T09:00:00,Call,
A5,R3,2024-03-05T09:00:00,Demo,DZ
"""


def without_amount(history_row: str) -> str:
    """The history row with its amount left blank."""
    deal, changed_at, stage, _, close_date = history_row.split(",")
    return ",".join([deal, changed_at, stage, "", close_date])


def history_csv(rows: list[str] = HISTORY_ROWS, header: str = HISTORY_HEADER) -> str:
    """opportunity_history.csv made of the given rows."""
    return "\n".join([header, *rows]) + "\n"


FILES = {
    "reps.csv": REPS_CSV,
    "opportunities.csv": OPPORTUNITIES_CSV,
    "opportunity_history.csv": history_csv(),
    "quotas.csv": QUOTAS_CSV,
    "activities.csv": ACTIVITIES_CSV,
}


def write_folder(folder: Path, files: dict[str, str | None]) -> Path:
    """Write the fixture into folder, with files replaced (text) or left out (None) as given."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (FILES | files).items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder
