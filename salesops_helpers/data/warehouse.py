"""The canonical tables as SQL inside the database a mapping reads from, so that KPI totals run there (pushdown).

Loading reads every row into pandas and checks it; here the database does the work and only small results travel:
the distinct stage names (to translate and check them as loading does), a few counts of the rows loading would
refuse or repair, the maxima that place the data's day, and then the grouped totals. Each canonical table is one
SELECT over the mapped table or query, with loading's repairs written in SQL: amounts missing count as 0, a created
date after the close date becomes the close date, a rep without a name or team is shown by id under UNKNOWN_TEAM,
quotas fall on the first of their month, quotas and history rows of unknown reps and deals are left out.

Data that loading would refuse, or repair in ways SQL here does not (amounts in several currencies, duplicate ids,
stage names not configured), and mapping keys written for files (lookups, joined names, stand-ins) are not pushed
down: `warehouse_tables` then returns the reason, and the caller loads the rows as before.

The statements are written in DuckDB's SQL and translated to the database's dialect by sqlglot; a mapping's own
`query:` is kept verbatim, in the database's dialect.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from salesops_helpers.data.as_of import CLOSE, RECORDED, STATED, DataDay, stated_day
from salesops_helpers.data.loading import UNKNOWN_TEAM, today
from salesops_helpers.data.mapping.apply import TableSummary, _translate, rename_columns
from salesops_helpers.data.mapping.sql import identifier, in_dialect, quoted_text, source_sql
from salesops_helpers.data.model import TABLES_BY_NAME
from salesops_helpers.data.quality import DataQualityLog
from salesops_helpers.data.reading import canonical_name
from salesops_helpers.errors import SalesopsError

if TYPE_CHECKING:
    from salesops_helpers.config import WorkbookConfig
    from salesops_helpers.data.mapping.schema import Mapping, TableMapping


class Reader(Protocol):
    """What pushdown needs of a database connection (data/mapping/sql.py, data/mapping/spark.py)."""

    dialect: str
    shown: str

    def fetch(self, sql: str) -> pd.DataFrame:
        """The rows of one statement."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class NotPushed(SalesopsError):
    """Why the totals cannot run inside the database: the rows are loaded instead."""


# The mapping keys written for files, which pushdown does not translate into SQL.
_FILE_KEYS = ("joined", "stand_ins", "first_of", "overrides", "split", "lookups", "optional_columns")
# metrics/groupings.DEAL_GROUPINGS read from the database (sourced_by is worked out from lead_source here)
_DEAL_GROUPINGS = ("segment", "lead_source", "deal_type")
# The columns pushdown translates through a mapping's `values`: values on any other column mean a load.
_TRANSLATED = {
    "opportunities": {"stage", *_DEAL_GROUPINGS},
    "opportunity_history": {"stage"},
    "reps": {"name", "team", "region", "manager"},
    "quotas": set(),
}
_PLACEHOLDER = "salesops_source_{name}"


def _text(label: str) -> str:
    """The column as trimmed text, empty text missing (as loading reads a text cell)."""
    return f"NULLIF(TRIM(CAST(src.{identifier(label)} AS VARCHAR)), '')"


def _case(expression: str, translation: dict[str, str], otherwise: str = "NULL") -> str:
    """A CASE that maps each value of expression to its translation."""
    if not translation:
        return otherwise
    whens = " ".join(f"WHEN '{quoted_text(raw)}' THEN '{quoted_text(new)}'" for raw, new in translation.items())
    return f"CASE {expression} {whens} ELSE {otherwise} END"


@dataclass(frozen=True)
class WarehouseTables:
    """The canonical tables as SELECT statements inside a database, and the day the data stands on."""

    config: WorkbookConfig
    reader: Reader
    tables: dict[str, str]  # engine table name (opportunities, reps, quotas, history, stages): its SELECT
    sources: dict[str, str]  # placeholder: the mapped table or query, in the database's dialect
    data_day: DataDay
    has_history: bool

    @property
    def quotas(self) -> str | None:
        """The quotas' SELECT, or None when the data has no quotas."""
        return self.tables.get("quotas")

    @property
    def as_of(self) -> pd.Timestamp:
        """The day the data stands on (SalesData.as_of)."""
        return self.data_day.day

    @property
    def dialect(self) -> str:
        """The database's SQL dialect, as sqlglot names it."""
        return self.reader.dialect

    def stated_as_of(self, text: str) -> WarehouseTables:
        """The same tables standing on a day the analyst states (SalesData.stated_as_of)."""
        return dataclasses.replace(self, data_day=stated_day(text)) if text.strip() else self

    def fetch(self, body: str) -> pd.DataFrame:
        """The rows of a statement over the canonical tables (DuckDB's SQL, literals inlined), run in the database."""
        ctes = ", ".join(f"{name} AS ({sql})" for name, sql in self.tables.items())
        return _run(self.reader, f"WITH {ctes} {body}", self.sources)


