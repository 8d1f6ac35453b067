"""What the batch prints: a line per notebook and step on a terminal; under cron one line per notebook and errors."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from salesops_helpers.batch.execute import NotebookRun
from salesops_helpers.batch.manifest import redact


class Progress:
    """Progress lines for one batch run: on a terminal (`steps`) a line per step and the run's start and end; under
    cron one line per notebook, with failures on the error stream."""

    def __init__(self, stream: TextIO | None = None, steps: bool | None = None, errors: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.errors = errors or (self.stream if stream is not None else sys.stderr)
        self.steps = self.stream.isatty() if steps is None else steps
        self._lock = threading.Lock()

    def _print(self, text: str, error: bool = False) -> None:
        with self._lock:
            print(text, file=self.errors if error else self.stream, flush=True)

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
            self._print(f"{head}: FAILED in {run.duration_s:.1f} s, {error}", error=True)

    def say(self, text: str) -> None:
        """A line for a person at a terminal (cron mails only per-notebook lines and errors)."""
        if self.steps:
            self._print(text)

    def warn(self, text: str) -> None:
        """A line every reader sees, on the error stream."""
        self._print(text, error=True)
