"""The report framework of issue 9: executive summaries, headline figures with trends, and tables for readers."""

from __future__ import annotations

import io
import json
import re

import nbformat
import pandas as pd
import pytest

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.findings import ExecutiveSummary, Headline, trend_headline
from salesops_helpers.batch.html import export_html, output_stylesheets, reader_notebook
from salesops_helpers.batch.templates import FOLDER as BATCH_TEMPLATES
from salesops_helpers.presentation.contract import (
    HEADLINE_MIMETYPE,
    READER_HTML_MIMETYPE,
    ROWS_MIMETYPE,
    SUMMARY_MIMETYPE,
    read_headlines,
    read_summary,
)
from salesops_helpers.presentation.headlines import headline_bundle
from salesops_helpers.presentation.report import MOST_READER_ROWS, table
from salesops_helpers.presentation.summary import summary_bundle, summary_html
from salesops_helpers.presentation.templates import FOLDER as PRESENTATION_TEMPLATES
from salesops_helpers.presentation.templates import stylesheets

SCRIPT = "<script>alert(1)</script>"


def _summary(**changes: object) -> ExecutiveSummary:
    fields: dict[str, object] = {
        "standing": "Bookings were $10k.",
        "change": "Win rate fell by 5.0 pts.",
        "risk": "The goal is behind pace.",
        "action": "Create $20k of pipeline.",
        "figures": [Headline("bookings", "Bookings", 10_000, "$10k")],
    }
    return ExecutiveSummary(**(fields | changes))  # type: ignore[arg-type]


def test_a_summary_has_four_sentences_and_an_optional_fifth():
    assert len(_summary().sentences()) == 4
    assert _summary(context="Data runs to 2026-10-31.").sentences()[-1] == "Data runs to 2026-10-31."


@pytest.mark.parametrize("missing", ["standing", "change", "risk", "action"])
def test_a_summary_without_one_of_its_sentences_is_refused(missing):
    with pytest.raises(ValueError, match="missing"):
        _summary(**{missing: "  "})


def test_a_summary_shows_at_most_five_figures():
    figures = [Headline(f"k{i}", f"K{i}", i, str(i)) for i in range(6)]
    with pytest.raises(ValueError, match="at most 5"):
        _summary(figures=figures)


def test_the_summary_box_escapes_data_and_records_figures_and_sentences():
    summary = _summary(
        standing=f"The largest deal is {SCRIPT}.",
        figures=[Headline("deal", SCRIPT, 1, SCRIPT)],
        recorded=[Headline("hidden", "Hidden figure", 2, "2", dashboard=False)],
    )
    page = summary_html(summary)
    assert SCRIPT not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
    assert "Where it stands." in page and "Suggested action." in page
    bundle = summary_bundle(summary)
    assert [h["key"] for h in bundle[HEADLINE_MIMETYPE]] == ["deal", "hidden"]
    assert bundle[HEADLINE_MIMETYPE][1]["dashboard"] is False
    assert "Hidden figure" not in bundle["text/html"]
    assert bundle[SUMMARY_MIMETYPE]["sentences"][0] == f"The largest deal is {SCRIPT}."
    json.dumps(bundle)  # the notebook stores it as JSON


def test_summary_and_headlines_are_read_back_from_an_executed_notebook():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data=summary_bundle(_summary()))]
    notebook.cells = [cell]
    assert read_summary(notebook)["roles"] == ["Where it stands", "Largest change", "Biggest risk", "Suggested action"]
    assert read_summary(notebook)["sentences"][1] == "Win rate fell by 5.0 pts."
    assert [h["key"] for h in read_headlines(notebook)] == ["bookings"]
    assert read_summary(nbformat.v4.new_notebook()) == {"roles": [], "sentences": []}


