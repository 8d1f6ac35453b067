"""Open a static HTML file in a real headless browser (Debian's chromium, driven by playwright) and say what went wrong.

Usage in a test module::

    from tests.browser import Browser, browser_fixture  # noqa: F401 (registers the module-scoped "browser" fixture)

    def test_report_renders_cleanly(browser: Browser, tmp_path):
        check = browser.check_page(report_path, screenshot=tmp_path / "report.png")
        assert not check.problems(), check.problems()

One-off use outside pytest: ``check_page(path)`` launches a browser, checks the page and closes it again.

External requests (anything but file:, data:, about: and blob:) are never sent: they are aborted and listed in
``external_requests`` (the machines have no network, and a report must not need one). Chromium then also logs a
"Failed to load resource" console error for each of them.

Keep the browser open only while it is used (the fixture is module-scoped): while playwright's sync API is started, it
marks an asyncio loop as running in the main thread, so ``asyncio.run`` (nbclient, papermill) cannot run meanwhile.
Render the reports before the browser opens.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser as PlaywrightBrowser
    from playwright.sync_api import ConsoleMessage, Dialog, Error, Playwright, Request, Route, WebSocket

CHROMIUM = Path("/usr/bin/chromium")
# --disable-background-networking and friends: chromium's own connections (updates, sync, field trials) would be
# refused by the closed network and slow every start.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_SCHEMES = frozenset({"file", "data", "about", "blob"})
INSTALL_HINT = "run scripts/install-browser (it installs Debian's chromium), then run the tests again"
LOAD_TIMEOUT_MS = 30_000
NETWORK_IDLE_TIMEOUT_MS = 5_000

_PAGE_FACTS_JS = """() => ({
    pageWidth: document.documentElement.scrollWidth,
    viewportWidth: document.documentElement.clientWidth,
    text: document.body ? document.body.innerText : "",
    brokenImages: Array.from(document.images)
        .filter((img) => !img.complete || img.naturalWidth === 0)
        .map((img) => img.getAttribute("src") || img.currentSrc || img.outerHTML.slice(0, 200)),
    scrollBoxes: Array.from(document.querySelectorAll("body *"))
        .filter((el) => {
            const overflow = getComputedStyle(el).overflowX;
            return (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1;
        })
        .map((el) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join(".")} `
            + `(${el.scrollWidth}px of content in ${el.clientWidth}px)`),
})"""
# A4 at 96 px per inch less 12 mm margins each side: the width a printed page lays out in.
A4_PRINT_WIDTH = 703
A4_PRINT_HEIGHT = 1032


class BrowserUnavailable(RuntimeError):
    """The headless browser cannot be started; the message says what to install."""


def is_local_url(url: str) -> bool:
    """True for URLs a static report may load on a machine without network (file:, data:, about:, blob:)."""
    return urlsplit(url).scheme.lower() in LOCAL_SCHEMES


@dataclass(frozen=True)
class PageCheck:
    """What a real browser saw when it opened one page."""

    url: str
    title: str
    text: str  # document.body.innerText: what a reader sees, with markup rendered (escaped markup shows as text)
    console_errors: tuple[str, ...]  # console messages of type error, then uncaught page errors
    external_requests: tuple[str, ...]  # URLs of every request (or websocket) that is not file:, data:, about:, blob:
    failed_requests: tuple[str, ...]  # local requests that failed, e.g. a missing file: "URL (net::ERR_FILE_NOT_FOUND)"
    broken_images: tuple[str, ...]  # src of every <img> not complete or with naturalWidth 0
    page_width: int  # document.documentElement.scrollWidth
    viewport_width: int  # document.documentElement.clientWidth: the window's width less a vertical scrollbar
    screenshot: Path | None = None
    dialogs: tuple[str, ...] = ()  # alert/confirm/prompt dialogs the page opened (each is dismissed)
    scroll_boxes: tuple[str, ...] = ()  # elements that scroll sideways because their content is wider than they are
    media: str = "screen"  # "print" when checked as the browser lays the page out for printing

    @property
    def overflows(self) -> bool:
        """True when the page is wider than the window (a horizontal scrollbar)."""
        return self.page_width > self.viewport_width

    def problems(self) -> list[str]:
        """Everything wrong with the page, one readable line each; empty for a clean page."""
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"external request: {u}" for u in self.external_requests]
        found += [f"failed request: {u}" for u in self.failed_requests]
        found += [f"broken image: {s}" for s in self.broken_images]
        found += [f"dialog opened: {d}" for d in self.dialogs]
        found += [f"scrolls sideways: {b}" for b in self.scroll_boxes]
        if self.overflows:
            found.append(f"page is {self.page_width}px wide in a {self.viewport_width}px window")
        return found


class Browser:
    """One headless chromium, reused for many pages; each page gets a fresh context (no shared cache or storage)."""

    def __init__(self, executable: Path | None = None) -> None:
        self.executable = executable or CHROMIUM
        self._playwright: Playwright | None = None
        self._browser: PlaywrightBrowser | None = None

    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        if self._browser is not None:
            return
        if not (self.executable.is_file() and os.access(self.executable, os.X_OK)):
            raise BrowserUnavailable(f"Headless chromium is missing ({self.executable} not found): {INSTALL_HINT}.")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise BrowserUnavailable(
                f"The playwright package is missing ({error}): run `pip install -e '.[dev]'` (make setup)."
            ) from error
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(self.executable), headless=True, args=list(CHROMIUM_ARGS)
            )
        except Exception as error:
            self.close()
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise BrowserUnavailable(
                f"Headless chromium at {self.executable} did not start ({first_line}): {INSTALL_HINT}."
            ) from error

    def close(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()

    def check_page(
        self,
        path: Path,
        screenshot: Path | None = None,
        width: int = 1280,
        height: int = 900,
        pdf: Path | None = None,
    ) -> PageCheck:
        """Open `path` from file://, wait for load and network idle, and report what the browser saw; with `pdf`, lay
        the page out for print instead (A4 width, print stylesheet), check that layout and save it as a PDF."""
        self.start()
        assert self._browser is not None
        path = Path(path).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"No page to check at {path}")
        console_errors: list[str] = []
        page_errors: list[str] = []
        external: list[str] = []
        failed: list[str] = []
        dialogs: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = message.location.get("url") or ""
                line = message.location.get("lineNumber")
                console_errors.append(f"{message.text} [{where}:{line}]" if where else message.text)

        def on_page_error(error: Error) -> None:
            page_errors.append(f"uncaught {error.name or 'error'}: {error.message}")

        def on_request(request: Request) -> None:
            if not is_local_url(request.url):
                external.append(request.url)

        def on_request_failed(request: Request) -> None:
            if is_local_url(request.url):
                failed.append(f"{request.url} ({request.failure})")

        def on_websocket(websocket: WebSocket) -> None:
            external.append(websocket.url)

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def block(route: Route) -> None:
            route.abort("blockedbyclient")

        if pdf is not None:
            width, height = A4_PRINT_WIDTH, A4_PRINT_HEIGHT
        context = self._browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        try:
            context.route(lambda url: not is_local_url(url), block)
            page = context.new_page()
            page.on("console", on_console)
            page.on("pageerror", on_page_error)
            page.on("request", on_request)
            page.on("requestfailed", on_request_failed)
            page.on("websocket", on_websocket)
            page.on("dialog", on_dialog)
            if pdf is not None:
                page.emulate_media(media="print")
            page.goto(path.as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_MS)
            _wait_for_network_idle(page)
            facts: dict[str, Any] = page.evaluate(_PAGE_FACTS_JS)
            title = page.title()
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
            if pdf is not None:
                pdf.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            context.close()
        return PageCheck(
            url=path.as_uri(),
            title=title,
            text=facts["text"],
            console_errors=tuple(console_errors + page_errors),
            external_requests=tuple(dict.fromkeys(external)),
            failed_requests=tuple(failed),
            broken_images=tuple(facts["brokenImages"]),
            page_width=int(facts["pageWidth"]),
            viewport_width=int(facts["viewportWidth"]),
            screenshot=screenshot,
            dialogs=tuple(dialogs),
            scroll_boxes=tuple(facts["scrollBoxes"]),
            media="print" if pdf is not None else "screen",
        )


def _wait_for_network_idle(page: Any) -> None:
    """Give late requests (scripts adding images, fetches) their chance; a page never idle is checked as it is."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=NETWORK_IDLE_TIMEOUT_MS)


def check_page(
    path: Path, screenshot: Path | None = None, width: int = 1280, height: int = 900, pdf: Path | None = None
) -> PageCheck:
    """One-off check with a browser of its own; in tests, prefer the module-scoped `browser` fixture."""
    with Browser() as browser:
        return browser.check_page(path, screenshot=screenshot, width=width, height=height, pdf=pdf)


def pdf_pages(pdf: Path) -> int:
    """How many pages a PDF written by chromium holds (its page objects)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    """One headless chromium for the whole test module; fails (never skips) the tests when it cannot start."""
    browser = Browser()
    problem = None
    try:
        browser.start()
    except BrowserUnavailable as error:
        problem = str(error)
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    try:
        yield browser
    finally:
        browser.close()
