"""Reading one canonical table from a CSV or Parquet file, without ever changing the file."""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from salesops_helpers.data.model import Table
from salesops_helpers.data.quality import MAX_EXAMPLES, DataQualityLog, Problem

FORMATS = ("csv", "parquet")
UTF8_BOM = codecs.BOM_UTF8
CHUNK = 1 << 20
NEWLINE = b"\n"


@dataclass
class RawTable:
    """A table as read from its file: canonical column names, values not yet typed.

    The frame's index plus one is the row number a user sees: a CSV's header is row 1 (index 0), so its first
    data row is row 2; a Parquet file's first row is row 1.
    """

    table: Table
    path: Path
    frame: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)  # canonical column: the export's label, when mapped
    mapped: bool = False  # read through a mapping, whose format section (not the configuration's data) applies

    def setting(self, key: str) -> str:
        """Where the file-format setting `key` (encoding, date_format) that applies to this table is set."""
        return f"format.{key} in the mapping" if self.mapped else f"data.{key} in the configuration"

    @property
    def file(self) -> str:
        """The file name, as messages show it."""
        return self.path.name


def canonical_name(header: str) -> str:
    """Normalise a column header: trimmed, lower case, spaces and dashes as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def table_file(folder: Path, table: Table) -> Path | None:
    """The first existing file for table in folder (CSV before Parquet), or None."""
    return next((p for p in (folder / f"{table.name}.{ext}" for ext in FORMATS) if p.is_file()), None)


def find_file(folder: Path, table: Table, required: bool, log: DataQualityLog, hint: str = "") -> Path | None:
    """The one file holding table in folder, or None; logs a missing required file or an ambiguous pair."""
    found = [folder / f"{table.name}.{ext}" for ext in FORMATS if (folder / f"{table.name}.{ext}").is_file()]
    if len(found) > 1:
        message = f"both {found[0].name} and {found[1].name} exist; keep only one of them"
        log.add(Problem("error", table.name, found[0].name, None, message))
        return None
    if not found and required:
        message = f"file not found: the data folder needs {table.name}.csv or {table.name}.parquet{hint}"
        near = sorted(p.name for p in folder.iterdir() if p.stem.casefold() == table.name and p.is_file())
        if near:
            message += f"; found {', '.join(near)}: rename it to the lower-case name"
        log.add(Problem("error", table.name, f"{table.name}.csv", None, message))
    return found[0] if found else None


def _codec(path: Path, encoding: str) -> str:
    """The codec to read a file with: a UTF-8 byte-order mark means UTF-8 whatever the configuration says."""
    with path.open("rb") as handle:
        if handle.read(len(UTF8_BOM)) == UTF8_BOM:
            return "utf-8-sig"
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def _first_bad_byte(path: Path, codec: str) -> str | None:
    """Where the file stops being valid text in codec (a message), or None; reads in chunks to save memory."""
    decoder = codecs.getincrementaldecoder(codec)()
    lines = 0
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    start = max(0, min(exc.start, len(chunk) - 1))
                    line = lines + chunk[:start].count(NEWLINE) + 1
                    return f"byte 0x{chunk[start]:02x} on line {line} cannot be read"
                lines += chunk.count(NEWLINE)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "the file ends in the middle of a character"
        except UnicodeError as exc:
            return str(exc)
    return None


@dataclass
class _Layout:
    """What a first pass over a CSV file found: separator, where the header is, rows of the wrong width."""

    separator: str = ","
    header_row: int = -1  # index of the header record; -1 when the file holds no header
    width: int = 0
    wrong_width: list[tuple[int, int, str]] = field(default_factory=list)  # (row number, fields, start of the row)
    wrong_count: int = 0


def _layout(path: Path, codec: str, count_fields: bool, separator: str | None = None) -> _Layout:
    """Find the separator, the header and (count_fields) the rows whose number of fields differs from the header's.

    Rows are counted as records (a quoted line break does not start a new row), as the parser and spreadsheets do.
    An Excel "sep=;" line before the header names the separator.
    """
    layout = _Layout()
    with path.open(encoding=codec, newline="") as handle:
        first = ""
        skipped = 0
        for line in handle:
            if line.strip():
                first = line
                break
            skipped += 1
        declared = re.fullmatch(r"sep=(.)\r?\n?", first)
        if declared:
            layout.separator = declared.group(1)
        elif separator:
            layout.separator = separator
        else:
            counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
            layout.separator = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
        handle.seek(0)
        for index, row in enumerate(csv.reader(handle, delimiter=layout.separator)):
            if index < skipped + (1 if declared else 0) or not any(cell.strip() for cell in row):
                continue
            if layout.header_row < 0:
                layout.header_row, layout.width = index, len(row)
                if not count_fields:
                    break
            elif len(row) != layout.width:
                layout.wrong_count += 1
                if len(layout.wrong_width) < MAX_EXAMPLES:
                    layout.wrong_width.append((index + 1, len(row), layout.separator.join(row)[:60]))
    return layout


def read_csv_cells(
    path: Path,
    table: Table,
    encoding: str,
    log: DataQualityLog,
    separator: str | None = None,
    footer: bool = False,
    setting: str = "data.encoding in the configuration",
) -> pd.DataFrame | None:
    """All cells of a CSV file as text, or None after logging why it cannot be read (naming the encoding setting
    that applies: the configuration's, or a mapping's)."""
    codec = _codec(path, encoding)
    bad = _first_bad_byte(path, codec)
    if bad:
        message = f"not {encoding} text: {bad} (re-save the file as UTF-8, or set {setting}"
        message += ", such as cp1252 for an older Salesforce or Excel export)"
        log.add(Problem("error", table.name, path.name, None, message))
        return None
    try:
        layout = _layout(path, codec, count_fields=False, separator=separator)
    except csv.Error as exc:
        log.add(Problem("error", table.name, path.name, None, f"not a readable CSV file: {exc}"))
        return None
    if layout.header_row < 0:
        log.add(Problem("error", table.name, path.name, None, "the file is empty (not even a header row)"))
        return None
    cells = None if footer else _cells_by_arrow(path, codec, layout)
    # pyarrow's parser refuses a row of another width, so cells it read need no count of every row's fields
    by_arrow = cells is not None
    try:
        # header=None: the header is read as a row, so the frame's index stays each row's place in the file.
        cells = (
            cells
            if cells is not None
            else pd.read_csv(
                path,
                encoding=codec,
                sep=layout.separator,
                dtype=str,
                header=None,
                skiprows=layout.header_row,
                keep_default_na=False,
                quoting=csv.QUOTE_MINIMAL,
                skip_blank_lines=False,
            )
        )
    except (pd.errors.ParserError, ValueError) as exc:
        if not _wrong_widths(path, codec, table, log, separator):
            log.add(Problem("error", table.name, path.name, None, f"not a readable CSV file: {str(exc).strip()}"))
        return None
    if footer:
        cells = _without_footer(cells, path, table, log)
    # The parser pads a row with too few fields with empty cells, so only a file with an empty last cell (in a row
    # that is not blank) can hide one; only then is the slower count of every row's fields needed.
    body = cells.iloc[1:]
    last_empty = body.iloc[:, -1].str.strip().eq("")
    maybe_short = (last_empty & ~_empty_rows(body, -1)).any()
    if (
        maybe_short
        and not footer
        and not by_arrow
        and _may_have_wrong_widths(path, codec, layout)
        and _wrong_widths(path, codec, table, log, separator)
    ):
        return None
    cells.index += layout.header_row
    frame = cells.iloc[1:]
    frame.columns = [str(c) for c in cells.iloc[0]]
    return frame


def _records_are_lines(path: Path, records: int, header_row: int) -> bool:
    """True when the file's lines are exactly its records after the header row: no blank line, no line break inside
    a quoted value, so a record's position is its row in the file."""
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(NEWLINE)
            last = chunk[-1:]
    lines += last != b"\n"
    return lines == header_row + records


