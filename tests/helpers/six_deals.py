"""The six-deal company: a tiny, valid, hand-written data folder (tests/test_validation.py breaks it one thing at a
time; other tests use it as a small company with no data problem).

Row numbers as a user sees them in opportunities.csv: O1 is row 2 ... O6 is row 7.
"""

from __future__ import annotations

from pathlib import Path

REPS_CSV = """\
rep_id,name,team,region,hire_date,end_date
R1,Ann Lee,Enterprise,North America,2022-01-10,
R2,Bob Ray,SMB,North America,2022-03-01,
R3,Cy Doe,SMB,EMEA,2023-02-01,
"""

OPPORTUNITIES_CSV = """\
opportunity_id,name,account,owner_id,created_date,close_date,stage,amount,currency,segment
O1,Acme - Platform,Acme,R1,2024-01-05,2024-02-10,Closed Won,1000,USD,Enterprise
O2,Bolt - Platform,Bolt,R1,2024-01-10,2024-03-01,Closed Lost,2500.5,USD,Enterprise
O3,Cask - Connectors,Cask,R2,2024-02-01,2024-05-01,Proposal,3000,USD,SMB
O4,Dune - Connectors,Dune,R2,2024-02-15,2024-06-01,Prospecting,400,USD,SMB
O5,Echo - Platform,Echo,R3,2024-03-01,2024-04-15,Closed Won,12000,USD,SMB
O6,Fern - Platform,Fern,R3,2024-03-10,2024-07-01,Negotiation,800,USD,SMB
"""

HISTORY_CSV = """\
opportunity_id,changed_at,stage,amount,close_date
O1,2024-01-05T09:00:00,Prospecting,1000,2024-03-01
O1,2024-02-10T10:00:00,Closed Won,1000,2024-02-10
O2,2024-01-10T09:00:00,Prospecting,2500.5,2024-03-01
O3,2024-02-01T09:00:00,Qualification,3000,2024-05-01
O4,2024-02-15T09:00:00,Prospecting,400,2024-06-01
O5,2024-03-01T09:00:00,Discovery,12000,2024-04-15
O6,2024-03-10T09:00:00,Negotiation,800,2024-07-01
"""

QUOTAS_CSV = """\
rep_id,period_start,quota
R1,2024-01-01,5000
R2,2024-01-01,4000
R3,2024-02-01,4000
"""

ACTIVITIES_CSV = """\
activity_id,rep_id,occurred_at,type,opportunity_id
A1,R1,2024-01-06T10:00:00,Call,O1
A2,R2,2024-02-02T11:30:00,Email,O3
A3,R3,2024-03-02T15:00:00,Meeting,
"""

VALID_FILES = {
    "reps.csv": REPS_CSV,
    "opportunities.csv": OPPORTUNITIES_CSV,
    "opportunity_history.csv": HISTORY_CSV,
    "quotas.csv": QUOTAS_CSV,
    "activities.csv": ACTIVITIES_CSV,
}


def write_folder(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write the valid fixture (or the given files) into folder, as UTF-8 with LF line endings."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or VALID_FILES).items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """Replace the one occurrence of old with new in a fixture file (fails loudly if old is not there once)."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