def sql_text(statement: str, dialect: str) -> str:
    """A statement in DuckDB's SQL written in the database's dialect (sums as plain sums: DuckDB's fsum is exact)."""
    return in_dialect(re.sub(r"\bfsum\(", "sum(", statement), dialect)


def _run(reader: Reader, statement: str, sources: dict[str, str]) -> pd.DataFrame:
    """The rows of a statement, its placeholders replaced by the mapped tables and queries; NotPushed when the
    statement cannot be written in the dialect or the database refuses it (any driver's error: a load follows)."""
    import sqlglot

    try:
        text = sql_text(statement, reader.dialect)
    except sqlglot.errors.SqlglotError as exc:
        raise NotPushed(f"the totals cannot be written in {reader.dialect}'s SQL ({exc})") from None
    for placeholder, source in sources.items():
        text = text.replace(placeholder, source)
    try:
        return reader.fetch(text)
    except Exception as exc:
        detail = str(getattr(exc, "orig", None) or exc).split("\n")[0]
        raise NotPushed(f"{reader.shown} could not run the totals: {detail}") from None


def _source(spec: TableMapping, name: str, dialect: str) -> tuple[str, str]:
    """The placeholder standing for a mapped table in generated SQL, and what replaces it in the dialect."""
    return _PLACEHOLDER.format(name=name), source_sql(spec.table, spec.query, dialect)


