"""A heavy demo does not keep a light one waiting: while Python draws a heavy demo's
samples (in slices), the light demo beside it is started and answered in between."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .conftest import READY_TIMEOUT_MS
from .test_contract_demo import value

# When Python came to run each demo, and the light demo's iterations as they were shown.
ORDER = """
window.__order = [];
new MutationObserver((records) => {
  for (const { target } of records) {
    if (target.dataset.python === "ready") window.__order.push(["ready", target.id]);
    if (target.dataset.readout === "iteration" && target.closest("#light")) {
      window.__order.push(["light", Number(target.dataset.value)]);
    }
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-python", "data-value"] });
"""


def test_the_light_demo_is_run_while_the_heavy_one_is_prepared(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    page.add_init_script(ORDER)
    page.goto(contract_site + "/posts/neighbours/")
    heavy = page.locator('section[data-demo="heavy"]')
    light = page.locator('section[data-demo="light"]')
    expect(light).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    # A new step size needs Python, so each step after it is Python's.
    box = light.locator('[data-control="step-size"]')
    box.fill("0.02")
    box.press("Enter")
    for _ in range(3):
        light.locator('[data-action="step"]').click()
    expect(light.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "3")
    expect(heavy).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    order = page.evaluate("window.__order")
    # The heavy demo asked Python first (it comes first on the page), yet the light one
    # was running, and had stepped, before the heavy one's samples were all drawn.
    assert order.index(["ready", "light"]) < order.index(["ready", "heavy"]), order
    assert order.index(["light", 3]) < order.index(["ready", "heavy"]), order
    # And the heavy demo's mini-batches are the ones CPython draws.
    heavy.locator('[data-action="step"]').click()
    expect(heavy.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")
    config = json.loads(heavy.locator("script[data-demo-config]").text_content() or "{}")
    trainer = Trainer(DemoSettings.from_dict(config["settings"]))
    trainer.step(1)
    assert value(heavy, "average-loss") == trainer.average_loss
    assert (value(heavy, "w"), value(heavy, "b")) == (trainer.params["w"], trainer.params["b"])
