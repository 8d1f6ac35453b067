"""The CRM's own exchange rates, read through the mapping and turned into the workbook's convention.

Salesforce keeps one rate per currency in CurrencyType and, under advanced currency management, dated rates in
DatedConversionRate (StartDate up to NextStartDate). Its ConversionRate is how many units of the currency one unit
of the corporate currency buys; the workbook's rates (data/currencies.py) say what one unit of the currency is worth
in the reporting currency, the inverse.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salesops_helpers.data.mapping.apply import clean_amounts, keep_wanted_rows, read_export
from salesops_helpers.data.mapping.schema import ExchangeRates, FileFormat, TableMapping
from salesops_helpers.data.model import Column, Table
from salesops_helpers.data.quality import DataQualityLog, Problem
from salesops_helpers.data.reading import RawTable, canonical_name

EXCHANGE_RATES = Table(
    "exchange_rates",
    False,
    ("currency", "rate_date"),
    (
        Column("currency", "category", True, "ISO 4217 code."),
        Column("rate_date", "date", True, "First day the rate is in force."),
        Column("rate", "amount", True, "Units of the reporting currency one unit of the currency is worth."),
    ),
    "The exchange rates of the CRM export.",
)
# Salesforce's first dated rate starts on 0001-01-01, before the first day pandas can hold: any start before this
# day means "since always".
SINCE_ALWAYS = pd.Timestamp("1900-01-01")
MOST_EXAMPLES = 5


def _error(log: DataQualityLog, file: str, message: str, examples: pd.DataFrame | None = None) -> None:
    count = 0 if examples is None else len(examples)
    shown = pd.DataFrame() if examples is None else examples
    log.add(Problem("error", EXCHANGE_RATES.name, file, None, message, count, "", shown))


def _start_days(text: pd.Series, fmt: FileFormat) -> pd.Series:
    """Start days from their text; a year before 1900 means since always."""
    text = text.astype("string").str.strip()
    years = pd.to_numeric(text.str.extract(r"^(\d{4})-", expand=False), errors="coerce")
    text = text.where(~(years < SINCE_ALWAYS.year).fillna(False).astype(bool), SINCE_ALWAYS.strftime("%Y-%m-%d"))
    if fmt.date_format == "ISO":
        return pd.to_datetime(text.str[:10], format="%Y-%m-%d", errors="coerce")
    return pd.to_datetime(text, format=fmt.date_format, errors="coerce").dt.normalize()


def rates_file(folder: Path, spec: ExchangeRates) -> Path | None:
    """The first of the mapping's rates files the export has, or None."""
    for pattern in spec.files:
        found = sorted(p for p in folder.glob(pattern) if p.is_file())
        if found:
            return found[0]
    return None


def _cells(found: Path, spec: ExchangeRates, fmt: FileFormat, log: DataQualityLog) -> RawTable | None:
    """The rates file's cells, with the rows its keep_rows keeps."""
    cells = read_export(found, EXCHANGE_RATES, fmt, log)
    if cells is None:
        return None
    raw = RawTable(EXCHANGE_RATES, found, cells, mapped=True)
    return raw if keep_wanted_rows(raw, TableMapping(keep_rows=spec.keep_rows), log) else None


def mapped_rates(
    found: Path, spec: ExchangeRates, fmt: FileFormat, reporting: str, log: DataQualityLog
) -> pd.DataFrame | None:
    """The export's rates as the workbook's rates table (currency, rate_date, rate), or None after logging why not."""
    raw = _cells(found, spec, fmt, log)
    if raw is None:
        return None
    labels = {canonical_name(str(c)): c for c in raw.frame.columns}
    dated = spec.start is not None and canonical_name(spec.start) in labels
    wanted = {"currency": spec.currency, "rate": spec.rate} | ({"start": spec.start} if dated and spec.start else {})
    missing = [label for label in wanted.values() if canonical_name(label) not in labels]
    if missing:
        columns = ", ".join(str(c) for c in raw.frame.columns)
        where = "exchange_rates in the mapping"
        _error(log, raw.file, f"no column {', '.join(missing)} for {where} (columns found: {columns})")
        return None
    column = {key: labels[canonical_name(label)] for key, label in wanted.items()}
    frame = raw.frame
    rates = pd.DataFrame(
        {
            "currency": frame[column["currency"]].astype("string").str.strip().str.upper(),
            "rate_date": _start_days(frame[column["start"]], fmt) if dated else SINCE_ALWAYS,
            "rate": pd.to_numeric(clean_amounts(frame[column["rate"]], fmt), errors="coerce"),
        },
        index=frame.index,
    )
    bad = ~rates["currency"].str.fullmatch(r"[A-Z]{3}").fillna(False).astype(bool)
    bad |= rates["rate_date"].isna() | ~(rates["rate"] > 0)
    if bad.any():
        shown = frame.loc[bad, list(column.values())].head(MOST_EXAMPLES)
        shown.insert(0, "row", shown.index + 1)
        message = f"{int(bad.sum())} rows are not a three-letter currency code, a start day and a rate above 0"
        _error(log, raw.file, message, shown)
        return None
    if spec.convention == "per_corporate":
        rates["rate"] = 1.0 / rates["rate"]
    own = rates.loc[rates["currency"] == reporting, "rate"]
    if not own.empty and not (own - 1.0).abs().lt(1e-12).all():
        corporate = rates.loc[(rates["rate"] - 1.0).abs() < 1e-12, "currency"].unique()
        named = f"the CRM's corporate currency looks like {', '.join(corporate)}" if len(corporate) else ""
        message = (
            f"the rates of {reporting}, the reporting currency, are not 1, so they are not rates into {reporting}"
            + (f" ({named}: set company.reporting_currency to it)" if named else "")
        )
        _error(log, raw.file, message)
        return None
    kind = "dated rates" if dated else "rates"
    note = f"{len(rates):,} {kind} of {rates['currency'].nunique()} currencies read from the export"
    log.add(Problem("info", EXCHANGE_RATES.name, raw.file, None, note))
    rates = rates.drop_duplicates(["currency", "rate_date"], keep="last")
    return rates.sort_values(["currency", "rate_date"]).reset_index(drop=True)
