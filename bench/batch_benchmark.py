"""Benchmark: the monthly batch on the demo data against its floor, with the time split into its parts.

Usage (from the project root, after `make setup`):
    .venv/bin/python bench/batch_benchmark.py [--repeat 3] [--jobs 1 2]
It times, each in a fresh process and as the median of --repeat runs:
  - reports: `salesops run` on the demo data with the project's notebooks (what `make reports` runs);
  - floor:   the same runner on as many notebooks that only import the libraries the reports use.
For each it splits the notebooks' time into kernel start and overhead, cell execution and HTML export (from the
run's manifest), and it tries running notebooks side by side (--jobs). Output goes to bench/out/ (git-ignored).
Target (issue "Monthly batch"): `make reports` on the demo data under 60 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "batch"
FLOOR_NOTEBOOK = """\
# %% [markdown]
# # Floor {number}
#
# Only the imports of a report notebook: what the runner costs before any analysis.

# %% tags=["parameters"]
period = ""
data_dir = ""
config_path = ""
output_dir = ""
interactive = True

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from salesops_helpers.analyses.findings import Headline
from salesops_helpers.presentation.headlines import show_headlines
from salesops_helpers.presentation.report import open_report, say, table
"""


def floor_notebooks(count: int) -> Path:
    """A folder of `count` import-only notebooks."""
    folder = OUT / f"floor-notebooks-{count}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.py"):
        old.unlink()
    for number in range(count):
        (folder / f"{number:02d}_floor.py").write_text(FLOOR_NOTEBOOK.format(number=number), encoding="utf-8")
    return folder


def timed_run(notebooks: Path, jobs: int, out: Path) -> dict[str, float]:
    """One `salesops run` in a fresh process: wall time and the summed per-notebook time split."""
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--quiet", "--notebooks", str(notebooks)]
    command += ["--out", str(out), "--jobs", str(jobs)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"the run failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    period = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))[-1]
    manifest = json.loads((period / "manifest.json").read_text(encoding="utf-8"))
    split = {"kernel start + overhead": 0.0, "cells": 0.0, "html export": 0.0}
    for run in manifest["notebooks"]:
        split["kernel start + overhead"] += run["timings"].get("kernel_start_and_overhead", 0.0)
        split["cells"] += run["timings"].get("cells", 0.0)
        split["html export"] += run["timings"].get("html", 0.0)
    return {"wall": wall, "notebooks": len(manifest["notebooks"]), **split}


def main() -> None:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    reports = ROOT / "notebooks"
    count = len(list(reports.glob("[0-9][0-9]_*.py")))
    # The floor at the report count, and at the five reports the workbook will have, to see what side-by-side buys.
    cases = {"reports": reports, "floor": floor_notebooks(count), "floor, 5 notebooks": floor_notebooks(5)}
    rows = []
    for name, folder in cases.items():
        for jobs in args.jobs:
            runs = [
                timed_run(folder, jobs, OUT / f"reports-{name.replace(' ', '').replace(',', '-')}-{jobs}")
                for _ in range(args.repeat)
            ]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            rows.append((name, jobs, median))
    print("| run | notebooks | jobs | wall (s) | kernel start + overhead (s) | cells (s) | html export (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, jobs, m in rows:
        print(
            f"| {name} | {m['notebooks']:.0f} | {jobs} | {m['wall']:.1f} | {m['kernel start + overhead']:.1f} | "
            f"{m['cells']:.1f} | {m['html export']:.1f} |"
        )
    print("Per-notebook parts are summed over notebooks; with jobs > 1 they overlap, so they exceed the wall time.")


if __name__ == "__main__":
    main()
