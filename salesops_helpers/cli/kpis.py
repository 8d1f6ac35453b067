"""`salesops kpis`: the KPI table for a period and grouping, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import pandas as pd

from salesops_helpers.cli.options import EXIT_OK, EXIT_USAGE, add_data_options, fmt_day, spreadsheet_safe
from salesops_helpers.config import WorkbookConfig, load_config

if TYPE_CHECKING:
    from salesops_helpers.calendar.fiscal import Period
    from salesops_helpers.data.cache import StoredTables
    from salesops_helpers.data.loading import SalesData
    from salesops_helpers.data.warehouse import WarehouseTables


def add_kpis_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `salesops kpis` to the command line: print the KPI table for a period and grouping."""
    parser = sub.add_parser("kpis", help="print the KPI table for a period and grouping")
    parser.add_argument(
        "--period", help="2026-10, FY2027 Q3, FY2027 or TTM 2026-10 (default: the last complete month in the data)"
    )
    parser.add_argument("--by", nargs="+", default=[], metavar="GROUP", help="team, region, manager, rep, segment, ...")
    parser.add_argument("--metrics", nargs="+", metavar="KEY", help="only these KPIs (keys as in docs/metrics.md)")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    parser.add_argument(
        "--no-pushdown",
        action="store_true",
        help="with a database mapping, load the rows rather than compute the totals inside the database",
    )
    add_data_options(parser)
    parser.set_defaults(func=cmd_kpis)
    return parser


