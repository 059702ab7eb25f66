"""A demo driven by keyboard alone: Tab to move, Space and Enter to press, digits to type."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .test_contract_demo import open_demo, value

# Where focus is, as "action:NAME", "control:NAME", "summary" or the tag name.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || !el.closest('#full')) return null;
    if (el.dataset.action) return 'action:' + el.dataset.action;
    if (el.dataset.control) return 'control:' + el.dataset.control;
    return el.tagName.toLowerCase();
}"""
# Whether the focused element shows a focus ring of at least 2 px.
RING = """() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


def tab_to(page: Page, target: str, limit: int = 80) -> list[str]:
    """Press Tab until `target` has focus; the demo's stops on the way (with a visible ring)."""
    stops: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate(FOCUSED)
        if here is not None:
            assert page.evaluate(RING), f"no visible focus on {here}"
            stops.append(here)
        if here == target:
            return stops
    raise AssertionError(f"Tab never reached {target}; the demo's stops were {stops}")


def test_keyboard_only_walkthrough(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "everything", "full")
    page.locator("body").focus()
    stops = tab_to(page, "control:proportional")
    # The toolbar first, in reading order: the minus and plus buttons flank the step size.
    assert stops == [
        "action:play",
        "action:step",
        "action:reset",
        "button",
        "control:step-size",
        "button",
        "control:proportional",
    ]
    # Back to Play; Space starts and pauses it.
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED) == "action:play"
    play = demo.locator('[data-action="play"]')
    page.keyboard.press("Space")
    expect(demo).to_have_attribute("data-status", "running")
    expect(play).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "() => Number(document.querySelector('#full [data-readout=iteration]').dataset.value) >= 5"
    )
    page.keyboard.press("Space")
    expect(demo).to_have_attribute("data-status", "paused")
    expect(play).to_have_attribute("aria-pressed", "false")
    # Enter on Step takes exactly one step.
    page.keyboard.press("Tab")
    paused_at = int(value(demo, "iteration"))
    page.keyboard.press("Enter")
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute(
        "data-value", str(paused_at + 1)
    )
    # A new step size, typed; Tab commits it. Space turns the proportional step off.
    tab_to(page, "control:step-size")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.01")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "button"  # the + beside the box
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "control:proportional"
    page.keyboard.press("Space")
    expect(demo.locator('[data-control="proportional"]')).not_to_be_checked()
    expect(demo.locator('[data-readout="effective-step"]')).to_have_attribute("data-value", "0.01")
    # Arrow keys in the box move along 0.01, 0.02, 0.05 (not by whole units).
    for _ in range(2):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED) == "control:step-size"
    page.keyboard.press("ArrowUp")
    expect(demo.locator('[data-control="step-size"]')).to_have_value("0.02")
    expect(demo.locator('[data-readout="effective-step"]')).to_have_attribute("data-value", "0.02")
    page.keyboard.press("ArrowDown")
    expect(demo.locator('[data-readout="effective-step"]')).to_have_attribute("data-value", "0.01")
    # Save the run: three stops on.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "action:save-run"
    page.keyboard.press("Enter")
    run = demo.locator("[data-runs] [data-run]")
    expect(run).to_have_count(1)
    expect(run).to_contain_text("step size 0.01")
    expect(run).to_contain_text("proportional off")
    # Further on: a chart's data table opens with Enter; then the runs' own controls.
    stops = tab_to(page, "summary")
    assert stops == ["control:upload-csv", "action:double-samples", "summary"]
    page.keyboard.press("Enter")
    expect(demo.locator("details[data-chart-data='fit'] table")).to_have_count(2)
    stops = tab_to(page, "control:import-runs")
    assert stops[-4:] == [
        "action:clear-runs",
        "action:export-csv",
        "action:export-json",
        "control:import-runs",
    ]
    assert tab_to(page, "action:copy-link")[-1] == "action:copy-link"