class _Builder:
    """Writes each canonical table's SELECT from the mapping, asking the database only for small results."""

    def __init__(self, mapping: Mapping, config: WorkbookConfig, reader: Reader) -> None:
        self.mapping, self.config, self.reader = mapping, config, reader
        self.sources: dict[str, str] = {}
        self.labels: dict[str, dict[str, str]] = {}  # table: canonical column: the database's column label
        self.found: dict[str, dict[str, str]] = {}  # table: canonical form of each database label: the label
        # table: label: "moment" or "number" for the columns the database types so (no text round trip needed)
        self.typed: dict[str, dict[str, str]] = {}

    def ask(self, statement: str) -> pd.DataFrame:
        """A statement over the mapped sources, run in the database."""
        return _run(self.reader, statement, self.sources)

    def prepare(self, name: str, strict: bool = True) -> TableMapping | None:
        """The table's mapping checked for pushdown, with its columns' labels found in the database (None when the
        mapping has no such table). Not strict, only the labels are found (for a read's time window, where a column
        the SQL cannot name keeps every row)."""
        spec = self.mapping.tables.get(name)  # type: ignore[call-overload]
        if spec is None:
            return None
        used = [key for key in _FILE_KEYS if getattr(spec, key)]
        if spec.from_owners or spec.from_stage_dates:
            used.append("from_owners" if spec.from_owners else "from_stage_dates")
        if used and strict:
            raise NotPushed(f"the mapping's tables.{name} uses {', '.join(used)}, which only a load applies")
        untranslated = sorted(set(spec.values) - _TRANSLATED.get(name, set()))
        if untranslated and strict:
            raise NotPushed(f"the mapping's tables.{name}.values translates {', '.join(untranslated)}: a load does")
        placeholder, source = _source(spec, name, self.reader.dialect)
        self.sources[placeholder] = source
        probe = self.ask(f"SELECT * FROM {placeholder} AS src LIMIT 1")
        table = TABLES_BY_NAME[name]
        log, summary = DataQualityLog(), TableSummary(name, name)
        if rename_columns(probe, table, spec, name, log, summary) is None:
            raise NotPushed(f"tables.{name}: {log.problems[0].message}")
        self.labels[name] = dict(summary.mapped)
        unmapped = [c for c in table.required_columns if c not in summary.mapped and c not in spec.constants]
        if unmapped and strict:
            raise NotPushed(f"tables.{name} has no column for {', '.join(unmapped)}: a load reports it")
        self.found[name] = {canonical_name(str(c)): str(c) for c in probe.columns}
        self.typed[name] = {str(c): kind for c in probe.columns if (kind := _kind(probe[c]))}
        return spec

    def column(self, name: str, spec: TableMapping, column: str) -> str:
        """The canonical column as trimmed text (NULL when neither mapped nor a constant)."""
        if column in spec.constants:
            return f"'{quoted_text(spec.constants[column])}'"
        label = self.labels[name].get(column)
        return _text(label) if label is not None else "CAST(NULL AS VARCHAR)"

    def _as(self, name: str, spec: TableMapping, column: str, kind: str) -> str:
        """The column as it stands when the database types it as kind, else as trimmed text."""
        label = self.labels[name].get(column)
        if column not in spec.constants and label is not None and self.typed[name].get(label) == kind:
            return f"src.{identifier(label)}"
        return self.column(name, spec, column)

    def timestamp(self, name: str, spec: TableMapping, column: str, unit: str = "day") -> str:
        """The canonical date column as a timestamp truncated to the unit ("" keeps the time)."""
        moment = f"CAST({self._as(name, spec, column, 'moment')} AS TIMESTAMP)"
        return f"date_trunc('{unit}', {moment})" if unit else moment

    def amount(self, name: str, spec: TableMapping, column: str) -> str:
        """The canonical amount column as a number."""
        return f"CAST({self._as(name, spec, column, 'number')} AS DOUBLE)"

    def translated(self, name: str, spec: TableMapping, column: str, rule: dict[str, str] | None = None) -> str:
        """A text column through the mapping's values (and a rule over the result, such as the stage names), as a
        CASE over the distinct values the database holds; NotPushed names a value the rule does not know."""
        text = self.column(name, spec, column)
        table = spec.values.get(column)
        if table is None and rule is None:
            return text
        placeholder = _PLACEHOLDER.format(name=name)
        found = self.ask(f"SELECT DISTINCT {text} AS value FROM {placeholder} AS src {self.where(name, spec)}")
        raw = pd.Series([v for v in found["value"] if v is not None and not pd.isna(v)], dtype=object)
        if raw.empty:
            return text
        new = _translate(raw, table)[0] if table else raw
        if rule is not None:
            unknown = sorted({str(v) for v in new if _folded(str(v)) not in rule})
            if unknown:
                listed = ", ".join(repr(v) for v in unknown[:5])
                raise NotPushed(f"tables.{name}: {column} values not configured ({listed}); a load reports them")
            new = pd.Series([rule[_folded(str(v))] for v in new], dtype=object)
        return _case(text, {str(r): str(n) for r, n in zip(raw, new, strict=True)})

    def where(self, name: str, spec: TableMapping) -> str:
        """The WHERE clause of the mapping's keep_rows (values compared trimmed and ignoring case)."""
        conditions = []
        for label, allowed in spec.keep_rows.items():
            found = self.found[name].get(canonical_name(label))
            if found is None:
                raise NotPushed(f"tables.{name}.keep_rows: the column '{label}' is not in the database's table")
            values = ", ".join(f"'{quoted_text(str(v).strip().casefold())}'" for v in allowed)
            conditions.append(f"lower(TRIM(CAST(src.{identifier(found)} AS VARCHAR))) IN ({values})")
        return "WHERE " + " AND ".join(conditions) if conditions else ""


def _kind(values: pd.Series) -> str | None:
    """ "moment" or "number" when the database returned the column typed as dates or numbers, else None (text)."""
    import datetime

    if pd.api.types.is_datetime64_any_dtype(values) or (
        len(values) and isinstance(values.iloc[0], datetime.date)  # a date column comes back as datetime.date
    ):
        return "moment"
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return "number"
    return None


def _folded(text: str) -> str:
    """Text compared ignoring case and spacing."""
    return " ".join(text.split()).casefold()


