"""Benchmark: the whole monthly batch on large demo companies, each notebook's time, peak memory and page size.

Usage (from the project root, after `make setup`):
    .venv/bin/python bench/scale_benchmark.py [--sizes 50000 200000 1000000] [--jobs 2] [--only 02 03]
For each size it writes a demo company once (`salesops demo --opportunities N --format parquet`, kept in
bench/out/scale/, git-ignored), runs `salesops run --jobs J` on it in a fresh process, and while it runs samples
every kernel's resident memory (RSS) four times a second; a kernel is told apart by the log file it holds open
(reports/<period>/logs/<notebook>.kernel.log). It prints, per size and notebook: status, seconds (from the manifest),
peak kernel RSS, the reader's page size and the analyst's notebook size, then the run's wall time.
Targets (issue "Scale: ..."): at 1M deals the batch with --jobs 2 within 5 minutes, every kernel under 4 GB and
every page under 5 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "scale"
MB = 1024 * 1024


def company(size: int) -> Path:
    """A parquet demo company of about `size` deals, written once."""
    folder = OUT / f"company-{size}"
    if not (folder / "opportunities.parquet").exists():
        command = [sys.executable, "-m", "salesops_helpers.cli", "demo", "--out", str(folder)]
        subprocess.run([*command, "--opportunities", str(size), "--format", "parquet"], check=True, cwd=ROOT)
    return folder


def kernel_notebook(process: psutil.Process) -> str | None:
    """The notebook a kernel process runs, from the log file it holds open (the batch sends the kernel's own output
    there; ipykernel keeps that file open under another descriptor), or None."""
    try:
        if "ipykernel_launcher" not in " ".join(process.cmdline()):
            return None
        for descriptor in os.listdir(f"/proc/{process.pid}/fd"):
            name = Path(os.readlink(f"/proc/{process.pid}/fd/{descriptor}")).name
            if name.endswith(".kernel.log"):
                return name.removesuffix(".kernel.log")
    except (psutil.Error, OSError):
        return None
    return None


def run_batch(data: Path, out: Path, jobs: int, only: list[str]) -> tuple[float, dict[str, int], int]:
    """One `salesops run`: wall seconds, peak RSS per notebook's kernel, and the peak RSS of the whole process tree."""
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--quiet", "--data", str(data), "--out", str(out)]
    command += ["--jobs", str(jobs)] + (["--only", *only] if only else [])
    started = time.perf_counter()
    batch = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    parent = psutil.Process(batch.pid)
    peaks: dict[str, int] = {}
    tree_peak = 0
    while batch.poll() is None:
        total = 0
        try:
            processes = [parent, *parent.children(recursive=True)]
        except psutil.Error:
            processes = []
        for process in processes:
            try:
                rss = process.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            name = kernel_notebook(process)
            if name is not None:
                peaks[name] = max(peaks.get(name, 0), rss)
        tree_peak = max(tree_peak, total)
        time.sleep(0.25)
    output = batch.stdout.read() if batch.stdout else ""
    wall = time.perf_counter() - started
    if batch.returncode not in (0, 4):  # 4: some notebooks failed; their rows say which
        sys.exit(f"the run failed ({batch.returncode}):\n{output}")
    return wall, peaks, tree_peak


def main() -> None:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000, 1_000_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=[], help="notebook numbers to run (default: all)")
    args = parser.parse_args()
    print("| deals | reps | notebook | status | seconds | peak kernel RSS (MB) | page (MB) | analyst's notebook (MB) |")
    print("|---:|---:|---|---|---:|---:|---:|---:|")
    walls = []
    for size in args.sizes:
        data = company(size)
        reps = _reps(data)
        out = OUT / f"reports-{size}"
        wall, peaks, tree_peak = run_batch(data, out, args.jobs, args.only)
        period = sorted(p for p in out.iterdir() if p.is_dir() and p.name[:2] == "20")[-1]
        manifest = json.loads((period / "manifest.json").read_text(encoding="utf-8"))
        for run in manifest["notebooks"]:
            page = period / f"{run['name']}.html"
            notebook = period / f"{run['name']}.ipynb"
            print(
                f"| {size:,} | {reps:,} | {run['name']} | {run['status']} | {run['duration_s']:.1f} | "
                f"{peaks.get(run['name'], 0) / MB:,.0f} | "
                f"{(page.stat().st_size / MB if page.exists() else 0):.2f} | "
                f"{(notebook.stat().st_size / MB if notebook.exists() else 0):.2f} |"
            )
        walls.append((size, wall, tree_peak))
    print()
    print("| deals | batch wall time (s) | peak RSS of the whole run, kernels summed (MB) |")
    print("|---:|---:|---:|")
    for size, wall, tree_peak in walls:
        print(f"| {size:,} | {wall:.1f} | {tree_peak / MB:,.0f} |")


def _reps(data: Path) -> int:
    """How many reps the company has."""
    import pyarrow.parquet as pq

    return pq.read_metadata(data / "reps.parquet").num_rows


if __name__ == "__main__":
    main()