def test_trend_headline_compares_with_the_month_before_and_keeps_twelve_months():
    values = pd.Series(
        [float(v) for v in range(100, 1500, 100)],
        index=[f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02"],
    )
    headline = trend_headline(
        "bookings", "Bookings", values, fmt.money, lambda v: fmt.change(v, "currency"), better="up"
    )
    assert headline.value == 1400 and headline.text == "$1.4k"
    assert headline.change == "+$100 vs Jan 2026"
    assert headline.status == "good"
    assert headline.trend_periods == tuple([f"2025-{m:02d}" for m in range(3, 13)] + ["2026-01", "2026-02"])
    assert headline.trend[0] == 300 and headline.trend_text[-1] == "$1.4k"


def test_trend_headline_status_follows_the_target_when_there_is_one_and_says_so():
    values = pd.Series([0.30, 0.20], index=["2026-09", "2026-10"])
    fell = trend_headline("win_rate", "Win rate", values, fmt.percent, lambda v: fmt.change(v, "share"), better="up")
    assert fell.status == "bad" and fell.change == "-10.0 pts vs Sep 2026"
    met = trend_headline(
        "win_rate", "Win rate", values, fmt.percent, lambda v: fmt.change(v, "share"), better="up", target=0.15
    )
    assert met.status == "good" and met.change == "-10.0 pts vs Sep 2026 · target 15%"
    cycle = pd.Series([40.0, 50.0], index=["2026-09", "2026-10"])
    longer = trend_headline("cycle", "Cycle", cycle, fmt.days, lambda v: fmt.change(v, "days"), better="down")
    assert longer.status == "bad"


def test_trend_headline_with_one_month_or_missing_values():
    single = trend_headline("b", "B", pd.Series([5.0], index=["2026-10"]), fmt.count, fmt.count, better="up")
    assert single.change == "" and single.status == "" and single.trend == (5.0,)
    gap = trend_headline(
        "b", "B", pd.Series([float("nan"), 5.0], index=["2026-09", "2026-10"]), fmt.count, fmt.count, "up"
    )
    assert gap.trend == (None, 5.0) and gap.change == ""


def test_headline_trend_fields_must_line_up():
    with pytest.raises(ValueError, match="differ in length"):
        Headline("b", "B", 1, "1", trend=(1.0, 2.0), trend_periods=("2026-10",), trend_text=("1", "2"))


def test_headline_cards_show_the_change_and_mark_the_status():
    bundle = headline_bundle([Headline("b", "Bookings", 1, "$1", change="-$5 vs Sep 2026", status="bad")])
    assert 'class="salesops-figure salesops-bad"' in bundle["text/html"]
    assert "-$5 vs Sep 2026" in bundle["text/html"]
    assert bundle["text/plain"] == "Bookings: $1 (-$5 vs Sep 2026)"


def _frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"rep": [f"Rep {i}" for i in range(rows)], "amount": [float(i) for i in range(rows)]})


def test_a_long_table_shows_its_first_rows_on_the_page_and_all_rows_for_analysts():
    shown = table(_frame(40), reader_rows=10)
    bundle = shown._repr_mimebundle_()
    assert bundle["text/html"].count("<tr>") == 41  # the analyst's notebook: header and 40 rows
    reader = bundle[READER_HTML_MIMETYPE]
    assert reader.count("<tr>") == 11
    assert "Rep 9" in reader and "Rep 10" not in reader
    assert "The first 10 of 40 rows" in reader


def test_a_short_table_or_one_asked_in_full_has_no_reader_version():
    assert READER_HTML_MIMETYPE not in table(_frame(15))._repr_mimebundle_()
    assert READER_HTML_MIMETYPE not in table(_frame(MOST_READER_ROWS), reader_rows=None)._repr_mimebundle_()


def test_a_table_asked_in_full_is_cut_on_the_page_beyond_the_most_rows_and_keeps_its_total():
    frame = _frame(MOST_READER_ROWS + 260)
    bundle = table(frame, reader_rows=None, name="Reps, quarter to date")._repr_mimebundle_()
    reader = bundle[READER_HTML_MIMETYPE]
    assert reader.count("<tr>") == MOST_READER_ROWS + 1
    assert f"The first {MOST_READER_ROWS} of 300 rows" in reader
    rows = bundle[ROWS_MIMETYPE]
    assert rows["name"] == "Reps, quarter to date" and rows["rows"] == 300
    assert pd.read_csv(io.StringIO(rows["csv"])).equals(frame)  # every row, the values as they are
    with_total = table(frame, reader_rows=None, total_last=True)._repr_mimebundle_()[READER_HTML_MIMETYPE]
    assert with_total.count("<tr>") == MOST_READER_ROWS + 1
    assert "Rep 299" in with_total and "Rep 38" in with_total and "Rep 39" not in with_total


