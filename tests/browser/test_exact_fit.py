"""An exact fit: with noise-free data the loss falls below 1e-22 and on to nothing. The
loss chart keeps drawing, the page raises no error, and memory stays small."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .test_contract_demo import open_demo, value

HEAP_LIMIT = 300 * 1024 * 1024


def test_playing_past_an_exact_fit_keeps_the_page_alive(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    demo = open_demo(page, contract_site, "exact-fit", "exact")
    demo.locator('[data-action="play"]').click()
    # Python-side polling: the page's CSP allows no string predicates.
    page.wait_for_timeout(100)
    for _ in range(1200):
        if value(demo, "iteration") >= 1600 or errors:
            break
        page.wait_for_timeout(100)
    demo.locator('[data-action="play"]').click()
    expect(demo).to_have_attribute("data-status", "paused")
    assert errors == []
    assert value(demo, "iteration") >= 1600
    assert value(demo, "average-loss") < 1e-22
    heap = page.evaluate("performance.memory.usedJSHeapSize")
    assert heap < HEAP_LIMIT, f"JS heap {heap / 1e6:.0f} MB"
    # The loss chart still follows the run: its summary names the iteration just reached.
    summary = (
        demo.locator('[data-chart="loss"]').locator("xpath=..").locator("[data-chart-summary]")
    )
    iteration = f"{int(value(demo, 'iteration')):,}"
    expect(summary).to_contain_text(f"at iteration {iteration}")
