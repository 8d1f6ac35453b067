"""The monthly batch (`salesops run`): exit codes, manifest, index pages, leadership HTML, reruns, locks, secrets.

Every notebook run starts a Jupyter kernel, so the runs are few and shared: one real `salesops` process renders the
three fixture notebooks (one good, one raising, one too slow) and several tests read what it wrote. Tests that only
need the runner's bookkeeping replace `run_notebook` or forbid papermill, so they start no kernel at all.
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import papermill
import pytest

from salesops_helpers.batch import runner
from salesops_helpers.batch.execute import CellError, NotebookRun
from salesops_helpers.batch.manifest import HIDDEN, now_utc, redact
from salesops_helpers.batch.notebooks import ReportNotebook
from salesops_helpers.batch.progress import Progress
from salesops_helpers.batch.runner import LOCK_NAME, BatchRequest, SecretParameterError, run_batch
from salesops_helpers.cli.main import main
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA, PROJECT_ROOT

FIXTURES = Path(__file__).parent / "notebooks"
PERIOD = "2026-10"
FIXTURE_NAMES = ["01_ok", "02_fails", "03_slow"]

PARAMETERS_CELL = """\
# %% tags=["parameters"]
period = ""
data_dir = ""
config_path = ""
output_dir = ""
interactive = True
"""


# --------------------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------------------


def _salesops_command() -> list[str]:
    """The installed console script next to this interpreter (what cron runs), or the module as a fallback."""
    script = Path(sys.executable).with_name("salesops")
    return [str(script)] if script.exists() else [sys.executable, "-m", "salesops_helpers.cli"]


def _run(*args: str, out: Path, period: str = PERIOD, notebooks: Path = FIXTURES) -> int:
    """`salesops run` in this process, always into a test folder (never the project's reports/)."""
    return main(["run", "--notebooks", str(notebooks), "--out", str(out), "--period", period, "--quiet", *args])


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for pattern in (".staging-*", ".replaced-*") for p in root.glob(pattern))


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes] | str]:
    """Every file under a folder with its mtime and bytes, and every sub-folder, by relative path (not the lock file,
    which every run opens for writing)."""
    found: dict[str, tuple[int, bytes] | str] = {}
    for path in sorted(folder.rglob("*")):
        if path.name == LOCK_NAME:
            continue
        key = str(path.relative_to(folder))
        found[key] = "dir" if path.is_dir() else (path.stat().st_mtime_ns, path.read_bytes())
    return found


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _index_rows(page: str) -> dict[str, tuple[str, str, str]]:
    """The rows of a period index by report title: (status class, visible text, raw HTML)."""
    rows = {}
    for status, body in re.findall(r'<tr class="status-([\w-]+)">(.*?)</tr>', page, flags=re.DOTALL):
        first_cell = re.search(r"<td>(.*?)</td>", body, flags=re.DOTALL)
        title = _text(re.sub(r"<div.*?</div>", "", first_cell.group(1), flags=re.DOTALL))
        rows[title] = (status, _text(body), body)
    return rows


def _by_name(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {run["name"]: run for run in manifest["notebooks"]}


def _read_manifest(period_dir: Path) -> dict[str, Any]:
    return json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail loudly if anything tries to execute a notebook (and so start a kernel)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a notebook was executed, so a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


# --------------------------------------------------------------------------------------------------------------------
# One real run of the three fixtures, as cron would start it: 01_ok renders, 02_fails raises, 03_slow times out.
# --------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("failed-run") / "reports"
    env = {k: v for k, v in os.environ.items() if k != "SALESOPS_DEBUG"}
    command = [
        *_salesops_command(),
        "run",
        "--notebooks",
        str(FIXTURES),
        "--only",
        *FIXTURE_NAMES,
        "--out",
        str(out),
        "--period",
        PERIOD,
        "--cell-timeout",
        "2",
        "--quiet",
    ]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=180)
    period_dir = out / PERIOD
    manifest = _read_manifest(period_dir) if (period_dir / "manifest.json").exists() else {"notebooks": []}
    return SimpleNamespace(out=out, period_dir=period_dir, proc=proc, manifest=manifest, runs=_by_name(manifest))


def test_a_run_with_failing_reports_exits_4_and_keeps_the_good_one(failed_run):
    assert failed_run.proc.returncode == 4, failed_run.proc.stderr
    assert (failed_run.period_dir / "01_ok.html").is_file()
    assert not (failed_run.period_dir / "02_fails.html").exists()
    assert not (failed_run.period_dir / "03_slow.html").exists()
    assert failed_run.manifest["status"] == "failed"
    assert [run["name"] for run in failed_run.manifest["notebooks"]] == FIXTURE_NAMES


