"""A post written from the contract alone trains in the browser, through the contract's hooks."""

from __future__ import annotations

import re
import urllib.request

from playwright.sync_api import Locator, Page, expect

from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .conftest import READY_TIMEOUT_MS


def open_demo(page: Page, origin: str, post: str, demo_id: str) -> Locator:
    """Open a post and wait until the demo has left `loading`."""
    page.goto(f"{origin}/posts/{post}/")
    demo = page.locator(f'section[data-demo="{demo_id}"]')
    expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    return demo


def value(demo: Locator, readout: str) -> float:
    """The full-precision number of a readout."""
    return float(demo.locator(f'[data-readout="{readout}"]').get_attribute("data-value") or "nan")


def steps(demo: Locator, count: int) -> None:
    """Press step `count` times, each time waiting for the iteration to move on."""
    start = int(value(demo, "iteration"))
    for done in range(1, count + 1):
        demo.locator('[data-action="step"]').click()
        expect(demo.locator('[data-readout="iteration"]')).to_have_attribute(
            "data-value", str(start + done)
        )


def test_controls_are_disabled_until_the_runtime_is_ready(contract_site: str) -> None:
    html = urllib.request.urlopen(f"{contract_site}/posts/contract/").read().decode()
    section = re.search(r'<section[^>]*data-demo="contract".*?</section>', html, re.S)
    assert section and 'data-status="loading"' in section.group(0)
    buttons = re.findall(r"<button[^>]*>", section.group(0))
    actions = set(re.findall(r'data-action="([^"]+)"', " ".join(buttons)))
    assert actions >= {"play", "step", "reset"}
    assert all(" disabled" in b for b in buttons)
    assert re.search(r'<input[^>]*data-control="step-size"[^>]*disabled', section.group(0))


def test_demo_reaches_ready_with_controls_enabled(guarded_page: Page, contract_site: str) -> None:
    demo = open_demo(guarded_page, contract_site, "contract", "contract")
    for action in ("play", "step", "reset"):
        expect(demo.locator(f'[data-action="{action}"]')).to_be_enabled()
    expect(demo.locator('[data-control="step-size"]')).to_be_enabled()
    assert value(demo, "iteration") == 0
    expect(demo.locator('[data-chart="fit"]')).to_be_visible()
    expect(demo.locator("[data-error]")).to_have_text("")


def test_step_advances_iteration_and_lowers_average_loss(
    guarded_page: Page, contract_site: str
) -> None:
    demo = open_demo(guarded_page, contract_site, "contract", "contract")
    before = value(demo, "average-loss")
    demo.locator('[data-action="step"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")
    after = value(demo, "average-loss")
    assert after < before
    total = value(demo, "total-loss")
    assert abs(total - after * 20) <= 1e-9 * total  # default synthetic data has 20 samples


def test_numbers_match_the_runtime_in_cpython(guarded_page: Page, contract_site: str) -> None:
    demo = open_demo(guarded_page, contract_site, "contract", "contract")
    steps(demo, 5)
    trainer = Trainer(DemoSettings())
    trainer.step(5)
    assert value(demo, "average-loss") == trainer.average_loss
    assert value(demo, "total-loss") == trainer.total_loss


def test_play_and_pause(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "contract", "contract")
    play = demo.locator('[data-action="play"]')
    play.click()
    expect(demo).to_have_attribute("data-status", "running")
    expect(play).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "() => Number(document.querySelector('#contract [data-readout=iteration]').dataset.value) >= 10"
    )
    play.click()
    expect(demo).to_have_attribute("data-status", "paused")
    expect(play).to_have_attribute("aria-pressed", "false")
    # Once paused, the only thing that moves the demo is a step: exactly one more iteration.
    paused_at = value(demo, "iteration")
    demo.locator('[data-action="step"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute(
        "data-value", str(int(paused_at) + 1)
    )


def test_reset_restores_iteration_zero(guarded_page: Page, contract_site: str) -> None:
    demo = open_demo(guarded_page, contract_site, "contract", "contract")
    start = value(demo, "average-loss")
    steps(demo, 3)
    demo.locator('[data-action="reset"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "0")
    assert value(demo, "average-loss") == start
    expect(demo).to_have_attribute("data-status", "ready")


def test_step_size_changes_the_step(guarded_page: Page, contract_site: str) -> None:
    demo = open_demo(guarded_page, contract_site, "contract", "contract")
    demo.locator('[data-control="step-size"]').fill("0.001")
    demo.locator('[data-control="step-size"]').dispatch_event("change")
    demo.locator('[data-action="step"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")
    trainer = Trainer(DemoSettings())
    trainer.configure(step_size=0.001)
    trainer.step(1)
    assert value(demo, "average-loss") == trainer.average_loss
