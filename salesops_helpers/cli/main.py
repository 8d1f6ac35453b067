"""The `salesops` command line: a thin face over the functions the notebooks call."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from salesops_helpers.config import ConfigError, load_config, unreachable_targets
from salesops_helpers.data.model import TABLES
from salesops_helpers.data.quality import DataValidationError
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA, GLOSSARY, NOTEBOOKS, REPORTS

if TYPE_CHECKING:
    from salesops_helpers.data.loading import SalesData

# 2 is argparse's own code for a mistyped command; `salesops run` also uses it for a period or notebook name that
# does not exist. 4: some reports failed (the others rendered). 5: another run holds the reports folder. 130: Ctrl-C.
EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL, EXIT_REPORTS_FAILED, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5, 130


def _fmt_day(value: object) -> str:
    """A timestamp as YYYY-MM-DD, or a dash when there is none."""
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) and pd.notna(value) else "-"


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a data folder, print a short summary and the data-quality log, and end with the verdict."""
    from salesops_helpers.data.loading import load_data

    config = load_config(args.config)
    data = load_data(args.data, config, mapping=args.mapping)
    refused = args.strict and bool(data.quality.warnings)
    for key in unreachable_targets(config):
        print(f"NOTE: {key} needs quotas, but quotas.source is none: the reports will show it as not measurable.")
    try:
        _print_check(config.company.name, data, refused)
    except BrokenPipeError:
        _silence_stdout()
    return EXIT_DATA if refused else EXIT_OK


def _spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet will not run as a formula: a leading =, +, -, @, tab or carriage return gets a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


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
        f"salesops run reports on {period.title} by default: the data ends on {_fmt_day(as_of)}, "
        f"{(latest.end - as_of.normalize()).days} days before {latest.title} ends "
        f"(add --period {latest.label} to report on it as far as the data goes)."
    )


