"""What a first visit to a post downloads, counted by the server `python -m bench` counts
with: the runtime's few files (the compressed WebAssembly module, the snapshot and the
small standard library that goes with it; never the whole standard library nor the
runtime wheel, which the snapshot holds), and nothing but the files it asked for; served
plainly and gzip-compressed as GitHub Pages serves (the bench's two weight rows)."""

from __future__ import annotations

import gzip
import mimetypes
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from bench.sites import GZIP_TYPES, Traffic, serve_counting

from .conftest import READY_TIMEOUT_MS, QuietHandler

POST = "/posts/iterating-on-a-model/"
RUNTIME_FILES = {
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm.gz",
    "python.snapshot.gz",
    "stdlib.zip",
    "pyodide-lock.json",
}
HEADERS_AT_MOST = 400  # bytes of status line and headers per response


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "gzip"])
def counted_site(
    request: pytest.FixtureRequest, example_folder: Path
) -> Iterator[tuple[str, Traffic, bool]]:
    server, origin, traffic = serve_counting(example_folder, compress=request.param)
    yield origin, traffic, request.param
    server.shutdown()


def sent_size(path: Path, compressed: bool) -> int:
    """The bytes of the file at `path` as the counting server sends it."""
    data = path.read_bytes()
    kind = QuietHandler.extensions_map.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    if compressed and kind in GZIP_TYPES:
        return len(gzip.compress(data, compresslevel=6, mtime=0))
    return len(data)


def test_a_first_visit_downloads_what_the_bench_counts(
    browser: Browser, counted_site: tuple[str, Traffic, bool], example_folder: Path
) -> None:
    origin, traffic, compressed = counted_site
    context = browser.new_context()  # a first visit: nothing cached, nothing kept
    page = context.new_page()
    traffic.take()
    page.goto(origin + POST)
    for demo in page.locator("section[data-demo]").all():
        expect(demo).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    sent, files = traffic.sent, traffic.take_files()
    context.close()
    runtime = {
        path.rsplit("/", 1)[-1]
        for path in files
        if path.startswith(("/assets/pyodide-", "/assets/runtime-"))
    }
    assert runtime == RUNTIME_FILES
    # The page and its worker each import the contract (two module maps); nothing else twice.
    twice = {path.rsplit("/", 1)[-1] for path in files if files.count(path) > 1}
    assert twice <= {"contract.js"}
    sizes = sum(
        sent_size(
            example_folder
            / path.lstrip("/").removesuffix("/")
            / ("index.html" if path.endswith("/") else ""),
            compressed,
        )
        for path in files
    )
    assert sizes <= sent <= sizes + HEADERS_AT_MOST * len(files)
