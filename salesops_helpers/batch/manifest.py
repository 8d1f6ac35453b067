"""The run manifest: what a batch run read, with which code, when, and how each notebook went. Never a secret."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

# Distributions whose versions decide the numbers and the pages.
PACKAGES = (
    "salesops-workbook",
    "pandas",
    "numpy",
    "pyarrow",
    "matplotlib",
    "seaborn",
    "prophet",
    "papermill",
    "nbconvert",
    "nbclient",
    "jupytext",
    "ipykernel",
    "pydantic",
)
SECRET_KEY = re.compile(r"pass(word|wd)?|secret|token|api[_-]?key|credential|private[_-]?key", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^:/@\s]*:)(?P<secret>[^@\s]*)(?P<tail>@)", re.IGNORECASE)
_QUERY_PARAMETER = re.compile(r"(?P<head>[?&;](?P<name>[^=&;#\s]*)=)(?P<value>[^&;#\s]*)")
_FREE_TEXT_SECRET = re.compile(
    r"(?P<head>\b(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key)\s*[=:]\s*)(?P<value>[^\s,;&'\"]+)", re.IGNORECASE
)
HIDDEN = "***"


def now_utc() -> str:
    """The current moment as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def redact(value: Any) -> Any:
    """A value with every password, token or key replaced by ***: in URLs, query strings and secret-named keys."""
    if isinstance(value, str):
        value = _URL_PASSWORD.sub(lambda m: m["head"] + HIDDEN + m["tail"], value)
        value = _FREE_TEXT_SECRET.sub(lambda m: m["head"] + HIDDEN, value)
        return _QUERY_PARAMETER.sub(
            lambda m: (
                m["head"] + (HIDDEN if SECRET_KEY.search(m["name"]) or m["name"].lower() == "key" else m["value"])
            ),
            value,
        )
    if isinstance(value, dict):
        return {k: HIDDEN if SECRET_KEY.search(str(k)) else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_file(path: Path) -> dict[str, Any]:
    """A file's path, size and SHA-256."""
    return {"path": redact(str(path)), "bytes": path.stat().st_size, "sha256": sha256_file(path)}


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages that shape the reports, plus Python's."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_state(folder: Path) -> dict[str, Any]:
    """The project's git commit and whether its tracked files had uncommitted changes (None outside git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}


def write_text(path: Path, text: str) -> None:
    """Write a file beside its target first, then rename it into place, so a reader never sees half of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_json(path: Path, data: Any) -> None:
    """Write JSON with write_text."""
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON file's content, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
