"""Side-by-side notebooks start the longest first, by the durations of the newest earlier run in the same reports
folder; notebooks never run before start first; the runs still come back in the order asked for."""

from __future__ import annotations

import json
import os
from concurrent.futures import Future
from pathlib import Path
from typing import ClassVar

from salesops_helpers.batch import runner
from salesops_helpers.batch.execute import NotebookRun
from salesops_helpers.batch.notebooks import ReportNotebook
from salesops_helpers.batch.progress import Progress
from salesops_helpers.batch.schedule import last_durations, longest_first


def _manifest(folder: Path, entries: list[dict], mtime: float) -> None:
    folder.mkdir(parents=True)
    path = folder / "manifest.json"
    path.write_text(json.dumps({"notebooks": entries}), encoding="utf-8")
    os.utime(path, (mtime, mtime))


def test_the_longest_start_first_and_the_unknown_before_them():
    names = ["00_health", "01_kpis", "02_team", "04_forecast", "06_deals"]
    durations = {"00_health": 25.0, "01_kpis": 64.0, "02_team": 108.0, "04_forecast": 198.0}
    # 06 never ran: first, as asked; then 198, 108, 64, 25 seconds
    assert longest_first(names, durations) == [4, 3, 2, 1, 0]
    assert longest_first(names, {}) == [0, 1, 2, 3, 4]  # a first run keeps the order asked for
    assert longest_first(["a", "b", "c"], {"a": 5.0, "b": 5.0, "c": 9.0}) == [2, 0, 1]  # ties as given


def test_durations_come_from_the_newest_manifest_and_only_from_runs_that_succeeded(tmp_path):
    assert last_durations(tmp_path) == {}
    _manifest(tmp_path / "2026-09", [{"name": "04_forecast", "status": "ok", "duration_s": 50.0}], 1_000)
    _manifest(
        tmp_path / "2026-10",
        [
            {"name": "04_forecast", "status": "ok", "duration_s": 198.0},
            {"name": "02_team", "status": "failed", "duration_s": 3.0},  # failed early: not how long it takes
        ],
        2_000,
    )
    (tmp_path / ".staging-2026-11-1").mkdir()  # a run under way is not a period folder
    (tmp_path / ".staging-2026-11-1" / "manifest.json").write_text("{}", encoding="utf-8")
    assert last_durations(tmp_path) == {"04_forecast": 198.0}
    (tmp_path / "2026-11").mkdir()
    (tmp_path / "2026-11" / "manifest.json").write_text("not json", encoding="utf-8")  # unreadable: skipped
    os.utime(tmp_path / "2026-11" / "manifest.json", (3_000, 3_000))
    assert last_durations(tmp_path) == {"04_forecast": 198.0}


class _Pool:
    """A stand-in for the thread pool that runs each notebook as it is handed in, noting the order."""

    handed: ClassVar[list[str]] = []

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn, position, notebook):
        self.handed.append(notebook.name)
        future: Future = Future()
        future.set_result(fn(position, notebook))
        return future


def test_side_by_side_the_batch_starts_the_slowest_first_and_returns_runs_in_order(tmp_path, monkeypatch):
    names = ["00_health", "01_kpis", "02_team", "04_forecast", "06_deals"]
    _manifest(
        tmp_path / "reports" / "2026-09",
        [
            {"name": n, "status": "ok", "duration_s": s}
            for n, s in zip(names[:4], [25.0, 64.0, 108.0, 198.0], strict=True)
        ],
        1_000,
    )
    started: list[str] = []

    def fake(report, parameters, out_dir, heading, footer, cell_timeout, on_step=lambda step: None, **kwargs):
        started.append(report.name)
        return NotebookRun(report.name, report.name, str(report.path), "0" * 64, status="ok")

    monkeypatch.setattr(runner, "run_notebook", fake)
    monkeypatch.setattr(runner, "ThreadPoolExecutor", _Pool)
    request = runner.BatchRequest(
        notebooks=[ReportNotebook(tmp_path / f"{n}.py") for n in names],
        period="2026-10",
        period_title="October 2026",
        company="Northwind",
        parameters={},
        inputs=[],
        config_path=tmp_path / "workbook.yml",
        out_root=tmp_path / "reports",
        data_as_of="2026-10-31",
        jobs=1,
    )
    staging = tmp_path / "staging"
    staging.mkdir()
    with open(os.devnull, "w") as devnull:
        quiet = Progress(stream=devnull)
        assert [run.name for run in runner._run_all(request, staging, quiet)] == names
        assert started == names  # one at a time: in the order asked for
        request.jobs = 2
        assert [run.name for run in runner._run_all(request, staging, quiet)] == names  # the pages' order
    # 06 never ran: first; then 198, 108, 64 and 25 seconds
    assert _Pool.handed == ["06_deals", "04_forecast", "02_team", "01_kpis", "00_health"]
