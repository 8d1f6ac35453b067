"""A cache of validated data folders, so a second command on unchanged files skips reading and validating them.

An entry is keyed by the data files' names, sizes and modification times, the configuration, the tables skipped
and the workbook's own code; anything else changing means a new entry. Entries live in .cache/validated/ beside
the project (never in the data folder, which is only read) and only the newest few are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

from salesops_helpers.paths import PROJECT_ROOT

CACHE_ROOT = Path(os.environ.get("SALESOPS_CACHE", PROJECT_ROOT / ".cache" / "validated"))
KEEP = 2  # entries kept: a 1M-deal company takes about 330 MB
_PACKAGE = Path(__file__).resolve().parent


def _stat(path: Path) -> list[object]:
    info = path.stat()
    return [str(path), info.st_size, info.st_mtime_ns]


def cache_key(folder: Path, config_json: str, skip: tuple[str, ...]) -> str:
    """The fingerprint of everything a load depends on."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    code = sorted(_PACKAGE.rglob("*.py"))
    parts = [str(folder.resolve()), config_json, sorted(skip), [_stat(p) for p in files], [_stat(p) for p in code]]
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()[:32]


def read(key: str) -> object | None:
    """The cached object for a key, or None (also when the entry is unreadable)."""
    path = CACHE_ROOT / key / "data.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)  # our own cache, written by write() below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def write(key: str, value: object) -> None:
    """Store an object under a key (written beside its place, then renamed) and drop the oldest entries."""
    folder = CACHE_ROOT / key
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"data.pickle.{os.getpid()}.partial"
        with open(partial, "wb") as handle:
            pickle.dump(value, handle, protocol=5)
        partial.replace(folder / "data.pickle")
        entries = sorted(CACHE_ROOT.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return  # a cache that cannot be written only costs time