def _cells_by_arrow(path: Path, codec: str, layout: _Layout) -> pd.DataFrame | None:
    """Every cell as text, header row included, read by pyarrow's parser (C++, every core: several times faster than
    pandas' for millions of rows), or None when its reading could differ from pandas' (blank lines, line breaks in
    values, a row of another width, a parse error): the caller then reads the file with pandas."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if codec == "utf-8-sig" else codec,
                skip_rows=layout.header_row,
                autogenerate_column_names=True,
            ),
            parse_options=pacsv.ParseOptions(delimiter=layout.separator, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(layout.width)}, strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, ValueError, LookupError):
        return None
    if table.num_columns != layout.width or not _records_are_lines(path, table.num_rows, layout.header_row):
        return None
    cells = table.to_pandas()
    cells.columns = range(layout.width)
    return cells.astype("str")


def _may_have_wrong_widths(path: Path, codec: str, layout: _Layout) -> bool:
    """False when pyarrow's parser (C++, every core) finds every record as wide as the header; True when it finds one
    that is not, or cannot tell. Counting fields row by row in Python takes seconds per million rows, so only files
    that may hold a short row are counted that way (a line of spaces, say, is one field to pyarrow but blank to us)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    found: list[int] = []

    def note(row: pacsv.InvalidRow) -> str:
        found.append(1)
        return "skip"

    try:
        pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if codec == "utf-8-sig" else codec,
                skip_rows=layout.header_row,
                autogenerate_column_names=True,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=layout.separator, newlines_in_values=True, invalid_row_handler=note
            ),
            convert_options=pacsv.ConvertOptions(include_columns=["f0"], column_types={"f0": pa.string()}),
        )
    except (pa.ArrowException, ValueError, LookupError):
        return True
    return bool(found)


