"""`explainer test`: build the site, open every page in headless Chromium (Playwright and
Debian's chromium), and drive every demo found: it must reach `ready`, show each of its
controls, step, play and pause, reset, and do so without a console error, a CSP violation
or a request to another site. Each failing demo is reported at its post's line.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.build import build
from engine.config import BuildOptions, load_settings
from engine.demo.block import DemoBlock
from engine.errors import BuildFailed, SourceError
from engine.runtime.contract import CONTROLS
from engine.serve import HOST, Server, SiteState, _handler

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
READY_MS = 90_000  # a first visit downloads and starts Python
ACTION_MS = 20_000
RUNNING = re.compile("running|diverged")
# Each control a demo block can list, and the hook of the element it becomes.
CONTROL_HOOKS = {c.name: f'[data-{c.attribute}="{c.hook}"]' for c in CONTROLS}
MISSING = (
    "explainer test needs Playwright and Chromium: run scripts/setup --test "
    "(it installs the test tools and Debian's chromium)"
)


def chromium_path() -> str | None:
    """The browser named by $EXPLAINER_CHROMIUM, else Debian's Chromium, where the setup
    script installs it."""
    return (
        os.environ.get("EXPLAINER_CHROMIUM")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    )


@dataclass
class Watch:
    """What a page did that it must not: console errors (CSP violations among them),
    uncaught exceptions, requests to other sites."""

    problems: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        """A console error (Chromium reports CSP violations so too)."""
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def uncaught(self, error: Exception) -> None:
        """An exception no script caught."""
        self.problems.append(f"uncaught {error}")

    def since(self, mark: int) -> list[str]:
        """The problems recorded after the first `mark`."""
        return self.problems[mark:]


def test_site(content: Path, *, drafts: bool = False) -> int:
    """Exit 0 when every demo of every page passes; BuildFailed with each failing demo."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildFailed([SourceError("explainer", 0, MISSING)]) from None
    chromium = chromium_path()
    if chromium is None:
        raise BuildFailed([SourceError("explainer", 0, MISSING)])
    options = BuildOptions(content=content, drafts=drafts)
    result = build(options, write=False)
    base = load_settings(options.project).base_url
    pages = {page.post.url_path: page for page in result.pages}
    failures: list[SourceError] = []
    with _serving(result.output, base) as origin, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            message = f"{MISSING} ({str(exc).splitlines()[0]})"
            raise BuildFailed([SourceError("explainer", 0, message)]) from None
        context = browser.new_context()
        watch = Watch()
        _guard(context, origin, watch)
        demos = 0
        for path in sorted(name for name in result.output if name.endswith(".html")):
            url_path = path.removesuffix("index.html")
            page = pages.get(url_path)
            where = page.post.shown_path if page else f"the page /{url_path}"
            blocks = page.demos if page else ()
            failures += _test_page(context, origin + base + url_path, where, blocks, watch)
            demos += len(blocks)
        browser.close()
    if failures:
        raise BuildFailed(failures)
    html = sum(1 for name in result.output if name.endswith(".html"))
    print(f"tested {html} pages and {demos} demos in Chromium: all fine")
    return 0


