"""A demo that is busy says so: while a reader's file is read and checked it is `loading`,
with its controls disabled; a link that asks for more than the data allows takes what
it allows, without a message the reader never caused."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page, expect

from .conftest import READY_TIMEOUT_MS
from .test_contract_demo import open_demo, value

# Each change of the demo's status, with whether Step could be pressed then.
RECORD = """(section) => {
  window.__seen = [];
  new MutationObserver(() => {
    const step = section.querySelector('[data-action="step"]');
    window.__seen.push([section.dataset.status, step.disabled]);
  }).observe(section, { attributes: true, attributeFilter: ["data-status"] });
}"""


def test_while_a_file_is_read_the_demo_is_loading_and_nothing_can_be_pressed(
    guarded_page: Page, contract_site: str, tmp_path: Path
) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    rows = 300_000
    data = tmp_path / "many.csv"
    data.write_text("x,y\n" + "".join(f"{i % 997},{i % 13}\n" for i in range(rows)))
    demo.evaluate(RECORD)
    demo.locator('[data-control="upload-csv"]').set_input_files(data)
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", str(rows))
    expect(demo).to_have_attribute("data-status", "ready")
    seen = guarded_page.evaluate("window.__seen")
    assert seen[0] == ["loading", True], seen
    assert seen[-1] == ["ready", False], seen
    expect(demo.locator('[data-action="step"]')).to_be_enabled()
    expect(demo.locator(".demo-status")).to_have_text("")
    expect(demo.locator("[data-error]")).to_have_text("")


def test_a_link_asking_for_too_many_doublings_takes_as_many_as_fit(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    warnings: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "warning" and "explainer: link:" in message.text:
            warnings.append(message.text)

    page.on("console", console)
    page.goto(f"{contract_site}/posts/everything/#demo=full&double=30")
    demo = page.locator('section[data-demo="full"]')
    samples = 24 * 2**25  # the most doublings under a billion samples
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute(
        "data-value", str(samples), timeout=READY_TIMEOUT_MS
    )
    expect(demo).to_have_attribute("data-status", "ready")
    expect(demo.locator("[data-error]")).to_have_text("")
    assert warnings == ["explainer: link: only 25 doublings fit this data"]
    assert value(demo, "iteration") == 0
