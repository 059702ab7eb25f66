"""An author model (content/models/quadratic.py) trains in the browser as it does in CPython."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from engine.config import BuildOptions, load_settings
from engine.reading import read_pages
from engine.render import make_environment
from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .conftest import REPO
from .test_contract_demo import open_demo, steps, value

POST = "a-model-of-your-own"
DEMO = "parabola"


@pytest.fixture(scope="module")
def settings() -> DemoSettings:
    """The demo's settings as the build read them (which loads the model in CPython)."""
    options = BuildOptions(content=REPO / "content")
    env = make_environment(load_settings(REPO), REPO / "templates")
    pages, _ = read_pages(options, load_settings(REPO), env)
    post = next(p for p in pages if p.post.slug == POST)
    block = next(d for d in post.demos if d.id == DEMO)
    assert block.settings.model == "models/quadratic.py"
    return block.settings


def test_the_author_model_demo_becomes_ready(guarded_page: Page, example_site: str) -> None:
    demo = open_demo(guarded_page, example_site, POST, DEMO)
    expect(demo.locator('[data-action="step"]')).to_be_enabled()
    expect(demo.locator("[data-error]")).to_have_text("")
    assert [value(demo, name) for name in ("a", "b", "c")] == [0.0, 0.0, 0.0]


def test_steps_lower_the_loss_with_the_numbers_of_cpython(
    guarded_page: Page, example_site: str, settings: DemoSettings
) -> None:
    demo = open_demo(guarded_page, example_site, POST, DEMO)
    trainer = Trainer(settings)
    assert value(demo, "average-loss") == trainer.average_loss
    before = trainer.average_loss
    steps(demo, 5)
    trainer.step(5)
    assert value(demo, "average-loss") < before
    assert value(demo, "average-loss") == trainer.average_loss
    assert {name: value(demo, name) for name in ("a", "b", "c")} == trainer.params


def test_a_changed_step_size_and_a_saved_run(
    guarded_page: Page, example_site: str, settings: DemoSettings
) -> None:
    demo = open_demo(guarded_page, example_site, POST, DEMO)
    demo.locator('[data-control="step-size"]').fill("0.15")
    demo.locator('[data-control="step-size"]').dispatch_event("change")
    steps(demo, 3)
    trainer = Trainer(settings)
    trainer.configure(step_size=0.15)
    trainer.step(3)
    assert value(demo, "average-loss") == trainer.average_loss
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-runs] [data-run]")).to_have_count(1)
