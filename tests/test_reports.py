"""The batch on real notebooks: the demo company's reports and a tiny hand-made company, checked down to the browser."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path
from subprocess import CompletedProcess

import nbformat
import pytest

from salesops_helpers.batch.notebooks import find_notebooks
from salesops_helpers.data.demo.deals import WEAK_STAGES
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA, NOTEBOOKS, PROJECT_ROOT
from salesops_helpers.presentation.contract import read_summary
from tests.browser import Browser, browser_fixture, pdf_pages  # noqa: F401 (the module-scoped "browser" fixture)
from tests.helpers import metrics_company
from tests.helpers.runs import HOSTILE_DEAL, HOSTILE_REP, SCRIPT_NAME, salesops_run
from tests.helpers.six_deals import VALID_FILES, write_folder

REPORT_NAMES = [nb.name for nb in find_notebooks(NOTEBOOKS)]
# Screenshots of the demo run, for a reviewer to look at (build/ is git-ignored).
SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
EXTERNAL_LINK = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
LAPTOP_WIDTHS = (1280, 1024)

pytestmark = pytest.mark.slow  # every test reads rendered reports


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> tuple[CompletedProcess[str], Path]:
    """The data-health notebook on the fixture without its optional history and activities tables."""
    base = tmp_path_factory.mktemp("minimal")
    files = {k: v for k, v in VALID_FILES.items() if k not in ("opportunity_history.csv", "activities.csv")}
    data = write_folder(base / "data", files)
    result = salesops_run("--data", str(data), "--out", str(base / "reports"), "--only", "00")
    return result, base / "reports" / "2024-03"


@pytest.fixture(scope="module")
def roster_company(tmp_path_factory: pytest.TempPathFactory) -> tuple[CompletedProcess[str], Path]:
    """The team review on tests/test_metrics.py's company for August 2026: a rep leaves on its last day, another has
    no quota, and a deal belongs to an owner missing from the reps table."""
    base = tmp_path_factory.mktemp("roster")
    data = metrics_company.write_folder(base / "data", {})
    result = salesops_run("--data", str(data), "--out", str(base / "reports"), "--only", "02", "--period", "2026-08")
    return result, base / "reports" / "2026-08"


def _manifest(period_dir: Path) -> dict:
    return json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))


def _headlines(period_dir: Path, report: str) -> dict[str, dict]:
    run = next(r for r in _manifest(period_dir)["notebooks"] if r["name"] == report)
    return {h["key"]: h for h in run["headlines"]}


def test_the_demo_run_renders_every_report_for_the_last_complete_month(demo_run):
    result, period_dir = demo_run.october, demo_run.period_dir
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # --quiet, as under cron: one line per report, then the one line that names the month and where it went
    lines = result.stdout.splitlines()
    assert len(lines) == len(REPORT_NAMES) + 1
    assert lines[-1] == f"{len(REPORT_NAMES)} reports for October 2026 rendered: {period_dir / 'index.html'}"
    manifest = _manifest(period_dir)
    assert manifest["period"] == "2026-10" and manifest["status"] == "ok"
    assert [run["name"] for run in manifest["notebooks"]] == REPORT_NAMES
    for name in REPORT_NAMES:
        assert (period_dir / f"{name}.html").is_file() and (period_dir / f"{name}.ipynb").is_file()
    assert (period_dir.parent / "index.html").is_file()


def test_the_demo_manifest_hashes_every_input_file(demo_run):
    period_dir = demo_run.period_dir
    manifest = _manifest(period_dir)
    hashed = {Path(item["path"]).name: item["sha256"] for item in manifest["inputs"]}
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in demo_run.data.glob("*.csv")}
    assert hashed == expected
    assert manifest["config"]["sha256"] == hashlib.sha256(DEFAULT_CONFIG.read_bytes()).hexdigest()


def test_executed_demo_notebooks_printed_no_warning_log_line_or_error(demo_run):
    """The analyst's copies keep stderr, so a warning or a log line from any library shows up here."""
    period_dir = demo_run.period_dir
    for name in REPORT_NAMES:
        notebook = nbformat.read(period_dir / f"{name}.ipynb", as_version=4)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", f"{name}: {output.get('evalue')}"
                assert output.get("name") != "stderr", f"{name} printed on stderr: {output.get('text')}"
                assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), f"{name}: widget"


def test_the_data_health_headlines_are_computed_from_the_data(demo_run):
    period_dir = demo_run.period_dir
    with open(DEMO_DATA / "opportunities.csv", encoding="utf-8", newline="") as handle:
        deals = sum(1 for _ in csv.DictReader(handle))
    figures = _headlines(period_dir, "00_data_health")
    assert figures["deals"]["value"] == deals
    assert figures["verdict"]["text"] == "Ready"
    assert figures["past_due_value"]["value"] > 0
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    assert f"{deals:,}" in index


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_demo_pages_hold_no_code_traceback_or_network_reference(demo_run, name):
    period_dir = demo_run.period_dir
    page = (period_dir / f"{name}.html").read_text(encoding="utf-8")
    assert "open_report(" not in page and "import " not in page, "code is shown"
    code_cells = re.findall(r'class="(jp-Cell jp-CodeCell[^"]*)"', page)
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells), "a code cell shows its code"
    assert not re.search(r'class="[^"]*(jp-InputPrompt|jp-OutputPrompt|highlight)', page), "prompts or code"
    assert "In&nbsp;[" not in page
    assert "Traceback" not in page and "could not be displayed" not in page
    assert "<script" not in page.lower()
    assert not EXTERNAL_LINK.search(page), EXTERNAL_LINK.search(page)
    assert "data:image/png;base64," in page
    assert len(page.encode("utf-8")) < 5_000_000