@contextmanager
def _serving(files: dict[str, bytes | Path], base: str) -> Iterator[str]:
    """Serve `files` as `explainer serve` does, on a free loopback port; its origin."""
    state = SiteState()
    state.publish(files, posts_only=False)
    server = Server((HOST, 0), _handler(base, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _guard(context: BrowserContext, origin: str, watch: Watch) -> None:
    """Refuse and record every request that leaves the site (the workers' too)."""

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith((origin + "/", "data:", "blob:")):
            route.continue_()
        else:
            watch.problems.append(f"it requested {url}, outside the site")
            route.abort()

    context.route("**/*", route)


def _test_page(
    context: BrowserContext, url: str, where: str, blocks: tuple[DemoBlock, ...], watch: Watch
) -> list[SourceError]:
    """Open one page and drive each of its demos; the failures. What goes wrong while a
    demo is driven is that demo's; anything else, the page's (at the post's first line)."""
    page = context.new_page()
    page.on("console", watch.console)
    page.on("pageerror", watch.uncaught)
    failures = []
    page_problems = []
    mark = len(watch.problems)
    try:
        page.goto(url)
        page_problems += watch.since(mark)
        for block in blocks:
            before = len(watch.problems)
            problem = _drive(page, block)
            problems = ([problem] if problem else []) + watch.since(before)
            if problems:
                message = f'demo "{block.id}": ' + "; ".join(dict.fromkeys(problems))
                failures.append(SourceError(where, block.line, message))
        page.close()
    except Exception as exc:  # the page itself (a timeout opening it, a crash)
        page_problems.append(f"the page failed: {str(exc).splitlines()[0]}")
    if page_problems:
        line = 1 if where.endswith(".md") else 0  # a post's first line, or a whole page
        failures.insert(0, SourceError(where, line, "; ".join(dict.fromkeys(page_problems))))
    return failures


def _drive(page: Page, block: DemoBlock) -> str:
    """Everything a reader does first with a demo; what went wrong, or an empty string."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    demo = page.locator(f'section[data-demo="{block.id}"]')
    try:
        expect(demo).not_to_have_attribute("data-status", "loading", timeout=READY_MS)
    except AssertionError:
        return f"never left loading within {READY_MS // 1000} s"
    status = demo.get_attribute("data-status")
    if status != "ready":
        return f'started in status "{status}": {demo.locator("[data-error]").inner_text()}'
    # A demo is live at once, replaying the build's run; Python must then take it over.
    try:
        expect(demo).to_have_attribute("data-python", "ready", timeout=READY_MS)
    except AssertionError:
        shown = demo.locator("[data-error]").inner_text()
        return f"Python did not take over within {READY_MS // 1000} s" + (
            f": {shown}" if shown else ""
        )
    hidden = [
        name for name in block.controls if not demo.locator(CONTROL_HOOKS[name]).first.is_visible()
    ]
    if hidden:
        return f"its {', '.join(hidden)} control{'s are' if len(hidden) > 1 else ' is'} not visible"
    for name, action in _ACTIONS:
        if name in block.controls:
            try:
                action(demo)
            except (AssertionError, PlaywrightError) as exc:
                return f"{name} failed: {str(exc).splitlines()[0]}"
    error = demo.locator("[data-error]").first
    if error.count() and error.inner_text().strip():
        return f"it shows an error: {error.inner_text().strip()}"
    return ""


def _iteration(demo: Locator) -> Locator | None:
    readout = demo.locator('[data-readout="iteration"]')
    return readout if readout.count() else None


def _step(demo: Locator) -> None:
    from playwright.sync_api import expect

    readout = _iteration(demo)
    before = int(readout.get_attribute("data-value") or 0) if readout else 0
    demo.locator(CONTROL_HOOKS["step"]).click()
    if readout:
        expect(readout).to_have_attribute("data-value", str(before + 1), timeout=ACTION_MS)


def _play_pause(demo: Locator) -> None:
    from playwright.sync_api import expect

    play = demo.locator(CONTROL_HOOKS["play"])
    play.click()
    # A demo may be made to diverge (a step size too large, on purpose): that is no failure.
    expect(demo).to_have_attribute("data-status", RUNNING, timeout=ACTION_MS)
    if demo.get_attribute("data-status") == "diverged":
        return
    expect(play).to_have_attribute("aria-pressed", "true")
    play.click()
    expect(demo).to_have_attribute("data-status", "paused", timeout=ACTION_MS)
    expect(play).to_have_attribute("aria-pressed", "false")


def _reset(demo: Locator) -> None:
    from playwright.sync_api import expect

    demo.locator(CONTROL_HOOKS["reset"]).click()
    expect(demo).to_have_attribute("data-status", "ready", timeout=ACTION_MS)
    readout = _iteration(demo)
    if readout:
        expect(readout).to_have_attribute("data-value", "0", timeout=ACTION_MS)


_ACTIONS: tuple[tuple[str, Callable[[Locator], None]], ...] = (
    ("step", _step),
    ("play", _play_pause),
    ("reset", _reset),
)
