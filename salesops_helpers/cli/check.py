"""`salesops check`: validate a data folder and say which month `salesops run` would report on."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import pandas as pd

from salesops_helpers.cli.options import EXIT_DATA, EXIT_OK, add_data_options, fmt_day, silence_stdout
from salesops_helpers.config import load_config, unreachable_targets
from salesops_helpers.data.model import TABLES

if TYPE_CHECKING:
    from salesops_helpers.data.loading import SalesData


def add_check_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `salesops check` to the command line: validate a data folder and print a summary."""
    parser = sub.add_parser("check", help="validate a data folder and print a summary")
    add_data_options(parser)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the data has warnings, not only errors")
    parser.set_defaults(func=cmd_check)
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a data folder, print a short summary and the data-quality log, and end with the verdict."""
    from salesops_helpers.data.loading import load_data

    config = load_config(args.config)
    data = load_data(args.data, config, mapping=args.mapping).stated_as_of(args.as_of)
    refused = args.strict and bool(data.quality.warnings)
    for key in unreachable_targets(config):
        print(f"NOTE: {key} needs quotas, but quotas.source is none: the reports will show it as not measurable.")
    try:
        _print_check(config.company.name, data, refused)
    except BrokenPipeError:
        silence_stdout()
    return EXIT_DATA if refused else EXIT_OK


def default_period_note(first_day: pd.Timestamp, as_of: pd.Timestamp) -> str:
    """Which month `salesops run` reports on without --period, and why."""
    from salesops_helpers.calendar.periods import month_of, resolve_period
    from salesops_helpers.errors import PeriodError

    try:
        period = resolve_period(None, first_day, as_of)
    except PeriodError as exc:
        return f"salesops run needs --period: {exc}."
    latest = month_of(as_of)
    if period.label == latest.label:
        return f"salesops run reports on {period.title} by default (the last complete month in the data)."
    return (
        f"salesops run reports on {period.title} by default: the data ends on {fmt_day(as_of)}, "
        f"{(latest.end - as_of.normalize()).days} days before {latest.title} ends "
        f"(add --period {latest.label} to report on it as far as the data goes)."
    )


def as_of_reason(data: SalesData) -> str:
    """Where the data's day comes from, as `salesops check` explains it."""
    if data.stated_day is None:
        return f"{data.found_day.basis}; --as-of states another day"
    return f"{data.stated_day.basis}; the data's own latest record is {fmt_day(data.found_day.day)}"


def _print_check(company: str, data: SalesData, refused: bool) -> None:
    """What `salesops check` prints: tables, unavailable analyses, the data-quality log and the verdict."""
    warnings, infos = data.quality.warnings, [p for p in data.quality.problems if p.severity == "info"]
    print(f"{company}: data in {data.database or data.folder}, as of {fmt_day(data.as_of)} ({as_of_reason(data)}).")
    print(default_period_note(data.opportunities["created_date"].min(), data.as_of))
    summary = data.summary()
    for row in summary.itertuples(index=False):
        span = f"{fmt_day(row[3])} to {fmt_day(row[4])}" if row.rows else ""
        print(f"  {row.table:<20} {row.file:<28} {row.rows:>10,} rows  {span}")
    for mapped in data.mapped:
        print(f"Mapped {mapped.table} from {mapped.source}:")
        if mapped.mapped:
            print("  " + ", ".join(f"{column} <- '{label}'" for column, label in mapped.mapped.items()))
        if mapped.unmapped:
            print(f"  left unmapped: {', '.join(mapped.unmapped)}")
        for column, count in mapped.translated.items():
            print(f"  {count:,} {column} values translated by the mapping")
        for note in mapped.notes:
            print(f"  {note}")
    for table in TABLES:
        if table.enables and summary.set_index("table").loc[table.name, "rows"] == 0:
            print(f"Without {table.name}, these analyses are unavailable: {table.enables}.")
    if data.leads is not None:
        from salesops_helpers.analyses.health.checks import lead_funnel

        status, reason = lead_funnel(data)
        print(f"Lead funnel {status}: {reason}.")
    for problem in warnings + infos:
        print(problem.render())
    noun = "warning" if len(warnings) == 1 else "warnings"
    if refused:
        print(
            f"Not accepted: {len(warnings)} {noun} in the data-quality log, and --strict refuses warnings.",
            file=sys.stderr,
        )
    else:
        print(f"The data is usable ({len(warnings)} {noun} in the data-quality log).")