def _opportunities(builder: _Builder, spec: TableMapping) -> str:
    """The deals: stage translated and checked, outcome from the configured stages, loading's repairs."""
    config = builder.config
    stages = {_folded(name): name for name in config.stage_names}
    stage = builder.translated("opportunities", spec, "stage", stages)
    outcome = _case("stage", config.stage_outcome())
    groups = []
    for key in _DEAL_GROUPINGS:
        groups.append(f"{builder.translated('opportunities', spec, key)} AS {key}")
    created = builder.timestamp("opportunities", spec, "created_date")
    close = builder.timestamp("opportunities", spec, "close_date")
    amount = builder.amount("opportunities", spec, "amount")
    placeholder = _PLACEHOLDER.format(name="opportunities")
    raw = (
        f"SELECT {builder.column('opportunities', spec, 'opportunity_id')} AS opportunity_id, "
        f"{builder.column('opportunities', spec, 'owner_id')} AS owner_id, {created} AS created_date, "
        f"{close} AS close_date, {stage} AS stage, {amount} AS amount, "
        f"upper({builder.column('opportunities', spec, 'currency')}) AS currency, {', '.join(groups)}, "
        f"{builder.timestamp('opportunities', spec, 'last_modified', '')} AS last_modified "
        f"FROM {placeholder} AS src {builder.where('opportunities', spec)}"
    )
    sourced = _case("lead_source", {v: config.funnel.sourced_by(v) for v in _distinct(builder, raw, "lead_source")})
    return (
        "SELECT opportunity_id, owner_id, "
        f"CASE WHEN close_date < created_date AND {outcome} <> 'open' THEN close_date ELSE created_date END "
        "AS created_date, close_date, "
        f"stage, coalesce(amount, 0) AS amount, {outcome} AS outcome, currency, segment, lead_source, deal_type, "
        f"coalesce({sourced}, 'unknown') AS sourced_by, last_modified FROM ({raw}) AS t"
    )


def _distinct(builder: _Builder, select: str, column: str) -> list[str]:
    """The distinct non-empty values of a column of a generated table."""
    found = builder.ask(f"SELECT DISTINCT {column} AS value FROM ({select}) AS t WHERE {column} IS NOT NULL")
    return sorted(str(v) for v in found["value"])


def _reps(builder: _Builder, spec: TableMapping) -> str:
    """The reps: a rep without a name is shown by id, one without a team under UNKNOWN_TEAM."""
    rep = builder.column("reps", spec, "rep_id")
    placeholder = _PLACEHOLDER.format(name="reps")
    return (
        f"SELECT {rep} AS rep_id, coalesce({builder.translated('reps', spec, 'name')}, {rep}) AS name, "
        f"coalesce({builder.translated('reps', spec, 'team')}, '{quoted_text(UNKNOWN_TEAM)}') AS team, "
        f"{builder.translated('reps', spec, 'region')} AS region, "
        f"{builder.translated('reps', spec, 'manager')} AS manager "
        f"FROM {placeholder} AS src {builder.where('reps', spec)}"
    )


def _quotas(builder: _Builder, spec: TableMapping) -> str:
    """The quotas of known reps, each on the first day of its month."""
    placeholder = _PLACEHOLDER.format(name="quotas")
    rep = builder.column("quotas", spec, "rep_id")
    return (
        f"SELECT q.rep_id, q.period_start, q.quota FROM (SELECT {rep} AS rep_id, "
        f"{builder.timestamp('quotas', spec, 'period_start', 'month')} AS period_start, "
        f"{builder.amount('quotas', spec, 'quota')} AS quota "
        f"FROM {placeholder} AS src {builder.where('quotas', spec)}) AS q "
        "WHERE q.rep_id IN (SELECT rep_id FROM reps) OR q.rep_id IS NULL"  # kept to be counted as refused
    )


def _history(builder: _Builder, spec: TableMapping, order: str | None) -> str:
    """The history rows, with the position that orders a deal's rows of one moment. Rows of deals not in the
    opportunities are left out where they are read (each statement joins the deals), not here: that semi-join
    over the whole history would cost more than the statement it serves."""
    stages = {_folded(name): name for name in builder.config.stage_names}
    placeholder = _PLACEHOLDER.format(name="opportunity_history")
    name = "opportunity_history"
    label = builder.found[name].get(canonical_name(order)) if order else None
    if order and label is None:
        raise NotPushed(f"tables.{name}.order: the column '{order}' is not in the database's table")
    position = f"src.{identifier(label)}" if label else "CAST(0 AS BIGINT)"  # as the load sorts: the raw values
    return (
        f"SELECT h.* FROM (SELECT {builder.column(name, spec, 'opportunity_id')} AS opportunity_id, "
        f"{builder.timestamp(name, spec, 'changed_at', '')} AS changed_at, "
        f"{builder.translated(name, spec, 'stage', stages)} AS stage, "
        f"{builder.amount(name, spec, 'amount')} AS amount, "
        f"{builder.timestamp(name, spec, 'close_date')} AS close_date, {position} AS row_number "
        f"FROM {placeholder} AS src {builder.where(name, spec)}) AS h"
    )


