"""Benchmark: stage stays, funnel and time in stage (notebook 03's history work) on a 1M-opportunity company.

Usage (from the project root, after `make setup`):
    .venv/bin/python bench/process_benchmark.py                      # 1M opportunities as Parquet (generated once)
    .venv/bin/python bench/process_benchmark.py --data data/demo     # only the committed demo data (seconds)
    .venv/bin/python bench/process_benchmark.py --sizes 100000 1000000 --repeat 3
Each measurement runs in a fresh process: it loads and validates the folder (timed apart, skipping activities,
which the analyses do not read), then times
  - stays: stage_stays for every deal up to the data's last day,
  - funnel: deal_paths, then the funnel for the company, by segment, team and lead source, and by creation cohort,
  - time in stage: Kaplan-Meier and closed-only median, p75 and p90 per stage, for the company and by segment,
and reports the peak memory of the whole process (load included: the analyses run on loaded data). Generated
companies are cached in bench/out/ (git-ignored, shared with load_benchmark.py).
Target (issue 6): stays + funnel + time in stage under 20 s and 4 GB peak memory on 1M opportunities.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_benchmark import company  # the same cached demo companies as the load benchmark

TARGET_S = 20.0
TARGET_MB = 4096.0


def child(folder: str) -> None:
    """Load one folder, run the three steps, and print the measurements as JSON."""
    from salesops_helpers import load_config, load_data
    from salesops_helpers.analyses.process.funnel import cohort_funnel, deal_paths, funnel
    from salesops_helpers.analyses.process.stage_stays import stage_stays
    from salesops_helpers.analyses.process.time_in_stage import time_in_stage
    from salesops_helpers.calendar.fiscal import FiscalCalendar
    from salesops_helpers.paths import DEFAULT_CONFIG

    started = time.perf_counter()
    data = load_data(folder, load_config(DEFAULT_CONFIG), skip=("activities",))
    loaded = time.perf_counter()
    stays = stage_stays(data, data.as_of)
    stayed = time.perf_counter()
    paths = deal_paths(stays, data, FiscalCalendar.from_config(data.config))
    funnels = [funnel(paths, data)] + [funnel(paths, data, [key]) for key in ("segment", "team", "lead_source")]
    funnels.append(cohort_funnel(paths, data, data.as_of))
    funnelled = time.perf_counter()
    times = time_in_stage(stays, data.config.stage_names)
    by_segment = stays.assign(segment=paths["segment"].to_numpy()[stays["deal"].to_numpy()])
    segment_times = time_in_stage(by_segment, data.config.stage_names, ["segment"])
    timed = time.perf_counter()
    print(
        json.dumps(
            {
                "load_s": loaded - started,
                "stays_s": stayed - loaded,
                "funnel_s": funnelled - stayed,
                "time_in_stage_s": timed - funnelled,
                "total_s": timed - loaded,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "opportunities": len(data.opportunities),
                "history_rows": len(data.history),
                "stays": len(stays),
                "checks": [int(funnels[0]["deals"].iloc[0]), len(times), len(segment_times)],
            }
        )
    )


def measure(folder: Path, repeat: int) -> dict:
    """Median times and largest peak memory over repeated fresh processes."""
    runs = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(folder)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(result.stdout))
    summary = {key: statistics.median(r[key] for r in runs) for key in runs[0] if key.endswith("_s")}
    summary |= {key: runs[0][key] for key in ("opportunities", "history_rows", "stays")}
    summary["peak_mb"] = max(r["peak_mb"] for r in runs)
    return summary


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000], help="Parquet companies")
    parser.add_argument("--data", type=Path, help="benchmark this folder instead")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    cases = (
        [(str(args.data), args.data)]
        if args.data
        else [(f"{n:,} (Parquet)", company(n, "parquet")) for n in args.sizes]
    )
    print(
        "| data | opportunities | history rows | stays | load | stays | funnel | time in stage | total | peak memory "
        "| target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, folder in cases:
        m = measure(folder, args.repeat)
        verdict = "within" if m["total_s"] < TARGET_S and m["peak_mb"] < TARGET_MB else "OUTSIDE"
        print(
            f"| {label} | {m['opportunities']:,} | {m['history_rows']:,} | {m['stays']:,} | {m['load_s']:.1f} s | "
            f"{m['stays_s']:.1f} s | {m['funnel_s']:.1f} s | {m['time_in_stage_s']:.1f} s | **{m['total_s']:.1f} s** | "
            f"{m['peak_mb']:,.0f} MB | {verdict} {TARGET_S:.0f} s and {TARGET_MB / 1024:.0f} GB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
