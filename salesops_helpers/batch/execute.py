"""Running one report notebook with papermill on this environment's own Python, and what came of it."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import papermill
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from salesops_helpers.batch.html import count_stderr_outputs, export_html
from salesops_helpers.batch.manifest import sha256_file
from salesops_helpers.batch.notebooks import KERNELSPEC, NotebookError, ReportNotebook, check_parameters, notebook_title
from salesops_helpers.presentation.contract import read_headlines, read_summary

# Kernel processes of this batch run, so an interrupted run can stop them at once (notebooks in other threads).
_KERNELS: set[Any] = set()
_KERNELS_LOCK = threading.Lock()


def stop_kernels() -> None:
    """Kill every kernel this process started that is still running."""
    with _KERNELS_LOCK:
        processes = list(_KERNELS)
    for process in processes:
        with contextlib.suppress(OSError):
            process.kill()


# The variables OpenMP, OpenBLAS and MKL read for their thread pools (scikit-learn, NumPy, SciPy, statsmodels).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def kernel_threads(jobs: int) -> int | None:
    """The threads each kernel's numeric libraries may use when `jobs` notebooks run side by side (None: one at a
    time, the libraries' own choice). Unbounded, each library starts a thread per core in every kernel, and the
    kernels slow one another down: at 1M deals two jobs took 336.7 s so, 258.8 s with one thread each."""
    return None if jobs <= 1 else max(1, (os.cpu_count() or 1) // jobs)


def thread_limits(threads: int | None) -> dict[str, str]:
    """The thread variables for a kernel, leaving alone any the user has set."""
    if threads is None:
        return {}
    return {name: str(threads) for name in THREAD_VARIABLES if name not in os.environ}


class ProjectKernelManager(AsyncKernelManager):
    """A kernel on the Python running the batch, whatever kernelspecs a user's home holds (papermill #251, #761)."""

    log_path: Path | None = None
    ipc_dir: Path | None = None
    threads: int | None = None  # the threads each numeric library may start (notebooks side by side), or its own

    @default("transport")
    def _default_transport(self) -> str:
        """Local sockets: no TCP ports to race for when notebooks run side by side (papermill #239)."""
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        """Sockets in a folder of this kernel's own (by default they would land in the working folder)."""
        assert self.ipc_dir is not None, "run_notebook gives each kernel a socket folder"
        return str(self.ipc_dir / "kernel")

    @property
    def kernel_spec(self) -> KernelSpec:
        """This interpreter's ipykernel, with the debugger's frozen-modules warning off (it would print on stderr)."""
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=KERNELSPEC["display_name"],
            language="python",
            env={"PYDEVD_DISABLE_FILE_VALIDATION": "1"} | thread_limits(self.threads),
        )

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        """Send the kernel process's own output (not the notebook's) to a log file, never to the terminal."""
        if self.log_path is not None:
            log = open(self.log_path, "ab")  # noqa: SIM115 - the kernel process holds it for its lifetime
            kw["stdout"] = kw["stderr"] = log
        await super()._async_launch_kernel(kernel_cmd, **kw)
        process = getattr(self.provisioner, "process", None)
        if process is not None:
            with _KERNELS_LOCK:
                _KERNELS.add(process)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Forget the kernel's process once it is shut down."""
        process = getattr(self.provisioner, "process", None)
        with _KERNELS_LOCK:
            _KERNELS.discard(process)
        await super()._async_cleanup_resources(restart)


@dataclass
class CellError:
    """Where and how a notebook failed."""

    cell: int | None  # position among the notebook's own code cells, from 1
    code: str  # the cell's first line of code, to find it
    ename: str
    evalue: str

    def describe(self) -> str:
        """One line for the index and the terminal."""
        where = f"code cell {self.cell} ({self.code})" if self.cell else "before any cell ran"
        return f"{where}: {self.ename}: {self.evalue}"


@dataclass
class NotebookRun:
    """The outcome of one notebook in one batch run."""

    name: str
    title: str
    source: str
    source_sha256: str
    status: str = "failed"  # ok | failed
    duration_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    error: CellError | None = None
    headlines: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, list[str]] = field(default_factory=lambda: {"roles": [], "sentences": []})
    stderr_outputs: int = 0
    html: str | None = None
    tables: str | None = None  # the folder of CSV files holding every row of the page's shortened tables
    notebook: str | None = None
    carried_over: dict[str, Any] | None = None