def test_failures_are_in_the_manifest_with_cell_exception_and_message(failed_run):
    runs = failed_run.runs
    assert runs["01_ok"]["status"] == "ok"
    assert runs["01_ok"]["error"] is None

    fails = runs["02_fails"]
    assert fails["status"] == "failed"
    assert fails["error"]["cell"] == 3
    assert fails["error"]["ename"] == "ValueError"
    assert fails["error"]["evalue"] == "the deliberate failure of the fixture"
    assert fails["error"]["code"].startswith("raise ValueError(")
    assert fails["html"] is None

    slow = runs["03_slow"]
    assert slow["status"] == "failed"
    assert slow["error"]["cell"] == 2
    assert slow["error"]["ename"] == "CellTimeoutError"
    assert "timed out" in slow["error"]["evalue"]
    assert "2 seconds" in slow["error"]["evalue"]
    assert slow["html"] is None


def test_period_index_marks_each_failed_report_and_shows_its_error(failed_run):
    rows = _index_rows((failed_run.period_dir / "index.html").read_text(encoding="utf-8"))
    assert set(rows) == {"A report that works", "A report that fails", "A report that is too slow"}

    status, text, body = rows["A report that works"]
    assert status == "ok"
    assert 'href="01_ok.html"' in body

    status, text, body = rows["A report that fails"]
    assert status == "failed"
    assert "Failed at code cell 3" in text
    assert "ValueError: the deliberate failure of the fixture" in text
    assert "<a href" not in body.split("</td>")[0]  # no link to a page that does not exist

    status, text, _ = rows["A report that is too slow"]
    assert status == "failed"
    assert "Failed at code cell 2" in text
    assert "CellTimeoutError" in text

    page = (failed_run.period_dir / "index.html").read_text(encoding="utf-8")
    summary = _text(re.search(r'class="salesops-summary">(.*?)</p>', page)[1])
    assert summary.startswith("1 of 3 reports rendered; failed: 02_fails, 03_slow.")


def test_root_index_lists_the_period(failed_run):
    page = (failed_run.out / "index.html").read_text(encoding="utf-8")
    assert f'href="{PERIOD}/index.html"' in page
    rows = re.findall(r'<tr class="status-([\w-]+)">(.*?)</tr>', page, flags=re.DOTALL)
    assert len(rows) == 1
    status, body = rows[0]
    assert status == "failed"
    assert "October 2026" in _text(body)
    assert "2 failed" in _text(body)


