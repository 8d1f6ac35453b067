"""A result built once per test run, however many pytest-xdist workers ask for it.

Each worker has its own session, so a session fixture alone would render the demo batch once per worker. The first
worker to ask builds the result in a folder all workers share, under a lock; the others wait and read it back.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")


def shared_root(factory: pytest.TempPathFactory) -> Path:
    """The folder every worker of this test run sees: the run's base folder (one level up under xdist)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]) -> T:
    """`build(folder)` run by the first worker that asks, its result read back by the others (a failed build is
    retried by the next worker that asks, so each reports the failure itself)."""
    root = shared_root(factory)
    record = root / f"{name}.pickle"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if record.exists():
            return pickle.loads(record.read_bytes())  # written by this test run, under the lock
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
        folder.mkdir()
        result = build(folder)
        record.write_bytes(pickle.dumps(result))
        return result
