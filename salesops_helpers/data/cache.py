"""A cache of validated data folders, so a second command on unchanged files skips reading and validating them.

An entry holds data only, never code: one Parquet file per table and a small entry.json with the key's parts, the
data-quality log and the rest of what SalesData needs. Nothing in the cache is unpickled, so whoever can write the
cache folder cannot make the analyst's commands run code.

An entry is keyed by the data files' names, sizes and modification times, the configuration and mapping, the
tables skipped, today's date (the checks for dates after today depend on it), the workbook's version and data-layer
code, and the Python, pandas, pyarrow and numpy versions; anything else changing means a new entry.

Entries live in $SALESOPS_CACHE if set, else $XDG_CACHE_HOME/salesops, else ~/.cache/salesops (never in the data
folder, which is only read, nor in the source tree). Together they take at most $SALESOPS_CACHE_MAX_SIZE (such as
500M or 4G; 2G when unset): the least recently used entries are dropped first. `salesops cache --clear` empties it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import platform
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from salesops_helpers.config import WorkbookConfig
    from salesops_helpers.data.as_of import DataDay
    from salesops_helpers.data.loading import SalesData

CACHE_ENV = "SALESOPS_CACHE"
SIZE_ENV = "SALESOPS_CACHE_MAX_SIZE"
DEFAULT_MAX_SIZE = 2 * 1024**3  # a 1M-deal company takes 45 MB (no activities) to 75 MB
ENTRY_FILE = "entry.json"
LAYOUT = 4  # version of the entry layout: 1 was a pickle, 2 had no data day, 3 had no leads
STALE_PARTIAL_SECONDS = 3600  # a half-written entry older than this was left by a killed run
_KEY = re.compile(r"[0-9a-f]{32}")
_PARTIAL = ".partial-"
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_DATA_LAYER = Path(__file__).resolve().parent
# SalesData's fields this module stores; a field it does not know means no caching rather than an entry without it.
_STORED_FIELDS = {
    "opportunities",
    "reps",
    "quotas",
    "history",
    "activities",
    "leads",
    "campaigns",
    "quality",
    "config",
    "folder",
    "found_day",
    "stated_day",  # never stored: a load states no day; the analyst states it on the loaded data
    "files",
    "columns_in_file",
    "mapped",
    "sources",
    "database",
    "window_since",  # never stored: a read from a database is not cached
}
_TABLES = ("opportunities", "reps", "quotas", "history", "activities", "leads", "campaigns")


@dataclass(frozen=True)
class CacheEntry:
    """One stored entry: its folder, its size on disk and when it was last written or read."""

    path: Path
    size: int
    last_used: float


def cache_root() -> Path:
    """The folder holding the entries: $SALESOPS_CACHE, else $XDG_CACHE_HOME/salesops, else ~/.cache/salesops."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"  # XDG: relative paths are invalid
    return base / "salesops"


def parse_size(text: str) -> int | None:
    """A size such as 2G, 500M, 64k or 1048576 (bytes) in bytes, or None when the text is not one."""
    found = _SIZE.fullmatch(text.strip().lower())
    return int(float(found[1]) * _UNITS[found[2]]) if found else None


def max_size() -> int:
    """The most bytes all entries may take together: $SALESOPS_CACHE_MAX_SIZE, or 2 GiB when unset or unreadable."""
    size = parse_size(os.environ.get(SIZE_ENV, ""))
    return DEFAULT_MAX_SIZE if size is None else size


def versions() -> dict[str, str]:
    """The versions an entry depends on: a change in any of them makes earlier entries unusable."""
    import numpy
    import pyarrow

    import salesops_helpers

    return {
        "salesops_helpers": salesops_helpers.__version__,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
    }


def _files(folder: Path, cache: Path) -> list[list[object]]:
    """Name, size and modification time of every file under folder (none is read, so this stays fast); files that
    vanish or cannot be listed are left out, and so is the cache folder when it lies inside."""
    found = []
    for parent, folders, names in os.walk(folder):
        here = Path(parent)
        if here != folder and here.is_relative_to(cache):
            folders.clear()
            continue
        for name in names:
            with contextlib.suppress(OSError):
                info = (here / name).stat()
                found.append([(here / name).relative_to(folder).as_posix(), info.st_size, info.st_mtime_ns])
    return sorted(found)


def _stat(path: Path) -> list[object]:
    """A source file's path, size and modification time."""
    info = path.stat()
    return [str(path), info.st_size, info.st_mtime_ns]