def test_no_staging_folder_is_left_and_failed_notebooks_are_kept(failed_run):
    assert _leftovers(failed_run.out) == []
    for name in ("02_fails", "03_slow"):
        kept = failed_run.period_dir / f"{name}.failed.ipynb"
        assert kept.is_file()
        assert not (failed_run.period_dir / f"{name}.ipynb").exists()
        assert failed_run.runs[name]["notebook"] == kept.name
    executed = json.loads((failed_run.period_dir / "02_fails.failed.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert [e["ename"] for e in errors] == ["ValueError"]  # the analyst's copy keeps the traceback
    assert (failed_run.period_dir / "01_ok.ipynb").is_file()


def test_cron_sees_one_line_per_notebook_and_no_tracebacks_or_log_lines(failed_run):
    stdout, stderr = failed_run.proc.stdout, failed_run.proc.stderr
    # stdout: one line per notebook that rendered; stderr: one line per failure and the summary
    lines = stdout.splitlines()
    assert len(lines) == 1, stdout
    assert re.fullmatch(r"\[1/3\] 01_ok: ok in [\d.]+ s", lines[0])
    errors = stderr.splitlines()
    assert len(errors) == 3, stderr
    assert re.fullmatch(r"\[2/3\] 02_fails: FAILED in [\d.]+ s, code cell 3 \(.*\): ValueError: .*", errors[0])
    assert re.fullmatch(r"\[3/3\] 03_slow: FAILED in [\d.]+ s, code cell 2 \(.*\): CellTimeoutError: .*", errors[1])
    assert errors[2] == f"2 of 3 reports failed (02_fails, 03_slow); see {failed_run.period_dir / 'index.html'}"
    for text in (stdout, stderr):
        assert "Traceback" not in text
        assert "Timeout waiting for execute reply" not in text
        assert not re.search(r"\b(INFO|WARNING|DEBUG)\b|papermill|nbclient|traitlets", text)


# --------------------------------------------------------------------------------------------------------------------
# The manifest
# --------------------------------------------------------------------------------------------------------------------


def test_manifest_hashes_every_input_file_and_the_config(failed_run):
    manifest = failed_run.manifest
    demo_csvs = sorted(DEMO_DATA.glob("*.csv"))
    assert len(demo_csvs) == 7  # the five deal tables, leads and campaigns
    assert [Path(item["path"]) for item in manifest["inputs"]] == [p.resolve() for p in demo_csvs]
    for item in manifest["inputs"]:
        data = Path(item["path"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["bytes"] == len(data)
    config = manifest["config"]
    assert Path(config["path"]) == DEFAULT_CONFIG.resolve()
    assert config["sha256"] == hashlib.sha256(DEFAULT_CONFIG.read_bytes()).hexdigest()


def test_manifest_records_packages_git_and_times(failed_run):
    manifest = failed_run.manifest
    for package in ("pandas", "papermill"):
        assert manifest["packages"][package] == metadata.version(package)
    assert manifest["packages"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["git"]["commit"] or "")
    assert isinstance(manifest["git"]["dirty"], bool)
    started, finished = (datetime.fromisoformat(manifest[k]) for k in ("started_at", "finished_at"))
    assert started.tzinfo is not None
    assert started <= finished
    assert manifest["period"] == PERIOD
    assert manifest["data_as_of"] == "2026-10-31"
    assert manifest["parameters"]["output_dir"] == str(failed_run.period_dir)
    assert manifest["parameters"]["interactive"] is False


def test_manifest_describes_each_notebook(failed_run):
    for name in FIXTURE_NAMES:
        run = failed_run.runs[name]
        assert run["status"] in ("ok", "failed")
        assert isinstance(run["duration_s"], float)
        assert run["duration_s"] > 0
        assert isinstance(run["timings"], dict)
        assert "cells" in run["timings"]
        assert run["source_sha256"] == hashlib.sha256((FIXTURES / f"{name}.py").read_bytes()).hexdigest()
    assert "html" in failed_run.runs["01_ok"]["timings"]
    assert failed_run.runs["03_slow"]["timings"]["cells"] >= 2
    assert failed_run.runs["03_slow"]["duration_s"] < 30  # the timeout stopped the 60 s sleep


def test_headline_figures_reach_the_manifest_and_the_index(failed_run):
    headlines = {h["key"]: h for h in failed_run.runs["01_ok"]["headlines"]}
    assert headlines["answer"]["text"] == "42"
    assert headlines["answer"]["value"] == 42
    assert headlines["period"]["text"] == PERIOD
    _, text, _ = _index_rows((failed_run.period_dir / "index.html").read_text(encoding="utf-8"))["A report that works"]
    assert "The answer: 42" in text


# --------------------------------------------------------------------------------------------------------------------
# The page leadership reads
# --------------------------------------------------------------------------------------------------------------------


def test_report_html_has_no_code_prompts_errors_or_network_references(failed_run):
    page = (failed_run.period_dir / "01_ok.html").read_text(encoding="utf-8")
    body = page[page.index("<body") :]
    for code in ("show_headlines(", "plt.subplots", "import matplotlib", "interactive = ", "Headline("):
        assert code not in page
    assert "In [" not in page
    assert "In&nbsp;[" not in page
    assert "jp-InputPrompt" not in body
    assert not re.search(r'class="[^"]*\bjp-CodeCell\b(?![^"]*\bjp-mod-noInput\b)', body)
    assert "Traceback" not in page
    assert "could not be displayed" not in page
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, flags=re.IGNORECASE)
    assert "<script" not in page.lower()
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, flags=re.IGNORECASE)
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", page, flags=re.IGNORECASE)
    assert "data:image/png;base64," in body
    assert "The answer" in _text(body)
    assert "Northwind Analytics · October 2026" in _text(body)


# --------------------------------------------------------------------------------------------------------------------
# Reruns: good pages survive, other periods are untouched
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_good_report_survives_a_failing_rerun_and_other_periods_are_untouched(tmp_path, capsys, monkeypatch):
    notebooks, out = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    source = notebooks / "01_report.py"
    good = (FIXTURES / "01_ok.py").read_text(encoding="utf-8")
    source.write_text(good, encoding="utf-8")

    assert _run(out=out, notebooks=notebooks, period="2026-09") == 0
    september = _snapshot(out / "2026-09")
    assert (out / "2026-09" / "01_report.html").is_file()

    assert _run(out=out, notebooks=notebooks) == 0
    october = out / PERIOD
    first_page = (october / "01_report.html").read_bytes()
    first_started = _read_manifest(october)["started_at"]

    while now_utc() == first_started:  # so the failing run's start time differs from the good run's
        time.sleep(0.1)
    source.write_text(good + '\n# %%\nraise RuntimeError("the report broke this month")\n', encoding="utf-8")
    capsys.readouterr()
    assert _run(out=out, notebooks=notebooks) == 4
    assert "1 of 1 reports failed (01_report)" in capsys.readouterr().err

    assert (october / "01_report.html").read_bytes() == first_page
    manifest = _read_manifest(october)
    assert manifest["started_at"] != first_started
    run = _by_name(manifest)["01_report"]
    assert run["status"] == "failed"
    assert run["error"]["ename"] == "RuntimeError"
    assert run["error"]["cell"] == 4
    assert run["html"] == "01_report.html"
    assert run["carried_over"]["run_started_at"] == first_started
    assert run["carried_over"]["summary"]["sentences"][0] == "The answer is 42."
    assert run["summary"] == {"roles": [], "sentences": []}  # half a failed run's summary would mislead
    assert run["notebook"] == "01_report.failed.ipynb"
    assert (october / "01_report.failed.ipynb").is_file()
    assert not (october / "01_report.ipynb").exists()
    # the kept page's link to every row of its long table still leads to the file
    assert run["tables"] == "01_report-tables"
    assert len((october / "01_report-tables" / "01-reps.csv").read_text(encoding="utf-8").splitlines()) == 31

    status, text, body = _index_rows((october / "index.html").read_text(encoding="utf-8"))["A report that works"]
    assert status == "failed"
    assert "the page is the last good one" in text
    assert first_started in text
    assert "RuntimeError: the report broke this month" in text
    assert "The answer is 42." in text  # the summary of the page the index still links to
    assert 'href="01_report.html"' in body

    # A second failure in a row (here one that fails before any kernel starts) still points at the good run.
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("no kernel should start"))
    source.write_text(good.replace("interactive = True\n", ""), encoding="utf-8")
    assert _run(out=out, notebooks=notebooks) == 4
    assert (october / "01_report.html").read_bytes() == first_page
    run = _by_name(_read_manifest(october))["01_report"]
    assert run["carried_over"]["run_started_at"] == first_started
    assert run["error"]["ename"] == "NotebookError"

    assert _snapshot(out / "2026-09") == september
    assert _leftovers(out) == []
    root = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-10/index.html"' in root
    assert 'href="2026-09/index.html"' in root


# --------------------------------------------------------------------------------------------------------------------
# Interruption
# --------------------------------------------------------------------------------------------------------------------


def _fake_run(interrupt_on: str | None = None):
    """A stand-in for run_notebook that renders a page without a kernel, or raises KeyboardInterrupt for one name."""

    def fake(report, parameters, out_dir, heading, footer, cell_timeout, on_step=lambda step: None, **kwargs):
        if report.name == interrupt_on:
            raise KeyboardInterrupt
        on_step("exporting HTML")
        (out_dir / f"{report.name}.html").write_text(f"<p>{report.name} for {heading}</p>", encoding="utf-8")
        return NotebookRun(
            report.name,
            report.name,
            str(report.path),
            "0" * 64,
            status="ok",
            duration_s=0.1,
            html=f"{report.name}.html",
        )

    return fake


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_run_exits_130_and_leaves_the_reports_as_they_were(tmp_path, capsys, monkeypatch, no_kernel, jobs):
    out = tmp_path / "reports"
    monkeypatch.setattr(runner, "run_notebook", _fake_run())
    assert _run("--only", "01_ok", "02_fails", out=out) == 0
    assert (out / PERIOD / "02_fails.html").is_file()
    before = _snapshot(out)

    monkeypatch.setattr(runner, "run_notebook", _fake_run(interrupt_on="02_fails"))
    capsys.readouterr()
    assert _run("--only", "01_ok", "02_fails", "--jobs", jobs, out=out) == 130
    assert "interrupted" in capsys.readouterr().err

    assert _snapshot(out) == before
    assert _leftovers(out) == []
    with open(out / LOCK_NAME, "w") as handle:  # the lock was released
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_run_clears_the_staging_folders_of_a_run_that_was_killed(tmp_path, capsys, monkeypatch, no_kernel):
    out = tmp_path / "reports"
    for name in (f".staging-{PERIOD}-999999", f".replaced-{PERIOD}-999999"):
        (out / name / "logs").mkdir(parents=True)
        (out / name / "01_ok.html").write_text("<p>half written</p>", encoding="utf-8")
    monkeypatch.setattr(runner, "run_notebook", _fake_run())
    assert _run("--only", "01_ok", out=out) == 0
    assert _leftovers(out) == []
    assert (out / PERIOD / "01_ok.html").read_text(
        encoding="utf-8"
    ) == "<p>01_ok for Northwind Analytics · October 2026</p>"


# --------------------------------------------------------------------------------------------------------------------
# Usage errors, refused before any kernel starts
# --------------------------------------------------------------------------------------------------------------------


def test_unknown_notebook_exits_2_and_names_the_available_ones(tmp_path, capsys, no_kernel):
    out = tmp_path / "reports"
    assert _run("--only", "nosuch", out=out) == 2
    err = capsys.readouterr().err
    assert "'nosuch'" in err
    assert "01_ok, 02_fails, 03_slow" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2027-01", "after the data"),
        ("2019-01", "before the data"),
        ("2026-13", "YYYY-MM"),
        ("oct", "YYYY-MM"),
    ],
)
def test_bad_or_out_of_range_period_exits_2(tmp_path, capsys, no_kernel, period, message):
    out = tmp_path / "reports"
    assert _run("--only", "01_ok", out=out, period=period) == 2
    err = capsys.readouterr().err
    assert message in err
    assert period in err
    assert "Traceback" not in err
    assert not out.exists()


