"""Live at first paint: before Python is ready, Step, Play and Reset replay the build's run
of a demo; Python then takes over from the state reached, and what needs Python meanwhile
waits, visibly, and is not lost."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Route, expect

from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .conftest import READY_TIMEOUT_MS, forget_kept_runtime
from .test_contract_demo import value

POST = "/posts/iterating-on-a-model/"
READOUTS = ("iteration", "total-loss", "average-loss", "w", "b")


def hold_python(page: Page) -> list[Route]:
    """Keep the WebAssembly interpreter from arriving until the routes returned are
    continued: Python cannot start meanwhile."""
    held: list[Route] = []
    page.route("**/pyodide.asm.wasm*", lambda route: held.append(route))
    return held


def readouts(page: Page, demo_id: str) -> dict[str, float]:
    demo = page.locator(f'section[data-demo="{demo_id}"]')
    return {name: value(demo, name) for name in READOUTS}


def python_run(page: Page, demo_id: str, steps: int) -> Trainer:
    """The demo's trainer in CPython after `steps` steps, from the page's own settings."""
    config = page.locator(f'section[data-demo="{demo_id}"] script[data-demo-config]')
    trainer = Trainer(DemoSettings.from_dict(json.loads(config.text_content() or "")["settings"]))
    for _ in range(steps):
        trainer.step(1)
    return trainer


def expected(trainer: Trainer) -> dict[str, float]:
    return {
        "iteration": trainer.iteration,
        "total-loss": trainer.total_loss,
        "average-loss": trainer.average_loss,
        **trainer.params,
    }


def test_step_play_and_reset_work_before_python_and_python_takes_over(
    guarded_page: Page, example_site: str
) -> None:
    page = guarded_page
    forget_kept_runtime(page, example_site)
    held = hold_python(page)
    page.goto(example_site + POST)
    demo = page.locator('section[data-demo="first-model"]')
    expect(demo).to_have_attribute("data-status", "ready")
    expect(demo).to_have_attribute("data-python", "starting")
    for _ in range(3):
        demo.locator('[data-action="step"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "3")
    assert readouts(page, "first-model") == expected(python_run(page, "first-model", 3))
    demo.locator('[data-action="reset"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "0")
    play = demo.locator('[data-action="play"]')
    play.click()
    expect(demo).to_have_attribute("data-status", "running")
    page.wait_for_function(
        "() => Number(document.querySelector('#first-model [data-readout=iteration]')"
        ".dataset.value) >= 20"
    )
    play.click()
    expect(demo).to_have_attribute("data-status", "paused")
    reached = int(value(demo, "iteration"))
    assert readouts(page, "first-model") == expected(python_run(page, "first-model", reached))
    assert demo.get_attribute("data-python") == "starting"  # all of that without Python
    # A new step size needs Python: it waits, visibly, and a step after it waits behind it.
    box = demo.locator('[data-control="step-size"]')
    box.fill("0.02")
    box.press("Enter")
    demo.locator('[data-action="step"]').click()
    expect(demo).to_have_attribute("data-python", "waiting")
    expect(demo.locator(".demo-loading")).to_be_visible()
    assert int(value(demo, "iteration")) == reached
    assert held, "the interpreter was never asked for"
    for route in held:
        route.continue_()
    expect(demo).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    iteration = demo.locator('[data-readout="iteration"]')
    expect(iteration).to_have_attribute("data-value", str(reached + 1), timeout=READY_TIMEOUT_MS)
    expect(demo).to_have_attribute("data-status", "paused")
    trainer = python_run(page, "first-model", reached)
    trainer.configure(step_size=0.02)
    trainer.step(1)
    assert readouts(page, "first-model") == expected(trainer)
    expect(demo.locator(".demo-loading")).to_be_hidden()
    expect(demo.locator("[data-error]")).to_have_text("")


def test_every_demo_is_handed_to_python_once_it_is_ready(
    guarded_page: Page, example_site: str
) -> None:
    page = guarded_page
    page.goto(example_site + POST)
    demos = page.locator("section[data-demo]")
    for demo in demos.all():
        expect(demo).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    # Python runs the demo on from where the build's run was: iteration 0, untouched.
    first = page.locator('section[data-demo="first-model"]')
    first.locator('[data-action="step"]').click()
    expect(first.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")
    assert readouts(page, "first-model") == expected(python_run(page, "first-model", 1))
