"""`pyodide = "cdn"`: the interpreter's data files come from the CDN, each checked
against the hash the build recorded; the modules the worker imports (which get no
integrity check) stay on the page's own site."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect

from engine.assets import NODE_MODULES
from engine.build import build
from engine.config import BuildOptions

from .conftest import READY_TIMEOUT_MS, forget_kept_runtime, serve_folder

CDN = "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/"
POST = "---\ntitle: T\ndate: 2026-01-02\nsummary: S.\n---\n\n```demo\nid: d\n```\n"


@pytest.fixture(scope="module")
def cdn_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("cdn")
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/p.md").write_text(POST, encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.explainer]\npyodide = "cdn"\n', encoding="utf-8")
    build(BuildOptions(content=root / "content", out=root / "site", snapshot=False))
    server, origin = serve_folder(root / "site")
    yield origin
    server.shutdown()


def stand_in_for_the_cdn(page: Page, altered: str = "") -> list[str]:
    """Answer requests to the CDN with the pinned npm files (this machine is offline),
    `altered` with other bytes; the list of file names asked of it."""
    asked: list[str] = []

    def answer(route: Route) -> None:
        name = route.request.url.removeprefix(CDN)
        asked.append(name)
        body = (NODE_MODULES / "pyodide" / name).read_bytes()
        kind = "application/wasm" if name.endswith(".wasm") else "application/zip"
        headers = {"Access-Control-Allow-Origin": "*"}  # as jsDelivr answers
        body += b"!" if name == altered else b""
        route.fulfill(status=200, body=body, content_type=kind, headers=headers)

    page.route(CDN + "*", answer)
    return asked


def test_only_data_files_come_from_the_cdn(guarded_page: Page, cdn_site: str) -> None:
    page = guarded_page
    forget_kept_runtime(page, cdn_site)
    asked = stand_in_for_the_cdn(page)
    page.goto(cdn_site + "/posts/p/")
    expect(page.locator('section[data-demo="d"]')).to_have_attribute(
        "data-python", "ready", timeout=READY_TIMEOUT_MS
    )
    assert sorted(asked) == ["pyodide.asm.wasm", "python_stdlib.zip"]


def test_an_altered_file_from_the_cdn_is_refused(guarded_page: Page, cdn_site: str) -> None:
    page = guarded_page
    forget_kept_runtime(page, cdn_site)
    stand_in_for_the_cdn(page, altered="python_stdlib.zip")
    page.goto(cdn_site + "/posts/p/")
    demo = page.locator('section[data-demo="d"]')
    expect(demo).to_have_attribute("data-status", "error", timeout=READY_TIMEOUT_MS)
    expect(demo.locator("[data-error]")).to_contain_text("python_stdlib.zip is not the file")