def cache_key(folder: Path, config_json: str, skip: tuple[str, ...]) -> str:
    """The fingerprint of everything a load depends on."""
    folder = folder.resolve()
    parts = {
        "layout": LAYOUT,
        "versions": versions(),
        "folder": str(folder),
        "settings": config_json,
        "skip": sorted(skip),
        "today": pd.Timestamp.today().strftime("%Y-%m-%d"),
        "files": _files(folder, cache_root().resolve()),
        "code": [_stat(p) for p in sorted([*_DATA_LAYER.rglob("*.py"), _DATA_LAYER.parent / "config.py"])],
    }
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


# --------------------------------------------------------------------------------------------------------------------
# Reading and writing one entry
# --------------------------------------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    """A cell of a data-quality example as JSON; a timestamp is tagged, anything else JSON cannot hold refused."""
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
        value = value.item()  # a numpy scalar as the Python value it holds
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, pd.Timestamp):
        return {"timestamp": value.isoformat()}
    raise TypeError(f"a data-quality example holds a {type(value).__name__}, which the cache does not store")


def _unplain(value: object) -> object:
    """A cell stored by _plain, back as it was."""
    return pd.Timestamp(value["timestamp"]) if isinstance(value, dict) else value


def _index_to_json(index: pd.Index) -> dict[str, Any]:
    """An index as JSON: a range by its bounds, anything else by its values and dtype."""
    if isinstance(index, pd.RangeIndex):
        return {"range": [index.start, index.stop, index.step]}
    return {"values": [_plain(v) for v in index], "dtype": str(index.dtype)}


def _index_from_json(stored: dict[str, Any]) -> pd.Index:
    """An index stored by _index_to_json."""
    if "range" in stored:
        return pd.RangeIndex(*stored["range"])
    return pd.Index([_unplain(v) for v in stored["values"]], dtype=stored["dtype"])


def _examples_to_json(frame: pd.DataFrame) -> dict[str, Any]:
    """A problem's example rows as JSON, with each column's dtype."""
    return {
        "columns": _index_to_json(frame.columns),
        "dtypes": [str(t) for t in frame.dtypes],
        "index": _index_to_json(frame.index),
        "values": [[_plain(v) for v in frame.iloc[:, i]] for i in range(frame.shape[1])],
    }


def _examples_from_json(stored: dict[str, Any]) -> pd.DataFrame:
    """Example rows stored by _examples_to_json."""
    index = _index_from_json(stored["index"])
    frame = pd.DataFrame(index=index, columns=_index_from_json(stored["columns"]))
    for position, (dtype, values) in enumerate(zip(stored["dtypes"], stored["values"], strict=True)):
        frame.isetitem(position, pd.Series([_unplain(v) for v in values], index=index, dtype=dtype))
    return frame


def _table_to_json(frame: pd.DataFrame) -> dict[str, Any]:
    """What Parquet does not keep exactly about a table: each column's dtype and each category column's categories
    (their order, their dtype and the ones no row uses)."""
    categories = {
        name: {
            "values": [_plain(v) for v in frame[name].cat.categories],
            "dtype": str(frame[name].cat.categories.dtype),
            "ordered": bool(frame[name].cat.ordered),
        }
        for name in frame.columns
        if isinstance(frame[name].dtype, pd.CategoricalDtype)
    }
    return {"dtypes": {name: str(dtype) for name, dtype in frame.dtypes.items()}, "categories": categories}


@contextlib.contextmanager
def _system_allocator() -> Iterator[None]:
    """pyarrow allocating with the C library's malloc for a while: its default allocator (mimalloc) made a 1M-deal
    company's warm load take a third more CPU, most of it the kernel clearing fresh memory pages."""
    import pyarrow

    previous = pyarrow.default_memory_pool()
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    try:
        yield
    finally:
        pyarrow.set_memory_pool(previous)


def _read_table(path: Path, stored: dict[str, Any]) -> pd.DataFrame:
    """One table back from its Parquet file, with its dtypes exactly as written (ValueError if they are not)."""
    frame = pd.read_parquet(path)
    for name, spec in stored["categories"].items():
        categories = pd.Index([_unplain(v) for v in spec["values"]], dtype=spec["dtype"])
        frame[name] = frame[name].astype(pd.CategoricalDtype(categories, ordered=spec["ordered"]))
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    if dtypes != stored["dtypes"]:
        raise ValueError(f"{path.name} did not come back with the dtypes it was written with")
    return frame


