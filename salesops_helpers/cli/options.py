"""What the commands share: exit codes, the data options, argument types and small output helpers."""

from __future__ import annotations

import argparse
import os
import sys

import pandas as pd

from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

# 2 is argparse's own code for a mistyped command; `salesops run` also uses it for a period or notebook name that
# does not exist. 4: some reports failed (the others rendered). 5: another run holds the reports folder. 130: Ctrl-C.
EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL, EXIT_REPORTS_FAILED, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5, 130


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that reads data: --data, --config and --mapping, defined once."""
    parser.add_argument("--data", default=str(DEMO_DATA), help="data folder (default: the demo company)")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="workbook configuration YAML")
    parser.add_argument("--mapping", help="mapping YAML that reads a CRM export in --data (see docs/mappings.md)")
    parser.add_argument(
        "--as-of",
        type=a_day,
        default="",
        metavar="YYYY-MM-DD",
        help="the day the data was taken (default: the data's own latest record; see salesops check)",
    )


def a_day(text: str) -> str:
    """An argparse type for a day written YYYY-MM-DD (kept as text, the form notebooks take it in)."""
    from salesops_helpers.data.as_of import stated_day

    if not text.strip():  # argparse passes the default through the type too
        return ""
    try:
        stated_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def non_negative(text: str) -> int:
    """An argparse type for whole numbers of at least 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def positive(text: str) -> int:
    """An argparse type for counts of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def fmt_day(value: object) -> str:
    """A timestamp as YYYY-MM-DD, or a dash when there is none."""
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) and pd.notna(value) else "-"


def silence_stdout() -> None:
    """The reader of our output went away (as with `| head`): send the rest nowhere, so the exit stays quiet."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit, so the final flush is silent


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet will not run as a formula: a leading =, +, -, @, tab or carriage return gets a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
