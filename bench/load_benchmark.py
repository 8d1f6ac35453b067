"""Benchmark: load and validate the demo data, and demo companies of 100k and 1M opportunities as Parquet.

Usage (from the project root, after `make setup`):
    .venv/bin/python bench/load_benchmark.py                    # demo data, 100k and 1M Parquet
    .venv/bin/python bench/load_benchmark.py --sizes 100000 --csv-sizes   # only the sizes given
Each measurement runs in a fresh process, so peak memory is the load's own; the time excludes interpreter start
and imports (reported separately). Generated companies are cached in bench/out/ (git-ignored).
Targets (issue "Foundation"): demo data under 2 s; 1M opportunities as Parquet under 30 s and 4 GB peak memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def child(folder: str) -> None:
    """Load one folder in this process and print the measurements as JSON."""
    started = time.perf_counter()
    from salesops_helpers import load_config, load_data
    from salesops_helpers.paths import DEFAULT_CONFIG

    imported = time.perf_counter()
    data = load_data(folder, load_config(DEFAULT_CONFIG))
    loaded = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = {
        "opportunities": len(data.opportunities),
        "history": 0 if data.history is None else len(data.history),
        "activities": 0 if data.activities is None else len(data.activities),
    }
    print(
        json.dumps(
            {
                "import_s": imported - started,
                "load_s": loaded - imported,
                "peak_mb": peak_kb / 1024,
                "rows": rows,
                "warnings": len(data.quality.warnings),
            }
        )
    )


def measure(folder: Path, repeat: int) -> dict:
    """Median load time and largest peak memory over repeated fresh processes."""
    runs = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(folder)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(result.stdout))
    return {
        "load_s": statistics.median(r["load_s"] for r in runs),
        "import_s": statistics.median(r["import_s"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "rows": runs[0]["rows"],
    }


def generator_version() -> str:
    """A short hash of the demo generator's source, so a changed generator never reuses a stale cached company."""
    import salesops_helpers.data.demo as demo

    digest = hashlib.sha256()
    for path in sorted(Path(demo.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def company(size: int, file_format: str) -> Path:
    """A demo company of about size opportunities in file_format, generated once and cached."""
    folder = OUT / f"demo-{size}-{file_format}-{generator_version()}"
    if not (folder / f"opportunities.{file_format}").is_file():
        started = time.perf_counter()
        salesops = str(Path(sys.executable).parent / "salesops")
        command = [salesops, "demo", "--out", str(folder), "--opportunities", str(size), "--format", file_format]
        subprocess.run(command, check=True, capture_output=True)
        print(f"(generated {size:,} opportunities in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return folder


def main() -> None:
    """Run the benchmarks and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000], help="Parquet companies")
    parser.add_argument("--csv-sizes", type=int, nargs="*", default=[100_000], help="CSV companies")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from salesops_helpers.paths import DEMO_DATA

    cases = [("demo data (CSV)", DEMO_DATA)]
    cases += [(f"{n:,} opportunities (CSV)", company(n, "csv")) for n in args.csv_sizes]
    cases += [(f"{n:,} opportunities (Parquet)", company(n, "parquet")) for n in args.sizes]
    print("| data | opportunities | history rows | activities | load + validate | imports | peak memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, folder in cases:
        m = measure(folder, args.repeat)
        rows = m["rows"]
        print(
            f"| {label} | {rows['opportunities']:,} | {rows['history']:,} | {rows['activities']:,} | "
            f"{m['load_s']:.2f} s | {m['import_s']:.2f} s | {m['peak_mb']:,.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