def _without_footer(cells: pd.DataFrame, path: Path, table: Table, log: DataQualityLog) -> pd.DataFrame:
    """Cells without a report footer: the lines after the last blank line that hold one value each (as Salesforce
    report exports end: report name, copyright, "Confidential Information", "Generated By")."""
    rest = cells.iloc[:, 1:].fillna("").apply(lambda column: column.str.strip()).eq("").all(axis=1)
    first = cells.iloc[:, 0].fillna("").str.strip()
    end = len(cells)
    while end > 1 and rest.iloc[end - 1] and first.iloc[end - 1] != "":
        end -= 1
    if end == len(cells) or end <= 1 or first.iloc[end - 1] != "" or not rest.iloc[end - 1]:
        return cells  # no block of one-value lines after a blank line: nothing to skip
    log.add(
        Problem(
            "info",
            table.name,
            path.name,
            None,
            f"{len(cells) - end + 1} report footer lines",
            len(cells) - end + 1,
            "skipped",
        )
    )
    return cells.iloc[: end - 1]


def _wrong_widths(path: Path, codec: str, table: Table, log: DataQualityLog, separator: str | None = None) -> bool:
    """Log the rows whose number of fields differs from the header's, with examples; True if there are any."""
    layout = _layout(path, codec, count_fields=True, separator=separator)
    if not layout.wrong_count:
        return False
    examples = pd.DataFrame(layout.wrong_width, columns=["row", "fields", "row starts with"])
    message = (
        f"{layout.wrong_count:,} rows do not have the header's {layout.width} fields (a value holding the "
        "separator or a line break must be in double quotes; or the file was cut short)"
    )
    log.add(Problem("error", table.name, path.name, None, message, layout.wrong_count, examples=examples))
    return True


