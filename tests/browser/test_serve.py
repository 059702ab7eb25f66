"""`explainer serve`: rebuild on save, reload open pages, overlay errors, keep the last good site."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

POST = "---\ntitle: Served\ndate: 2026-01-02\nsummary: S\n---\n{body}\n"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`explainer serve --port 0` in a fresh project; its URL and the post's path."""
    post = tmp_path / "content/posts/served.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST.format(body="First version."), encoding="utf-8")
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
