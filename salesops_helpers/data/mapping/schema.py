"""The mapping file: how an export's files, columns and values become the canonical tables (docs/mappings.md)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel as _Base
from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from salesops_helpers.config import ConfigError, DataFormat, describe_errors, read_yaml
from salesops_helpers.data.mapping.derived import Override
from salesops_helpers.data.model import TABLES_BY_NAME

TableName = Literal["opportunities", "opportunity_history", "reps", "quotas", "activities", "leads", "campaigns"]


class _Strict(_Base):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileFormat(_Strict):
    """How the export's files are written: separator, decimal mark, thousands separator, dates and encoding."""

    separator: Literal[",", ";", "\t", "|"] | None = None  # None: found from the header line
    decimal: Literal[".", ","] = "."
    thousands: Literal[",", ".", " ", "'", ""] | None = None  # None: the other of "," and "."
    date_format: str = "ISO"
    encoding: str = "utf-8"
    # Salesforce report exports end with a blank line and a few one-value lines (report name, copyright, ...)
    report_footer: bool = False

    @model_validator(mode="after")
    def _marks_differ(self) -> FileFormat:
        if self.thousands is not None and self.thousands == self.decimal:
            raise ValueError("decimal and thousands must differ")
        # the same checks as the configuration's data section
        DataFormat(date_format=self.date_format, encoding=self.encoding)
        return self

    @property
    def thousands_mark(self) -> str:
        """The thousands separator in effect."""
        if self.thousands is not None:
            return self.thousands
        return "," if self.decimal == "." else "."


# source.since as a number of months back from the run's month ("36 months")
SINCE_MONTHS = re.compile(r"^\s*(\d+)\s+months?\s*$", re.IGNORECASE)


class SqlSource(_Strict):
    """A database the tables are read from: a SQLAlchemy URL; ${NAME} in it is the environment variable NAME."""

    url: str
    # the time window a load reads (data/window.py): a first day (2023-01-01) or months back ("36 months")
    since: str | None = None

    @field_validator("since")
    @classmethod
    def _a_day_or_months(cls, value: str | None) -> str | None:
        if value is None:
            return value
        found = SINCE_MONTHS.match(value)
        if found:
            if int(found.group(1)) < 1:
                raise ValueError("the window needs at least 1 month")
            return value
        if not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
            raise ValueError(f"'{value}' is neither a first day (2023-01-01) nor a number of months ('36 months')")
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a day of the calendar") from None
        return value