def test_the_page_links_every_row_of_a_cut_table_as_a_csv_file_beside_it(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data=table(_frame(50), name="Reps & <teams>")._repr_mimebundle_()),
        nbformat.v4.new_output("display_data", data=table(_frame(20), reader_rows=5)._repr_mimebundle_()),
    ]
    notebook.cells = [cell]
    folder = export_html(notebook, tmp_path / "02_team.html", "Team", "Company · Oct 2026", "footer")
    assert folder == "02_team-tables"
    files = sorted(p.name for p in (tmp_path / folder).iterdir())
    assert files == ["01-reps-teams.csv", "02-table.csv"]
    assert len(pd.read_csv(tmp_path / folder / "01-reps-teams.csv")) == 50
    page = (tmp_path / "02_team.html").read_text(encoding="utf-8")
    assert 'All 50 rows as a CSV file: <a href="02_team-tables/01-reps-teams.csv">' in page
    assert "All 20 rows as a CSV file" in page
    assert ROWS_MIMETYPE not in page and "Rep 49" not in page
    # a later run without cut tables leaves no stale files behind
    notebook.cells[0].outputs = []
    assert export_html(notebook, tmp_path / "02_team.html", "Team", "Company · Oct 2026", "footer") is None
    assert not (tmp_path / folder).exists()


def test_the_reader_page_shows_the_short_table_and_drops_index_only_figures():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data=table(_frame(40), reader_rows=5)._repr_mimebundle_()),
        nbformat.v4.new_output("display_data", data={HEADLINE_MIMETYPE: [{"key": "x"}], "text/plain": ""}),
    ]
    notebook.cells = [cell]
    clean = reader_notebook(notebook)
    assert len(clean.cells[0].outputs) == 1
    assert clean.cells[0].outputs[0].data["text/html"].count("<tr>") == 6
    assert notebook.cells[0].outputs[0].data["text/html"].count("<tr>") == 41  # the analyst's copy is untouched


def test_status_words_are_coloured_and_other_columns_by_their_tone():
    frame = pd.DataFrame({"goal": ["A", "B"], "status": ["on target", "behind pace"], "attainment": [1.1, 0.4]})
    page = table(frame, tones={"attainment": lambda v: "bad" if v < 0.5 else ""}).to_html()
    # Styler writes one CSS rule per style, listing the cells that carry it
    rules = {
        style: set(re.findall(r"_(row\d+_col\d+)", selectors))
        for selectors, style in re.findall(r"([^{}]+)\{\s*([^}]*)\}", page)
        if "background-color" in style
    }
    good = next(cells for style, cells in rules.items() if "#e3f0fa" in style)
    bad = next(cells for style, cells in rules.items() if "#fde4d2" in style)
    assert good == {"row0_col1"}  # on target
    assert bad == {"row1_col1", "row1_col2"}  # behind pace, and attainment 40%


def test_table_headers_and_cells_from_data_are_escaped():
    frame = pd.DataFrame({SCRIPT: [SCRIPT]})
    page = table(frame).to_html()
    assert SCRIPT not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2


# --------------------------------------------------------------------------------------------------------------------
# Fragments from templates: escaped, and each carrying the stylesheet beside its template
# --------------------------------------------------------------------------------------------------------------------

MARKUP = ["<script>alert(1)</script>", "Noah <img src=x> Kim", "Tom & Jerry", 'Bob\'s "best" deal']
ESCAPED = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "Noah &lt;img src=x&gt; Kim",
    "Tom &amp; Jerry",
    "Bob&#39;s &#34;best&#34; deal",
]
# status classes (salesops-good) come from the headline: a template writes them as salesops-{{ status }}
STATUS_CLASSES = {"salesops-good", "salesops-bad"}


def _markup_headline(text: str) -> Headline:
    return Headline("k", text, 1, text, change=text, status='"><b onclick=1')


@pytest.mark.parametrize(("raw", "escaped"), list(zip(MARKUP, ESCAPED, strict=True)))
def test_figure_cards_escape_every_text_and_the_status_in_their_class(raw, escaped):
    page = headline_bundle([_markup_headline(raw)])["text/html"]
    assert raw not in page
    assert page.count(escaped) == 3  # value, label and change
    assert "<b" not in page and "<img" not in page and "<script" not in page
    # the odd status stays inside the class attribute of the card and of its change
    assert page.count('class="salesops-figure salesops-&#34;&gt;&lt;b onclick=1"') == 1
    assert page.count('class="salesops-figure-change salesops-&#34;&gt;&lt;b onclick=1"') == 1


