"""`salesops demo`: write a demo company of a given size, seed and file format."""

from __future__ import annotations

import argparse
from pathlib import Path

from salesops_helpers.cli.options import EXIT_OK, non_negative, positive


def add_demo_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `salesops demo` to the command line: write a demo company."""
    parser = sub.add_parser("demo", help="write a demo company of a given size")
    parser.add_argument("--out", required=True, help="folder to write into (created if needed)")
    parser.add_argument(
        "--seed", type=non_negative, default=42, help="random seed (default 42: the committed demo data)"
    )
    parser.add_argument(
        "--opportunities",
        type=positive,
        default=None,
        help="about how many opportunities (default: the committed demo size)",
    )
    parser.add_argument(
        "--reps",
        type=positive,
        default=None,
        help="about how many reps, in teams of 12 beyond the committed four (default: as the deals need)",
    )
    parser.add_argument(
        "--leads",
        type=non_negative,
        default=None,
        help="about how many leads, at least one per New Business deal (default: 2.5 per deal; 0: no lead funnel)",
    )
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format")
    parser.set_defaults(func=cmd_demo)
    return parser


def cmd_demo(args: argparse.Namespace) -> int:
    """Write a demo company to a folder."""
    from salesops_helpers.data.demo import write_demo_company

    written = write_demo_company(
        Path(args.out),
        seed=args.seed,
        opportunities=args.opportunities,
        file_format=args.format,
        reps=args.reps,
        leads=args.leads,
    )
    print(f"Demo company written to {args.out}: " + ", ".join(f"{p.name}" for p in written))
    return EXIT_OK