class Lookup(_Strict):
    """Columns taken from another file of the export through a key, as a spreadsheet's lookup would: each row's
    `key` value is found in the other file's `match` column, and that row's columns are added under new labels."""

    file: str  # a file name or glob pattern inside the data folder (UserRole.csv, Account.csv)
    key: str  # the column of this table's file that holds the key (UserRoleId, AccountId)
    match: str = "Id"  # the other file's column the key is found in
    take: dict[str, str]  # the other file's column: the label it gets in this table (Name: Role Name)
    # the export may lack the other file or the key column (the taken labels are then absent, and a column that
    # names one is left out), and a key may find no match (an info line, not a warning): Lead to CampaignMember
    optional: bool = False
    # of several rows with the same match value, the one with the earliest date in this column (a lead's first
    # campaign membership by CreatedDate); without it, the first row in the file, with a warning
    earliest: str | None = None

    @field_validator("take")
    @classmethod
    def _takes_something(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("name at least one column to take, as {Name: Role Name}")
        return value


# Stand-ins for a deal's created date found from the deal's other records (where the export has no date at all, as
# some CRMs leave deals still in their first stage): the name a mapping uses, and what it stands for.
RECORD_STAND_INS = {
    "first_history": "the deal's earliest history row",
    "first_date": "the earliest date the export has for the deal (history, last change, close if won or lost)",
}


class TableMapping(_Strict):
    """Where one canonical table comes from, and how its columns and values translate."""

    file: str | None = None  # a file name or glob pattern inside the data folder
    table: str | None = None  # with a SQL source: a table (schema.table allowed) ...
    query: str | None = None  # ... or a query whose result is the table
    # with a database source: the column that orders rows of one deal and moment (an id that grows, a sync
    # sequence); files keep their own row order, a database has none
    order: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)  # canonical column: the export's column label
    # canonical column: export column labels whose values are joined with a space (name: [FirstName, LastName])
    joined: dict[str, list[str]] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)  # canonical column: {export value: our value}
    stand_ins: dict[str, str] = Field(default_factory=dict)  # canonical column: column whose value stands in
    constants: dict[str, str] = Field(default_factory=dict)  # canonical column: one value for every row
    # export column label: the values a row must hold to be kept (others are left out), e.g. IsDeleted: ["false"]
    keep_rows: dict[str, list[str]] = Field(default_factory=dict)
    lookups: list[Lookup] = Field(default_factory=list)  # columns from other files of the export, through a key
    # canonical column: export labels, the first with a value on each row (close_date: [Actual Close Date, ...])
    first_of: dict[str, list[str]] = Field(default_factory=dict)
    overrides: dict[str, Override] = Field(default_factory=dict)  # canonical column: a status that replaces it
    # canonical column: the mark between several values in one cell (HubSpot's "Associated Deal": 9001;9002);
    # the first value listed is taken
    split: dict[str, str] = Field(default_factory=dict)
    # canonical columns of `columns` whose label some exports of this kind lack (a single-currency Salesforce org's
    # Opportunity has no CurrencyIsoCode): left out with a note when the file lacks the label, instead of an error
    optional_columns: list[str] = Field(default_factory=list)
    from_owners: bool = False  # reps only: one rep per distinct deal owner of the opportunities file
    from_stage_dates: str | None = None  # history only: regex over the opportunities file's column labels

    @field_validator("from_stage_dates")
    @classmethod
    def _pattern_names_the_stage(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            pattern = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        if "stage" not in pattern.groupindex:
            raise ValueError("the pattern needs a named group (?P<stage>...) that captures the stage label")
        return value

    @field_validator("split")
    @classmethod
    def _marks_are_text(cls, value: dict[str, str]) -> dict[str, str]:
        for column, mark in value.items():
            if not mark:
                raise ValueError(f"{column}: name the mark between the values, such as ';'")
        return value


class ExchangeRates(_Strict):
    """The CRM's own exchange rates, read from the export (Salesforce's CurrencyType or DatedConversionRate).

    convention "per_corporate" (Salesforce's): `rate` units of the currency buy one unit of the corporate currency;
    "in_reporting" (the workbook's rates file): one unit of the currency is worth `rate` units of the reporting one.
    """

    file: str | list[str]  # a file name or pattern, or several: the first the export has is read
    currency: str = "IsoCode"
    rate: str = "ConversionRate"
    # the column of the day each rate starts (StartDate); without it, or when the file has no such column, each
    # currency has one rate for all time (as in CurrencyType)
    start: str | None = None
    convention: Literal["per_corporate", "in_reporting"] = "per_corporate"
    keep_rows: dict[str, list[str]] = Field(default_factory=dict)  # such as IsActive: ["true", "1"]

    @property
    def files(self) -> list[str]:
        """The file names or patterns to look for, in order."""
        return [self.file] if isinstance(self.file, str) else list(self.file)


class Mapping(_Strict):
    """A whole mapping: its name, the files' format, how owners are named, and one entry per table."""

    name: str
    description: str = ""
    format: FileFormat = Field(default_factory=FileFormat)
    owners: Literal["id", "name"] = "id"  # "name": owner and rep columns hold names, matched to reps.name
    source: SqlSource | None = None  # a database instead of files in the data folder
    exchange_rates: ExchangeRates | None = None  # the CRM's rates; they replace company.exchange_rates
    tables: dict[TableName, TableMapping]

    @model_validator(mode="after")
    def _known_columns(self) -> Mapping:
        problems = []
        for name, table in self.tables.items():
            known = TABLES_BY_NAME[name].column_names
            for part in ("columns", "joined", "values", "stand_ins", "constants", "first_of", "overrides", "split"):
                for column in getattr(table, part):
                    if column not in known:
                        problems.append(f"tables.{name}.{part}.{column}: not a column of {name} ({', '.join(known)})")
            for column, source in table.stand_ins.items():
                if source in RECORD_STAND_INS and (name, column) != ("opportunities", "created_date"):
                    problems.append(f"tables.{name}.stand_ins.{column}: {source} stands in for created_date only")
                elif source not in known and source not in RECORD_STAND_INS:
                    rules = ", ".join(RECORD_STAND_INS)
                    problems.append(
                        f"tables.{name}.stand_ins.{column}: {source} is not a column of {name} (nor {rules})"
                    )
            required = TABLES_BY_NAME[name].required_columns
            for column in table.optional_columns:
                if column not in table.columns:
                    problems.append(f"tables.{name}.optional_columns.{column}: list only columns named in columns")
                elif column in required:
                    problems.append(f"tables.{name}.optional_columns.{column}: {name} cannot do without {column}")
            if table.from_owners and name != "reps":
                problems.append(f"tables.{name}.from_owners: only the reps table can come from the deal owners")
            if table.from_stage_dates and name != "opportunity_history":
                problems.append(f"tables.{name}.from_stage_dates: only the history can come from stage dates")
            made = table.from_owners or table.from_stage_dates
            if made and (table.first_of or table.overrides):
                problems.append(f"tables.{name}: first_of and overrides are for a table read from the export")
            for column in (column for column, labels in table.first_of.items() if not labels):
                problems.append(f"tables.{name}.first_of.{column}: name at least one column")
            if table.lookups and (made or self.source is not None):
                where = "a table made from the deals" if made else "a database source (join in its query instead)"
                problems.append(f"tables.{name}.lookups: not available for {where}")
            if self.source is None and not (table.file or made):
                problems.append(f"tables.{name}: needs a file (or from_owners / from_stage_dates)")
            if self.source is None and table.order:
                problems.append(f"tables.{name}.order: only for a database source (files keep their row order)")
            if self.source is None and (table.table or table.query):
                problems.append(f"tables.{name}: table and query need a source.url (a database)")
            if self.source is not None and not made and bool(table.table) == bool(table.query):
                problems.append(f"tables.{name}: with a database source, give either table or query")
        if "opportunities" not in self.tables:
            problems.append("tables.opportunities: required (the deals)")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a mapping file; a ConfigError names the file and each problem's key path."""
    raw = read_yaml(path, "mapping")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys (name, format, owners, tables), got {raw!r}")
    try:
        return Mapping.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc, str(path), "docs/mappings.md")) from None