def _stages(config: WorkbookConfig) -> str:
    """The configured stages with their outcome and probability, as a statement."""
    probability = config.stage_probability()
    rows = [
        f"SELECT '{quoted_text(stage)}' AS stage, '{outcome}' AS outcome, "
        f"CAST({probability.get(stage, 'NULL')} AS DOUBLE) AS probability"
        for stage, outcome in config.stage_outcome().items()
    ]
    return " UNION ALL ".join(rows)


# Counts of the rows loading refuses or repairs in ways the SQL above does not: any of them means a load.
_REFUSED = {
    "opportunities": [
        ("count(*) - count(opportunity_id)", "deals without an opportunity_id"),
        ("count(opportunity_id) - count(DISTINCT opportunity_id)", "repeated opportunity_ids"),
        ("count(*) - count(created_date)", "deals without a created date"),
        ("sum(CASE WHEN outcome <> 'open' AND close_date IS NULL THEN 1 ELSE 0 END)", "won or lost deals undated"),
        ("count(*) - count(stage)", "deals without a stage"),
        ("sum(CASE WHEN amount < 0 THEN 1 ELSE 0 END)", "negative amounts"),
    ],
    "reps": [
        ("count(*) - count(rep_id)", "reps without a rep_id"),
        ("count(rep_id) - count(DISTINCT rep_id)", "repeated rep_ids"),
    ],
    "quotas": [
        ("count(*) - count(rep_id)", "quotas without a rep_id"),
        ("count(*) - count(period_start)", "quotas without a month"),
        ("count(*) - count(DISTINCT rep_id || '/' || CAST(period_start AS VARCHAR))", "repeated quotas of a month"),
    ],
    "history": [
        ("count(*) - count(opportunity_id)", "history rows without an opportunity_id"),
        ("count(*) - count(changed_at)", "history rows without a time"),
    ],
}


def _bound() -> str:
    """The end of today as an SQL literal: the data's own records cannot be later (data/as_of.py)."""
    return f"CAST('{(today() + pd.Timedelta(days=1)):%Y-%m-%d} 00:00:00' AS TIMESTAMP)"


def _facts(tables: WarehouseTables, name: str, extra: dict[str, str], where: str = "") -> dict[str, object]:
    """In one pass over a table: the counts of rows a load would refuse (as refused_<i>, none with where) and the
    extra aggregates."""
    checks = {} if where else {f"refused_{i}": sql for i, (sql, _) in enumerate(_REFUSED[name])}
    checks |= extra
    row = tables.fetch(f"SELECT {', '.join(f'{sql} AS {key}' for key, sql in checks.items())} FROM {name}{where}")
    return {str(key): row.iloc[0][key] for key in checks}


def _refused(name: str, facts: dict[str, object]) -> list[str]:
    """The refusal counts of a table's facts as phrases (none when every count is 0)."""
    found = []
    for i, (_, what) in enumerate(_REFUSED[name]):
        value = facts[f"refused_{i}"]
        if value is not None and not pd.isna(value) and int(value) > 0:  # type: ignore[call-overload]
            found.append(f"{int(value):,} {what}")  # type: ignore[call-overload]
    return found


def _checked(tables: WarehouseTables, has_last_modified: bool) -> tuple[WarehouseTables, dict[tuple[str, str], object]]:
    """The tables with has_history set, and the latest day of each record the data's day is found from; NotPushed
    lists what a load would refuse or repair."""
    bound = _bound()
    extra = {
        "created_latest": f"max(CASE WHEN created_date < {bound} THEN created_date END)",
        "currencies": "count(DISTINCT currency)",
        "currency": "max(currency)",
    }
    if has_last_modified:
        extra["modified_latest"] = f"max(CASE WHEN last_modified < {bound} THEN last_modified END)"
    deals = _facts(tables, "opportunities", extra)
    refused = _refused("opportunities", deals)
    latest = {("opportunities", "created_date"): deals["created_latest"]}
    if has_last_modified:
        latest[("opportunities", "last_modified")] = deals["modified_latest"]
    for name in ("reps", "quotas"):
        if name in tables.tables:
            refused += _refused(name, _facts(tables, name, {}))
    has_history = False
    if "history" in tables.tables:
        refused += _refused("history", _facts(tables, "history", {}))
        known = " WHERE opportunity_id IN (SELECT opportunity_id FROM opportunities)"
        latest_change = f"max(CASE WHEN changed_at < {bound} THEN changed_at END)"
        history = _facts(tables, "history", {"rows": "count(*)", "latest": latest_change}, known)
        has_history = int(history["rows"]) > 0  # type: ignore[call-overload]
        latest[("opportunity_history", "changed_at")] = history["latest"]
    reporting = tables.config.company.reporting_currency
    if int(deals["currencies"]) > 1 or deals["currency"] not in (None, reporting):  # type: ignore[call-overload]
        listed = tables.fetch("SELECT DISTINCT currency FROM opportunities WHERE currency IS NOT NULL")["currency"]
        foreign = ", ".join(sorted(set(listed) - {reporting}))
        refused.append(f"amounts in {foreign} (exchange rates are applied by a load)")
    if refused:
        raise NotPushed("the database's rows need a load's checks: " + "; ".join(refused))
    return dataclasses.replace(tables, has_history=has_history), latest


