"""Notebook 04 rendered by `salesops run` in its own process: the session's demo run (September 2026, then October
into the same folder, so October holds September's forecasts against what was booked) and October run again, the
six-deal company's run, and the six-deal company in a month still under way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from subprocess import CompletedProcess

import nbformat
import pandas as pd
import pytest

from salesops_helpers.analyses.forecast.forecast_history import STORE_NAME, read_store
from salesops_helpers.presentation.contract import read_summary
from tests.helpers.runs import DemoRun, SixDealRun, salesops_run
from tests.helpers.six_deals import write_folder

NAME = "04_revenue_forecast"

pytestmark = pytest.mark.slow  # every test renders the notebook or reads a render


def _run(*args: str) -> CompletedProcess[str]:
    """`salesops run --only 04` in its own process."""
    return salesops_run("--only", "04", *args)


def _run_entry(period_dir: Path) -> dict:
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    return next(run for run in manifest["notebooks"] if run["name"] == NAME)


def _outputs(period_dir: Path) -> list[dict]:
    notebook = nbformat.read(period_dir / f"{NAME}.ipynb", as_version=4)
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]


@pytest.fixture(scope="module")
def rerun(tmp_path_factory: pytest.TempPathFactory, demo_run: DemoRun) -> tuple[Path, CompletedProcess[str]]:
    """A copy of the demo run's reports folder in which October 2026 has run again on the same data."""
    out = tmp_path_factory.mktemp("forecast-rerun") / "reports"
    shutil.copytree(demo_run.out, out)
    return out, _run("--data", str(demo_run.data), "--out", str(out), "--period", "2026-10")


def test_the_demo_report_renders_quietly_with_its_headlines(demo_run: DemoRun, rerun):
    for result in (demo_run.september, demo_run.october, rerun[1]):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    period_dir = demo_run.period_dir
    entry = _run_entry(period_dir)
    assert entry["status"] == "ok"
    figures = {h["key"]: h for h in entry["headlines"]}
    assert set(figures) == {
        "forecast_next_quarter",
        "gap_to_target",
        "monthly_bookings",
        "pipeline_needed",
        "model",
        "mase",
    }
    assert not figures["model"]["dashboard"] and not figures["mase"]["dashboard"]
    assert len(figures["monthly_bookings"]["trend"]) == 12
    assert figures["forecast_next_quarter"]["value"] > 0
    assert figures["mase"]["value"] < 1
    for output in _outputs(period_dir):
        assert output.output_type != "error", output.get("evalue")
        assert output.get("name") != "stderr", output.get("text")
        assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})  # batch: no sliders
    page = (period_dir / f"{NAME}.html").read_text(encoding="utf-8")
    for heading in ("Monthly bookings", "Which model forecasts best here", "calibrated intervals", "Scenarios"):
        assert heading in page
    assert "win rate −10%" in page  # the static scenario table


def test_the_store_keeps_every_period_and_a_rerun_replaces_only_its_own(demo_run: DemoRun, rerun):
    out, _ = rerun
    assert (out / STORE_NAME).read_bytes() == demo_run.store.read_bytes()  # the same period again: the same rows
    store = read_store(out / STORE_NAME)
    assert sorted(store["made_at"].unique()) == ["2026-09", "2026-10"]
    assert not store.duplicated(["made_at", "method", "kind", "target"]).any()
    assert not list(out.glob(f".{STORE_NAME}*"))  # no temporary file left


def test_the_later_run_holds_the_earlier_forecasts_against_what_was_booked(demo_run: DemoRun):
    out = demo_run.out
    page = (out / "2026-10" / f"{NAME}.html").read_text(encoding="utf-8")
    assert "can now be checked against what was booked" in page
    # the summary holds October's forecast of the coming quarter against the one the September run made
    summary = read_summary(nbformat.read(out / "2026-10" / f"{NAME}.ipynb", as_version=4))
    assert summary["roles"][:4] == ["Where it stands", "Largest change", "Biggest risk", "Suggested action"]
    assert "the September 2026 run made for FY" in summary["sentences"][1]
    store = read_store(out / STORE_NAME)
    october = store[(store["made_at"] == "2026-09") & (store["target"] == "2026-10")]
    assert len(october) >= 6  # every model forecast October from September


def test_the_six_deal_company_renders_and_says_the_history_is_too_short(six_deal_run: SixDealRun):
    assert six_deal_run.result.returncode == 0, six_deal_run.result.stderr
    period_dir = six_deal_run.period_dir
    assert _run_entry(period_dir)["status"] == "ok"
    page = (period_dir / f"{NAME}.html").read_text(encoding="utf-8")
    assert "too little history for a backtest" in page
    assert not [o for o in _outputs(period_dir) if o.get("name") == "stderr" or o.output_type == "error"]
    assert pd.read_csv(six_deal_run.out / STORE_NAME)["made_at"].astype(str).eq("2024-03").all()


def test_a_month_still_under_way_is_forecast_from_the_last_complete_month(tmp_path):
    # the six-deal data runs to 15 April 2024 (O5 won): asked for April, the forecast is made at the end of March,
    # and the series and the forecast origin stop there
    data = write_folder(tmp_path / "data")
    result = _run("--data", str(data), "--out", str(tmp_path / "reports"), "--period", "2024-04")
    assert result.returncode == 0, result.stderr
    period_dir = tmp_path / "reports" / "2024-04"
    page = (period_dir / f"{NAME}.html").read_text(encoding="utf-8")
    assert "April 2024 is not over, so the forecast is made at the end of March 2024" in page
    assert "The series runs from March 2024 to March 2024" in page
    assert not [o for o in _outputs(period_dir) if o.get("name") == "stderr" or o.output_type == "error"]