def test_the_tiny_company_renders_and_escapes_data(six_deal_run):
    result, period_dir = six_deal_run.result, six_deal_run.period_dir
    assert result.returncode == 0, result.stderr
    page = (period_dir / "00_data_health.html").read_text(encoding="utf-8")
    assert SCRIPT_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    figures = _headlines(period_dir, "00_data_health")
    assert figures["deals"]["value"] == 6
    # O4 (400) is the only open deal whose close date (2024-03-20) is before the period's end (2024-03-31)
    assert figures["past_due_value"]["value"] == 400


def test_without_optional_tables_the_report_says_which_analyses_are_unavailable(minimal):
    result, period_dir = minimal
    assert result.returncode == 0, result.stderr
    page = (period_dir / "00_data_health.html").read_text(encoding="utf-8")
    assert "unavailable" in page
    assert "opportunity_history" in page
    assert _headlines(period_dir, "00_data_health")["analyses_limited"]["value"] >= 3


def test_index_and_reports_load_in_a_real_browser_without_errors_or_network(demo_run, six_deal_run, browser: Browser):
    """Every page of the demo run at two laptop widths and laid out for print: no console error, request, broken
    image, dialog or sideways scrolling; screenshots and PDFs go to build/screenshots for a reviewer."""
    period_dir = demo_run.period_dir
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = [period_dir.parent / "index.html", period_dir / "index.html"]
    pages += [period_dir / f"{name}.html" for name in REPORT_NAMES]
    for page in pages:
        name = f"{page.parent.name}-{page.stem}" if page.parent == period_dir else "all-periods-index"
        for width in LAPTOP_WIDTHS:
            shot = SCREENSHOTS / f"{name}.png" if width == LAPTOP_WIDTHS[0] else None
            check = browser.check_page(page, screenshot=shot, width=width)
            assert not check.problems(), f"{page} at {width}px: {check.problems()}"
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 0
        printed = browser.check_page(page, pdf=SCREENSHOTS / f"{name}.pdf")
        assert not printed.problems(), f"{page} printed: {printed.problems()}"
        assert pdf_pages(SCREENSHOTS / f"{name}.pdf") >= 1
    tiny_check = browser.check_page(six_deal_run.period_dir / "00_data_health.html")
    assert not tiny_check.problems(), tiny_check.problems()
    assert SCRIPT_NAME in tiny_check.text


def test_names_like_markup_show_as_text_in_every_report_that_names_them(demo_run, browser: Browser):
    period_dir = demo_run.period_dir
    seen: dict[str, list[str]] = {HOSTILE_DEAL[1]: [], HOSTILE_REP[1]: []}
    for name in REPORT_NAMES:
        check = browser.check_page(period_dir / f"{name}.html")
        assert not check.problems(), f"{name}: {check.problems()}"
        html_text = (period_dir / f"{name}.html").read_text(encoding="utf-8")
        for hostile in seen:
            assert hostile not in html_text, f"{name} holds {hostile} as markup"
            if hostile in check.text:
                seen[hostile].append(name[:2])
    assert {"00", "06"} <= set(seen[HOSTILE_DEAL[1]]), seen
    assert {"02", "03"} <= set(seen[HOSTILE_REP[1]]), seen


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_every_report_opens_with_a_computed_summary(demo_run, name):
    period_dir = demo_run.period_dir
    notebook = nbformat.read(period_dir / f"{name}.ipynb", as_version=4)
    summary = read_summary(notebook)
    assert 3 <= len(summary["sentences"]) <= 5
    assert summary["roles"][:4] == ["Where it stands", "Largest change", "Biggest risk", "Suggested action"]
    page = (period_dir / f"{name}.html").read_text(encoding="utf-8")
    body = page[page.index("<body") :]  # the stylesheet names the classes too
    # the summary box is the first output a reader sees
    box = body.index('class="salesops-summary-box"')
    assert box - body.index("jp-OutputArea-output") < 2_000
    assert body.count('class="salesops-summary-box"') == 1
    figures = body[box : body.index("</section>", box)]
    assert 1 <= figures.count('class="salesops-figure ') <= 5