def test_missing_data_folder_exits_1_and_names_it(tmp_path, capsys, no_kernel):
    out = tmp_path / "reports"
    assert _run("--only", "01_ok", "--data", "/nonexistent", out=out) == 1
    err = capsys.readouterr().err
    assert "/nonexistent" in err
    assert "does not exist" in err
    assert not out.exists()


def test_notebook_without_a_batch_parameter_fails_with_a_notebook_error(tmp_path, capsys, no_kernel):
    notebooks, out = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    (notebooks / "01_noparam.py").write_text(
        "# %% [markdown]\n# # No interactive switch\n\n"
        + PARAMETERS_CELL.replace("interactive = True\n", "")
        + "\n# %%\nx = 1\n",
        encoding="utf-8",
    )
    assert _run(out=out, notebooks=notebooks) == 4
    assert "1 of 1 reports failed (01_noparam)" in capsys.readouterr().err

    run = _by_name(_read_manifest(out / PERIOD))["01_noparam"]
    assert run["status"] == "failed"
    assert run["error"]["ename"] == "NotebookError"
    assert run["error"]["cell"] is None
    assert "does not declare the parameter(s) interactive" in run["error"]["evalue"]
    assert run["notebook"] is None
    assert not (out / PERIOD / "logs" / "01_noparam.kernel.log").exists()
    _, text, _ = _index_rows((out / PERIOD / "index.html").read_text(encoding="utf-8"))["No interactive switch"]
    assert "before any cell ran: NotebookError" in text
    assert "interactive" in text


# --------------------------------------------------------------------------------------------------------------------
# The reports folder's lock
# --------------------------------------------------------------------------------------------------------------------


def test_a_run_while_another_holds_the_lock_exits_5_and_writes_nothing(tmp_path, capsys, no_kernel):
    out = tmp_path / "reports"
    out.mkdir()
    with open(out / LOCK_NAME, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert _run("--only", "01_ok", out=out) == 5
    err = capsys.readouterr().err
    assert "another salesops run" in err
    assert str(out) in err
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]


# --------------------------------------------------------------------------------------------------------------------
# Progress lines
# --------------------------------------------------------------------------------------------------------------------


def _progress_lines(steps: bool | None) -> list[str]:
    runs = [
        NotebookRun("01_a", "A", "01_a.py", "0" * 64, status="ok", duration_s=1.25),
        NotebookRun(
            "02_b", "B", "02_b.py", "0" * 64, duration_s=0.5, error=CellError(3, "raise X", "ValueError", "boom")
        ),
    ]
    stream = io.StringIO()
    progress = Progress(stream=stream, steps=steps)
    progress.say("Rendering 2 report(s)")
    for position, run in enumerate(runs, start=1):
        progress.step(run.name, "starting its kernel and running its cells")
        progress.step(run.name, "exporting HTML")
        progress.finished(run, position, len(runs))
    progress.say("done")
    return stream.getvalue().splitlines()


