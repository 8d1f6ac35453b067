"""`salesops run`: the monthly batch, every report notebook of a month rendered to HTML."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from salesops_helpers.cli.options import (
    EXIT_BUSY,
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REPORTS_FAILED,
    EXIT_USAGE,
    add_data_options,
    fmt_day,
    positive,
)
from salesops_helpers.config import load_config
from salesops_helpers.formatting import plural
from salesops_helpers.paths import NOTEBOOKS, REPORTS


def add_run_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `salesops run` to the command line: render the report notebooks for a period to HTML."""
    parser = sub.add_parser("run", help="render the report notebooks for a period to HTML (the monthly batch)")
    parser.add_argument(
        "--period", help="the month to report on, YYYY-MM (default: the last complete month in the data)"
    )
    add_data_options(parser)
    parser.add_argument("--out", default=str(REPORTS), help="reports folder (default: reports/)")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="run only these notebooks (name, short name or number)"
    )
    parser.add_argument("--notebooks", default=str(NOTEBOOKS), help="folder of report notebooks (default: notebooks/)")
    parser.add_argument("--quiet", action="store_true", help="one line per notebook and the errors, as under cron")
    parser.add_argument(
        "--cell-timeout", type=positive, default=600, help="seconds any one cell may run before it fails (600)"
    )
    parser.add_argument("--jobs", type=positive, default=1, help="notebooks run side by side (default 1)")
    parser.set_defaults(func=cmd_run)
    return parser


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
    # cached: the notebooks then read the validated tables instead of each loading and checking the files again
    data = load_data(data_dir, config, cache=True, mapping=mapping_path).stated_as_of(args.as_of)
    try:
        period = resolve_period(args.period, data.opportunities["created_date"].min(), data.as_of)
    except PeriodError as exc:
        print(f"salesops run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(steps=False if args.quiet else None)
    if period.end > data.as_of:
        progress.warn(
            f"Note: the data ends on {fmt_day(data.as_of)}, before the end of {period.title}: "
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
        | ({"mapping_path": str(mapping_path)} if mapping_path else {})
        | ({"as_of": args.as_of} if args.as_of else {}),
        inputs=sorted(set(data.files.values())) + ([mapping_path] if mapping_path else []),
        config_path=config_path,
        out_root=Path(args.out).resolve(),
        data_as_of=fmt_day(data.as_of) + data.window_note,
        cell_timeout=args.cell_timeout,
        jobs=args.jobs,
        extra={
            "data_warnings": len(data.quality.warnings),
            "data_as_of_from": data.data_day.basis,
            "options": {"only": args.only, "cell_timeout_s": args.cell_timeout, "jobs": args.jobs},
        },
    )
    reports = plural(len(notebooks), "report")
    progress.say(f"Rendering {reports} for {period.title} into {request.out_root / period.label}")
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
    print(f"{plural(len(result.runs), 'report')} for {period.title} rendered: {index}", flush=True)
    return EXIT_OK