def test_the_period_index_links_every_report(demo_run):
    period_dir = demo_run.period_dir
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    for name in REPORT_NAMES:
        assert f'href="{name}.html"' in index
        assert f'href="{name}.ipynb"' in index
    root = (period_dir.parent / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-10/index.html"' in root


def test_the_period_index_is_a_dashboard_of_each_reports_figures_with_trend_lines(demo_run):
    period_dir = demo_run.period_dir
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    body = index[index.index("<body") :]
    manifest = _manifest(period_dir)
    trended = [h for run in manifest["notebooks"] for h in run["headlines"] if h.get("trend") and h["dashboard"]]
    assert len(trended) >= 5
    # every trended dashboard figure gets a sparkline described in words, from its first month to its last
    assert body.count('role="img"') >= len(trended)
    bookings = _headlines(period_dir, "01_mission_and_kpis")["bookings"]
    assert f"{bookings['text']}" in body and bookings["change"].split(" · ")[0] in body
    assert "Nov 2025 to Oct 2026" in body
    # each report's first summary sentence stands in its row
    for run in manifest["notebooks"]:
        assert run["summary"]["sentences"][0].split(";")[0].replace("'", "&#39;") in body
    # waterfall parts stay in their report, off the dashboard
    assert "Pipeline pulled in" not in body
    # the all-periods index shows the headline figures month by month, with a trend line for each
    root = (period_dir.parent / "index.html").read_text(encoding="utf-8")
    months = root[root.index("<body") :]
    assert months.count('role="img"') >= 5
    assert "Oct 2026" in months and "Nov 2025" in months
    assert bookings["text"] in months


def test_the_kpi_headlines_match_the_demo_files(demo_run):
    """Bookings and win rate for October 2026, recounted from opportunities.csv with the csv module."""
    period_dir = demo_run.period_dir
    won = lost = 0
    booked = 0.0
    with open(DEMO_DATA / "opportunities.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["close_date"].startswith("2026-10"):
                if row["stage"] == "Closed Won":
                    won, booked = won + 1, booked + float(row["amount"])
                elif row["stage"] == "Closed Lost":
                    lost += 1
    figures = _headlines(period_dir, "01_mission_and_kpis")
    assert figures["bookings"]["value"] == pytest.approx(booked)
    assert figures["win_rate"]["value"] == pytest.approx(won / (won + lost))


@pytest.mark.parametrize("name", ["01_mission_and_kpis", "02_team_performance"])
def test_in_jupyterlab_mode_a_notebook_adds_its_live_picker_and_the_page_stays_static(tmp_path, name):
    """interactive=True (as in JupyterLab) draws the widget; the exported page drops it instead of showing it dead."""
    from salesops_helpers.batch.notebooks import ReportNotebook
    from salesops_helpers.batch.progress import Progress
    from salesops_helpers.batch.runner import BatchRequest, run_batch

    request = BatchRequest(
        notebooks=[ReportNotebook(NOTEBOOKS / f"{name}.py")],
        period="2026-10",
        period_title="October 2026",
        company="Northwind Analytics",
        parameters={"period": "2026-10", "data_dir": str(DEMO_DATA), "config_path": str(DEFAULT_CONFIG)}
        | {"interactive": True},
        inputs=[],
        config_path=DEFAULT_CONFIG,
        out_root=tmp_path,
        data_as_of="2026-10-31",
        # nbclient now and then waits out the whole cell timeout for a reply that has arrived, after a cell that draws
        # widgets (jupyter/nbclient#312, open; seen once here, a 10-minute stall): a short timeout bounds the stall
        cell_timeout=45,
    )
    result = run_batch(request, Progress(stream=open(tmp_path / "progress.txt", "w")))  # noqa: SIM115
    assert result.runs[0].status == "ok", result.runs[0].error
    executed = nbformat.read(result.period_dir / f"{name}.ipynb", as_version=4)
    widgets = [
        output
        for cell in executed.cells
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    ]
    assert widgets, "the widget was not drawn"
    page = (result.period_dir / f"{name}.html").read_text(encoding="utf-8")
    assert "widget-view" not in page and "could not be displayed" not in page and "<script" not in page


def test_the_team_review_finds_the_planted_rep_and_ramp_and_says_so(demo_run):
    period_dir = demo_run.period_dir
    figures = _headlines(period_dir, "02_team_performance")
    assert figures["coaching_flags"]["value"] >= 1
    assert 5 <= figures["ramp_months"]["value"] <= 7
    page = (period_dir / "02_team_performance.html").read_text(encoding="utf-8")
    coaching = page[page.index("Coaching signals") :]
    assert "Mason Reed" in coaching and any(stage in coaching for stage in WEAK_STAGES)
    assert "widget-view" not in page
    for section in ("Scorecards", "Quota attainment", "Leaderboards", "New-hire ramp", "Activity and outcome"):
        assert section in page, section


def test_the_team_review_says_who_left_who_has_no_quota_and_whose_owner_is_unknown(roster_company):
    result, period_dir = roster_company
    assert result.returncode == 0, result.stderr
    page = (period_dir / "02_team_performance.html").read_text(encoding="utf-8")
    assert "Left in 2026-08: Bob Ray" in page
    assert "Without a quota in 2026-08: Cy Doe" in page
    assert "1 deal worth $2.0k belongs to owners missing from the reps table (R9)" in page
