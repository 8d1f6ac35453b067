"""The fourteen-deal company of tests/test_metrics.py: three reps (a leaver, one without quota), quotas, deals and
their stage history from October 2025 to February 2027, under the default configuration's fiscal calendar.

tests/test_metrics.py's docstring describes it deal by deal, with the states on the days that matter; every
expected figure there and in the other tests that use it is worked out by hand from that description.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salesops_helpers.calendar.fiscal import FiscalCalendar

REPS_CSV = """\
rep_id,name,team,region,manager,hire_date,end_date
R1,Ann Lee,Enterprise,North America,Dana Wu,2024-01-08,
R2,Bob Ray,SMB,EMEA,Eve Lund,2024-03-01,2026-08-31
R3,Cy Doe,SMB,North America,Eve Lund,2025-06-02,
"""

OPPORTUNITIES_CSV = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment,lead_source,deal_type
D1,Acme,R1,2025-10-01,2025-12-10,Closed Won,20000,Enterprise,Outbound,New Business
D2,Bolt,R2,2025-12-01,2026-03-15,Closed Lost,6000,SMB,Inbound,New Business
D3,Cask,R2,2026-02-01,2026-05-20,Closed Won,8000,SMB,Inbound,New Business
D4,Dune,R1,2026-05-01,2026-07-31,Closed Won,12000,Enterprise,Partner,Expansion
D5,Echo,R2,2026-06-01,2026-08-01,Closed Won,5000,SMB,Outbound,New Business
D6,Fern,R3,2026-07-01,2026-10-01,Closed Won,4000,Mid-Market,Inbound,New Business
D7,Gale,R1,2026-08-10,2026-10-31,Closed Won,15000,Enterprise,Outbound,Expansion
D8,Hive,R3,2026-08-15,2026-10-20,Closed Lost,3000,SMB,Partner,New Business
D9,Iris,R1,2026-09-05,2026-11-01,Closed Won,9000,Enterprise,Inbound,New Business
D10,Jade,R9,2026-08-20,2026-10-15,Closed Won,2000,SMB,Partner,New Business
D11,Kite,R1,2026-06-10,2026-12-15,Proposal,30000,Enterprise,Outbound,New Business
D12,Lark,R3,2026-09-01,2027-01-20,Qualification,10000,SMB,Inbound,Expansion
D13,Moss,R3,2026-10-10,2027-02-15,Discovery,7000,Mid-Market,Partner,New Business
D14,Nook,R1,2026-07-20,2026-11-20,Closed Lost,16000,Enterprise,Outbound,New Business
"""

HISTORY_CSV = """\
opportunity_id,changed_at,stage,amount,close_date
D1,2025-10-01T09:00:00,Prospecting,20000,2025-12-31
D1,2025-12-10T10:00:00,Closed Won,20000,2025-12-10
D2,2025-12-01T09:00:00,Qualification,6000,2026-03-31
D2,2026-03-15T10:00:00,Closed Lost,6000,2026-03-15
D3,2026-02-01T09:00:00,Discovery,8000,2026-04-30
D3,2026-05-20T10:00:00,Closed Won,8000,2026-05-20
D4,2026-05-01T09:00:00,Proposal,12000,2026-07-15
D4,2026-07-31T16:00:00,Closed Won,12000,2026-07-31
D5,2026-06-01T09:00:00,Qualification,5000,2026-08-15
D5,2026-08-01T11:00:00,Closed Won,5000,2026-08-01
D6,2026-07-01T09:00:00,Discovery,4000,2026-09-30
D6,2026-10-01T12:00:00,Closed Won,4000,2026-10-01
D7,2026-08-10T09:00:00,Prospecting,15000,2026-10-31
D7,2026-10-31T17:00:00,Closed Won,15000,2026-10-31
D8,2026-08-15T09:00:00,Qualification,3000,2026-10-31
D8,2026-10-20T10:00:00,Closed Lost,3000,2026-10-20
D9,2026-09-05T09:00:00,Discovery,9000,2026-11-15
D9,2026-10-20T10:00:00,Negotiation,9000,2026-11-05
D9,2026-11-01T10:00:00,Closed Won,9000,2026-11-01
D10,2026-08-20T09:00:00,Proposal,2000,2026-10-15
D10,2026-10-15T10:00:00,Closed Won,2000,2026-10-15
D11,2026-06-10T09:00:00,Discovery,30000,2026-09-30
D11,2026-08-20T09:00:00,Negotiation,30000,2026-11-30
D11,2026-11-12T09:00:00,Proposal,30000,2026-12-15
D12,2026-09-01T09:00:00,Prospecting,4000,2026-11-30
D12,2026-11-05T09:00:00,Qualification,10000,2027-01-20
D13,2026-10-10T09:00:00,Discovery,7000,2027-02-15
D14,2026-07-20T09:00:00,Qualification,12000,2026-10-15
D14,2026-10-01T09:00:00,Proposal,16000,2026-11-30
D14,2026-11-20T10:00:00,Closed Lost,16000,2026-11-20
"""

R1_MONTHS = pd.date_range("2025-11-01", "2027-01-01", freq="MS")  # 15 months at 10000
R2_MONTHS = pd.date_range("2025-11-01", "2026-08-01", freq="MS")  # 10 months at 5000, July 2026 at 0
QUOTAS_CSV = (
    "rep_id,period_start,quota\n"
    + "".join(f"R1,{month:%Y-%m-%d},10000\n" for month in R1_MONTHS)
    + "".join(f"R2,{month:%Y-%m-%d},{0 if month.month == 7 else 5000}\n" for month in R2_MONTHS)
)

FILES = {
    "reps.csv": REPS_CSV,
    "opportunities.csv": OPPORTUNITIES_CSV,
    "opportunity_history.csv": HISTORY_CSV,
    "quotas.csv": QUOTAS_CSV,
}

CAL = FiscalCalendar(2, "end")


def write_folder(folder: Path, files: dict[str, str | None]) -> Path:
    """Write the company into folder, with files replaced (text) or left out (None) as given."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (FILES | files).items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder
