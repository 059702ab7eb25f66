"""Loading: a visible progress indicator, and when Python cannot be downloaded, a clear
message with a Retry button that starts a new worker."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from .conftest import READY_TIMEOUT_MS, forget_kept_runtime

WASM = "**/pyodide.asm.wasm*"
DEMOS = ("full", "sgd")


def test_progress_shows_while_python_downloads(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)  # the download hangs until the test lets it go

    forget_kept_runtime(page, contract_site)
    page.route(WASM, hold)
    with page.expect_request(lambda request: "pyodide.asm.wasm" in request.url):
        page.goto(f"{contract_site}/posts/everything/")
    demo = page.locator('section[data-demo="full"]')
    # Live at once, replaying the build's run: nothing to wait for yet.
    expect(demo).to_have_attribute("data-status", "ready")
    expect(demo).to_have_attribute("data-python", "starting")
    expect(demo.get_by_role("progressbar", name="Loading Python")).to_be_hidden()
    # A new step size needs Python: now the demo shows that it is waiting, and for what.
    box = demo.locator('[data-control="step-size"]')
    box.fill("0.02")
    box.press("Enter")
    expect(demo).to_have_attribute("data-python", "waiting")
    expect(demo.get_by_role("progressbar", name="Loading Python")).to_be_visible()
    expect(demo.locator(".demo-status")).to_have_text("Downloading Python…")
    page.unroute(WASM)
    for route in held:
        route.fallback()
    expect(demo).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    expect(demo).to_have_attribute("data-status", "ready")
    expect(demo.get_by_role("progressbar")).to_be_hidden()
    expect(demo.locator('[data-readout="effective-step"]')).to_have_attribute("data-value", "0.02")


def test_a_failed_download_offers_a_retry_that_works(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    aborted: list[str] = []

    def fail_once(route: Route) -> None:
        if aborted:
            route.fallback()
        else:
            aborted.append(route.request.url)
            route.abort()

    forget_kept_runtime(page, contract_site)
    page.route(WASM, fail_once)
    page.goto(f"{contract_site}/posts/everything/")
    for demo_id in DEMOS:
        demo = page.locator(f'section[data-demo="{demo_id}"]')
        expect(demo).to_have_attribute("data-status", "error", timeout=READY_TIMEOUT_MS)
        expect(demo.locator("[data-error]")).to_have_text(
            "Python could not start: could not download pyodide.asm.wasm.gz (Failed to fetch)."
            " Press Retry to try again."
        )
        expect(demo.locator('[data-action="retry"]')).to_be_enabled()
        expect(demo.locator('[data-action="step"]')).to_be_disabled()
    assert len(aborted) == 1 and len(workers) == 1
    # Retry by keyboard: the focus stays in the demo, on what it is doing now.
    full = page.locator('section[data-demo="full"]')
    full.locator('[data-action="retry"]').focus()
    with page.expect_worker():  # Playwright hears of the new worker in its own time
        page.keyboard.press("Enter")
    # Live again at once (it replays the build's run): the focus is on its first control.
    expect(full.locator('[data-action="play"]')).to_be_focused()
    for demo_id in DEMOS:
        demo = page.locator(f'section[data-demo="{demo_id}"]')
        expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
        expect(demo.locator("[data-error]")).to_have_text("")
        expect(demo.locator('[data-action="retry"]')).to_be_hidden()
    assert len(workers) == 2
    full.locator('[data-action="step"]').click()
    expect(full.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")
