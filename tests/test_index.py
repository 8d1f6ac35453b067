"""The index pages of issue 9: the period's dashboard, the all-periods table of headline figures, and sparklines.

Every manifest here is written by hand, so no notebook runs and no kernel starts.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from salesops_helpers.batch.index import render_period_index, render_root_index
from salesops_helpers.batch.sparkline import sparkline_description, sparkline_points, sparkline_svg
from salesops_helpers.batch.templates import FOLDER as TEMPLATES

SCRIPT = "<script>alert(1)</script>"
MONTHS = ["2026-08", "2026-09", "2026-10"]


def _headline(key: str, label: str, text: str, **more: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "value": 0, "text": text, **more}


def _bookings() -> dict[str, Any]:
    return _headline(
        "bookings",
        "Bookings",
        "$693k",
        change="+$52k vs Sep 2026",
        status="good",
        trend=[520_000, 641_000, 693_000],
        trend_periods=MONTHS,
        trend_text=["$520k", "$641k", "$693k"],
    )


def _win_rate() -> dict[str, Any]:
    return _headline(
        "win_rate",
        "Win rate",
        "25%",
        change="-2.0 pts vs Sep 2026",
        status="bad",
        trend=[0.21, None, 0.25],
        trend_periods=MONTHS,
        trend_text=["21%", "–", "25%"],
    )


def _run(name: str, title: str, headlines: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    run = {
        "name": name,
        "title": title,
        "status": "ok",
        "duration_s": 3.0,
        "error": None,
        "headlines": headlines,
        "html": f"{name}.html",
        "notebook": f"{name}.ipynb",
        "carried_over": None,
    }
    return run | more


def _manifest(runs: list[dict[str, Any]], period: str = "2026-10", title: str = "October 2026") -> dict[str, Any]:
    return {
        "period": period,
        "period_title": title,
        "company": "Northwind Analytics",
        "data_as_of": f"{period}-31",
        "duration_s": 12.0,
        "footer": "Data as of the end of the month.",
        "notebooks": runs,
    }


def _cards(page: str) -> list[str]:
    """The dashboard's cards, each as its HTML (a card holds only spans and the sparkline)."""
    return [m[0] for m in re.finditer(r'<(a|div) class="salesops-card[ "].*?</\1>', page, re.S)]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# --------------------------------------------------------------------------------------------------------------------
# Sparklines
# --------------------------------------------------------------------------------------------------------------------


def test_sparkline_puts_the_lowest_value_at_the_bottom_and_the_highest_at_the_top():
    # a 100 x 20 box with 3 px padding: x runs 3..97, y 3 (top) .. 17 (bottom)
    assert sparkline_points([10, 30, 20], width=100, height=20, pad=3) == [(3.0, 17.0), (50.0, 3.0), (97.0, 10.0)]


def test_a_flat_sparkline_sits_in_the_middle_and_missing_values_have_no_point():
    assert sparkline_points([5, None, 5], width=100, height=20, pad=3) == [(3.0, 10.0), None, (97.0, 10.0)]


def test_a_missing_month_leaves_a_gap_in_the_line():
    svg = sparkline_svg([1, 2, None, 3, 4], "Bookings", width=100, height=20)
    path = re.search(r'<path d="([^"]*)"', svg)[1]
    # x steps of 23.5 from 3; y from 17 (value 1) to 3 (value 4), a third of 14 per unit
    assert path == "M3 17 L26.5 12.3 M73.5 7.7 L97 3"


def test_a_value_between_two_gaps_is_a_dot_and_the_latest_value_is_marked():
    svg = sparkline_svg([1, None, 2, None, 3], "Bookings", width=100, height=20)
    assert "<path" not in svg  # no two neighbouring months to join
    assert re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="1.5"', svg) == [("3", "17"), ("50", "10"), ("97", "3")]
    assert re.search(r'class="salesops-spark-latest" cx="97" cy="3"', svg)


def test_fewer_than_two_values_draw_no_sparkline():
    assert sparkline_svg([], "Bookings") == ""
    assert sparkline_svg([None, 4.0, None], "Bookings") == ""


