"""`explainer serve`: rebuild on save, update open pages (in place when only a post's text
changed, keeping its demos running), overlay errors, keep the last good site."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import READY_TIMEOUT_MS
from .test_contract_demo import steps, value

POST = "---\ntitle: Served\ndate: 2026-01-02\nsummary: S\n---\n{body}\n"
DEMO = "```demo\nid: live\ntrain:\n  step_size: {step}\n```"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`explainer serve --port 0` in a fresh project; its URL and the post's path."""
    yield from serve_project(tmp_path, "First version.")


@pytest.fixture
def served_demo(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Like `served`, with a demo in the post."""
    yield from serve_project(tmp_path, "First version.\n\n" + DEMO.format(step=0.01))


def serve_project(tmp_path: Path, body: str) -> Iterator[tuple[str, Path]]:
    """Serve a project whose one post has `body`, for as long as the fixture lives."""
    post = tmp_path / "content/posts/served.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST.format(body=body), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    url = ""
    for line in process.stdout:  # the first lines: the build, then the address
        if line.startswith("serving "):
            url = line.split()[1]
            break
    assert url.startswith("http://127.0.0.1:"), "serve did not print its address"
    yield url, post
    process.terminate()
    process.wait(timeout=10)


def test_saving_a_post_reloads_the_open_page(page: Page, served: tuple[str, Path]) -> None:
    url, post = served
    page.goto(url + "posts/served/")
    expect(page.locator(".post-body")).to_contain_text("First version.")
    expect(page.locator("html")).to_have_attribute("data-explainer-reload", "connected")
    post.write_text(POST.format(body="Second version."), encoding="utf-8")
    expect(page.locator(".post-body")).to_contain_text("Second version.", timeout=10_000)


def test_a_broken_edit_shows_the_error_and_keeps_the_last_good_page(
    page: Page, served: tuple[str, Path]
) -> None:
    url, post = served
    page.goto(url + "posts/served/")
    expect(page.locator("html")).to_have_attribute("data-explainer-reload", "connected")
    post.write_text(POST.format(body="```demo\nshow: [sampels]\n```"), encoding="utf-8")
    overlay = page.locator("#explainer-build-errors")
    expect(overlay).to_contain_text(
        'content/posts/served.md:7: unknown demo option "sampels" (did you mean "samples"?)',
        timeout=10_000,
    )
    page.reload()
    expect(page.locator(".post-body")).to_contain_text("First version.")


def test_the_server_refuses_paths_outside_the_site(served: tuple[str, Path]) -> None:
    url, _ = served
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    for path in ("/../pyproject.toml", "/%2e%2e/content/posts/served.md", "/posts/../../content/"):
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 404, path
        connection.close()


def test_build_output_has_no_reload_script(served: tuple[str, Path]) -> None:
    _, post = served
    # serve builds with the reload script; `explainer build` never includes it.
    project = post.parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "engine", "build", "--out", "public"],
        cwd=project,
        capture_output=True,
        check=True,
    )
    assert done.returncode == 0
    assert "__explainer" not in (project / "public/posts/served/index.html").read_text(
        encoding="utf-8"
    )
    served_html = (project / "site/posts/served/index.html").read_text(encoding="utf-8")
    assert "/__explainer/reload.js" in served_html


def test_a_text_edit_updates_the_page_in_place_and_the_demo_keeps_running(
    page: Page, served_demo: tuple[str, Path]
) -> None:
    url, post = served_demo
    page.goto(url + "posts/served/")
    demo = page.locator('section[data-demo="live"]')
    expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    expect(page.locator("html")).to_have_attribute("data-explainer-reload", "connected")
    steps(demo, 2)
    page.evaluate("window.notReloaded = true")
    body = "Second version, above.\n\n" + DEMO.format(step=0.01) + "\n\nAnd below."
    post.write_text(POST.format(body=body), encoding="utf-8")
    expect(page.locator(".post-body")).to_contain_text("And below.", timeout=10_000)
    expect(page.locator(".post-body")).not_to_contain_text("First version.")
    assert page.evaluate("window.notReloaded") is True
    assert value(demo, "iteration") == 2  # the same widget, where the reader left it
    steps(demo, 1)
    assert value(demo, "iteration") == 3


def test_changing_a_demo_reloads_the_page(page: Page, served_demo: tuple[str, Path]) -> None:
    url, post = served_demo
    page.goto(url + "posts/served/")
    expect(page.locator("html")).to_have_attribute("data-explainer-reload", "connected")
    page.evaluate("window.notReloaded = true")
    post.write_text(POST.format(body="First version.\n\n" + DEMO.format(step=0.5)), "utf-8")
    step_size = page.locator('section[data-demo="live"] [data-control="step-size"]')
    expect(step_size).to_have_value("0.5", timeout=10_000)
    assert page.evaluate("window.notReloaded") is None


def test_fixing_a_broken_edit_removes_the_errors(page: Page, served: tuple[str, Path]) -> None:
    url, post = served
    page.goto(url + "posts/served/")
    expect(page.locator("html")).to_have_attribute("data-explainer-reload", "connected")
    post.write_text(POST.format(body="```demo\nshow: [sampels]\n```"), encoding="utf-8")
    overlay = page.locator("#explainer-build-errors")
    expect(overlay).to_be_visible(timeout=10_000)
    post.write_text(POST.format(body="Fixed version."), encoding="utf-8")
    expect(page.locator(".post-body")).to_contain_text("Fixed version.", timeout=10_000)
    expect(overlay).to_have_count(0)


def test_a_change_besides_posts_reloads_the_page(page: Page, served: tuple[str, Path]) -> None:
    url, post = served
    page.goto(url + "posts/served/")
    expect(page.locator("html")).to_have_attribute("data-explainer-reload", "connected")
    theme = post.parents[1] / "theme.css"
    theme.write_text("h1 { color: teal; }\n", encoding="utf-8")
    heading = page.locator("h1")
    expect(heading).to_have_css("color", "rgb(0, 128, 128)", timeout=10_000)
    page.evaluate("window.notReloaded = true")
    # The same page, the same link: only a full load fetches the stylesheet again.
    theme.write_text("h1 { color: navy; }\n", encoding="utf-8")
    expect(heading).to_have_css("color", "rgb(0, 0, 128)", timeout=10_000)
    assert page.evaluate("window.notReloaded") is None
