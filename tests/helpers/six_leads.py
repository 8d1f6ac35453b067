"""The six-deal company with eight leads and three campaigns, every lead KPI worked out by hand in
tests/test_lead_metrics.py (the six deals: tests/helpers/six_deals.py).

L1 Paid Search -> O1 (won 1000); L2 Paid Search, MQL only; L3 Webinar -> O2 (lost 2500.5); L4 Outbound, a lead only;
L5 campaign Q1 Search without source -> O3 (open 3000), no converted date; L6 Webinar MQL, disqualified, never
touched; L7 no source -> O5 (won 12000), linked only by O5's lead_id; L8 Partner without owner.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import six_deals

LEADS_CSV = """\
lead_id,created_at,source,campaign,owner_id,status,mql_date,sql_date,converted_date,opportunity_id,disqualified_reason
L1,2024-01-02T09:00:00,Paid Search,Q1 Search,R1,Converted,2024-01-03,2024-01-04,2024-01-05,O1,
L2,2024-01-03T10:00:00,Paid Search,Q1 Search,R1,Working,2024-01-04,,,,
L3,2024-01-08T12:00:00,Webinar,Jan Webinar,R1,Converted,2024-01-08,2024-01-09,2024-01-10,O2,
L4,2024-01-20T08:00:00,Outbound,,R2,Open,,,,,
L5,2024-02-01T09:00:00,,Q1 Search,R2,Converted,2024-02-01,2024-02-01,,O3,
L6,2024-02-10T09:00:00,Webinar,Jan Webinar,R3,Disqualified,2024-02-12,,,,No budget
L7,2024-03-01T09:00:00,,,R3,Converted,,,,,
L8,2024-03-05T09:00:00,Partner,,,Open,,,,,
"""

CAMPAIGNS_CSV = """\
campaign,channel,start_date,end_date,cost
Q1 Search,Paid Search,2024-01-01,2024-03-31,3000
Jan Webinar,Webinar,2024-01-15,2024-01-15,1200
Feb Webinar,Webinar,2024-02-20,2024-02-20,
"""

OPPORTUNITIES_CSV = six_deals.OPPORTUNITIES_CSV.replace(",segment\n", ",segment,lead_id\n", 1)
OPPORTUNITIES_CSV = (
    "\n".join(
        line + (",L7" if line.startswith("O5,") else "," if line.startswith("O") else "")
        for line in OPPORTUNITIES_CSV.splitlines()
    )
    + "\n"
)

ACTIVITIES_CSV = """\
activity_id,rep_id,occurred_at,type,opportunity_id,lead_id
A1,R1,2024-01-06T10:00:00,Call,O1,
A2,R2,2024-02-02T11:30:00,Email,O3,
A3,R3,2024-03-02T15:00:00,Meeting,,
A4,R1,2024-01-02T10:30:00,Call,,L1
A5,R1,2024-01-03T22:00:00,Email,,L2
A6,R1,2024-01-08T12:30:00,Call,,L3
A7,R2,2024-02-02T09:00:00,Call,,L5
A8,R1,2024-01-02T11:00:00,Email,,L1
"""

FILES = six_deals.VALID_FILES | {
    "opportunities.csv": OPPORTUNITIES_CSV,
    "activities.csv": ACTIVITIES_CSV,
    "leads.csv": LEADS_CSV,
    "campaigns.csv": CAMPAIGNS_CSV,
}


def write_folder(folder: Path) -> Path:
    """Write the six-lead company into folder."""
    return six_deals.write_folder(folder, FILES)
