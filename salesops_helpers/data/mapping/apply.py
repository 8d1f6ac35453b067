"""Reading an export through a mapping: its files, columns and values turned into canonical raw tables.

The result is the same kind of raw table (text cells, canonical column names, rows numbered as in the file) that a
canonical data folder gives, so every check and repair of loading applies unchanged; problems name the export's file
and its column labels.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from salesops_helpers.data.mapping.derived import derive_columns
from salesops_helpers.data.mapping.lookups import apply_lookup
from salesops_helpers.data.mapping.schema import RECORD_STAND_INS, FileFormat, Lookup, Mapping, TableMapping
from salesops_helpers.data.mapping.sql import (
    EXACT_LABELS,
    SqlReader,
    clean_message,
    identifier,
    in_dialect,
    open_reader,
    source_sql,
)
from salesops_helpers.data.model import (
    OPPORTUNITIES,
    REPS,
    TABLES_BY_NAME,
    Table,
)
from salesops_helpers.data.quality import DataQualityLog, Problem
from salesops_helpers.data.reading import RawTable, canonical_name, read_csv_cells, without_blank_rows

if TYPE_CHECKING:
    from salesops_helpers.config import WorkbookConfig
    from salesops_helpers.data.mapping.spark import SparkReader
    from salesops_helpers.data.window import ReadWindow

NOT_A_NUMBER = re.compile(r"[^\d.,\-()]")


@dataclass
class TableSummary:
    """What the mapping did to one table, for `salesops check`."""

    table: str
    source: str  # the file, or how the table was made
    mapped: dict[str, str] = field(default_factory=dict)  # canonical column: export label
    unmapped: list[str] = field(default_factory=list)  # export columns no canonical column takes
    translated: dict[str, int] = field(default_factory=dict)  # canonical column: cells whose value was translated
    notes: list[str] = field(default_factory=list)


def _problem(
    log: DataQualityLog, severity: str, table: Table, file: str, message: str, column: str | None = None
) -> None:
    log.add(Problem(severity, table.name, file, column, message))  # type: ignore[arg-type]


# Why the quotas file is needed when it is missing, and how to do without it.
QUOTAS_HINT = (
    " (the configuration's quotas.source is 'file'; set it to 'none', or to 'flat' with monthly_per_rep, when the "
    "export has no quotas)"
)


def find_export(folder: Path, pattern: str, table: Table, required: bool, log: DataQualityLog) -> Path | None:
    """The one file in folder matching the mapping's file name or pattern (logged when none or several match; a
    missing quotas file with the configuration's key that asks for it)."""
    found = sorted(p for p in folder.glob(pattern) if p.is_file())
    if len(found) > 1:
        names = ", ".join(p.name for p in found[:5])
        _problem(
            log,
            "error",
            table,
            pattern,
            f"the mapping's file pattern matches several files ({names}); make it match one",
        )
        return None
    if not found:
        if required:
            present = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_file())[:10]) or "none"
            hint = QUOTAS_HINT if table.name == "quotas" else ""
            message = f"no file matches the mapping's file pattern (files found: {present}){hint}"
            _problem(log, "error", table, pattern, message)
        return None
    return found[0]


def read_export(path: Path, table: Table, fmt: FileFormat, log: DataQualityLog) -> pd.DataFrame | None:
    """Every cell of an export file (CSV as text; Parquet as stored), rows numbered as in the file."""
    if path.suffix.lower() == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except (OSError, ValueError) as exc:
            _problem(log, "error", table, path.name, f"not a readable Parquet file: {exc}")
            return None
        return frame
    setting = "format.encoding in the mapping"
    return read_csv_cells(path, table, fmt.encoding, log, fmt.separator, fmt.report_footer, setting)


