"""Every built page runs under its Content-Security-Policy without a single violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import READY_TIMEOUT_MS

PAGES = (
    "/",
    "/posts/iterating-on-a-model/",
    "/posts/a-model-of-your-own/",
    "/tags/machine-learning/",
    "/404.html",
)
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.mark.parametrize("path", PAGES)
def test_no_policy_violations(guarded_page: Page, example_site: str, path: str) -> None:
    page = guarded_page
    page.add_init_script(LISTEN)
    page.goto(example_site + path)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
    expect(policy).to_have_attribute(
        "content",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'",
    )
    demos = page.locator("[data-demo]")
    for index in range(demos.count()):
        expect(demos.nth(index)).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    if demos.count():
        demos.first.locator('[data-action="step"]').click()
    assert page.evaluate("window.__violations") == []