def test_progress_prints_one_line_per_notebook_and_steps_only_when_asked():
    outcomes = [
        "[1/2] 01_a: ok in 1.2 s",
        "[2/2] 02_b: FAILED in 0.5 s, code cell 3 (raise X): ValueError: boom",
    ]
    # under cron only the outcomes (the start and end lines are for a person at a terminal)
    assert _progress_lines(steps=False) == outcomes
    assert _progress_lines(steps=None) == outcomes  # a StringIO is no terminal
    assert _progress_lines(steps=True) == [
        "Rendering 2 report(s)",
        "  01_a: starting its kernel and running its cells",
        "  01_a: exporting HTML",
        outcomes[0],
        "  02_b: starting its kernel and running its cells",
        "  02_b: exporting HTML",
        outcomes[1],
        "done",
    ]


# --------------------------------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------------------------------


def test_redact_hides_a_password_in_a_database_url():
    assert redact("postgresql://user:pw@host/db") == f"postgresql://user:{HIDDEN}@host/db"
    assert redact("redis://:pw@cache:6379/0") == f"redis://:{HIDDEN}@cache:6379/0"
    assert redact("/srv/data/2026") == "/srv/data/2026"


def test_redact_hides_secrets_in_query_strings():
    assert (
        redact("https://h/x?password=hunter2&token=abc&page=2")
        == f"https://h/x?password={HIDDEN}&token={HIDDEN}&page=2"
    )
    assert redact("https://h/x?api_key=k1&apikey=k2") == f"https://h/x?api_key={HIDDEN}&apikey={HIDDEN}"


@pytest.mark.parametrize("name", ["access_token", "client_secret", "db_password"])
def test_redact_hides_query_parameters_whose_names_it_treats_as_secret_dict_keys(name):
    # redact() hides a dict value under these names (SECRET_KEY), so the same name in a query string is a secret too.
    assert redact({name: "s3cr3t"}) == {name: HIDDEN}
    assert "s3cr3t" not in redact(f"https://api.example.com/export?{name}=s3cr3t&page=2")


def test_redact_hides_secret_named_keys_and_recurses():
    value = {
        "api_key": "k",
        "API-Key": "k",
        "db_password": "x",
        "warehouse": "postgresql://u:p4ss@h/d",
        "nested": {"token": "t", "urls": ["https://h/?token=t2", ("mysql://root:r00t@h/db",)]},
        "count": 3,
    }
    assert redact(value) == {
        "api_key": HIDDEN,
        "API-Key": HIDDEN,
        "db_password": HIDDEN,
        "warehouse": f"postgresql://u:{HIDDEN}@h/d",
        "nested": {"token": HIDDEN, "urls": [f"https://h/?token={HIDDEN}", [f"mysql://root:{HIDDEN}@h/db"]]},
        "count": 3,
    }


SECRETS = ("S3cretPw", "T0kenValue", "K3yValue", "R00tPw")


@pytest.fixture(scope="module")
def secret_run(tmp_path_factory):
    """run_batch with secrets in the extra facts and a notebook that fails naming a database URL with a password
    (taken from the environment, the way secrets reach notebooks; a secret parameter is refused, see below)."""
    base = tmp_path_factory.mktemp("secrets")
    os.environ["SALESOPS_TEST_DSN"] = "postgresql://analyst:S3cretPw@db.example.com/sales"
    notebooks = base / "notebooks"
    notebooks.mkdir()
    leak = notebooks / "02_leak.py"
    leak.write_text(
        "# %% [markdown]\n# # A report that cannot reach its database\n\n"
        + PARAMETERS_CELL
        + '\n# %%\nimport os\n\nraise ConnectionError("could not connect to " + os.environ["SALESOPS_TEST_DSN"])\n',
        encoding="utf-8",
    )
    stream = io.StringIO()
    request = BatchRequest(
        notebooks=[ReportNotebook(FIXTURES / "01_ok.py"), ReportNotebook(leak)],
        period=PERIOD,
        period_title="October 2026",
        company="Test Company",
        parameters={
            "period": PERIOD,
            "data_dir": str(DEMO_DATA),
            "config_path": str(DEFAULT_CONFIG),
            "interactive": False,
        },
        inputs=sorted(DEMO_DATA.glob("*.csv"))[:1],
        config_path=DEFAULT_CONFIG,
        out_root=base / "reports",
        data_as_of="2026-10-31",
        cell_timeout=60,
        extra={
            "export_url": "https://warehouse.example.com/export?token=T0kenValue&format=csv",
            "api_key": "K3yValue",
            "sources": {"crm": "mysql://root:R00tPw@crm.example.com/crm"},
        },
    )
    try:
        result = run_batch(request, Progress(stream=stream, steps=True))
    finally:
        del os.environ["SALESOPS_TEST_DSN"]
    return SimpleNamespace(result=result, out=base / "reports", progress=stream.getvalue())


