"""What the batch prints: a line per notebook and step on a terminal; under cron one line per notebook and errors."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from salesops_helpers.batch.execute import NotebookRun
from salesops_helpers.batch.manifest import redact


class Progress:
    """Progress lines for one batch run; `steps` adds a line per step (a terminal), else only outcomes (cron)."""

    def __init__(self, stream: TextIO | None = None, steps: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.steps = self.stream.isatty() if steps is None else steps
        self._lock = threading.Lock()

    def _print(self, text: str) -> None:
        with self._lock:
            print(text, file=self.stream, flush=True)

    def step(self, name: str, text: str) -> None:
        """A notebook has reached a step (only shown on a terminal)."""
        if self.steps:
            self._print(f"  {name}: {text}")

    def finished(self, run: NotebookRun, position: int, total: int) -> None:
        """A notebook is done: one line, with the error when it failed."""
        head = f"[{position}/{total}] {run.name}"
        if run.status == "ok":
            self._print(f"{head}: ok in {run.duration_s:.1f} s")
        else:
            error = redact(run.error.describe()) if run.error else "unknown error"
            self._print(f"{head}: FAILED in {run.duration_s:.1f} s, {error}")

    def say(self, text: str) -> None:
        """A line every reader sees."""
        self._print(text)
