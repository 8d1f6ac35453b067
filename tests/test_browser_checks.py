"""The headless-browser checker itself, on small synthetic pages: it must see what a reader's browser would."""

import base64
from pathlib import Path

import pytest

from tests.browser import (  # noqa: F401 (the "browser" fixture)
    A4_PRINT_WIDTH,
    Browser,
    BrowserUnavailable,
    PageCheck,
    browser_fixture,
    pdf_pages,
)

# A 1x1 PNG, valid for any browser.
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def _page(tmp_path: Path, body: str, head: str = "", title: str = "Synthetic report") -> Path:
    path = tmp_path / "page.html"
    path.write_text(
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>\n'
        f"<body>{body}</body></html>\n",
        encoding="utf-8",
    )
    return path


def test_a_clean_page_with_local_and_inline_images_has_no_problems(browser: Browser, tmp_path: Path):
    (tmp_path / "pixel.png").write_bytes(PIXEL_PNG)
    inline = "data:image/png;base64," + base64.b64encode(PIXEL_PNG).decode()
    path = _page(tmp_path, f'<h1>Monthly KPIs</h1><img src="pixel.png" alt="a"><img src="{inline}" alt="b">')
    shot = tmp_path / "shots" / "clean.png"

    check = browser.check_page(path, screenshot=shot)

    assert isinstance(check, PageCheck)
    assert check.problems() == []
    assert (check.console_errors, check.external_requests, check.failed_requests, check.broken_images) == (
        (),
        (),
        (),
        (),
    )
    assert check.title == "Synthetic report"
    assert "Monthly KPIs" in check.text
    assert check.url == path.resolve().as_uri()
    assert check.viewport_width == 1280
    assert not check.overflows
    assert check.screenshot == shot
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_console_error_is_reported(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<p>ok</p><script>console.error("x")</script>'))
    assert len(check.console_errors) == 1
    assert check.console_errors[0].startswith("x ")
    assert check.problems() == [f"console error: {check.console_errors[0]}"]


def test_uncaught_exception_is_reported_as_a_page_error(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<p>ok</p><script>throw new Error("boom in chart")</script>'))
    assert check.console_errors == ("uncaught Error: boom in chart",)


def test_external_script_is_reported_and_never_sent(browser: Browser, tmp_path: Path):
    path = _page(tmp_path, "<p>ok</p>", head='<script src="https://cdn.example.com/x.js"></script>')
    check = browser.check_page(path)
    assert check.external_requests == ("https://cdn.example.com/x.js",)
    assert check.failed_requests == ()  # blocked external requests are listed once, as external
    assert "external request: https://cdn.example.com/x.js" in check.problems()


def test_external_image_is_reported(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<img src="https://example.com/a.png" alt="logo">'))
    assert check.external_requests == ("https://example.com/a.png",)
    assert check.broken_images == ("https://example.com/a.png",)


def test_missing_local_image_is_a_broken_image_and_a_failed_request(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<p>chart:</p><img src="missing.png" alt="chart">'))
    assert check.broken_images == ("missing.png",)
    assert check.failed_requests == (f"{(tmp_path / 'missing.png').resolve().as_uri()} (net::ERR_FILE_NOT_FOUND)",)
    assert check.external_requests == ()


def test_image_added_by_script_after_load_is_still_seen(browser: Browser, tmp_path: Path):
    script = (
        "<script>window.addEventListener('load', () => setTimeout(() => {"
        "const img = document.createElement('img'); img.src = 'late-missing.png'; document.body.append(img);"
        "}, 100));</script>"
    )
    check = browser.check_page(_page(tmp_path, "<p>ok</p>" + script))
    assert check.broken_images == ("late-missing.png",)
    assert len(check.failed_requests) == 1


def test_page_wider_than_the_window_is_reported(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<div style="width: 3000px">a very wide table</div>'))
    assert check.page_width > check.viewport_width
    assert check.page_width >= 3000
    assert check.overflows
    assert check.problems() == [f"page is {check.page_width}px wide in a {check.viewport_width}px window"]


def test_window_size_is_configurable(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<div style="width: 500px">fits a laptop</div>'), width=400, height=700)
    assert check.viewport_width == 400
    assert check.overflows


def test_escaped_markup_shows_as_text_and_does_not_run(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, "<p>Customer: &lt;script&gt;alert(1)&lt;/script&gt;</p>"))
    assert "Customer: <script>alert(1)</script>" in check.text
    assert check.problems() == []


def test_missing_chromium_fails_with_the_install_hint(tmp_path: Path):
    with pytest.raises(BrowserUnavailable, match=r"run scripts/install-browser"):
        Browser(executable=tmp_path / "no-chromium").start()


def test_a_dialog_opened_by_the_page_is_reported_and_dismissed(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<p>ok</p><img src="x" onerror="alert(1)">'))
    assert check.dialogs == ("alert: 1",)
    assert "dialog opened: alert: 1" in check.problems()


def test_a_box_that_scrolls_sideways_is_reported_even_when_the_page_fits(browser: Browser, tmp_path: Path):
    body = '<div class="wide-table" style="overflow-x: auto; width: 300px"><div style="width: 900px">cells</div></div>'
    check = browser.check_page(_page(tmp_path, body))
    assert not check.overflows
    assert check.scroll_boxes == ("div.wide-table (900px of content in 300px)",)
    fitting = browser.check_page(_page(tmp_path, '<div style="overflow-x: auto; width: 300px">cells</div>'))
    assert fitting.scroll_boxes == ()


def test_print_layout_uses_the_print_stylesheet_and_writes_a_pdf(browser: Browser, tmp_path: Path):
    head = "<style>@media print { .screen-only { display: none } .wide { width: 100% !important } }</style>"
    body = '<p class="screen-only">Navigation</p><div class="wide" style="width: 1000px">table</div>' + (
        "<p>line</p>" * 200
    )
    path = _page(tmp_path, body, head=head)
    assert browser.check_page(path).overflows is False  # the 1280 px window holds the 1000 px block
    assert browser.check_page(path, width=800).overflows
    pdf = tmp_path / "page.pdf"
    printed = browser.check_page(path, pdf=pdf)
    assert printed.media == "print"
    assert printed.viewport_width == A4_PRINT_WIDTH
    assert "Navigation" not in printed.text
    assert not printed.overflows
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf_pages(pdf) >= 2  # 200 lines do not fit one A4 page


def test_print_layout_that_is_wider_than_the_paper_is_reported(browser: Browser, tmp_path: Path):
    check = browser.check_page(_page(tmp_path, '<div style="width: 1000px">wide</div>'), pdf=tmp_path / "wide.pdf")
    assert check.overflows
