"""Browser tests: build a site, serve it on 127.0.0.1, drive Debian's Chromium with Playwright.

Every page fixture refuses (and records) any request that leaves the page's own origin;
a test fails if one was attempted.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Route

from engine.browsertest import CHROMIUM_ARGS, chromium_path
from engine.build import build
from engine.config import BuildOptions

HERE = Path(__file__).parent
REPO = HERE.parent.parent
READY_TIMEOUT_MS = 60_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark this folder's tests `browser`. Without Chromium, CI fails; elsewhere they skip."""
    mine = [item for item in items if HERE in item.path.parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if not mine or chromium_path():
        return
    message = "Chromium is not installed: run scripts/setup --test (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise pytest.UsageError(message)
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium with flags that keep it off the network and out of the sandbox."""
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the right types for modules and WebAssembly, and no log noise."""

    extensions_map = {  # noqa: RUF012 - http.server's own class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on a free loopback port; the server and its origin."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def build_and_serve(content: Path, out: Path) -> Iterator[str]:
    """Build `content` into `out` and serve it for as long as the fixture lives."""
    build(BuildOptions(content=content, out=out))
    server, origin = serve_folder(out)
    yield origin
    server.shutdown()


@pytest.fixture(scope="session")
def contract_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test posts in tests/browser/content, built and served; their origin."""
    yield from build_and_serve(HERE / "content", tmp_path_factory.mktemp("contract") / "site")


@pytest.fixture(scope="session")
def example_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site in content/, built; its folder."""
    out = tmp_path_factory.mktemp("example") / "site"
    build(BuildOptions(content=REPO / "content", out=out))
    return out


@pytest.fixture(scope="session")
def example_site(example_folder: Path) -> Iterator[str]:
    """The example site, served; its origin."""
    server, origin = serve_folder(example_folder)
    yield origin
    server.shutdown()


@pytest.fixture(scope="session")
def warm_context(
    browser: Browser, browser_context_args: dict[str, Any]
) -> Iterator[BrowserContext]:
    """One browser context for the run. Its pages share the HTTP cache, so the Pyodide
    runtime is downloaded and compiled once, as for a reader who opens a second post;
    `python -m bench` measures the cold start in fresh contexts."""
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


@pytest.fixture
def context(warm_context: BrowserContext) -> Iterator[BrowserContext]:
    """pytest-playwright's `context`, replaced by the shared one; pages close after each test."""
    yield warm_context
    for page in list(warm_context.pages):
        page.close()


def refuse_foreign_requests(page: Page) -> list[str]:
    """Block every request of `page` outside 127.0.0.1 (the worker's too); the list that
    records the URLs refused."""
    seen: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            seen.append(url)
            route.abort()

    page.route("**/*", guard)
    return seen


def record_dialogs(page: Page) -> list[str]:
    """Dismiss every dialog (alert, confirm, prompt) `page` opens; the list of their messages."""
    seen: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


@pytest.fixture
def foreign_requests(page: Page) -> Iterator[list[str]]:
    """Block and record every request outside 127.0.0.1; none may happen."""
    seen = refuse_foreign_requests(page)
    yield seen
    assert seen == [], f"requests left the page's origin: {seen}"


@pytest.fixture
def guarded_page(page: Page, foreign_requests: list[str]) -> Iterator[Page]:
    """A page whose every request must stay on the test server; the storage it leaves
    (saved runs) is cleared afterwards so that tests do not see each other's runs."""
    page.set_default_timeout(READY_TIMEOUT_MS)
    yield page
    if page.url.startswith("http://127.0.0.1:"):
        page.evaluate("() => localStorage.clear()")


def forget_kept_runtime(page: Page, origin: str) -> None:
    """Empty the Cache Storage where pages of `origin` keep the Python runtime's files, so
    the next visit downloads them again (as a first visit does)."""
    page.goto(f"{origin}/404.html")
    page.evaluate(
        "async () => { for (const name of await caches.keys()) await caches.delete(name); }"
    )
