"""An exact fit: with noise-free data the loss falls below 1e-22 and on to nothing. The
loss chart keeps drawing, its log axis labels tiny losses as the powers of ten they are
(never "0"), the page raises no error, and memory stays small."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .test_contract_demo import open_demo, value

HEAP_LIMIT = 300 * 1024 * 1024
# Records the tick labels uPlot draws on each chart's vertical axis (drawn centred on
# their tick, textBaseline "middle"; the iteration axis's are not).
RECORD_AXIS_LABELS = """
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  if (this.textBaseline === "middle") (this.canvas.axisLabels ??= new Set()).add(String(text));
  return fillText.call(this, text, ...rest);
};
"""
SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def test_playing_past_an_exact_fit_keeps_the_page_alive(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(RECORD_AXIS_LABELS)
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
    # Every loss axis label drawn on the way down names a value: none is "0", and the
    # axis reached losses below 1e-20, labelled as powers of ten.
    labels = demo.locator('[data-chart="loss"] canvas').evaluate("(c) => [...(c.axisLabels ?? [])]")
    assert labels and "0" not in labels, labels
    exponents = [
        int(label[2:].translate(SUPERSCRIPTS)) for label in labels if label.startswith("10⁻")
    ]
    assert exponents and min(exponents) <= -20, labels
