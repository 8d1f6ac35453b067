"""Reading one canonical table from a CSV or Parquet file, without ever changing the file."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from salesops_helpers.data_model import Table
from salesops_helpers.quality import DataQualityLog, Problem

FORMATS = ("csv", "parquet")


@dataclass
class RawTable:
    """A table as read from its file: canonical column names, values not yet typed."""

    table: Table
    path: Path
    frame: pd.DataFrame
    # Added to a row's index to give the row number a user sees: 1 for both (a CSV's header is row 1 at index 0).
    row_offset: int

    @property
    def file(self) -> str:
        """The file name, as messages show it."""
        return self.path.name


def canonical_name(header: str) -> str:
    """Normalise a column header: trimmed, lower case, spaces and dashes as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def find_file(folder: Path, table: Table, log: DataQualityLog) -> Path | None:
    """The one file holding table in folder, or None; logs a missing required file or an ambiguous pair."""
    found = [folder / f"{table.name}.{ext}" for ext in FORMATS if (folder / f"{table.name}.{ext}").is_file()]
    if len(found) > 1:
        log.add(
            Problem(
                "error",
                table.name,
                found[0].name,
                None,
                f"both {found[0].name} and {found[1].name} exist; keep only one of them",
            )
        )
        return None
    if not found:
        if table.required:
            log.add(
                Problem(
                    "error",
                    table.name,
                    f"{table.name}.csv",
                    None,
                    f"file not found: the data folder needs {table.name}.csv or {table.name}.parquet",
                )
            )
        return None
    return found[0]


def _decode(path: Path, data: bytes, encoding: str, table: Table, log: DataQualityLog) -> str | None:
    """The file's text, or None after logging where the bytes stop being valid in the expected encoding."""
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        log.add(
            Problem(
                "error",
                table.name,
                path.name,
                None,
                f"not {encoding} text: byte 0x{data[exc.start]:02x} on line {line} cannot be read "
                f"(re-save the file as UTF-8, or set data.encoding in the configuration)",
            )
        )
        return None
    except LookupError:
        log.add(
            Problem(
                "error",
                table.name,
                path.name,
                None,
                f"unknown encoding {encoding!r} in the configuration's data.encoding",
            )
        )
        return None


def _separator(header_line: str) -> str:
    """Guess the field separator from the header line: comma, semicolon or tab, whichever is most frequent."""
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _read_csv(path: Path, table: Table, encoding: str, log: DataQualityLog) -> pd.DataFrame | None:
    """All cells of a CSV file as text, or None after logging why it cannot be read."""
    data = path.read_bytes()
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        log.add(Problem("error", table.name, path.name, None, "the file is empty (not even a header row)"))
        return None
    text = _decode(path, data, encoding, table, log)
    if text is None:
        return None
    first_line = text.split("\n", 1)[0]
    try:
        # header=None: the header is read as row 0, so a row with an extra field is an error instead of
        # silently turning the first column into the index and shifting every value one column left.
        cells = pd.read_csv(
            io.StringIO(text),
            sep=_separator(first_line),
            dtype=str,
            header=None,
            keep_default_na=False,
            quoting=csv.QUOTE_MINIMAL,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        log.add(Problem("error", table.name, path.name, None, f"not a readable CSV file: {_parser_message(exc)}"))
        return None
    frame = cells.iloc[1:]
    frame.columns = [str(c) for c in cells.iloc[0]]
    return _without_blank_rows(frame)


def _parser_message(exc: Exception) -> str:
    """The CSV parser's complaint in the user's words where it is the usual one: a row with extra fields."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if not found:
        return str(exc).strip()
    expected, line, saw = found.groups()
    return (
        f"line {line} has {saw} fields but the header has {expected} "
        "(a value that contains the separator must be in double quotes)"
    )


def _without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose cells are all empty (blank lines, or only separators as spreadsheets leave them).

    They are dropped here rather than by the parser so that the index keeps each row's place in the file.
    """
    if frame.empty or not len(frame.columns):
        return frame
    blank = frame.iloc[:, 0].str.strip().eq("")
    if blank.any():
        candidates = frame[blank]
        blank[blank] = candidates.apply(lambda column: column.str.strip().eq("")).all(axis=1)
    return frame[~blank] if blank.any() else frame


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
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        log.add(
            Problem("error", table.name, raw.file, ", ".join(doubled), "the header names this column more than once")
        )
        return False
    frame.columns = names
    missing = [c for c in table.required_columns if c not in names]
    if missing:
        found = ", ".join(str(c) for c in names) or "none"
        log.add(
            Problem(
                "error",
                table.name,
                raw.file,
                ", ".join(missing),
                f"required column{'s' if len(missing) > 1 else ''} missing (columns found: {found})",
            )
        )
        return False
    extra = [n for n in names if n not in table.column_names]
    if extra or unread:
        log.add(
            Problem(
                "info",
                table.name,
                raw.file,
                None,
                f"columns ignored: {', '.join(extra + unread)}",
                action="not part of the data model",
            )
        )
        raw.frame = frame.drop(columns=extra)
    return True


def read_table(folder: Path, table: Table, log: DataQualityLog, encoding: str = "utf-8") -> RawTable | None:
    """Read one canonical table from folder, or None when it is absent or unreadable (logged)."""
    path = find_file(folder, table, log)
    if path is None:
        return None
    unread: list[str] = []
    if path.suffix == ".csv":
        frame, offset = _read_csv(path, table, encoding, log), 1
    else:
        (frame, unread), offset = _read_parquet(path, table, log), 1
    if frame is None:
        return None
    raw = RawTable(table, path, frame, offset)
    if not _check_columns(raw, log, unread):
        return None
    if raw.frame.empty:
        severity = "error" if table.required else "warning"
        log.add(
            Problem(
                severity,
                table.name,
                raw.file,
                None,
                "the file has a header but no data rows",
                action="" if table.required else "treated as absent",
            )
        )
        return None
    return raw