def _data_day(tables: WarehouseTables, has_last_modified: bool, latest: dict[tuple[str, str], object]) -> DataDay:
    """The export's day as data/as_of.found_day finds it, from maxima the database computed."""
    if not tables.has_history and not has_last_modified:
        raise NotPushed("the data records no changes (no history, no last-modified times): a load dates it")
    closed = [stage.name for stage in tables.config.stages if stage.outcome != "open"]
    listed = ", ".join(f"'{quoted_text(name)}'" for name in closed)
    unrecorded = (
        "SELECT max(close_date) AS latest FROM opportunities o "
        f"WHERE o.outcome IN ('won', 'lost') AND close_date < {_bound()}"
    )
    if has_last_modified:
        unrecorded += " AND o.last_modified IS NULL"
    if tables.has_history:
        closings = f"SELECT opportunity_id FROM history WHERE stage IN ({listed}) AND opportunity_id IS NOT NULL"
        unrecorded += f" AND o.opportunity_id NOT IN ({closings})"
    best: DataDay | None = None
    for table, column, basis in RECORDED:
        if (table, column) in latest:
            best = _later(best, latest[(table, column)], basis)
    best = _later(best, tables.fetch(unrecorded).iloc[0, 0], CLOSE)
    return best or DataDay(today(), "today (every date in the data is later)")


def _later(best: DataDay | None, value: object, basis: str) -> DataDay | None:
    """The later of best and a found maximum (the earlier candidate kept on a tie, as found_day does)."""
    if value is None or pd.isna(value):
        return best
    day = pd.Timestamp(value).normalize()
    return DataDay(day, basis) if best is None or day > best.day else best


def warehouse_tables(mapping: Mapping, config: WorkbookConfig, reader: Reader, as_of: str = "") -> WarehouseTables:
    """The canonical tables inside the mapping's database, checked as far as pushdown needs; NotPushed says why the
    rows must be loaded instead."""
    if mapping.owners == "name":
        raise NotPushed("the mapping names owners by name (owners: name), which only a load matches to reps")
    fmt = mapping.format
    if fmt.date_format != "ISO" or fmt.decimal != ".":
        raise NotPushed("the mapping's format (date_format or decimal) is for text files: a load parses them")
    import sqlglot

    try:
        sqlglot.Dialect.get_or_raise(reader.dialect)
    except ValueError:
        raise NotPushed(f"sqlglot does not know the SQL of {reader.dialect}: a load reads the rows") from None
    builder = _Builder(mapping, config, reader)
    opportunities = builder.prepare("opportunities")
    assert opportunities is not None
    reps = builder.prepare("reps")
    if reps is None:
        raise NotPushed("the mapping has no reps table (tables.reps)")
    tables = {"opportunities": _opportunities(builder, opportunities), "reps": _reps(builder, reps)}
    source = config.quotas.source
    if source == "flat":
        raise NotPushed("quotas are flat (quotas.source: flat), made by a load")
    quotas = builder.prepare("quotas") if source == "file" else None
    if source == "file" and quotas is None:
        raise NotPushed("the configuration's quotas.source is 'file' but the mapping has no quotas table")
    if quotas is not None:
        tables["quotas"] = _quotas(builder, quotas)
    history = builder.prepare("opportunity_history")
    if history is not None:
        tables["history"] = _history(builder, history, history.order)
    tables["stages"] = _stages(config)
    has_last_modified = "last_modified" in builder.labels["opportunities"]
    found = WarehouseTables(config, reader, tables, dict(builder.sources), DataDay(today(), STATED), False)
    found, latest = _checked(found, has_last_modified)
    day = stated_day(as_of) if as_of.strip() else _data_day(found, has_last_modified, latest)
    return dataclasses.replace(found, data_day=day)
