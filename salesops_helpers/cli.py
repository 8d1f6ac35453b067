"""The `salesops` command line: a thin face over the functions the notebooks call."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from salesops_helpers.config import ConfigError, load_config
from salesops_helpers.data_model import TABLES
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from salesops_helpers.quality import DataValidationError

# 2 is argparse's own code for a mistyped command.
EXIT_OK, EXIT_DATA, EXIT_INTERNAL = 0, 1, 3


def _fmt_day(value: object) -> str:
    """A timestamp as YYYY-MM-DD, or a dash."""
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else "-"


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a data folder and print a short summary."""
    from salesops_helpers.loading import load_data

    config = load_config(args.config)
    data = load_data(args.data, config)
    print(f"{config.company.name}: data in {data.folder} is usable (as of {_fmt_day(data.as_of)}).")
    summary = data.summary()
    for row in summary.itertuples(index=False):
        span = f"{_fmt_day(row[3])} to {_fmt_day(row[4])}" if row.rows else ""
        print(f"  {row.table:<20} {row.file:<28} {row.rows:>10,} rows  {span}")
    for table in TABLES:
        if table.enables and summary.set_index("table").loc[table.name, "rows"] == 0:
            print(f"Without {table.name}, these analyses are unavailable: {table.enables}.")
    warnings, infos = data.quality.warnings, [p for p in data.quality.problems if p.severity == "info"]
    print(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in the data-quality log.")
    for problem in warnings + infos:
        print(problem.render())
    if args.strict and warnings:
        print("--strict: the data has warnings, so it is not accepted.", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Write a demo company to a folder."""
    from salesops_helpers.demo import write_demo_company

    written = write_demo_company(
        Path(args.out), seed=args.seed, opportunities=args.opportunities, file_format=args.format
    )
    print(f"Demo company written to {args.out}: " + ", ".join(f"{p.name}" for p in written))
    return EXIT_OK


def _positive(text: str) -> int:
    """An argparse type for counts of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="salesops", description="Sales-operations workbook command line.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate a data folder and print a summary")
    check.add_argument("--data", default=str(DEMO_DATA), help="data folder (default: the demo company)")
    check.add_argument("--config", default=str(DEFAULT_CONFIG), help="workbook configuration YAML")
    check.add_argument("--strict", action="store_true", help="exit 1 when the data has warnings, not only errors")
    check.set_defaults(func=cmd_check)

    demo = sub.add_parser("demo", help="write a demo company of a given size")
    demo.add_argument("--out", required=True, help="folder to write into (created if needed)")
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42: the committed demo data)")
    demo.add_argument(
        "--opportunities",
        type=_positive,
        default=None,
        help="about how many opportunities (default: the committed demo size)",
    )
    demo.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 unusable data or configuration, 2 usage, 3 a bug)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, DataValidationError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        print(f"salesops: {exc}", file=sys.stderr)
        return EXIT_DATA
    except Exception as exc:  # a bug, not a user error: one line by default, the traceback on request
        if os.environ.get("SALESOPS_DEBUG"):
            raise
        print(
            f"salesops: internal error ({type(exc).__name__}: {exc}); please report it, and run again with "
            "SALESOPS_DEBUG=1 for the details",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