def test_no_secret_is_written_to_the_manifest_or_any_page(secret_run):
    period_dir = secret_run.result.period_dir
    assert [run.status for run in secret_run.result.runs] == ["ok", "failed"]
    manifest_text = (period_dir / "manifest.json").read_text(encoding="utf-8")
    pages = sorted(secret_run.out.rglob("*.html"))
    assert {p.name for p in pages} == {"index.html", "01_ok.html"}
    assert len(pages) == 3  # the root index, the period index and the report
    for path, text in [(period_dir / "manifest.json", manifest_text)] + [(p, p.read_text("utf-8")) for p in pages]:
        for secret in SECRETS:
            assert secret not in text, f"{secret} written to {path}"

    manifest = json.loads(manifest_text)
    assert manifest["export_url"] == f"https://warehouse.example.com/export?token={HIDDEN}&format=csv"
    assert manifest["api_key"] == HIDDEN
    assert manifest["sources"] == {"crm": f"mysql://root:{HIDDEN}@crm.example.com/crm"}
    error = _by_name(manifest)["02_leak"]["error"]
    assert error["ename"] == "ConnectionError"
    assert error["evalue"] == f"could not connect to postgresql://analyst:{HIDDEN}@db.example.com/sales"
    index_text = _text((period_dir / "index.html").read_text(encoding="utf-8"))
    assert f"postgresql://analyst:{HIDDEN}@db.example.com/sales" in index_text


def test_progress_on_a_terminal_shows_each_step_of_a_real_run(secret_run):
    lines = secret_run.progress.splitlines()
    assert lines[:3] == [
        "  01_ok: starting its kernel and running its cells",
        "  01_ok: exporting HTML",
        lines[2],
    ]
    assert re.fullmatch(r"\[1/2\] 01_ok: ok in [\d.]+ s", lines[2])
    assert lines[3] == "  02_leak: starting its kernel and running its cells"
    assert re.fullmatch(r"\[2/2\] 02_leak: FAILED in [\d.]+ s, code cell 2 \(.*\): ConnectionError: .*", lines[4])
    assert len(lines) == 5
    assert not any(secret in secret_run.progress for secret in SECRETS)


def test_a_parameter_holding_a_password_is_refused_before_anything_is_written(tmp_path):
    request = BatchRequest(
        notebooks=[ReportNotebook(FIXTURES / "01_ok.py")],
        period=PERIOD,
        period_title="October 2026",
        company="Test Company",
        parameters={"period": PERIOD, "data_dir": "postgresql://analyst:S3cretPw@db.example.com/sales"},
        inputs=[],
        config_path=DEFAULT_CONFIG,
        out_root=tmp_path / "reports",
        data_as_of="2026-10-31",
    )
    with pytest.raises(SecretParameterError, match="data_dir") as info:
        run_batch(request, Progress(stream=io.StringIO()))
    assert "S3cretPw" not in str(info.value)
    assert not (tmp_path / "reports").exists()