def clean_amounts(values: pd.Series, fmt: FileFormat) -> pd.Series:
    """Amount text as plain numbers: currency symbols or codes, spaces and thousands separators removed, the decimal
    mark made a point, (1,200) read as -1200; a value that still is no number is left as it was, to be reported."""
    if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
        return values
    text = values.astype("string").str.strip()
    cleaned = text.str.replace(NOT_A_NUMBER, "", regex=True)
    if fmt.thousands_mark:
        cleaned = cleaned.str.replace(fmt.thousands_mark, "", regex=False)
    if fmt.decimal == ",":
        cleaned = cleaned.str.replace(",", ".", regex=False)
    cleaned = cleaned.str.replace(r"^\((.*)\)$", r"-\1", regex=True)
    ok = pd.to_numeric(cleaned, errors="coerce").notna()
    return text.where(~ok | text.eq(""), cleaned).astype(object).where(text.notna(), None)


def _translate(values: pd.Series, table: dict[str, str]) -> tuple[pd.Series, int]:
    """Values translated by the mapping (exactly, else ignoring case and spacing); others unchanged."""
    folded = {" ".join(k.split()).casefold(): v for k, v in table.items()}
    text = values.astype("string")
    exact = text.map(table)
    loose = text.str.split().str.join(" ").str.casefold().map(folded)
    new = exact.fillna(loose)
    changed = new.notna() & (new != text).fillna(True)
    return values.astype(object).where(new.isna(), new), int(changed.sum())


def _first_listed(values: pd.Series, mark: str) -> tuple[pd.Series, int]:
    """The first non-empty value of each cell listing several separated by mark, and how many cells listed more."""
    parts = values.astype("string").str.split(mark, regex=False)
    kept = parts.map(lambda cell: [p.strip() for p in cell if p.strip()] if isinstance(cell, list) else [])
    first = kept.map(lambda cell: cell[0] if cell else None)
    return first.astype(object), int(kept.map(len).gt(1).sum())


def keep_wanted_rows(raw: RawTable, spec: TableMapping, log: DataQualityLog) -> bool:
    """Leave out the rows the mapping's keep_rows does not keep (values compared ignoring case); False (logged) when
    a named column is not in the file."""
    labels = {canonical_name(str(c)): c for c in raw.frame.columns}
    keep = pd.Series(True, index=raw.frame.index)
    for label, allowed in spec.keep_rows.items():
        column = labels.get(canonical_name(label))
        if column is None:
            message = f"the mapping keeps rows by the column '{label}', which is not in the file"
            _problem(log, "error", raw.table, raw.file, message)
            return False
        values = raw.frame[column].astype("string").str.strip().str.casefold()
        keep &= values.isin([str(v).strip().casefold() for v in allowed]).fillna(False).astype(bool)
    if not keep.all():
        dropped = int((~keep).sum())
        rule = ", ".join(f"{label} in {allowed}" for label, allowed in spec.keep_rows.items())
        log.add(Problem("info", raw.table.name, raw.file, None, f"{dropped:,} rows left out ({rule} does not hold)"))
        raw.frame = raw.frame[keep]
    return True