def test_the_sparkline_says_in_words_what_it_shows():
    description = sparkline_description(
        "Bookings", ["2025-11", "2025-12", "2026-10"], ["$520k", "$1", "$693k"], [1, 2, 3]
    )
    assert description == "Bookings, Nov 2025 to Oct 2026: $520k to $693k"
    # the words follow the first and last values present, not the first and last months
    assert sparkline_description("Win rate", MONTHS, ["–", "24%", "25%"], [None, 0.24, 0.25]) == (
        "Win rate, Sep 2026 to Oct 2026: 24% to 25%"
    )
    svg = sparkline_svg([1, 2], "Bookings", MONTHS[:2], ["$1", "$2"])
    assert 'role="img"' in svg
    assert 'aria-label="Bookings, Aug 2026 to Sep 2026: $1 to $2"' in svg
    assert "<title>Bookings, Aug 2026 to Sep 2026: $1 to $2</title>" in svg


def test_sparkline_text_is_escaped():
    svg = sparkline_svg([1, 2], SCRIPT, MONTHS[:2], ['"a"', "<b>"])
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&#34;a&#34;" in svg  # a quote cannot end the aria-label attribute early
    assert re.search(r'aria-label="[^"]*&#34;a&#34; to &lt;b&gt;"', svg)


# --------------------------------------------------------------------------------------------------------------------
# The period's dashboard
# --------------------------------------------------------------------------------------------------------------------


def test_dashboard_cards_show_value_change_status_trend_and_link_to_their_report():
    hidden = _headline("detail", "A detail", "7", dashboard=False)
    page = render_period_index(_manifest([_run("01_kpis", "Mission and KPIs", [_bookings(), hidden, _win_rate()])]))
    cards = _cards(page)
    assert len(cards) == 2  # the figure kept off the dashboard has no card

    good, bad = cards
    assert good.startswith('<a class="salesops-card salesops-good" href="01_kpis.html">')
    assert "$693k" in good and "Bookings" in good
    assert "+$52k vs Sep 2026 (on track)" in _text(good)
    assert '<svg class="salesops-spark" role="img" aria-label="Bookings, Aug 2026 to Oct 2026: $520k to $693k"' in good
    assert "Aug 2026 – Oct 2026" in _text(good)

    assert bad.startswith('<a class="salesops-card salesops-bad" href="01_kpis.html">')
    assert "-2.0 pts vs Sep 2026 (needs attention)" in _text(bad)  # the status in words too, not only in colour
    assert "<path" not in bad and bad.count('r="1.5"') == 2  # August and October alone either side of the gap
    assert 'aria-label="Win rate, Aug 2026 to Oct 2026: 21% to 25%"' in bad


def test_a_status_without_a_change_is_still_said_in_words():
    flags = _headline("flags", "Coaching signals", "2", status="bad")
    (card,) = _cards(render_period_index(_manifest([_run("02_team", "Team", [flags])])))
    assert card.startswith('<a class="salesops-card salesops-bad"')
    assert _text(card) == "Coaching signals 2 ! needs attention"


def test_dashboard_shows_at_most_five_figures_a_report_in_report_order():
    figures = [_headline(f"k{i}", f"Figure {i}", str(i)) for i in range(1, 8)]
    page = render_period_index(_manifest([_run("01_a", "First", figures[:2]), _run("02_b", "Second", figures[2:])]))
    labels = [re.search(r'salesops-card-label">(.*?)<', card)[1] for card in _cards(page)]
    assert labels == ["Figure 1", "Figure 2", "Figure 3", "Figure 4", "Figure 5", "Figure 6", "Figure 7"]
    figures.append(_headline("k8", "Figure 8", "8"))
    page = render_period_index(_manifest([_run("02_b", "Second", figures[2:])]))
    assert [re.search(r'salesops-card-label">(.*?)<', c)[1] for c in _cards(page)][-1] == "Figure 7"
    assert "Figure 7: <b>7</b>" in page and "Figure 8" not in page  # the report's row lists the same five