def _silence_stdout() -> None:
    """The reader of our output went away (as with `| head`): send the rest nowhere, so the exit stays quiet."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit, so the final flush is silent


def _print_check(company: str, data: SalesData, refused: bool) -> None:
    """What `salesops check` prints: tables, unavailable analyses, the data-quality log and the verdict."""
    warnings, infos = data.quality.warnings, [p for p in data.quality.problems if p.severity == "info"]
    print(f"{company}: data in {data.database or data.folder}, as of {_fmt_day(data.as_of)}.")
    print(default_period_note(data.opportunities["created_date"].min(), data.as_of))
    summary = data.summary()
    for row in summary.itertuples(index=False):
        span = f"{_fmt_day(row[3])} to {_fmt_day(row[4])}" if row.rows else ""
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


def cmd_demo(args: argparse.Namespace) -> int:
    """Write a demo company to a folder."""
    from salesops_helpers.data.demo import write_demo_company

    written = write_demo_company(
        Path(args.out), seed=args.seed, opportunities=args.opportunities, file_format=args.format
    )
    print(f"Demo company written to {args.out}: " + ", ".join(f"{p.name}" for p in written))
    return EXIT_OK


def _reports(count: int) -> str:
    """'1 report', '2 reports'."""
    return "1 report" if count == 1 else f"{count} reports"


def _interrupt(signum: int, frame: object) -> None:
    """Turn a termination signal into KeyboardInterrupt, so the run removes its staging folder and kernels."""
    raise KeyboardInterrupt


def cmd_run(args: argparse.Namespace) -> int:
    """Render every report notebook for a period to HTML, with an index and a manifest; exit 4 if any failed."""
    from salesops_helpers.batch.notebooks import NotebookError, find_notebooks, select_notebooks
    from salesops_helpers.batch.progress import Progress
    from salesops_helpers.batch.runner import BatchBusyError, BatchRequest, run_batch
    from salesops_helpers.calendar.periods import parse_period, resolve_period
    from salesops_helpers.data.loading import load_data
    from salesops_helpers.errors import PeriodError

    notebooks_dir = Path(args.notebooks)
    try:
        if args.period:
            parse_period(args.period)
        notebooks = select_notebooks(find_notebooks(notebooks_dir), args.only)
    except (NotebookError, PeriodError) as exc:
        print(f"salesops run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not notebooks:
        print(f"salesops run: no report notebooks (such as 00_data_health.py) in {notebooks_dir}", file=sys.stderr)
        return EXIT_USAGE
    data_dir, config_path = Path(args.data).resolve(), Path(args.config).resolve()
    if not data_dir.is_dir() and not args.mapping:
        print(f"salesops run: the data folder {args.data} does not exist", file=sys.stderr)
        return EXIT_DATA
    config = load_config(config_path)
    mapping_path = Path(args.mapping).resolve() if args.mapping else None
    data = load_data(data_dir, config, mapping=mapping_path)
    try:
        period = resolve_period(args.period, data.opportunities["created_date"].min(), data.as_of)
    except PeriodError as exc:
        print(f"salesops run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(steps=False if args.quiet else None)
    if period.end > data.as_of:
        progress.warn(
            f"Note: the data ends on {_fmt_day(data.as_of)}, before the end of {period.title}: "
            "its figures cover the month only up to that day."
        )
    request = BatchRequest(
        notebooks=notebooks,
        period=period.label,
        period_title=period.title,
        company=config.company.name,
        parameters={
            "period": period.label,
            "data_dir": str(data_dir),
            "config_path": str(config_path),
            "interactive": False,
        }
        | ({"mapping_path": str(mapping_path)} if mapping_path else {}),
        inputs=sorted(set(data.files.values())) + ([mapping_path] if mapping_path else []),
        config_path=config_path,
        out_root=Path(args.out).resolve(),
        data_as_of=_fmt_day(data.as_of),
        cell_timeout=args.cell_timeout,
        jobs=args.jobs,
        extra={
            "data_warnings": len(data.quality.warnings),
            "options": {"only": args.only, "cell_timeout_s": args.cell_timeout, "jobs": args.jobs},
        },
    )
    progress.say(f"Rendering {_reports(len(notebooks))} for {period.title} into {request.out_root / period.label}")
    signal.signal(signal.SIGTERM, _interrupt)  # `timeout` or a scheduler stopping the run cleans up like Ctrl-C
    try:
        result = run_batch(request, progress)
    except BatchBusyError as exc:
        print(f"salesops run: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except KeyboardInterrupt:
        print("salesops run: interrupted; the reports folder is as it was before this run", file=sys.stderr)
        return EXIT_INTERRUPTED
    index = result.period_dir / "index.html"
    if result.failed:
        names = ", ".join(run.name for run in result.failed)
        print(f"{len(result.failed)} of {len(result.runs)} reports failed ({names}); see {index}", file=sys.stderr)
        return EXIT_REPORTS_FAILED
    # also under cron: the one line that says which month the run reported on
    print(f"{_reports(len(result.runs))} for {period.title} rendered: {index}", flush=True)
    return EXIT_OK


def cmd_kpis(args: argparse.Namespace) -> int:
    """Print the KPI table for a period and grouping as a table, CSV or JSON."""
    from salesops_helpers.calendar.fiscal import FiscalCalendar
    from salesops_helpers.calendar.periods import last_complete_month
    from salesops_helpers.data.loading import load_data
    from salesops_helpers.errors import PeriodError
    from salesops_helpers.metrics.table import MetricError, kpi_table

    config = load_config(args.config)
    calendar = FiscalCalendar.from_config(config)
    try:
        period = calendar.parse(args.period) if args.period else None
    except PeriodError as exc:
        print(f"salesops kpis: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # no KPI reads activities
    data = load_data(args.data, config, skip=("activities",), cache=True, mapping=args.mapping)
    first, last = data.opportunities["created_date"].min(), data.as_of
    if period is None:
        period = calendar.month(last_complete_month(last).start)
    if period.start > last or period.end < first:
        print(
            f"salesops kpis: period {period.label} ({_fmt_day(period.start)} to {_fmt_day(period.end)}) is outside "
            f"the data, which runs from {_fmt_day(first)} to {_fmt_day(last)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        table = kpi_table(data, period, args.by, args.metrics)
    except MetricError as exc:
        print(f"salesops kpis: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _print_kpis(table, args.format, config.company.reporting_currency, period.end > last)
    return EXIT_OK


def _print_kpis(table: object, form: str, currency: str, incomplete: bool) -> None:
    """Write a KpiTable to stdout in the chosen format."""
    import json
    import math

    from salesops_helpers.metrics.catalogue import METRICS_BY_KEY

    values: pd.DataFrame = table.values  # type: ignore[attr-defined]
    counts = [key for key in values.columns if key in METRICS_BY_KEY and METRICS_BY_KEY[key].unit == "count"]
    values = values.astype({key: "Int64" for key in counts})
    if form == "csv":
        text_columns = [c for c in values.columns if c not in METRICS_BY_KEY]
        values[text_columns] = values[text_columns].apply(lambda column: column.map(_spreadsheet_safe))
        values.to_csv(sys.stdout, index=False)
        return
    if form == "json":
        rows = [
            {k: (None if v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v) for k, v in row.items()}
            for row in values.to_dict(orient="records")
        ]
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return
    shown = table.formatted(currency)  # type: ignore[attr-defined]
    period = table.period  # type: ignore[attr-defined]
    note = " (the data does not cover the whole period)" if incomplete else ""
    print(f"KPIs for {period.label}, {_fmt_day(period.start)} to {_fmt_day(period.end)}{note}")
    if table.group_columns:  # type: ignore[attr-defined]
        print(shown.to_string(index=False))
    else:
        print(shown.T.set_axis([period.label], axis=1).rename_axis("kpi").to_string())
    missing = table.missing  # type: ignore[attr-defined]
    for metric, reason in missing.groupby("metric", sort=False)["reason"].first().items():
        count = int((missing["metric"] == metric).sum())
        print(f"{metric} is missing for {count} row(s): {reason}")


def cmd_glossary(args: argparse.Namespace) -> int:
    """Print the metric glossary, or write it to docs/metrics.md."""
    from salesops_helpers.analyses.glossary import full_glossary

    text = full_glossary()
    if args.write:
        GLOSSARY.write_text(text, encoding="utf-8")
        print(f"Glossary written to {GLOSSARY}")
    else:
        print(text, end="")
    return EXIT_OK


def _non_negative(text: str) -> int:
    """An argparse type for whole numbers of at least 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


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
    check.add_argument("--mapping", help="mapping YAML that reads a CRM export in --data (see docs/mappings.md)")
    check.add_argument("--strict", action="store_true", help="exit 1 when the data has warnings, not only errors")
    check.set_defaults(func=cmd_check)

    run = sub.add_parser("run", help="render the report notebooks for a period to HTML (the monthly batch)")
    run.add_argument("--period", help="the month to report on, YYYY-MM (default: the last complete month in the data)")
    run.add_argument("--data", default=str(DEMO_DATA), help="data folder (default: the demo company)")
    run.add_argument("--config", default=str(DEFAULT_CONFIG), help="workbook configuration YAML")
    run.add_argument("--mapping", help="mapping YAML that reads a CRM export in --data (see docs/mappings.md)")
    run.add_argument("--out", default=str(REPORTS), help="reports folder (default: reports/)")
    run.add_argument("--only", nargs="+", metavar="NAME", help="run only these notebooks (name, short name or number)")
    run.add_argument("--notebooks", default=str(NOTEBOOKS), help="folder of report notebooks (default: notebooks/)")
    run.add_argument("--quiet", action="store_true", help="one line per notebook and the errors, as under cron")
    run.add_argument(
        "--cell-timeout", type=_positive, default=600, help="seconds any one cell may run before it fails (600)"
    )
    run.add_argument("--jobs", type=_positive, default=1, help="notebooks run side by side (default 1)")
    run.set_defaults(func=cmd_run)

    kpis = sub.add_parser("kpis", help="print the KPI table for a period and grouping")
    kpis.add_argument(
        "--period", help="2026-10, FY2027 Q3, FY2027 or TTM 2026-10 (default: the last complete month in the data)"
    )
    kpis.add_argument("--by", nargs="+", default=[], metavar="GROUP", help="team, region, manager, rep, segment, ...")
    kpis.add_argument("--metrics", nargs="+", metavar="KEY", help="only these KPIs (keys as in docs/metrics.md)")
    kpis.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    kpis.add_argument("--data", default=str(DEMO_DATA), help="data folder (default: the demo company)")
    kpis.add_argument("--config", default=str(DEFAULT_CONFIG), help="workbook configuration YAML")
    kpis.add_argument("--mapping", help="mapping YAML that reads a CRM export in --data (see docs/mappings.md)")
    kpis.set_defaults(func=cmd_kpis)

    glossary = sub.add_parser("glossary", help="print the metric glossary (or --write it to docs/metrics.md)")
    glossary.add_argument("--write", action="store_true", help="write docs/metrics.md")
    glossary.set_defaults(func=cmd_glossary)

    demo = sub.add_parser("demo", help="write a demo company of a given size")
    demo.add_argument("--out", required=True, help="folder to write into (created if needed)")
    demo.add_argument(
        "--seed", type=_non_negative, default=42, help="random seed (default 42: the committed demo data)"
    )
    demo.add_argument(
        "--opportunities",
        type=_positive,
        default=None,
        help="about how many opportunities (default: the committed demo size)",
    )
    demo.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format")
    demo.set_defaults(func=cmd_demo)

    from salesops_helpers.cli.backtest import add_backtest_parser

    add_backtest_parser(sub)
    from salesops_helpers.cli.cache import add_cache_parser

    add_cache_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 unusable data or configuration, 2 usage, 3 a bug)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        _silence_stdout()
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