def rename_columns(
    frame: pd.DataFrame,
    table: Table,
    spec: TableMapping,
    file: str,
    log: DataQualityLog,
    summary: TableSummary,
    absent: Collection[str] = (),
) -> pd.DataFrame | None:
    """The export's columns under canonical names: the mapping's first, then labels that already are canonical.
    A column named by a label in absent (one an optional lookup could not add), or listed in the table's
    optional_columns and missing from the file, is left out, with a note."""
    labels = {canonical_name(str(c)): str(c) for c in frame.columns}
    chosen: dict[str, str] = {}
    skipped: set[str] = set()
    wanted = [(column, label) for column, label in spec.columns.items()]
    wanted += [(column, label) for column, parts in spec.joined.items() for label in parts]
    for column, label in wanted:
        key = canonical_name(label)
        if key not in labels and key in absent and column in spec.columns:
            summary.notes.append(f"{column} left out: '{label}' was not looked up")
            skipped.add(column)
            continue
        if key not in labels and column in spec.optional_columns:
            summary.notes.append(f"{column} left out: the file has no '{label}' column (optional_columns)")
            skipped.add(column)
            continue
        if key not in labels:
            near = difflib.get_close_matches(label, [str(c) for c in frame.columns], n=3)
            hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
            message = (
                f"the mapping takes {column} from the column '{label}', which is not in the file "
                f"(columns found: {', '.join(str(c) for c in frame.columns)}){hint}"
            )
            _problem(log, "error", table, file, message, column)
            return None
        if column in spec.columns:
            chosen[column] = labels[key]
    joined = {
        column: _joined(frame, [labels[canonical_name(label)] for label in parts])
        for column, parts in spec.joined.items()
    }
    for key, label in labels.items():
        if key in table.column_names and key not in chosen and key not in skipped and label not in chosen.values():
            chosen[key] = label
    used = set(chosen.values()) | {labels[canonical_name(label)] for parts in spec.joined.values() for label in parts}
    summary.mapped = dict(chosen) | {column: " + ".join(parts) for column, parts in spec.joined.items()}
    summary.unmapped = [str(c) for c in frame.columns if str(c) not in used]
    return pd.DataFrame({column: frame[label] for column, label in chosen.items()} | joined, index=frame.index)


def _joined(frame: pd.DataFrame, labels: list[str]) -> pd.Series:
    """The columns' trimmed values joined with a space, empty ones left out (a row with none stays missing)."""
    parts = [frame[label].astype("string").fillna("") for label in labels]
    text = parts[0].str.cat(parts[1:], sep=" ").str.replace(r"\s+", " ", regex=True).str.strip()
    return text.astype(object).where(text.ne("").fillna(False).astype(bool), None)


def apply_table(
    frame: pd.DataFrame,
    table: Table,
    spec: TableMapping,
    fmt: FileFormat,
    summary: TableSummary,
    log: DataQualityLog,
    file: str,
) -> pd.DataFrame:
    """Stand-ins, constants, value translations and amount cleaning on a renamed table."""
    for column, value in spec.constants.items():
        frame[column] = value
        summary.notes.append(f"{column} is '{value}' for every row")
    for column, source in spec.stand_ins.items():
        if source in RECORD_STAND_INS:  # filled when the deal's other records are loaded (loading.py)
            if column not in frame.columns:
                frame[column] = None
            summary.notes.append(f"{column} where empty: {RECORD_STAND_INS[source]} stands in")
            continue
        if source not in frame.columns:
            continue
        if column not in frame.columns:
            frame[column] = frame[source]
            summary.notes.append(f"{column} is not in the export: {source} stands in for it")
            _problem(
                log,
                "warning",
                table,
                file,
                f"no {column} in the export: {source} stands in for it (analyses that need it are approximate)",
                column,
            )
        else:
            empty = frame[column].isna() | frame[column].astype("string").str.strip().eq("")
            frame[column] = frame[column].where(~empty, frame[source])
            if empty.any():
                summary.notes.append(f"{int(empty.sum()):,} empty {column} cells filled from {source}")
    for column, mark in spec.split.items():
        if column in frame.columns:
            frame[column], several = _first_listed(frame[column], mark)
            if several:
                summary.notes.append(f"{several:,} {column} cells list several values: the first listed is taken")
    for column, table_values in spec.values.items():
        if column in frame.columns:
            frame[column], summary.translated[column] = _translate(frame[column], table_values)
    for canonical in table.columns:
        if canonical.kind == "amount" and canonical.name in frame.columns:
            frame[canonical.name] = clean_amounts(frame[canonical.name], fmt)
    return frame