def test_report_rows_show_where_it_stands_and_failures_keep_their_last_good_page():
    summary = {"roles": ["Where it stands", "Largest change"], "sentences": ["Bookings reached $693k.", "Up $52k."]}
    failed = _run(
        "02_team",
        "Team performance",
        [_headline("reps", "Reps at quota", "25%")],
        status="failed",
        error={"cell": 4, "code": "table(x)", "ename": "KeyError", "evalue": "'rep'"},
        notebook="02_team.failed.ipynb",
        summary={"roles": ["Where it stands"], "sentences": ["Half a run's sentence."]},
        carried_over={"run_started_at": "2026-11-01T06:00:00+00:00", "summary": {"sentences": ["Last good words."]}},
    )
    page = render_period_index(_manifest([_run("01_kpis", "Mission and KPIs", [_bookings()], summary=summary), failed]))
    rows = dict(re.findall(r'<tr class="status-[\w-]+">\s*<td>.*?>([^<]+)</a>(.*?)</tr>', page, re.S))
    ok, bad = _text(rows["Mission and KPIs"]), _text(rows["Team performance"])
    assert ok.startswith("rendered Bookings reached $693k. Bookings: $693k")
    assert "Up $52k" not in ok  # only the first sentence
    assert "Failed at code cell 4 (table(x)): KeyError: 'rep'" in bad
    assert "the page is the last good one, from the run of 2026-11-01T06:00:00+00:00" in bad
    assert "Last good words." in bad and "Half a run's sentence." not in bad
    assert 'href="02_team.failed.ipynb"' in rows["Team performance"]
    assert "From the last good run" in _cards(page)[-1]


def test_every_text_on_the_period_index_is_escaped():
    evil = _headline(
        "x",
        SCRIPT,
        SCRIPT,
        change=SCRIPT,
        status='"><b',
        trend=[1, 2],
        trend_periods=MONTHS[:2],
        trend_text=[SCRIPT] * 2,
    )
    run = _run(
        "01_x",
        SCRIPT,
        [evil],
        summary={"roles": ["Where it stands"], "sentences": [SCRIPT]},
        status="failed",
        error={"cell": None, "code": "", "ename": "ValueError", "evalue": SCRIPT},
        carried_over={"run_started_at": SCRIPT, "summary": {"sentences": [SCRIPT]}},
    )
    manifest = _manifest([run]) | {"company": SCRIPT, "period_title": SCRIPT, "footer": SCRIPT}
    page = render_period_index(manifest)
    assert "<script" not in page
    assert "<b" not in page.replace("<body", "").replace("<b>", "")
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 10
    assert 'class="salesops-card"' in page  # an unknown status gives no class at all


def test_an_old_manifest_without_the_new_fields_still_renders():
    old_run = {"name": "01_kpis", "title": "Mission and KPIs", "status": "ok", "duration_s": 2.5, "error": None}
    old_run |= {"headlines": [{"key": "bookings", "label": "Bookings", "value": 1, "text": "$693k"}]}
    old_run |= {"html": "01_kpis.html", "notebook": "01_kpis.ipynb"}
    page = render_period_index(_manifest([old_run]))
    (card,) = _cards(page)
    assert card.startswith('<a class="salesops-card" href="01_kpis.html">')
    assert "<svg" not in card and "salesops-card-change" not in card
    assert 'href="01_kpis.ipynb"' in page
    assert "1 of 1 reports rendered. Data as of 2026-10-31; the run took 12 s." in page


# --------------------------------------------------------------------------------------------------------------------
# The index of every period
# --------------------------------------------------------------------------------------------------------------------