def _problem_to_json(problem: Any) -> dict[str, Any]:
    """One data-quality problem as JSON."""
    fields = {f.name: _plain(getattr(problem, f.name)) for f in dataclasses.fields(problem) if f.name != "examples"}
    return {**fields, "examples": _examples_to_json(problem.examples)}


def _storable(data_class: type) -> bool:
    """Whether this module knows how to store every field of SalesData."""
    return {f.name for f in dataclasses.fields(data_class)} == _STORED_FIELDS


def _entry_json(key: str, data: SalesData, tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Everything about a load except the tables' rows."""
    return {
        "layout": LAYOUT,
        "key": key,
        "versions": versions(),
        "tables": tables,
        "quality": [_problem_to_json(p) for p in data.quality.problems],
        "config": data.config.model_dump(mode="json"),
        "folder": str(data.folder),
        "found_day": {"day": data.found_day.day.isoformat(), "basis": data.found_day.basis},
        "files": {name: str(path) for name, path in data.files.items()},
        "columns_in_file": {name: sorted(columns) for name, columns in data.columns_in_file.items()},
        "mapped": [dataclasses.asdict(summary) for summary in data.mapped],
        "sources": data.sources,
        "database": data.database,
    }


def _from_entry(folder: Path, meta: dict[str, Any]) -> SalesData:
    """The SalesData an entry folder holds."""
    from salesops_helpers.config import WorkbookConfig
    from salesops_helpers.data.loading import SalesData
    from salesops_helpers.data.mapping import TableSummary
    from salesops_helpers.data.quality import DataQualityLog, Problem

    frames = {name: _read_table(folder / f"{name}.parquet", spec) for name, spec in meta["tables"].items()}
    problems = [
        Problem(**{**stored, "examples": _examples_from_json(stored["examples"])}) for stored in meta["quality"]
    ]
    return SalesData(
        opportunities=frames["opportunities"],
        reps=frames["reps"],
        quotas=frames.get("quotas"),
        history=frames.get("history"),
        activities=frames.get("activities"),
        leads=frames.get("leads"),
        campaigns=frames.get("campaigns"),
        quality=DataQualityLog(problems),
        config=WorkbookConfig.model_validate(meta["config"]),
        folder=Path(meta["folder"]),
        found_day=_day_from_json(meta["found_day"]),
        files={name: Path(path) for name, path in meta["files"].items()},
        columns_in_file={name: set(columns) for name, columns in meta["columns_in_file"].items()},
        mapped=[TableSummary(**summary) for summary in meta["mapped"]],
        sources=meta["sources"],
        database=meta["database"],
    )


def read(key: str) -> SalesData | None:
    """The cached load for a key, or None when there is none or it cannot be read back exactly."""
    from salesops_helpers.data.loading import SalesData

    folder = cache_root() / key
    if not _KEY.fullmatch(key) or not _storable(SalesData) or not (folder / ENTRY_FILE).is_file():
        return None
    try:
        meta = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        if meta.get("layout") != LAYOUT or meta.get("key") != key:
            return None
        with _system_allocator():
            data = _from_entry(folder, meta)
    except Exception:  # whatever is wrong with an entry (a truncated file, a hand edit), a fresh load replaces it
        return None
    with contextlib.suppress(OSError):
        os.utime(folder)  # marks the entry as recently used, for the size bound
    return data


def _day_from_json(stored: dict[str, str]) -> DataDay:
    """The data's day as an entry records it."""
    from salesops_helpers.data.as_of import DataDay

    return DataDay(pd.Timestamp(stored["day"]), stored["basis"])


@dataclass(frozen=True)
class StoredTables:
    """A cached load's validated tables as Parquet files, for an engine that reads them where they are (no frame is
    built): the configuration they were validated under and the file of each table (None for a table not loaded)."""

    config: WorkbookConfig
    opportunities: Path
    reps: Path
    quotas: Path | None
    history: Path | None
    data_day: DataDay  # found by the load, or stated by the analyst

    @property
    def as_of(self) -> pd.Timestamp:
        """The day the data stands on (SalesData.as_of)."""
        return self.data_day.day

    def stated_as_of(self, text: str) -> StoredTables:
        """The same tables standing on a day the analyst states (SalesData.stated_as_of)."""
        from salesops_helpers.data.as_of import stated_day

        return dataclasses.replace(self, data_day=stated_day(text)) if text.strip() else self


def stored(key: str) -> StoredTables | None:
    """The Parquet files of the cached load for a key, without reading them, or None when there is no usable entry."""
    from salesops_helpers.config import WorkbookConfig

    folder = cache_root() / key
    if not _KEY.fullmatch(key) or not (folder / ENTRY_FILE).is_file():
        return None
    try:
        meta = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        if meta.get("layout") != LAYOUT or meta.get("key") != key:
            return None
        tables = {name: folder / f"{name}.parquet" for name in meta["tables"]}
        if not all(path.is_file() for path in tables.values()) or "opportunities" not in tables:
            return None
        config = WorkbookConfig.model_validate(meta["config"])
        day = _day_from_json(meta["found_day"])
    except Exception:  # an entry that cannot be read back is one a fresh load replaces
        return None
    with contextlib.suppress(OSError):
        os.utime(folder)  # marks the entry as recently used, for the size bound
    return StoredTables(
        config, tables["opportunities"], tables["reps"], tables.get("quotas"), tables.get("history"), day
    )


def write(key: str, data: SalesData) -> None:
    """Store a load under its key: written into a temporary folder that is renamed into place only when complete,
    so a killed run never leaves an entry that loads half; then the least recently used entries beyond the size
    bound are dropped. A cache that cannot be written only costs time, so any failure is silent."""
    if not _KEY.fullmatch(key) or not _storable(type(data)):
        return
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=_PARTIAL, dir=root))
    except OSError:
        return
    try:
        tables = {}
        with _system_allocator():
            for name in _TABLES:
                frame = getattr(data, name)
                if frame is not None:
                    frame.to_parquet(partial / f"{name}.parquet", compression="zstd")
                    tables[name] = _table_to_json(frame)
        meta = json.dumps(_entry_json(key, data, tables), ensure_ascii=False)
        (partial / ENTRY_FILE).write_text(meta, encoding="utf-8")
        shutil.rmtree(root / key, ignore_errors=True)  # an entry that could not be read back
        partial.rename(root / key)
    except Exception:  # pyarrow refusing an unusual column, a full disk, another run's entry landing first
        shutil.rmtree(partial, ignore_errors=True)
        return
    trim(max_size())


