"""The yardstick of `salesops kpis`: DuckDB's bare query for one month by team, as a whole process.

Usage: .venv/bin/python bench/kpis_bare_duckdb.py DATA_FOLDER [MONTH]   (Parquet files of a demo company)
It computes bookings, won and lost deals and the median sales cycle by team for the month straight from the files,
with none of the workbook's validation or rules, and prints the rows. The issue "Scale: ..." asks `salesops kpis` to
take at most 8 times as long, measured side by side:
    farm-bench -n 5 --timeout 300 -- .venv/bin/salesops kpis --data DIR --by team --period 2026-10 --format csv \\
        --vs ".venv/bin/python bench/kpis_bare_duckdb.py DIR 2026-10"
(with SALESOPS_CACHE pointing at a cache already warmed by one `salesops kpis` on DIR).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

folder, month = Path(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "2026-10")
start = f"{month}-01"
query = f"""
SELECT r.team,
       sum(o.amount) FILTER (WHERE o.stage = 'Closed Won') AS bookings,
       count(*) FILTER (WHERE o.stage = 'Closed Won') AS won_deals,
       count(*) FILTER (WHERE o.stage = 'Closed Lost') AS lost_deals,
       median(date_diff('day', o.created_date, o.close_date)) FILTER (WHERE o.stage = 'Closed Won') AS cycle_days
FROM read_parquet('{folder / "opportunities.parquet"}') o
JOIN read_parquet('{folder / "reps.parquet"}') r ON r.rep_id = o.owner_id
WHERE o.close_date >= DATE '{start}' AND o.close_date < DATE '{start}' + INTERVAL 1 MONTH
GROUP BY r.team ORDER BY r.team
"""
for row in duckdb.sql(query).fetchall():
    print(*row, sep=",")