def _lookups(
    folder: Path, raw: RawTable, spec: TableMapping, fmt: FileFormat, log: DataQualityLog, summary: TableSummary
) -> set[str] | None:
    """Add each lookup's columns to the table's cells; returns the labels (canonical) that optional lookups could not
    add, or None (logged) when a lookup cannot be made."""
    absent: set[str] = set()
    for lookup in spec.lookups:
        if lookup.optional:
            gap = _optional_gap(folder, raw, lookup, log)
            if gap:
                absent.update(canonical_name(label) for label in lookup.take.values())
                taken = ", ".join(f"'{label}'" for label in lookup.take.values())
                summary.notes.append(f"{taken} not looked up: {gap} (the lookup is optional)")
                continue
        found = find_export(folder, lookup.file, raw.table, True, log)
        other = read_export(found, raw.table, fmt, log) if found is not None else None
        if found is None or other is None:
            return None
        note = apply_lookup(raw, lookup, other, found.name, log, fmt.date_format)
        if not note:
            return None
        summary.notes.append(note)
    return absent


def _optional_gap(folder: Path, raw: RawTable, lookup: Lookup, log: DataQualityLog) -> str:
    """Why an optional lookup cannot be made ("" when it can): the table's file has no key column, or the export
    has no file to look in (an info line when the key column is there)."""
    if canonical_name(lookup.key) not in {canonical_name(str(c)) for c in raw.frame.columns}:
        return f"{raw.file} has no column '{lookup.key}'"
    if any(p.is_file() for p in folder.glob(lookup.file)):
        return ""
    taken = ", ".join(lookup.take.values())
    message = f"the export has no {lookup.file}, so {taken} is left out (the mapping's lookup through {lookup.key})"
    log.add(Problem("info", raw.table.name, raw.file, lookup.key, message))
    return f"the export has no {lookup.file}"


def reps_from_owners(
    opportunities: RawTable, spec: TableMapping, source: pd.DataFrame, summary: TableSummary
) -> pd.DataFrame:
    """One rep per distinct deal owner; team, region and manager from the deals' columns the mapping names (the most
    common value per owner), else the mapping's constants, else team 'Unassigned'."""
    owners = opportunities.frame["owner_id"].astype("string").str.strip()
    frame = pd.DataFrame({"owner": owners})
    for column, label in spec.columns.items():
        key = {canonical_name(str(c)): c for c in source.columns}.get(canonical_name(label))
        if key is not None and column in ("team", "region", "manager", "role"):
            frame[column] = source.loc[frame.index, key]
            summary.mapped[column] = str(key)
    reps = pd.DataFrame({"rep_id": sorted(owners.dropna().unique())})
    reps["name"] = reps["rep_id"]
    for column in ("team", "region", "manager", "role"):
        if column in frame.columns:
            common = (
                frame.dropna(subset=["owner"])
                .groupby("owner")[column]
                .agg(lambda v: v.mode().iloc[0] if v.notna().any() else None)
            )
            reps[column] = reps["rep_id"].map(common)
        elif column in spec.constants:
            reps[column] = spec.constants[column]
    if "team" not in reps.columns:
        reps["team"] = "Unassigned"
    summary.notes.append(f"{len(reps):,} reps made from the deal owners")
    reps.index = pd.RangeIndex(1, len(reps) + 1)
    return reps


def history_from_stage_dates(
    opportunities: RawTable, source: pd.DataFrame, pattern: str, stage_values: dict[str, str], summary: TableSummary
) -> pd.DataFrame:
    """History rows from per-stage 'date entered' columns (as HubSpot exports them): one row per deal and stage with
    a date, the stage label taken from the column label by the pattern's (?P<stage>...) group."""
    regex = re.compile(pattern)
    columns = {str(c): m.group("stage").strip() for c in source.columns if (m := regex.fullmatch(str(c).strip()))}
    summary.mapped = {f"stage {stage}": label for label, stage in columns.items()}
    parts = []
    for label, stage in columns.items():
        moments = source[label].astype("string").str.strip()
        present = moments.notna() & moments.ne("")
        parts.append(
            pd.DataFrame(
                {
                    "opportunity_id": opportunities.frame.loc[present[present].index, "opportunity_id"],
                    "changed_at": moments[present],
                    "stage": stage_values.get(stage, stage),
                }
            )
        )
    history = pd.concat(parts) if parts else pd.DataFrame(columns=["opportunity_id", "changed_at", "stage"])
    summary.notes.append(f"{len(columns)} stage date columns made {len(history):,} history rows")
    return history.sort_index(kind="stable").reset_index(drop=True)