# --------------------------------------------------------------------------------------------------------------------
# The whole cache: listing, the size bound, clearing
# --------------------------------------------------------------------------------------------------------------------


def _size(folder: Path) -> int:
    """Bytes the files in a folder take."""
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total


def entries() -> list[CacheEntry]:
    """The stored entries, least recently used first. Only folders named like a key count as entries: the
    cache folder may be one a user named, holding other things."""
    root = cache_root()
    found = []
    try:
        children = list(root.iterdir())
    except OSError:
        return []
    for child in children:
        try:
            if _KEY.fullmatch(child.name) and child.is_dir():
                found.append(CacheEntry(child, _size(child), child.stat().st_mtime))
        except OSError:
            continue
    return sorted(found, key=lambda entry: (entry.last_used, entry.path.name))


def entry_folder(entry: CacheEntry) -> str:
    """The data folder an entry was loaded from, as its entry.json records it ("(unreadable)" when it cannot say)."""
    try:
        return str(json.loads((entry.path / ENTRY_FILE).read_text(encoding="utf-8"))["folder"])
    except (OSError, ValueError, KeyError, TypeError):
        return "(unreadable)"


def _partials(older_than: float) -> list[Path]:
    """Temporary folders of writes that began more than older_than seconds ago."""
    now = time.time()
    try:
        children = list(cache_root().iterdir())
    except OSError:
        return []
    found = []
    for child in children:
        try:
            if child.name.startswith(_PARTIAL) and child.is_dir() and now - child.stat().st_mtime >= older_than:
                found.append(child)
        except OSError:
            continue
    return found


def trim(limit: int) -> int:
    """Drop the least recently used entries until all together take at most limit bytes, and the half-written
    entries of killed runs; returns the bytes freed."""
    freed = 0
    for partial in _partials(STALE_PARTIAL_SECONDS):
        freed += _size(partial)
        shutil.rmtree(partial, ignore_errors=True)
    stored = entries()
    total = sum(entry.size for entry in stored)
    for entry in stored:
        if total <= limit:
            break
        shutil.rmtree(entry.path, ignore_errors=True)
        total -= entry.size
        freed += entry.size
    return freed


def clear_cache() -> int:
    """Remove every entry (and any half-written one); returns the bytes freed. Other files in the folder stay."""
    freed = 0
    for folder in [entry.path for entry in entries()] + _partials(0):
        freed += _size(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return freed