def _first_code_line(source: str) -> str:
    """The first line of a cell that is code rather than a comment, shortened."""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped if len(stripped) <= 80 else stripped[:77] + "..."
    return "(comments only)"


def _failed_cell(executed: nbformat.NotebookNode) -> tuple[int | None, str]:
    """The failed cell of an executed notebook, as its position among the notebook's own code cells (not counting
    the injected parameters) and its first line of code: the cell papermill marks as failed, or else the last cell
    that started (a timeout or a dead kernel leaves no mark)."""
    found: tuple[int | None, str] = (None, "")
    position = 0
    for cell in executed.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        position += 1
        meta = cell.metadata.get("papermill", {})
        if meta.get("exception") or meta.get("status") == "failed":
            return position, _first_code_line(cell.source)
        if meta.get("start_time"):
            found = (position, _first_code_line(cell.source))
    return found


def _cell_seconds(executed: nbformat.NotebookNode) -> float:
    """Time spent running cells, from papermill's per-cell durations."""
    return sum(float(c.metadata.get("papermill", {}).get("duration") or 0.0) for c in executed.cells)


def run_notebook(
    report: ReportNotebook,
    parameters: dict[str, Any],
    out_dir: Path,
    heading: str,
    footer: str,
    cell_timeout: float,
    start_timeout: float = 60,
    on_step: Callable[[str], None] = lambda step: None,
    threads: int | None = None,
) -> NotebookRun:
    """Execute one notebook into out_dir/<name>.ipynb and, when it succeeds, export out_dir/<name>.html; threads
    bounds its kernel's numeric thread pools (kernel_threads)."""
    started = time.perf_counter()
    source = report.read()
    run = NotebookRun(report.name, notebook_title(source, report.name), str(report.path), sha256_file(report.path))
    executed_path = out_dir / f"{report.name}.ipynb"
    logs = out_dir / "logs"
    logs.mkdir(exist_ok=True)
    sockets = Path(tempfile.mkdtemp(prefix="salesops-kernel-"))  # short: socket paths are limited to ~100 bytes
    manager = type(
        "KernelManager",
        (ProjectKernelManager,),
        {"log_path": logs / f"{report.name}.kernel.log", "ipc_dir": sockets, "threads": threads},
    )
    try:
        check_parameters(report.name, source, parameters)
        on_step("starting its kernel and running its cells")
        papermill.execute_notebook(
            source,
            str(executed_path),
            parameters=parameters,
            kernel_name=KERNELSPEC["name"],
            progress_bar=False,
            log_output=False,
            start_timeout=start_timeout,
            execution_timeout=cell_timeout,
            cwd=str(report.path.parent),
            kernel_manager_class=manager,
        )
    except NotebookError as exc:
        run.error = CellError(None, "", "NotebookError", str(exc))
    except papermill.PapermillExecutionError as exc:
        cell, code = _failed_cell(nbformat.read(executed_path, as_version=4))
        run.error = CellError(cell, code, exc.ename, str(exc.evalue))
    except Exception as exc:  # a cell timeout, a dead kernel, a kernel that never started
        cell, code = (None, "")
        if executed_path.exists():
            cell, code = _failed_cell(nbformat.read(executed_path, as_version=4))
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        run.error = CellError(cell, code, type(exc).__name__, message)
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    executed_at = time.perf_counter()
    if executed_path.exists():
        run.notebook = executed_path.name
        executed = nbformat.read(executed_path, as_version=4)
        cells = _cell_seconds(executed)
        run.timings = {"kernel_start_and_overhead": max(executed_at - started - cells, 0.0), "cells": cells}
        run.headlines = read_headlines(executed)
        run.summary = read_summary(executed)
        run.stderr_outputs = count_stderr_outputs(executed)
        if run.error is None:
            on_step("exporting HTML")
            target = out_dir / f"{report.name}.html"
            run.tables = export_html(executed, target, f"{run.title} · {heading}", heading, footer)
            run.html = target.name
            run.status = "ok"
            run.timings["html"] = time.perf_counter() - executed_at
    run.duration_s = time.perf_counter() - started
    return run