def owners_by_name(raws: dict[str, RawTable], log: DataQualityLog) -> None:
    """Owner and rep columns that hold names, replaced by the rep_id of the rep with that name (ignoring case and
    spacing); a name no rep has stays as it is, so the cross-checks report it as an unknown owner."""
    reps = raws.get(REPS.name)
    if reps is None:
        return
    names = reps.frame["name"].astype("string").str.split().str.join(" ").str.casefold()
    ids = dict(zip(names, reps.frame["rep_id"], strict=True))
    owned = (("opportunities", "owner_id"), ("quotas", "rep_id"), ("activities", "rep_id"), ("leads", "owner_id"))
    for table, column in owned:
        raw = raws.get(table)
        if raw is None or column not in raw.frame.columns:
            continue
        key = raw.frame[column].astype("string").str.split().str.join(" ").str.casefold()
        found = key.map(ids)
        raw.frame[column] = raw.frame[column].astype(object).where(found.isna(), found)


def mapped_tables(
    folder: Path,
    mapping: Mapping,
    log: DataQualityLog,
    wanted: dict[str, bool],
    config: WorkbookConfig | None = None,
    day: pd.Timestamp | None = None,
) -> tuple[dict[str, RawTable | None], list[TableSummary], pd.Timestamp | None]:
    """Each wanted table (name: required) read through the mapping, with what the mapping did to it; from a
    database with source.since, only the rows of the time window counted back from day (data/window.py), whose
    first day comes last (None when every row was read)."""
    raws: dict[str, RawTable | None] = {}
    sources: dict[str, pd.DataFrame] = {}
    summaries: list[TableSummary] = []
    reader = open_reader(mapping.source.url) if mapping.source else None
    window = None
    try:
        if reader is not None and config is not None and mapping.source and mapping.source.since:
            window = _window(mapping, config, reader, log, day if day is not None else pd.Timestamp.today().normalize())
        _read_tables(folder, mapping, log, wanted, reader, raws, sources, summaries, window)
    finally:
        if reader is not None:
            reader.close()
    if mapping.owners == "name":
        owners_by_name({k: v for k, v in raws.items() if v is not None}, log)
    return raws, summaries, window.since if window is not None else None


def _window(
    mapping: Mapping, config: WorkbookConfig, reader: SqlReader | SparkReader, log: DataQualityLog, day: pd.Timestamp
) -> ReadWindow | None:
    """The read's time window (source.since), with what it keeps in the log; None, saying why, when every row must
    be read."""
    from salesops_helpers.data.window import NotPushed, kept_deals, read_window

    since = mapping.source.since if mapping.source else ""
    try:
        window = read_window(mapping, config, reader, day)
        if window is None:
            return None
        kept, total = kept_deals(window, reader)
    except NotPushed as exc:
        message = f"every row is read, not the window of source.since ({since}): {exc}"
        _problem(log, "info", OPPORTUNITIES, "(mapping)", message)
        return None
    first = window.since.date().isoformat()
    message = (
        f"read the window of source.since ({since}): {kept:,} of {total:,} deals (created, closed or open on or after "
        f"{first}), their history, and the quotas, activities and leads from {first}; KPIs of earlier periods, and "
        "figures over the whole history, count only these"
    )
    _problem(log, "info", OPPORTUNITIES, "(mapping)", message)
    for name, why in window.whole.items():
        _problem(log, "info", TABLES_BY_NAME[name], "(mapping)", f"{name} read whole, not in the window: {why}")
    return window


def _statement(
    spec: TableMapping,
    dialect: str,
    columns: list[str] | None,
    order: str | None,
    window: ReadWindow | None = None,
    name: str = "",
) -> str:
    """SELECT the columns (all when None) of the mapped table or query, sorted by `order` (empty values last), and
    within the time window when there is one."""
    selected = ", ".join(identifier(label) for label in columns) if columns else "*"
    sort = f" ORDER BY {identifier(order)} ASC NULLS LAST" if order else ""
    statement = f"SELECT {selected} FROM salesops_table AS src{sort}"
    written = window.statement(name, statement) if window is not None else in_dialect(statement, dialect)
    return written.replace("salesops_table", source_sql(spec.table, spec.query, dialect), 1)