def _running_cells(path: Path) -> str:
    """The source of the cells papermill has marked running in a partly executed notebook ("" while unreadable)."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return ""  # caught mid-write
    running = [c for c in cells if c.get("metadata", {}).get("papermill", {}).get("status") == "running"]
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in running)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "jobs"),
    [(signal.SIGINT, "1"), (signal.SIGTERM, "1"), (signal.SIGTERM, "2")],
    ids=["ctrl-c", "terminate", "terminate-side-by-side"],
)
def test_a_real_run_stopped_mid_notebook_leaves_the_reports_as_they_were(tmp_path, signum, jobs):
    """A real process stopped while a kernel runs a cell: exit 130, no staging folder, no kernel left behind."""
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--notebooks", str(FIXTURES), "--out", str(out)]
    first = subprocess.run([*command, "--only", "01_ok", "--quiet"], capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    process = subprocess.Popen(
        [*command, "--only", "01_ok", "03_slow", "--quiet", "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell's background job ignores SIGINT; the test wants the default handling a terminal gives
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    kernels: list[int] = []
    while time.monotonic() < deadline:
        # papermill saves the executed notebook as each cell starts; wait for the sleeping cell, not just the file
        started = [p for p in out.glob(".staging-*/03_slow.ipynb") if "time.sleep(60)" in _running_cells(p)]
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False)
        kernels = [int(pid) for pid in children.stdout.split()]
        if started and kernels:
            break
        time.sleep(0.2)
    assert kernels, "the run should have a kernel process running the slow cell"
    process.send_signal(signum)
    stopped = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - stopped < 10, "the run waited for its notebooks instead of stopping them"
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not list(out.glob(".staging-*")) and not list(out.glob(".replaced-*"))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    time.sleep(1)
    for pid in kernels:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), pid


@pytest.mark.slow
def test_notebooks_run_side_by_side_keep_their_order_and_leave_no_sockets(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for number in range(3):
        (notebooks / f"0{number}_copy.py").write_text((FIXTURES / "01_ok.py").read_text("utf-8"), encoding="utf-8")
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--notebooks", str(notebooks), "--out", str(out)]
    result = subprocess.run([*command, "--jobs", "2", "--quiet"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((out / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    assert [run["name"] for run in manifest["notebooks"]] == ["00_copy", "01_copy", "02_copy"]
    assert all(run["status"] == "ok" for run in manifest["notebooks"])
    leftovers = [p.name for p in notebooks.iterdir() if not p.name.endswith(".py")]
    assert leftovers == [], "kernel sockets or other files were left in the notebooks folder"


@pytest.mark.slow
def test_a_run_of_some_notebooks_keeps_the_periods_other_reports(tmp_path):
    """Rerunning one notebook with --only must not delete the month's other pages from the folder or the index."""
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--notebooks", str(FIXTURES), "--out", str(out)]
    assert subprocess.run([*command, "--only", "01_ok", "--quiet"], check=False).returncode == 0
    first = (out / PERIOD / "01_ok.html").read_bytes()
    result = subprocess.run([*command, "--only", "02_fails", "--quiet"], capture_output=True, text=True, check=False)
    assert result.returncode == 4
    assert (out / PERIOD / "01_ok.html").read_bytes() == first
    manifest = json.loads((out / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["name"]: entry for entry in manifest["notebooks"]}
    assert list(entries) == ["01_ok", "02_fails"]
    assert entries["01_ok"]["status"] == "ok" and entries["01_ok"]["carried_over"]["run_started_at"]
    index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
    assert 'href="01_ok.html"' in index
    assert "Not rerun this time" in index and "This run failed; the page is the last good one" not in index


def test_free_text_secrets_in_error_messages_are_hidden():
    assert redact("could not connect: password=hunter2, user=ana") == f"could not connect: password={HIDDEN}, user=ana"
    assert redact("Token: abc123") == f"Token: {HIDDEN}"


def test_pages_for_readers_drop_scripts_and_javascript_outputs():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from salesops_helpers.batch.html import reader_notebook

    cell = new_code_cell("x")
    cell.outputs = [
        new_output("display_data", data={"application/javascript": "alert(1)", "text/plain": "<js>"}),
        new_output("display_data", data={"text/html": "<script>alert(2)</script><b>x</b>"}),
        new_output("display_data", data={"text/html": "<b>kept</b>"}),
        new_output("stream", name="stderr", text="a warning"),
    ]
    clean = reader_notebook(new_notebook(cells=[cell]))
    assert [o["data"]["text/html"] for o in clean.cells[0].outputs] == ["<b>kept</b>"]


@pytest.mark.parametrize(
    ("as_of", "today", "expected"),
    [
        ("2026-10-30", "2026-11-02", "2026-10"),  # the last deal changed on a Friday; October is over
        ("2026-11-15", "2026-11-27", "2026-10"),  # November is not over yet
        ("2026-10-31", "2026-10-31", "2026-10"),  # the data reaches the month's last day
        ("2026-10-20", "2026-10-25", "2026-09"),
        ("2024-04-15", "2026-11-27", "2024-03"),  # long over, but the data stops mid-April: March is complete
    ],
)
def test_the_default_period_is_the_last_month_that_is_over(as_of, today, expected):
    from salesops_helpers.calendar.periods import last_complete_month

    assert last_complete_month(pd.Timestamp(as_of), pd.Timestamp(today)).label == expected


@pytest.mark.slow
def test_a_failed_notebook_shows_none_of_the_figures_it_recorded_before_failing(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "01_half.py").write_text(
        "# %% [markdown]\n# # Half a report\n\n"
        + PARAMETERS_CELL
        + "\n# %%\nfrom salesops_helpers.analyses.findings import Headline\n"
        + "from salesops_helpers.presentation.headlines import show_headlines\n\n"
        + 'show_headlines([Headline("early", "Early figure", 7, "7")])\n'
        + '\n# %%\nraise ValueError("stopped halfway")\n',
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--notebooks", str(notebooks), "--out", str(out)]
    assert subprocess.run([*command, "--quiet"], capture_output=True, check=False).returncode == 4
    manifest = json.loads((out / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"][0]["headlines"] == []
    assert "Early figure" not in (out / PERIOD / "index.html").read_text(encoding="utf-8")
