"""Every page of the built site runs under its Content-Security-Policy without a single
violation, and asks nothing of any origin but its own."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import READY_TIMEOUT_MS

POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'none'"
)
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


def site_pages(folder: Path) -> list[str]:
    """The path of every HTML file of the built site, as a browser asks for it."""
    paths = []
    for file in sorted(folder.rglob("*.html")):
        path = "/" + file.relative_to(folder).as_posix()
        paths.append(path.removesuffix("index.html"))
    return paths


def test_every_page_keeps_to_its_policy(
    guarded_page: Page, foreign_requests: list[str], example_site: str, example_folder: Path
) -> None:
    page = guarded_page
    pages = site_pages(example_folder)
    # The walk finds every kind of page the build writes.
    assert {"/", "/404.html", "/posts/iterating-on-a-model/"} <= set(pages)
    assert any(path.startswith("/tags/") for path in pages)
    page.add_init_script(LISTEN)
    problems: dict[str, list[str]] = {}
    for path in pages:
        refused_before = len(foreign_requests)
        page.goto(example_site + path)
        expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).to_have_attribute(
            "content", POLICY
        )
        demos = page.locator("section[data-demo]")
        for index in range(demos.count()):
            # Python runs the demo (before, it replays the build's run without Python).
            expect(demos.nth(index)).to_have_attribute(
                "data-python", "ready", timeout=READY_TIMEOUT_MS
            )
        steppable = page.locator('section[data-demo]:has([data-action="step"])')
        if steppable.count():
            # A step redraws the live charts, as a reader's first click does.
            steppable.first.locator('[data-action="step"]').click()
            expect(steppable.first.locator('[data-readout="iteration"]')).to_have_attribute(
                "data-value", "1"
            )
        # Requests to other origins are refused (and recorded) by the guard.
        found = page.evaluate("window.__violations") + foreign_requests[refused_before:]
        if found:
            problems[path] = found
    assert problems == {}