@pytest.mark.parametrize(("raw", "escaped"), list(zip(MARKUP, ESCAPED, strict=True)))
def test_the_summary_box_escapes_every_sentence_and_figure(raw, escaped):
    summary = _summary(standing=raw, change=raw, risk=raw, action=raw, context=raw, figures=[_markup_headline(raw)])
    page = summary_html(summary)
    assert raw not in page
    assert page.count(escaped) == 5 + 3  # five sentences, the card's value, label and change
    assert re.findall(r'<span class="salesops-role">([^<]*)</span>', page) == [
        "Where it stands.",
        "Largest change.",
        "Biggest risk.",
        "Suggested action.",
        "Context.",
    ]


def test_the_table_note_counts_the_rows_shown_and_all_rows_with_separators():
    reader = table(_frame(1_234), reader_rows=7).reader_html()
    note = re.findall(r'<p class="salesops-table-note">(.*?)</p>', reader)
    assert note == ["The first 7 of 1,234 rows; the analyst's notebook holds the full table."]
    assert reader.index("Rep 6<") < reader.index("salesops-table-note") and "Rep 7<" not in reader


def _sheet(name: str) -> str:
    return stylesheets(name).strip()


def test_each_fragment_carries_the_stylesheets_beside_its_templates_once():
    assert stylesheets("summary") == (PRESENTATION_TEMPLATES / "summary.css").read_text(encoding="utf-8")
    summary_css = summary_bundle(_summary())["text/css"]
    assert summary_css.count(_sheet("summary")) == 1 and summary_css.count(_sheet("figure_cards")) == 1
    assert headline_bundle([])["text/css"].strip() == _sheet("figure_cards")
    assert table(_frame(40), reader_rows=10)._repr_mimebundle_()["text/css"].strip() == _sheet("table_note")
    assert "text/css" not in table(_frame(3))._repr_mimebundle_()  # no note, nothing to style


@pytest.mark.parametrize("name", ["summary", "figure_cards", "table_note"])
def test_every_class_a_fragments_stylesheet_styles_is_written_in_its_template(name):
    template = (PRESENTATION_TEMPLATES / f"{name}.html.j2").read_text(encoding="utf-8")
    styled = set(re.findall(r"\.(salesops-[\w-]+)", _sheet(name)))
    assert styled
    missing = {c for c in styled if c not in template and not (c in STATUS_CLASSES and "salesops-{{" in template)}
    assert not missing, f"{name}.css styles classes its template does not use: {missing}"


def _sheets_notebook(*bundles: dict[str, object]) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle) for bundle in bundles]
    notebook.cells = [cell]
    return notebook


def test_the_page_takes_each_stylesheet_once_and_none_that_could_close_its_style_element():
    notebook = _sheets_notebook(
        {"text/plain": "", "text/css": "a { color: red; }\n"},
        {"text/plain": "", "text/css": "b { color: blue; }\na { color: red; }\n"},  # holds the first whole
        {"text/plain": "", "text/css": "a { color: red; }\n"},
        {"text/plain": "", "text/css": "b { color: blue; }\n"},  # held whole by the second
        {"text/plain": "", "text/css": "</style><script>alert(1)</script>"},
        {"text/plain": "", "text/css": "  "},
        {"text/plain": "", "text/css": "c { color: green; }\n"},
    )
    assert output_stylesheets(notebook) == ["b { color: blue; }\na { color: red; }\n", "c { color: green; }\n"]


def test_a_report_page_includes_the_stylesheet_beside_each_template_once(tmp_path):
    long_table = table(_frame(40), reader_rows=5)._repr_mimebundle_()
    notebook = _sheets_notebook(
        summary_bundle(_summary()),
        long_table,
        headline_bundle([Headline("b", "Bookings", 1, "$1")]),
        long_table,
    )
    export_html(notebook, tmp_path / "report.html", "Report", "Northwind: October 2026", "Data as of 2026-10-31")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    head, body = page[: page.index("<body")], page[page.index("<body") :]
    sheets = [
        BATCH_TEMPLATES / "page.css",
        BATCH_TEMPLATES / "salesops_report" / "index.css",
        PRESENTATION_TEMPLATES / "summary.css",
        PRESENTATION_TEMPLATES / "figure_cards.css",
        PRESENTATION_TEMPLATES / "table_note.css",
    ]
    assert [head.count(sheet.read_text(encoding="utf-8").strip()) for sheet in sheets] == [1, 1, 1, 1, 1]
    # under each of the two long tables: the note and the link to its CSV file
    assert body.count('class="salesops-table-note"') == 4 and body.count('class="salesops-summary-box"') == 1
    # the summary's stylesheets come before the tables' note, in the order the outputs show them
    assert head.index(_sheet("summary")) < head.index(_sheet("figure_cards")) < head.index(_sheet("table_note"))