def _empty_rows(frame: pd.DataFrame, probe: int) -> pd.Series:
    """Rows whose every text cell is empty; column probe is checked first, the others only where it is empty."""
    blank = frame.iloc[:, probe].str.strip().eq("")
    if blank.any():
        blank[blank] = frame[blank].apply(lambda column: column.astype("str").str.strip().eq("")).all(axis=1)
    return blank


def without_blank_rows(raw: RawTable, log: DataQualityLog) -> None:
    """Skip rows whose cells are all empty (blank lines, or only separators as spreadsheets leave them).

    They are skipped here rather than by the parser so that the index keeps each row's place in the file.
    """
    frame = raw.frame
    if frame.empty or not len(frame.columns) or frame.iloc[:, 0].dtype != "str":
        return
    blank = _empty_rows(frame, 0)
    if blank.any():
        log.add(
            Problem(
                "info",
                raw.table.name,
                raw.file,
                None,
                f"{int(blank.sum()):,} rows with every cell empty",
                int(blank.sum()),
                "skipped",
            )
        )
        raw.frame = frame[~blank]


def _read_parquet(path: Path, table: Table, log: DataQualityLog) -> tuple[pd.DataFrame | None, list[str]]:
    """The canonical columns of a Parquet file and the names of the others (not read, to save memory)."""
    try:
        names = pq.read_schema(path).names
        keep = [n for n in names if canonical_name(n) in table.column_names]
        return pd.read_parquet(path, columns=keep), [n for n in names if n not in keep]
    except (OSError, pa.ArrowException) as exc:
        log.add(Problem("error", table.name, path.name, None, f"not a readable Parquet file: {exc}"))
        return None, []


def _check_columns(raw: RawTable, log: DataQualityLog, unread: list[str]) -> bool:
    """Rename headers to canonical names, drop unknown columns; False (logged) when required columns lack."""
    table, frame = raw.table, raw.frame
    names = [canonical_name(str(c)) for c in frame.columns]
    doubled = sorted({n for n in names if n in table.column_names and names.count(n) > 1})
    if doubled:
        message = "the header names this column more than once; keep one of them"
        log.add(Problem("error", table.name, raw.file, ", ".join(doubled), message))
        return False
    missing = [c for c in table.required_columns if c not in names]
    if missing:
        found = ", ".join(n or "(no header)" for n in names) or "none"
        message = f"required column{'s' if len(missing) > 1 else ''} missing (columns found: {found})"
        log.add(Problem("error", table.name, raw.file, ", ".join(missing), message))
        return False
    keep = [i for i, n in enumerate(names) if n in table.column_names]
    ignored = [
        str(frame.columns[i]).strip() or f"(column {i + 1}, no header)" for i in range(len(names)) if i not in keep
    ] + unread
    if ignored:
        message = f"columns ignored: {', '.join(ignored)}"
        log.add(Problem("info", table.name, raw.file, None, message, action="not part of the data model"))
    raw.frame = frame.iloc[:, keep].set_axis([names[i] for i in keep], axis=1)
    return True


def read_table(
    folder: Path, table: Table, required: bool, log: DataQualityLog, encoding: str = "utf-8", hint: str = ""
) -> RawTable | None:
    """Read one canonical table from folder, or None when it is absent or unreadable (logged)."""
    path = find_file(folder, table, required, log, hint)
    if path is None:
        return None
    unread: list[str] = []
    if path.suffix == ".csv":
        frame = read_csv_cells(path, table, encoding, log)
    else:
        frame, unread = _read_parquet(path, table, log)
    if frame is None:
        return None
    raw = RawTable(table, path, frame)
    without_blank_rows(raw, log)
    if not _check_columns(raw, log, unread):
        return None
    if raw.frame.empty:
        log.add(
            Problem(
                "error" if required else "warning",
                table.name,
                raw.file,
                None,
                "the file has a header but no data rows",
                action="" if required else "treated as absent",
            )
        )
        return None
    return raw