def _projected(
    reader: SqlReader | SparkReader, spec: TableMapping, table: Table, window: ReadWindow | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """A database table read with only the columns the mapping can use (its labels and canonical names), sorted by
    its `order` column; and the labels left unread, for `salesops check`'s list of unmapped columns. When the
    mapping names a label the table lacks, every column is read, so that the message lists them all."""
    probe = "SELECT * FROM salesops_source AS q WHERE 1 = 0"
    probe = in_dialect(probe, reader.dialect).replace("salesops_source", source_sql(spec.table, None, reader.dialect))
    labels = [str(c) for c in reader.fetch(probe).columns]
    found = {canonical_name(label): label for label in labels}
    named = list(spec.columns.values()) + [label for parts in spec.joined.values() for label in parts]
    named += [label for parts in spec.first_of.values() for label in parts] + list(spec.keep_rows)
    named += [override.column for override in spec.overrides.values()] + ([spec.order] if spec.order else [])
    if any(canonical_name(label) not in found for label in named):
        if window is not None and table.name in window.conditions:
            return reader.read(None, _statement(spec, reader.dialect, None, None, window, table.name)), []
        return reader.read(spec.table, None), []
    wanted = {found[canonical_name(label)] for label in named}
    wanted |= {label for key, label in found.items() if key in table.column_names}
    kept = [label for label in labels if label in wanted]
    order = found[canonical_name(spec.order)] if spec.order else None
    unread = [label for label in labels if label not in wanted]
    return reader.read(None, _statement(spec, reader.dialect, kept, order, window, table.name)), unread


def _read_sql(
    reader: SqlReader | SparkReader,
    spec: TableMapping,
    table: Table,
    path: Path,
    log: DataQualityLog,
    whole: bool,
    window: ReadWindow | None = None,
) -> tuple[pd.DataFrame, list[str]] | None:
    """A table or query result from the database (only the columns the mapping can use, unless whole), and the
    labels of the columns left unread; None after logging why it could not be read."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        if reader.dialect not in EXACT_LABELS:
            return reader.read(spec.table, spec.query), []
        if whole or not spec.table:
            windowed = window is not None and table.name in window.conditions
            query = (
                _statement(spec, reader.dialect, None, spec.order, window, table.name)
                if spec.order or windowed
                else spec.query
            )
            return reader.read(spec.table if query is None else None, query), []
        return _projected(reader, spec, table, window)
    except (SQLAlchemyError, pd.errors.DatabaseError) as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, SQLAlchemyError) else exc
        detail = str(getattr(cause, "orig", None) or cause)
        message = f"cannot read it from {reader.shown}: {clean_message(detail, reader.url)}"
        _problem(log, "error", table, path.name, message)
        return None


def _read_tables(
    folder: Path,
    mapping: Mapping,
    log: DataQualityLog,
    wanted: dict[str, bool],
    reader: SqlReader | SparkReader | None,
    raws: dict[str, RawTable | None],
    sources: dict[str, pd.DataFrame],
    summaries: list[TableSummary],
    window: ReadWindow | None = None,
) -> None:
    """Read every wanted table into raws (None when absent or unreadable), with what the mapping did."""
    specs: dict[str, TableMapping] = {str(name): spec for name, spec in mapping.tables.items()}
    order = [OPPORTUNITIES.name] + [name for name in wanted if name != OPPORTUNITIES.name]
    for name in order:
        if name not in wanted:
            continue
        table = TABLES_BY_NAME[name]
        spec = specs.get(name)
        required = wanted[name]
        if spec is None:
            if required:
                hint = (
                    QUOTAS_HINT
                    if name == "quotas"
                    else " (or make one rep per deal owner: tables.reps.from_owners: true)"
                    if name == "reps"
                    else ""
                )
                _problem(log, "error", table, "(mapping)", f"the mapping has no entry for the {name} table{hint}")
            raws[name] = None
            continue
        opportunities = raws.get(OPPORTUNITIES.name)
        if spec.from_owners or spec.from_stage_dates:
            if opportunities is None:
                raws[name] = None
                continue
            made_from = "the deal owners" if spec.from_owners else "the stage dates"
            summary = TableSummary(name, f"{made_from} in {opportunities.file}")
            if spec.from_owners:
                frame = reps_from_owners(opportunities, spec, sources[OPPORTUNITIES.name], summary)
            else:
                values = spec.values.get("stage") or specs[OPPORTUNITIES.name].values.get("stage", {})
                frame = history_from_stage_dates(
                    opportunities, sources[OPPORTUNITIES.name], spec.from_stage_dates or "", values, summary
                )
            frame = apply_table(
                frame,
                table,
                spec.model_copy(update={"stand_ins": {}}),
                mapping.format,
                summary,
                log,
                opportunities.file,
            )
            raws[name] = RawTable(table, opportunities.path, frame.astype(object), mapped=True)
            summaries.append(summary)
            used = set(summary.mapped.values())
            for earlier in summaries:
                if earlier.table == OPPORTUNITIES.name:
                    earlier.unmapped = [label for label in earlier.unmapped if label not in used]
            continue
        unread: list[str] = []
        if reader is not None:
            path = Path(f"SQL {spec.table}" if spec.table else f"SQL query for {name}")
            # the deals' own columns are read whole when reps or history are made from them
            whole = name == OPPORTUNITIES.name and any(t.from_owners or t.from_stage_dates for t in specs.values())
            read = _read_sql(reader, spec, table, path, log, whole, window)
            cells, unread = read if read is not None else (None, [])
        else:
            found = find_export(folder, spec.file or "", table, required, log)
            if found is None:
                raws[name] = None
                continue
            path, cells = found, read_export(found, table, mapping.format, log)
        if cells is None:
            raws[name] = None
            continue
        raw = RawTable(table, path, cells, mapped=True)
        without_blank_rows(raw, log)
        if not keep_wanted_rows(raw, spec, log):
            raws[name] = None
            continue
        summary = TableSummary(name, path.name)
        absent = _lookups(folder, raw, spec, mapping.format, log, summary)
        if absent is None:
            raws[name] = None
            continue
        sources[name] = raw.frame
        renamed = rename_columns(raw.frame, table, spec, path.name, log, summary, absent)
        # a label one lookup adds only to be the key of the next (Lead -> CampaignMember -> Campaign) is no loose end
        steps = {canonical_name(label) for lookup in spec.lookups for label in lookup.take.values()}
        steps &= {canonical_name(lookup.key) for lookup in spec.lookups}
        summary.unmapped = [label for label in summary.unmapped if canonical_name(label) not in steps] + unread
        if renamed is not None and (spec.first_of or spec.overrides):
            renamed = derive_columns(raw.frame, renamed, table, spec, path.name, log, summary)
        if renamed is None:
            raws[name] = None
            continue
        frame = apply_table(renamed, table, spec, mapping.format, summary, log, path.name)
        missing = [c for c in table.required_columns if c not in frame.columns]
        if missing:
            where = f"tables.{name}.columns" + (f" or tables.{name}.stand_ins" if name == "opportunities" else "")
            message = f"no column for {', '.join(missing)}: name the export's column in the mapping ({where})"
            _problem(log, "error", table, path.name, message, ", ".join(missing))
            raws[name] = None
            continue
        if frame.empty:
            _problem(
                log, "error" if required else "warning", table, path.name, "the file has a header but no data rows"
            )
            raws[name] = None
            continue
        raws[name] = RawTable(table, path, frame, labels=dict(summary.mapped), mapped=True)
        summaries.append(summary)