def _write_period(root: Path, manifest: dict[str, Any]) -> None:
    folder = root / manifest["period"]
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_all_periods_index_shows_the_newest_runs_figures_month_by_month(tmp_path):
    september = _manifest([_run("01_kpis", "Mission and KPIs", [_headline("bookings", "Bookings", "$600k")])])
    _write_period(tmp_path, september | {"period": "2026-09", "period_title": "September 2026"})
    figures = [_bookings(), _win_rate(), _headline("deals", "Deals", "5,993")]  # deals has no trend: no column
    _write_period(tmp_path, _manifest([_run("01_kpis", "Mission and KPIs", figures)]))
    (tmp_path / "notes").mkdir()  # not a period

    page = render_root_index(tmp_path)
    (table,) = re.findall(r'<table class="salesops-index salesops-history-table">.*?</table>', page, re.S)
    header = re.search(r"<thead>.*?</thead>", table, re.S)[0]
    assert [_text(h) for h in re.findall(r'salesops-kpi-label">(.*?)</span>', header)] == ["Bookings", "Win rate"]
    assert header.count('role="img"') == 2
    assert '<th scope="colgroup" colspan="2" class="salesops-history-report salesops-group-start">' in header
    assert '<a href="2026-10/01_kpis.html">Mission and KPIs</a>' in header

    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    assert [_text(month) for month, _ in rows] == ["Oct 2026", "Sep 2026", "Aug 2026"]
    assert [re.findall(r'<td class="number[^"]*">(.*?)</td>', cells) for _, cells in rows] == [
        ["$693k", "25%"],
        ["$641k", "–"],
        ["$520k", "21%"],
    ]
    assert [re.search(r'href="([^"]*)"', month)[1] if "href" in month else None for month, _ in rows] == [
        "2026-10/index.html",
        "2026-09/index.html",
        None,  # August was never rendered
    ]
    assert "Figures as of the data of the October 2026 run (data as of 2026-10-31)" in _text(page)
    # the list of rendered periods stays below the table
    periods = re.findall(r'<tr class="status-(\w+)">\s*<td><a href="([^"]+)">', page)
    assert periods == [("ok", "2026-10/index.html"), ("ok", "2026-09/index.html")]
    assert page.index('<table class="salesops-index salesops-history-table">') < page.index("Rendered periods")


def test_all_periods_index_puts_reports_side_by_side_without_repeating_a_series(tmp_path):
    same = _bookings() | {"key": "monthly_bookings", "label": "Bookings, October 2026"}  # 04 repeats 01's bookings
    many = [_bookings() | {"key": f"k{i}", "label": f"Figure {i}", "trend": [i, i, i]} for i in range(5)]
    for i, h in enumerate(many):
        h["trend_text"] = [f"{i}a", f"{i}b", f"{i}c"]
    runs = [
        _run("01_kpis", "KPIs", [_bookings(), _win_rate()]),
        _run("02_more", "More", many),
        _run("03_last", "Last", [same, many[0] | {"key": "other", "trend_text": ["x", "y", "z"]}]),
    ]
    _write_period(tmp_path, _manifest(runs))
    page = render_root_index(tmp_path)
    tables = re.findall(r'<table class="salesops-index salesops-history-table">.*?</table>', page, re.S)
    labels = [[_text(h) for h in re.findall(r'salesops-kpi-label">(.*?)</span>', t)] for t in tables]
    # 2 + 5 columns fit in one table of at most 10; the third report's 1 new column would too, so one table
    assert labels == [["Bookings", "Win rate", "Figure 0", "Figure 1", "Figure 2", "Figure 3", "Figure 4", "Figure 0"]]
    groups = re.findall(r'colspan="(\d)"[^>]*><a href="2026-10/(\w+).html"', tables[0])
    assert groups == [("2", "01_kpis"), ("5", "02_more"), ("1", "03_last")]


def test_all_periods_index_splits_figures_into_tables_of_at_most_ten(tmp_path):
    def figures(prefix: str, count: int) -> list[dict[str, Any]]:
        return [_bookings() | {"key": f"{prefix}{i}", "trend_text": [f"{prefix}{i}"] * 3} for i in range(count)]

    runs = [_run("01_a", "A", figures("a", 5)), _run("02_b", "B", figures("b", 4)), _run("03_c", "C", figures("c", 2))]
    _write_period(tmp_path, _manifest(runs))
    tables = re.findall(
        r'<table class="salesops-index salesops-history-table">.*?</table>', render_root_index(tmp_path), re.S
    )
    assert [len(re.findall(r'<th scope="col" class="number', t)) for t in tables] == [9, 2]


