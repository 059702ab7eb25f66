"""How Python starts in the page: from the build's memory snapshot, from files kept in
Cache Storage on a repeat visit, the ordinary way without a snapshot, never from an
altered file, and not at all where the browser cannot run it (the static figures stay)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, Route, expect

from engine.build import build
from engine.config import BuildOptions

from .conftest import HERE, READY_TIMEOUT_MS, forget_kept_runtime, serve_folder

POST = "/posts/everything/"
# With a snapshot, the small standard library that goes with it (never the whole one).
HEAVY = ("pyodide.asm.wasm.gz", "stdlib.zip", "python.snapshot.gz")


def downloads(page: Page) -> list[str]:
    """The names of the files the page (and its worker) request from now on."""
    names: list[str] = []

    def seen(request: Request) -> None:
        names.append(request.url.split("?")[0].rsplit("/", 1)[-1])

    page.on("request", seen)
    return names


def wait_ready(page: Page) -> None:
    """Wait until Python runs every demo (they are live before, replaying the build's run)."""
    for demo in page.locator("section[data-demo]").all():
        expect(demo).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
        expect(demo).to_have_attribute("data-status", "ready")


def step_once(page: Page) -> None:
    demo = page.locator('section[data-demo="full"]')
    demo.locator('[data-action="step"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")


def first_visit(page: Page, origin: str) -> list[str]:
    """Open the post as a first visit (nothing kept from earlier); the files it downloads,
    a list that grows as the page goes on."""
    forget_kept_runtime(page, origin)
    seen = downloads(page)
    page.goto(origin + POST)
    wait_ready(page)
    return seen


def test_python_starts_from_the_snapshot_and_a_repeat_visit_downloads_little(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    first = first_visit(page, contract_site)
    assert set(HEAVY) <= set(first)
    # Restored from the snapshot: the runtime wheel is inside it, never downloaded.
    assert not any(name.endswith(".whl") for name in first)
    step_once(page)
    again = downloads(page)
    page.reload()
    wait_ready(page)
    assert not set(HEAVY) & set(again), again
    step_once(page)


def test_an_altered_runtime_file_is_refused(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    forget_kept_runtime(page, contract_site)

    def altered(route: Route) -> None:
        response = route.fetch()
        body = bytearray(response.body())
        body[len(body) // 2] ^= 0xFF
        route.fulfill(response=response, body=bytes(body))

    page.route("**/python.snapshot.gz", altered)
    page.goto(contract_site + POST)
    demo = page.locator('section[data-demo="full"]')
    expect(demo).to_have_attribute("data-status", "error", timeout=READY_TIMEOUT_MS)
    expect(demo.locator("[data-error]")).to_have_text(
        "Python could not start: python.snapshot.gz is not the file this page was built "
        "with (it was altered, or the site is partly updated). Press Retry to try again."
    )
    page.unroute("**/python.snapshot.gz")
    demo.locator('[data-action="retry"]').click()
    wait_ready(page)
    step_once(page)


@pytest.fixture(scope="module")
def site_without_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("no-snapshot") / "site"
    build(BuildOptions(content=HERE / "content", out=out, snapshot=False))
    assert not list(Path(out).glob("assets/runtime-*/python.snapshot.gz"))
    server, origin = serve_folder(out)
    yield origin
    server.shutdown()


def test_without_a_snapshot_python_starts_the_ordinary_way(
    guarded_page: Page, site_without_snapshot: str
) -> None:
    page = guarded_page
    seen = first_visit(page, site_without_snapshot)
    assert any(name.endswith(".whl") for name in seen) and "python.snapshot.gz" not in seen
    step_once(page)


FALLBACK = "Each figure shows the demo's default run instead."


@pytest.mark.parametrize(
    ("init_script", "message"),
    [
        (
            "delete globalThis.WebAssembly;",
            "The demos cannot run here: this browser has WebAssembly switched off or does "
            f"not support it. {FALLBACK}",
        ),
        (
            "Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.5 });",
            "The demos cannot run here: this device reports 0.5 GB of memory and Python "
            f"needs at least 1 GB. {FALLBACK}",
        ),
    ],
    ids=["no-webassembly", "low-memory"],
)
def test_where_python_cannot_run_the_static_figures_stay(
    guarded_page: Page, contract_site: str, init_script: str, message: str
) -> None:
    page = guarded_page
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.add_init_script(init_script)
    page.goto(contract_site + POST)
    for demo in page.locator("section[data-demo]").all():
        expect(demo).to_have_attribute("data-status", "error")
        expect(demo.locator("[data-error]")).to_have_text(message)
        expect(demo.locator('[data-action="retry"]')).to_be_hidden()
        expect(demo.locator('[data-action="step"]')).to_be_disabled()
        for figure in demo.locator(".static-figure").all():
            expect(figure).to_be_visible()
            expect(figure.locator("svg")).to_have_count(1)
        for chart in demo.locator(".uplot").all():
            expect(chart).to_be_hidden()
    assert workers == []
