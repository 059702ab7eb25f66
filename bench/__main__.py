"""Measure build time and how fast a demo becomes ready in headless Chromium.

Prints one table; each browser row is the median of several fresh browser contexts,
beside the baseline of a bare `loadPyodide()` page using the same vendored files.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from engine.build import build
from engine.config import BuildOptions
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, serve_folder

ROOT = Path(__file__).resolve().parent.parent
BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module">
const t0 = performance.now();
const { loadPyodide } = await import("./assets/pyodide-VERSION/pyodide.mjs");
await loadPyodide({ indexURL: "./assets/pyodide-VERSION/" });
document.body.dataset.ms = String(performance.now() - t0);
</script>"""


def median_ms(samples: list[float]) -> str:
    """Median, in milliseconds, with the spread."""
    return f"{statistics.median(samples):8.0f} ms  (min {min(samples):.0f}, max {max(samples):.0f})"


def time_builds(content: Path, out: Path, runs: int) -> list[float]:
    """Wall time of full builds of `content`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build(BuildOptions(content=content, out=out))
        times.append((time.perf_counter() - started) * 1000)
    return times


def time_ready(browser: Browser, url: str, runs: int) -> list[float]:
    """Navigation start to the first demo's `data-status` leaving `loading`, fresh contexts."""
    times = []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(
            "() => { const d = document.querySelector('[data-demo]');"
            " return d && d.dataset.status !== 'loading'; }",
            timeout=120_000,
        )
        times.append(page.evaluate("performance.now()"))
        context.close()
    return times


def time_bare(browser: Browser, url: str, runs: int) -> list[float]:
    """A page that only imports Pyodide and awaits `loadPyodide()`."""
    times = []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => document.body.dataset.ms", timeout=120_000)
        times.append(page.evaluate("performance.now()"))
        context.close()
    return times


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--post", default="iterating-on-a-model")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="explainer-bench-"))
    try:
        site = work / "site"
        builds = time_builds(ROOT / "content", site, args.runs)
        version = next(site.glob("assets/pyodide-*")).name.removeprefix("pyodide-")
        (site / "bare.html").write_text(BARE_PAGE.replace("VERSION", version), encoding="utf-8")
        server, origin = serve_folder(site)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            ready = time_ready(browser, f"{origin}/posts/{args.post}/", args.runs)
            bare = time_bare(browser, f"{origin}/bare.html", args.runs)
            browser.close()
        server.shutdown()
    finally:
        shutil.rmtree(work)
    print(f"{'what':44} {'median':>8}")
    print(f"{'explainer build of content/':44} {median_ms(builds)}")
    print(f"{'demo ready, fresh browser context':44} {median_ms(ready)}")
    print(f"{'baseline: bare loadPyodide(), fresh context':44} {median_ms(bare)}")


if __name__ == "__main__":
    main()
