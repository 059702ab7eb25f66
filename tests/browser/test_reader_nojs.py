"""Without JavaScript the post still reads fully and each demo shows its default run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_static_figures_and_a_caption_without_javascript(
    no_js_page: Page, example_site: str
) -> None:
    page = no_js_page
    page.goto(f"{example_site}/posts/iterating-on-a-model/")
    expect(page.locator("h1")).to_have_text(
        "Learning from our own demo: a model, improved in small steps"
    )
    demo = page.locator('[data-demo="step-size"]')
    for chart in ("fit", "loss"):
        figure = demo.locator(f'[data-chart="{chart}"] svg.static-chart')
        expect(figure).to_be_visible()
        assert figure.bounding_box()["height"] > 100  # type: ignore[index]
    expect(demo.locator(".demo-noscript")).to_contain_text("needs JavaScript")
    expect(demo.locator('[data-chart="loss"] svg desc')).to_contain_text(
        "With the default settings the average loss"
    )
    assert page.locator('[data-chart="fit"] svg circle.point').count() >= 30
