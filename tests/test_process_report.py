"""Notebook 03 rendered by the batch: on the demo company, on the six-deal fixture, without a history table, and on a
company with no deal won or lost yet."""

from __future__ import annotations

import json
from pathlib import Path
from subprocess import CompletedProcess

import nbformat
import pytest

from salesops_helpers.analyses.process.waterfall import COMPONENTS, component_key
from salesops_helpers.presentation.contract import read_summary
from tests.helpers.process_companies import ALL_OPEN_HISTORY, ALL_OPEN_OPPORTUNITIES, QUOTAS, REPS
from tests.helpers.runs import DemoRun, SixDealRun, salesops_run
from tests.helpers.six_deals import VALID_FILES, write_folder

NAME = "03_process_bottlenecks"

pytestmark = pytest.mark.slow  # every test renders the notebook or reads a render


def _render(out: Path, *args: str) -> tuple[CompletedProcess[str], Path]:
    """`salesops run --only 03` in its own process, as the batch runs it; the period folder it wrote."""
    result = salesops_run("--only", "03", "--out", str(out), *args)
    return result, next(out.glob("20*-*"), out)


def _headlines(period_dir: Path) -> dict[str, dict]:
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    run = next(r for r in manifest["notebooks"] if r["name"] == NAME)
    return {h["key"]: h for h in run["headlines"]}


def _assert_clean(period_dir: Path) -> str:
    """No error, stderr or stream output in the executed notebook; the page text."""
    notebook = nbformat.read(period_dir / f"{NAME}.ipynb", as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.output_type not in ("error", "stream"), output
    page = (period_dir / f"{NAME}.html").read_text(encoding="utf-8")
    assert "Traceback" not in page and "Warning" not in page
    return page


def test_the_demo_report_names_the_bottleneck_and_the_slipping_rep(demo_run: DemoRun):
    assert demo_run.october.returncode == 0, demo_run.october.stderr
    period_dir = demo_run.period_dir
    page = _assert_clean(period_dir)
    assert "The worst bottleneck is Enterprise deals in Proposal" in page
    assert "Jack Sullivan pushes close dates most" in page
    assert page.count("data:image/png;base64,") >= 4  # funnel, time in stage, pushes, waterfall
    figures = _headlines(period_dir)
    assert figures["worst_bottleneck"]["text"] == "Enterprise · Proposal"
    assert figures["stalled_value"]["value"] > 0 and figures["slipped_value"]["value"] > 0
    flows = sum(figures[f"waterfall_{component_key(c)}"]["value"] for c in COMPONENTS[:-1])
    assert flows == pytest.approx(figures["waterfall_closing"]["value"], abs=0.005)
    # the waterfall's parts are data for the batch, not cards on the page nor figures on the index's dashboard
    assert not any(figures[f"waterfall_{component_key(c)}"]["dashboard"] for c in COMPONENTS)
    assert "Pipeline opening" not in page
    summary = read_summary(nbformat.read(period_dir / f"{NAME}.ipynb", as_version=4))
    assert "Enterprise · Proposal" in summary["sentences"][0]


def test_the_six_deal_fixture_renders_and_says_when_samples_are_too_small(six_deal_run: SixDealRun):
    assert six_deal_run.result.returncode == 0, six_deal_run.result.stderr
    period_dir = six_deal_run.period_dir
    page = _assert_clean(period_dir)
    assert "not enough deals" in page
    assert _headlines(period_dir)["worst_bottleneck"]["text"] == "none found"


def test_without_history_the_report_says_what_it_cannot_show_and_shows_current_stages(tmp_path):
    files = {k: v for k, v in VALID_FILES.items() if k != "opportunity_history.csv"}
    result, period_dir = _render(tmp_path / "reports", "--data", str(write_folder(tmp_path / "data", files)))
    assert result.returncode == 0, result.stderr
    page = _assert_clean(period_dir)
    assert "no opportunity_history table" in page.replace("\\_", "_")
    assert "Win rates and sales cycles by segment" in page
    assert "Prospecting" in page  # the stage distribution of open deals
    # one card for what the data cannot support, not one per analysis; velocity needs no history
    figures = _headlines(period_dir)
    assert set(figures) == {"process_analyses", "velocity"}
    assert figures["process_analyses"]["value"] is None
    assert figures["process_analyses"]["text"] == "need a history table"


def test_a_company_with_no_deal_won_or_lost_yet_renders(tmp_path):
    files = {
        "reps.csv": REPS,
        "quotas.csv": QUOTAS,
        "opportunities.csv": ALL_OPEN_OPPORTUNITIES,
        "opportunity_history.csv": ALL_OPEN_HISTORY,
    }
    result, period_dir = _render(tmp_path / "reports", "--data", str(write_folder(tmp_path / "data", files)))
    assert result.returncode == 0, result.stderr
    page = _assert_clean(period_dir)
    # three open deals, the last complete month January: nothing has stalled; Discovery has no stall threshold
    assert "Deals now in Prospecting and Discovery are not judged" in page
    assert _headlines(period_dir)["stalled_value"]["value"] == 0
