"""`salesops cache`: where the cache of validated data is, what it holds, and `--clear` to empty it.

Wired into salesops_helpers/cli/main.py with add_cache_parser(sub).
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime

from salesops_helpers.cli.options import EXIT_OK
from salesops_helpers.data import cache as data_cache
from salesops_helpers.formatting import plural


def add_cache_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the cache sub-command to the salesops parser."""
    parser = sub.add_parser("cache", help="show the cache of validated data (location, entries, size) or --clear it")
    parser.add_argument("--clear", action="store_true", help="remove every entry; the next command validates afresh")
    parser.set_defaults(func=cmd_cache)
    return parser


def size_text(size: int) -> str:
    """A number of bytes as people read it: 512 bytes, 34.5 KB, 118.2 MB, 2.0 GB (units of 1024)."""
    if size < 1024:
        return plural(size, "byte")
    scaled = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        scaled /= 1024
        if scaled < 1024 or unit == "TB":
            break
    return f"{scaled:.1f} {unit}"


def cmd_cache(args: argparse.Namespace) -> int:
    """Print the cache's folder, its entries and their size against the bound; with --clear, empty it first."""
    root = data_cache.cache_root()
    if args.clear:
        count = len(data_cache.entries())
        freed = data_cache.clear_cache()
        print(f"Removed {plural(count, 'entry', 'entries')} ({size_text(freed)}) from {root}")
        return EXIT_OK
    stored = data_cache.entries()
    total = sum(entry.size for entry in stored)
    where = "set by " + data_cache.CACHE_ENV if os.environ.get(data_cache.CACHE_ENV, "").strip() else "default"
    print(f"Cache of validated data: {root} ({where})")
    print(
        f"{plural(len(stored), 'entry', 'entries')}, {size_text(total)} of at most "
        f"{size_text(data_cache.max_size())} ({data_cache.SIZE_ENV}); least recently used dropped first"
    )
    for entry in reversed(stored):
        used = datetime.fromtimestamp(entry.last_used).strftime("%Y-%m-%d %H:%M")
        print(f"  {used}  {size_text(entry.size):>10}  {data_cache.entry_folder(entry)}")
    return EXIT_OK