def cmd_kpis(args: argparse.Namespace) -> int:
    """Print the KPI table for a period and grouping as a table, CSV or JSON."""
    from salesops_helpers.calendar.fiscal import FiscalCalendar
    from salesops_helpers.calendar.periods import last_complete_month
    from salesops_helpers.data.loading import cached_tables, load_data
    from salesops_helpers.data.warehouse import NotPushed
    from salesops_helpers.errors import PeriodError
    from salesops_helpers.metrics.engine import data_span
    from salesops_helpers.metrics.table import MetricError, kpi_table

    config = load_config(args.config)
    calendar = FiscalCalendar.from_config(config)
    try:
        period = calendar.parse(args.period) if args.period else None
    except PeriodError as exc:
        print(f"salesops kpis: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if _wants_leads(args.by, args.metrics):
        return _lead_kpis(args, config, period)
    # inside the database a mapping reads from, where it can; else a load cached earlier is read by the engine from
    # its Parquet files; no deal KPI reads activities or leads
    skip = ("activities", "leads", "campaigns")
    inside = None if args.no_pushdown else _in_database(args, config)
    data: SalesData | StoredTables | WarehouseTables
    if inside is not None:
        data = inside
    else:
        data = cached_tables(args.data, config, skip, args.mapping) or load_data(
            args.data, config, skip=skip, cache=True, mapping=args.mapping
        )
        data = data.stated_as_of(args.as_of)
    try:
        first, last = data_span(data)
    except NotPushed as exc:
        print(f"salesops kpis: {exc}; loading the rows instead", file=sys.stderr)
        data = load_data(args.data, config, skip=skip, cache=True, mapping=args.mapping).stated_as_of(args.as_of)
        first, last = data_span(data)
    if period is None:
        period = calendar.month(last_complete_month(last).start)
    if period.start > last or period.end < first:
        print(
            f"salesops kpis: period {period.label} ({fmt_day(period.start)} to {fmt_day(period.end)}) is outside "
            f"the data, which runs from {fmt_day(first)} to {fmt_day(last)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        table = kpi_table(data, period, args.by, args.metrics)
    except MetricError as exc:
        print(f"salesops kpis: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NotPushed as exc:
        print(f"salesops kpis: {exc}; loading the rows instead", file=sys.stderr)
        loaded = load_data(args.data, config, skip=skip, cache=True, mapping=args.mapping).stated_as_of(args.as_of)
        table = kpi_table(loaded, period, args.by, args.metrics)
    _print_kpis(table, args.format, config.company.reporting_currency, period.end > last)
    return EXIT_OK


def _in_database(args: argparse.Namespace, config: WorkbookConfig) -> WarehouseTables | None:
    """The canonical tables inside the database the mapping reads from, or None (with the reason on stderr when
    the mapping has a database) when the rows must be loaded."""
    from salesops_helpers.data.mapping import load_mapping

    mapping = load_mapping(args.mapping) if args.mapping else None
    if mapping is None or mapping.source is None:
        return None
    from salesops_helpers.data.mapping.sql import open_reader
    from salesops_helpers.data.warehouse import NotPushed, warehouse_tables

    reader = open_reader(mapping.source.url)
    try:
        return warehouse_tables(mapping, config, reader, args.as_of)
    except NotPushed as exc:
        reader.close()
        print(f"salesops kpis: {exc}; loading the rows instead", file=sys.stderr)
        return None


def _wants_leads(by: list[str], metrics: list[str] | None) -> bool:
    """Whether the command asks for the lead funnel: grouped by a lead's source or campaign, or only lead KPIs."""
    from salesops_helpers.metrics.funnel import LEAD_METRICS_BY_KEY

    return bool({"source", "campaign"} & set(by)) or bool(metrics and set(metrics) <= set(LEAD_METRICS_BY_KEY))


def _lead_kpis(args: argparse.Namespace, config: WorkbookConfig, period: Period | None) -> int:
    """Print the lead funnel KPIs of the leads created in the period, by source, campaign, segment, team or rep."""
    from salesops_helpers import formatting
    from salesops_helpers.calendar.fiscal import FiscalCalendar
    from salesops_helpers.calendar.periods import last_complete_month
    from salesops_helpers.data.loading import load_data
    from salesops_helpers.metrics.funnel import LEAD_GROUPINGS, LEAD_METRICS_BY_KEY, lead_kpis

    unknown = [key for key in args.by if key not in LEAD_GROUPINGS]
    wrong = [key for key in args.metrics or [] if key not in LEAD_METRICS_BY_KEY]
    if unknown or wrong:
        what = f"groupings {', '.join(unknown)}" if unknown else f"KPIs {', '.join(wrong)}"
        print(
            f"salesops kpis: lead funnel KPIs cannot show {what}; groupings: {', '.join(LEAD_GROUPINGS)}; "
            f"KPIs: {', '.join(LEAD_METRICS_BY_KEY)} (docs/metrics.md)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    data = load_data(args.data, config, cache=True, mapping=args.mapping).stated_as_of(args.as_of)
    if data.leads is None:
        print("salesops kpis: the data has no leads table (docs/data-model.md, leads)", file=sys.stderr)
        return EXIT_USAGE
    if period is None:
        period = FiscalCalendar.from_config(config).month(last_complete_month(data.as_of).start)
    table = lead_kpis(data, period.start, period.end, args.by, args.metrics)
    currency = config.company.reporting_currency
    if args.format == "csv":
        table.map(spreadsheet_safe).to_csv(sys.stdout, index=False)
        return EXIT_OK
    if args.format == "json":
        table.astype(object).where(table.notna(), None).to_json(sys.stdout, orient="records", indent=2)
        print()
        return EXIT_OK
    if table.empty:
        print(f"No leads were created in {period.label} ({fmt_day(period.start)} to {fmt_day(period.end)}).")
        return EXIT_OK
    shown = table.copy()
    for key in shown.columns:
        if key in LEAD_METRICS_BY_KEY:
            shown[key] = [formatting.by_unit(v, LEAD_METRICS_BY_KEY[key].unit, currency) for v in table[key]]
    print(f"Lead funnel KPIs of the leads created in {period.label}, {fmt_day(period.start)} to {fmt_day(period.end)}")
    print(shown.to_string(index=False) if args.by else shown.T.set_axis([period.label], axis=1).to_string())
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
        values[text_columns] = values[text_columns].apply(lambda column: column.map(spreadsheet_safe))
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
    print(f"KPIs for {period.label}, {fmt_day(period.start)} to {fmt_day(period.end)}{note}")
    if table.group_columns:  # type: ignore[attr-defined]
        print(shown.to_string(index=False))
    else:
        print(shown.T.set_axis([period.label], axis=1).rename_axis("kpi").to_string())
    missing = table.missing  # type: ignore[attr-defined]
    for metric, reason in missing.groupby("metric", sort=False)["reason"].first().items():
        count = int((missing["metric"] == metric).sum())
        print(f"{metric} is missing for {count} row(s): {reason}")
