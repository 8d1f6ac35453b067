"""Small hand-made companies for the process analyses (tests/test_process_units.py) and their summary and report:
two reps, a quota, and the deals and stage history each test needs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salesops_helpers import load_config, load_data
from salesops_helpers.data.loading import SalesData
from salesops_helpers.paths import DEFAULT_CONFIG

REPS = "rep_id,name,team\nR1,Ann Lee,Enterprise\nR2,Bob Ray,SMB\n"
QUOTAS = "rep_id,period_start,quota\nR1,2024-01-01,5000\n"

# The waterfall company, March 2024 (amounts with cents, so the balance is checked to the cent):
# A open and due in March at its start (1,000.10), raised to 1,200.35 and pushed within March: stays (+200.25)
# B due (2,000.50), won on 18 March at 1,800.25: decreased −200.25, won −1,800.25
# C due (500.05), its close date pushed to 30 April on 9 March: pushed out −500.05 (a slipped deal)
# D created on 5 March, due 25 March, open at the end: new +700.70
# E created in January due in May, its close date moved to 28 March: pulled in from later months +300.30
# F due (400.40), lost on 22 March: lost −400.40
# G created in April: outside March altogether (it makes the data run to 5 April)
# opening = 1,000.10 + 2,000.50 + 500.05 + 400.40 = 3,901.05; closing = 1,200.35 + 700.70 + 300.30 = 2,201.35
# flows = +700.70 + 300.30 − 500.05 + 200.25 − 200.25 − 1,800.25 − 400.40 = −1,699.70; 3,901.05 − 1,699.70 = 2,201.35
FLOW_OPPORTUNITIES = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment,lost_reason
A,Deal A,R1,2024-02-01,2024-03-31,Proposal,1200.35,Enterprise,
B,Deal B,R1,2024-02-01,2024-03-18,Closed Won,1800.25,Enterprise,
C,Deal C,R1,2024-02-01,2024-04-30,Discovery,500.05,Enterprise,
D,Deal D,R2,2024-03-05,2024-03-25,Prospecting,700.70,SMB,
E,Deal E,R2,2024-01-10,2024-03-28,Qualification,300.30,SMB,
F,Deal F,R2,2024-02-01,2024-03-22,Closed Lost,400.40,SMB,Price
G,Deal G,R2,2024-04-05,2024-06-01,Prospecting,100,SMB,
"""
FLOW_HISTORY = """\
opportunity_id,changed_at,stage,amount,close_date
A,2024-02-01T09:00:00,Proposal,1000.10,2024-03-15
A,2024-03-10T09:00:00,Proposal,1200.35,2024-03-31
B,2024-02-01T09:00:00,Negotiation,2000.50,2024-03-20
B,2024-03-18T09:00:00,Closed Won,1800.25,2024-03-18
C,2024-02-01T09:00:00,Discovery,500.05,2024-03-10
C,2024-03-09T09:00:00,Discovery,,2024-04-30
D,2024-03-05T09:00:00,Prospecting,700.70,2024-03-25
E,2024-01-10T09:00:00,Qualification,300.30,2024-05-15
E,2024-03-12T09:00:00,Qualification,,2024-03-28
F,2024-02-01T09:00:00,Proposal,400.40,2024-03-31
F,2024-03-22T09:00:00,Closed Lost,400.40,2024-03-22
G,2024-04-05T09:00:00,Prospecting,100,2024-06-01
"""

# Three open deals, none won or lost: D1 in Prospecting since 3 Jan, D2 Prospecting 5 Jan -> Discovery 20 Jan, D3
# created 10 Feb (the data's last day). Histories carry amounts and close dates (all due in May or June).
ALL_OPEN_OPPORTUNITIES = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment
D1,Deal one,R1,2024-01-03,2024-05-31,Prospecting,1500,Enterprise
D2,Deal two,R2,2024-01-05,2024-06-30,Discovery,900,SMB
D3,Deal three,R2,2024-02-10,2024-06-30,Prospecting,900,SMB
"""
ALL_OPEN_HISTORY = """\
opportunity_id,changed_at,stage,amount,close_date
D1,2024-01-03,Prospecting,1500,2024-05-31
D2,2024-01-05,Prospecting,900,2024-06-30
D2,2024-01-20,Discovery,900,2024-06-30
D3,2024-02-10,Prospecting,900,2024-06-30
"""


def load_company(folder: Path, opportunities: str, history: str) -> SalesData:
    """Write a company of two reps with the given deals and history into folder and load it."""
    folder.mkdir(parents=True)
    files = {"reps.csv": REPS, "quotas.csv": QUOTAS, "opportunities.csv": opportunities}
    files["opportunity_history.csv"] = history
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_data(folder, load_config(DEFAULT_CONFIG))


def velocity_table(changes: list[float]) -> pd.DataFrame:
    """A velocity_change table by hand: open deals 10 -> 12, win rate 20% -> 25%, average deal 1000 -> 900, cycle
    50 days both months, velocity 40 -> 110 a day; each factor's part (velocity last) as given."""
    return pd.DataFrame(
        {
            "factor": [
                "Deals open at the period's start",
                "Win rate",
                "Average deal size",
                "Sales cycle (median days)",
                "Sales velocity",
            ],
            "unit": ["count", "share", "currency", "days", "currency_per_day"],
            "previous": [10, 0.2, 1000, 50, 40],
            "current": [12, 0.25, 900, 50, 110],
            "velocity_change": changes,
        }
    )
