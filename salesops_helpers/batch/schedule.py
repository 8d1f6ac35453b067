"""The order notebooks start in when several run side by side: the longest first, by how long each took last time.

With two kernels and seven notebooks, the batch ends when its last notebook does; started last, the slowest one
keeps one core busy long after the other is idle. Starting the slowest first (longest processing time first) lets
the short ones fill in beside it. The durations come from the newest earlier run's manifest in the same reports
folder; a notebook never run before starts first, in the order asked for, as its length is unknown.
"""

from __future__ import annotations

import json
from pathlib import Path


def last_durations(root: Path) -> dict[str, float]:
    """Each notebook's seconds in the newest manifest under root (a period folder's manifest.json) where it ran
    without error; empty when there is none or it cannot be read."""
    manifests = sorted(root.glob("[0-9]*/manifest.json"), key=lambda path: path.stat().st_mtime, reverse=True)
    for path in manifests:
        try:
            entries = json.loads(path.read_text(encoding="utf-8")).get("notebooks", [])
        except (OSError, ValueError):
            continue
        durations = {
            str(entry["name"]): float(entry["duration_s"])
            for entry in entries
            if isinstance(entry, dict) and entry.get("status") == "ok" and "duration_s" in entry
        }
        if durations:
            return durations
    return {}


def longest_first(names: list[str], durations: dict[str, float]) -> list[int]:
    """Positions of names in the order to start them: those without a duration first, as given, then the rest by
    their duration, longest first (ties as given)."""
    unknown = [i for i, name in enumerate(names) if name not in durations]
    known = sorted((i for i, name in enumerate(names) if name in durations), key=lambda i: -durations[names[i]])
    return unknown + known
