"""Benchmark: does the KPI engine keep a second copy of the data a notebook loaded? Memory before and after.

Usage (from the project root, after `make setup`):
    .venv/bin/python bench/engine_memory.py bench/out/scale/company-1000000
In a fresh process: load the folder as a notebook does (load_data with the cache; a first run fills the cache), then
compute the KPI table by team for three months (DuckDB scans the loaded frames where they are). Prints the resident
memory (RSS) after imports, after the load and after the KPI tables. Issue "Scale", point 6: no second full copy
of the data per notebook, so the KPI tables should add little next to the load.
"""

from __future__ import annotations

import os
import sys
import time


def rss_mb() -> float:
    """This process's resident memory in MB."""
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    """Load, compute, print the memory at each step."""
    folder = sys.argv[1]
    from salesops_helpers.calendar.fiscal import FiscalCalendar
    from salesops_helpers.data.loading import load_data
    from salesops_helpers.metrics import kpi_table
    from salesops_helpers.paths import DEFAULT_CONFIG

    imported = rss_mb()
    started = time.perf_counter()
    data = load_data(folder, DEFAULT_CONFIG, cache=True)
    loaded, load_s = rss_mb(), time.perf_counter() - started
    calendar = FiscalCalendar.from_config(data.config)
    started = time.perf_counter()
    for month in ("2026-08", "2026-09", "2026-10"):
        kpi_table(data, calendar.parse(month), ["team"])
    computed, compute_s = rss_mb(), time.perf_counter() - started
    print("| step | RSS (MB) | seconds |")
    print("|---|---:|---:|")
    print(f"| imports | {imported:,.0f} | |")
    print(f"| load (from the cache) | {loaded:,.0f} | {load_s:.2f} |")
    print(f"| three KPI tables by team | {computed:,.0f} | {compute_s:.2f} |")
    print(f"\nThe KPI tables added {computed - loaded:,.0f} MB to the {loaded - imported:,.0f} MB the load took.")


if __name__ == "__main__":
    main()