def test_all_periods_index_without_trends_lists_the_periods_only(tmp_path):
    old = _manifest([_run("01_kpis", "Mission and KPIs", [_headline("bookings", "Bookings", "$600k")], status="x")])
    _write_period(tmp_path, old)
    page = render_root_index(tmp_path)
    assert '<table class="salesops-index salesops-history-table">' not in page
    assert re.findall(r'<tr class="status-(\w+)">', page) == ["failed"]
    assert "1 failed" in page


def test_all_periods_index_escapes_the_figures(tmp_path):
    evil = _headline("x", SCRIPT, "1", trend=[1, 2], trend_periods=MONTHS[:2], trend_text=[SCRIPT, SCRIPT])
    _write_period(tmp_path, _manifest([_run("01_x", SCRIPT, [evil])]) | {"period_title": SCRIPT})
    page = render_root_index(tmp_path)
    assert "<script" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5


# --------------------------------------------------------------------------------------------------------------------
# Templates and the stylesheet beside each
# --------------------------------------------------------------------------------------------------------------------


def _css(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8").strip()


def _style(page: str) -> str:
    return re.search(r"<style>(.*?)</style>", page, re.S)[1]


def test_the_period_index_includes_its_stylesheets_once_each_and_unescaped():
    style = _style(render_period_index(_manifest([_run("01_kpis", "Mission and KPIs", [_bookings()])])))
    assert [style.count(_css(name)) for name in ("page.css", "sparkline.css", "period_index.css")] == [1, 1, 1]
    assert '"Segoe UI"' in style  # the font list keeps its quotes: the stylesheet is not escaped as text
    assert _css("all_periods.css") not in style


def test_the_all_periods_index_takes_the_sparklines_stylesheet_only_with_its_trend_lines(tmp_path):
    _write_period(tmp_path, _manifest([_run("01_kpis", "Mission and KPIs", [_bookings()])]))
    style = _style(render_root_index(tmp_path))
    assert [style.count(_css(name)) for name in ("page.css", "sparkline.css", "all_periods.css")] == [1, 1, 1]
    assert _css("period_index.css") not in style
    untrended = tmp_path / "untrended"
    _write_period(untrended, _manifest([_run("01_kpis", "Mission and KPIs", [_headline("deals", "Deals", "5")])]))
    style = _style(render_root_index(untrended))
    assert style.count(_css("all_periods.css")) == 1 and _css("sparkline.css") not in style


@pytest.mark.parametrize("name", ["period_index", "all_periods", "sparkline"])
def test_every_class_a_pages_stylesheet_styles_is_written_in_its_template(name):
    (template,) = list(TEMPLATES.glob(f"{name}.*.j2"))
    written = template.read_text(encoding="utf-8")
    styled = set(re.findall(r"\.(salesops-[\w-]+)", _css(f"{name}.css")))
    assert styled
    # a page may style the sparkline it places (.salesops-kpi-trend .salesops-spark), written in its own template
    placed = set(re.findall(r"salesops-[\w-]+", _css("sparkline.css"))) if "sparkline" in written else set()
    # status classes (salesops-good) come from the manifest: the template writes salesops-{{ card.status }}
    status = {"salesops-good", "salesops-bad"} if "salesops-{{" in written else set()
    missing = {c for c in styled if c not in written} - placed - status
    assert not missing, f"{name}.css styles classes its template does not use: {missing}"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Noah <img src=x> Kim", "Noah &lt;img src=x&gt; Kim"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ('Bob\'s "best"', "Bob&#39;s &#34;best&#34;"),
    ],
)
def test_sparkline_label_and_texts_are_escaped_in_the_description_and_title(raw, escaped):
    svg = sparkline_svg([1, 2], raw, MONTHS[:2], [raw, raw])
    assert raw not in svg
    assert svg.count(escaped) == 6  # label, first and last text, in the aria-label and in the title
