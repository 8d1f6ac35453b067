"""One batch run for one period: every notebook into a staging folder, then swapped in place of the old reports."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from salesops_helpers.batch.execute import NotebookRun, kernel_threads, run_notebook, stop_kernels
from salesops_helpers.batch.index import write_period_index, write_root_index
from salesops_helpers.batch.manifest import (
    describe_file,
    git_state,
    now_utc,
    package_versions,
    read_json,
    redact,
    write_json,
)
from salesops_helpers.batch.notebooks import ReportNotebook
from salesops_helpers.batch.progress import Progress
from salesops_helpers.batch.schedule import last_durations, longest_first
from salesops_helpers.errors import SalesopsError
from salesops_helpers.paths import PROJECT_ROOT

LOCK_NAME = ".salesops-run.lock"


class BatchBusyError(SalesopsError, RuntimeError):
    """Another batch run is writing to the same reports folder."""


class SecretParameterError(SalesopsError, ValueError):
    """A notebook parameter holds a secret, which papermill would write into the executed notebook."""


@dataclass
class BatchRequest:
    """Everything one run needs: which notebooks, for which period, with which parameters and inputs."""

    notebooks: list[ReportNotebook]
    period: str  # the folder name, YYYY-MM
    period_title: str
    company: str
    parameters: dict[str, Any]  # passed to every notebook; output_dir is added by the run
    inputs: list[Path]
    config_path: Path
    out_root: Path
    data_as_of: str
    cell_timeout: float = 600
    jobs: int = 1
    extra: dict[str, Any] = field(default_factory=dict)  # more facts for the manifest


@dataclass
class BatchResult:
    """Where the reports went and how each notebook did."""

    period_dir: Path
    runs: list[NotebookRun]
    manifest: dict[str, Any]

    @property
    def failed(self) -> list[NotebookRun]:
        """The notebooks that did not render."""
        return [run for run in self.runs if run.status != "ok"]


@contextmanager
def _log_to(path: Path) -> Iterator[None]:
    """Send every library's log lines (papermill, nbclient, traitlets) to the run's log file, not the terminal."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()


