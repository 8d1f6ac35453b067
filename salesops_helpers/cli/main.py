"""The `salesops` command line: a thin face over the functions the notebooks call, one module a command."""

from __future__ import annotations

import argparse
import os
import sys

from salesops_helpers.cli.backtest import add_backtest_parser
from salesops_helpers.cli.cache import add_cache_parser
from salesops_helpers.cli.check import add_check_parser
from salesops_helpers.cli.demo import add_demo_parser
from salesops_helpers.cli.glossary import add_glossary_parser
from salesops_helpers.cli.kpis import add_kpis_parser
from salesops_helpers.cli.options import EXIT_DATA, EXIT_INTERNAL, EXIT_OK, silence_stdout
from salesops_helpers.cli.run import add_run_parser
from salesops_helpers.cli.score import add_score_parser
from salesops_helpers.config import ConfigError
from salesops_helpers.data.quality import DataValidationError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="salesops", description="Sales-operations workbook command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        add_check_parser,
        add_run_parser,
        add_kpis_parser,
        add_score_parser,
        add_glossary_parser,
        add_demo_parser,
        add_backtest_parser,
        add_cache_parser,
    ):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 unusable data or configuration, 2 usage, 3 a bug)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
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