@contextmanager
def _exclusive(root: Path) -> Iterator[None]:
    """Hold the reports folder's lock for the whole run, so two runs (two cron jobs) never interleave."""
    with open(root / LOCK_NAME, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchBusyError(f"another salesops run is writing to {root}; try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(root: Path) -> None:
    """Staging folders of runs that were killed outright (we hold the lock, so no live run owns them)."""
    for folder in root.glob(".staging-*"):
        shutil.rmtree(folder, ignore_errors=True)
    for folder in root.glob(".replaced-*"):
        shutil.rmtree(folder, ignore_errors=True)


def _carry_over(run: NotebookRun, staging: Path, previous: Path) -> None:
    """Keep the last good page of a notebook that failed now; its failed notebook is kept as <name>.failed.ipynb.

    The figures a failed run recorded before it stopped are not shown: half a run's figures would mislead.
    """
    run.headlines = []
    run.summary = {"roles": [], "sentences": []}
    if run.notebook:
        failed_copy = f"{run.name}.failed.ipynb"
        (staging / run.notebook).rename(staging / failed_copy)
        run.notebook = failed_copy
    if not previous.exists():
        return
    old_manifest = read_json(previous / "manifest.json") or {}
    old_runs = {r["name"]: r for r in old_manifest.get("notebooks", [])}
    old = old_runs.get(run.name)
    if not old or not old.get("html") or not (previous / old["html"]).exists():
        return
    shutil.copy2(previous / old["html"], staging / old["html"])
    run.html = old["html"]
    run.tables = _copy_tables(old, previous, staging)
    started = (old.get("carried_over") or {}).get("run_started_at") or old_manifest.get("started_at")
    run.carried_over = {"run_started_at": started, "headlines": old.get("headlines", []), "summary": old.get("summary")}
    run.headlines = old.get("headlines", [])


def _copy_tables(old: dict[str, Any], previous: Path, staging: Path) -> str | None:
    """Copy the CSV folder of a page kept from the previous run; its name, or None when it had none."""
    folder = old.get("tables")
    if not folder or not (previous / folder).is_dir():
        return None
    shutil.copytree(previous / folder, staging / folder, dirs_exist_ok=True)
    return str(folder)


def _keep_others(runs: list[NotebookRun], staging: Path, previous: Path) -> list[dict[str, Any]]:
    """Manifest entries (and files) of the previous run's notebooks that this run did not include (--only)."""
    old_manifest = read_json(previous / "manifest.json") if previous.exists() else None
    if not old_manifest:
        return []
    ran = {run.name for run in runs}
    kept = []
    for old in old_manifest.get("notebooks", []):
        if old["name"] in ran:
            continue
        for key in ("html", "notebook"):
            if old.get(key) and (previous / old[key]).exists():
                shutil.copy2(previous / old[key], staging / old[key])
        _copy_tables(old, previous, staging)
        started = (old.get("carried_over") or {}).get("run_started_at") or old_manifest.get("started_at")
        kept.append(dict(old, carried_over={"run_started_at": started, "headlines": old.get("headlines", [])}))
    return kept


def _swap_in(staging: Path, final: Path) -> None:
    """Put the finished staging folder in place of the period's folder; the old one goes only after that."""
    replaced = final.with_name(f".replaced-{final.name}-{os.getpid()}")
    if final.exists():
        final.rename(replaced)
    staging.rename(final)
    shutil.rmtree(replaced, ignore_errors=True)


def _run_all(request: BatchRequest, staging: Path, progress: Progress) -> list[NotebookRun]:
    """Run every notebook, one at a time in the request's order, or side by side the longest first (schedule.py);
    the runs come back in the request's order."""
    parameters = dict(request.parameters, output_dir=str(staging))
    heading = f"{request.company} · {request.period_title}"
    footer = f"Data as of {request.data_as_of}. Rendered {now_utc()} by the sales-operations workbook."
    total = len(request.notebooks)

    def one(position: int, notebook: ReportNotebook) -> NotebookRun:
        run = run_notebook(
            notebook,
            parameters,
            staging,
            heading,
            footer,
            cell_timeout=request.cell_timeout,
            on_step=lambda text: progress.step(notebook.name, text),
            threads=kernel_threads(request.jobs),
        )
        progress.finished(run, position, total)
        return run

    if request.jobs <= 1:
        return [one(i, nb) for i, nb in enumerate(request.notebooks, start=1)]
    order = longest_first([nb.name for nb in request.notebooks], last_durations(request.out_root))
    with ThreadPoolExecutor(max_workers=request.jobs) as pool:
        started = {i: pool.submit(one, i + 1, request.notebooks[i]) for i in order}
        futures = [started[i] for i in range(len(request.notebooks))]
        try:
            return [future.result() for future in futures]
        except BaseException:
            stop_kernels()  # the running notebooks fail at once instead of finishing their cells
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def run_batch(request: BatchRequest, progress: Progress | None = None) -> BatchResult:
    """Render every requested notebook for the period; the period's folder is replaced only when all is written."""
    progress = progress or Progress()
    secret = sorted(name for name, value in request.parameters.items() if redact(value) != value)
    if secret:
        raise SecretParameterError(
            f"parameter(s) {', '.join(secret)} hold a password or token, which would be written into the executed "
            "notebooks; pass secrets to the notebooks through environment variables instead"
        )
    root = request.out_root
    root.mkdir(parents=True, exist_ok=True)
    final = root / request.period
    with _exclusive(root):
        _remove_leftovers(root)
        staging = root / f".staging-{request.period}-{os.getpid()}"
        staging.mkdir()
        try:
            started, clock = now_utc(), time.perf_counter()
            manifest: dict[str, Any] = {
                "period": request.period,
                "period_title": request.period_title,
                "company": request.company,
                "data_as_of": request.data_as_of,
                "parameters": redact(dict(request.parameters, output_dir=str(final))),
                "inputs": [describe_file(path) for path in request.inputs],
                "config": describe_file(request.config_path),
                "packages": package_versions(),
                "git": git_state(PROJECT_ROOT),
                "started_at": started,
                **redact(request.extra),
            }
            (staging / "logs").mkdir()
            with _log_to(staging / "logs" / "batch.log"):
                runs = _run_all(request, staging, progress)
            for run in runs:
                if run.status != "ok":
                    _carry_over(run, staging, final)
            entries = [redact(asdict(run)) for run in runs] + _keep_others(runs, staging, final)
            entries.sort(key=lambda entry: entry["name"])
            failed = [entry["name"] for entry in entries if entry["status"] != "ok"]
            manifest.update(
                status="failed" if failed else "ok",
                finished_at=now_utc(),
                duration_s=round(time.perf_counter() - clock, 2),
                footer=f"Data as of {request.data_as_of}. Run started {started}, finished {now_utc()}.",
                notebooks=entries,
            )
            write_json(staging / "manifest.json", manifest)
            write_period_index(staging, manifest)
            _swap_in(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        write_root_index(root)
    return BatchResult(final, runs, manifest)
