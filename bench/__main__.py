"""`python -m bench`: measure explainer against its targets and against baselines measured
in the same run, and print one table.

Browser rows run in headless Debian Chromium: "fresh" is a new browser context (empty
cache), "repeat" a reload in the same context. Each row is the median of --runs runs.
The rows of steps per second are explained in bench/steps.py.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench.sites import serve_counting, write_sites
from bench.steps import (
    AUTOMATIC,
    WRITTEN,
    Start,
    bridge_page,
    bridge_steps,
    playing,
    write_model_site,
)
from engine.browsertest import CHROMIUM_ARGS, chromium_path
from engine.build import build
from engine.config import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
POST = "iterating-on-a-model"
# Recorded in the page itself, so polling from the test process adds nothing.
PROBE = """
window.__bench = { ready: null, long: [] };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.long.push([e.startTime, e.duration]);
}).observe({ type: "longtask", buffered: true });
new MutationObserver(() => {
  const demo = document.querySelector("[data-demo]");
  if (window.__bench.ready === null && demo && demo.dataset.status !== "loading") {
    window.__bench.ready = performance.now();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-status"] });
// Where start-up time goes: when the runtime worker starts running (its first progress
// message, sent as it begins downloading) and when Python is restored (its second).
window.__bench.worker = null;
window.__bench.python = null;
window.Worker = class extends window.Worker {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      if (event.data?.type !== "runtime:progress") return;
      const mark = window.__bench.worker === null ? "worker" : "python";
      window.__bench[mark] ??= performance.now();
    });
  }
};
"""
# Counts each chart's redraws (uPlot clears its canvas once per redraw) between two
# animation frames: the most any chart was redrawn within one frame.
FRAMES_PROBE = """
window.__frames = { most: 0 };
(() => {
  const counts = new Map();
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    counts.set(this.canvas, (counts.get(this.canvas) ?? 0) + 1);
    return clear.apply(this, args);
  };
  const tick = () => {
    for (const n of counts.values()) window.__frames.most = Math.max(window.__frames.most, n);
    counts.clear();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""
BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module">
const { loadPyodide } = await import("./assets/pyodide-VERSION/pyodide.mjs");
await loadPyodide({ indexURL: "./assets/pyodide-VERSION/", lockFileURL: "./LOCK" });
window.__bench = { ready: performance.now() };
</script>"""


@dataclass
class Row:
    """One line of the table."""

    what: str
    samples: list[float]
    unit: str
    target: str = ""
    baseline: str = ""
    zero: str = ""  # what a median of 0 means, when it means something else than "0"
    meets: Callable[[float], bool] | None = None  # whether the median meets the target
    shown: str = ""  # the measurement in words, where one number does not say it

    def text(self) -> str:
        value = statistics.median(self.samples)
        whole = value >= 10 or float(value).is_integer()
        shown = f"{value:,.0f} {self.unit}" if whole else f"{value:.2f} {self.unit}"
        if value == 0 and self.zero:
            shown = self.zero
        if self.shown:
            shown = self.shown
        met = "" if self.meets is None else ("yes" if self.meets(value) else "no")
        return f"| {self.what} | {shown} | {self.target} | {met} | {self.baseline} |"


def timed(command: list[str], cwd: Path) -> float:
    """Wall time of one command, in ms."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return (time.perf_counter() - started) * 1000


def repeat(runs: int, measure: Callable[[], float]) -> list[float]:
    """`measure` called `runs` times."""
    return [measure() for _ in range(runs)]


def page_load(browser: Browser, url: str, counter_take: Callable[[], int]) -> dict[str, float]:
    """One fresh visit and one repeat visit of `url`: times in ms and bytes sent."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    page = context.new_page()
    counter_take()
    page.goto(url)
    page.wait_for_function("() => window.__bench && window.__bench.ready !== null", timeout=120_000)
    started_well(page)
    result = {
        "ready": page.evaluate("window.__bench.ready"),
        "worker": page.evaluate("window.__bench.worker") or 0.0,
        "python": page.evaluate("window.__bench.python") or 0.0,
        "fcp": page.evaluate(
            "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime"
        ),
        "first_bytes": counter_take(),
    }
    page.reload()
    page.wait_for_function("() => window.__bench && window.__bench.ready !== null", timeout=120_000)
    started_well(page)
    result["repeat"] = page.evaluate("window.__bench.ready")
    result["repeat_worker"] = page.evaluate("window.__bench.worker") or 0.0
    result["repeat_python"] = page.evaluate("window.__bench.python") or 0.0
    result["repeat_bytes"] = counter_take()
    context.close()
    return result


def start_up(visit: str, loads: list[dict[str, float]], *marks: str) -> Row:
    """Where a visit's start-up time went: medians of when the worker ran, when Python was
    restored, and when the demo was ready (ms from navigation)."""
    worker, python, ready = (statistics.median(load[mark] for load in loads) for mark in marks)
    return Row(
        f"{visit}, where the time goes",
        [ready],
        "ms",
        shown=f"worker running at {worker:,.0f} ms, Python restored at {python:,.0f} ms, "
        f"demo ready at {ready:,.0f} ms",
    )


def started_well(page: Page) -> None:
    """A demo that left "loading" for "error" did not start: that is no time to report."""
    status = page.evaluate(
        "(document.querySelector('[data-demo]') || {dataset: {}}).dataset.status"
    )
    if status not in (None, "ready"):
        raise SystemExit(f"the demo did not start ({status}): {page.url}")


def first_paint(browser: Browser, url: str) -> float:
    """First contentful paint of `url` in a fresh browser context, in ms."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length")
    fcp: float = page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0].startTime"
    )
    context.close()
    return fcp


def without_demos(html: str) -> str:
    """A post page with its demos and scripts taken out: the text, maths and styles alone."""
    html = re.sub(r'<section class="demo".*?</section>', "", html, flags=re.S)
    html = re.sub(r"<script[^>]*></script>|<link rel=\"modulepreload\"[^>]*>", "", html)
    return re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", html, flags=re.S)


def while_playing(browser: Browser, url: str) -> tuple[float, float]:
    """Longest main-thread task (ms, 0 when none passed 50 ms), and the most any chart was
    redrawn within one animation frame, while the first demo plays 300 steps."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    context.add_init_script(FRAMES_PROBE)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__bench.ready !== null", timeout=120_000)
    start = page.evaluate("performance.now()")
    page.evaluate("window.__frames.most = 0")
    demo = page.locator("[data-demo]").first
    demo.locator('[data-action="play"]').click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-demo] [data-readout=iteration]').dataset.value) >= 300",
        timeout=120_000,
    )
    demo.locator('[data-action="play"]').click()
    durations = [d for s, d in page.evaluate("window.__bench.long") if s >= start]
    most = page.evaluate("window.__frames.most")
    context.close()
    return max(durations, default=0.0), most


def serve_latency(runs: int) -> list[float]:
    """Save a post while `explainer serve` has it open: ms until the page shows the change."""
    work = Path(tempfile.mkdtemp(prefix="explainer-serve-"))
    shutil.copytree(ROOT / "content", work / "content")
    post = work / "content" / "posts" / f"{POST}.md"
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", "serve", "--port", "0"],
        cwd=work,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = next(line.split()[1] for line in process.stdout if line.startswith("serving "))
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{url}posts/{POST}/")
        for n in range(runs):
            page.wait_for_function(
                "() => document.documentElement.dataset.explainerReload === 'connected'"
            )
            marker = f"Edit number {n}."
            text = post.read_text(encoding="utf-8")
            started = time.perf_counter()
            post.write_text(text + f"\n{marker}\n", encoding="utf-8")
            page.wait_for_function(
                f"() => document.body.innerText.includes({marker!r})", timeout=30_000
            )
            times.append((time.perf_counter() - started) * 1000)
        browser.close()
    process.terminate()
    process.wait()
    shutil.rmtree(work)
    return times


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="explainer-bench-"))
    try:
        ours, theirs = write_sites(work)
        explainer_build = [sys.executable, "-m", "engine", "build"]
        mkdocs_build = [sys.executable, "-m", "mkdocs", "build", "-q"]
        ours_ms = repeat(args.runs, lambda: timed(explainer_build, ours))
        theirs_ms = repeat(args.runs, lambda: timed(mkdocs_build, theirs))
        rows.append(
            Row(
                "build of a 100-post site (each post with a demo)",
                ours_ms,
                "ms",
                "faster than mkdocs",
                f"mkdocs {statistics.median(theirs_ms):,.0f} ms",
                meets=lambda ms: ms < statistics.median(theirs_ms),
            )
        )

        site = work / "site"
        build(BuildOptions(content=ROOT / "content", out=site))
        version = next(site.glob("assets/pyodide-*")).name.removeprefix("pyodide-")
        lock = next(site.glob("assets/runtime-*/pyodide-lock.json")).relative_to(site).as_posix()
        bare_page = BARE_PAGE.replace("VERSION", version).replace("LOCK", lock)
        (site / "bare.html").write_text(bare_page, encoding="utf-8")
        post_page = site / "posts" / POST / "index.html"
        text_only = without_demos(post_page.read_text(encoding="utf-8"))
        (post_page.parent / "text-only.html").write_text(text_only, encoding="utf-8")
        steps_page = bridge_page(site, version, lock)
        starts = [Start(30), Start(1_000_000), Start(30, doublings=16)]
        # The author-model site is built into a folder of the served one.
        build(BuildOptions(content=write_model_site(work / "models"), out=site / "models"))
        model_lock = next(site.glob("models/assets/runtime-*/pyodide-lock.json"))
        model_page = bridge_page(
            site / "models", version, model_lock.relative_to(site / "models").as_posix()
        )
        model_starts = [Start(1000, model=WRITTEN), Start(1000, model=AUTOMATIC)]
        server, origin, counter = serve_counting(site)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            loads = [
                page_load(browser, f"{origin}/posts/{POST}/", counter.take)
                for _ in range(args.runs)
            ]
            bare = [
                page_load(browser, f"{origin}/bare.html", counter.take) for _ in range(args.runs)
            ]
            text_paint = [
                first_paint(browser, f"{origin}/posts/{POST}/text-only.html")
                for _ in range(args.runs)
            ]
            played = [while_playing(browser, f"{origin}/posts/{POST}/") for _ in range(args.runs)]
            few, generated, doubled = bridge_steps(
                browser, f"{origin}/{steps_page}", starts, args.runs
            )
            written, automatic = bridge_steps(
                browser, f"{origin}/models/{model_page}", model_starts, args.runs
            )
            played_few, played_many, played_samples = playing(
                browser, f"{origin}/posts/{POST}/", args.runs
            )
            browser.close()
        server.shutdown()
        bare_fresh = statistics.median(b["ready"] for b in bare)
        bare_repeat = statistics.median(b["repeat"] for b in bare)
        fresh = [x["ready"] for x in loads]
        repeat_visit = [x["repeat"] for x in loads]
        rows += [
            Row(
                "first paint of the post, default runs drawn",
                [x["fcp"] for x in loads],
                "ms",
                "≤ 300 ms",
                f"its text alone, no demos {statistics.median(text_paint):,.0f} ms",
                meets=lambda ms: ms <= 300,
            ),
            Row(
                "demo ready, fresh browser context",
                fresh,
                "ms",
                f"≤ 2,000 ms and ≤ {0.8 * bare_fresh:,.0f} ms",
                f"bare loadPyodide() {bare_fresh:,.0f} ms"
                f" (ours: {statistics.median(fresh) / bare_fresh:.2f} of it)",
                meets=lambda ms: ms <= min(2000, 0.8 * bare_fresh),
            ),
            Row(
                "demo ready, repeat visit",
                repeat_visit,
                "ms",
                "≤ 1,000 ms",
                f"bare loadPyodide() {bare_repeat:,.0f} ms"
                f" (ours: {statistics.median(repeat_visit) / bare_repeat:.2f} of it)",
                meets=lambda ms: ms <= 1000,
            ),
            start_up("fresh visit", loads, "worker", "python", "ready"),
            start_up("repeat visit", loads, "repeat_worker", "repeat_python", "repeat"),
            Row(
                "longest main-thread task while playing 300 steps",
                [longest for longest, _ in played],
                "ms",
                "≤ 50 ms",
                zero="none over 50 ms",
                meets=lambda ms: ms <= 50,
            ),
            Row(
                "most redraws of one chart within one frame, while playing",
                [most for _, most in played],
                "per frame",
                "≤ 1 per frame",
                meets=lambda most: most <= 1,
            ),
            Row(
                "page weight, first visit",
                [x["first_bytes"] / 1e6 for x in loads],
                "MB",
                "",
                f"bare {statistics.median(b['first_bytes'] for b in bare) / 1e6:.2f} MB",
            ),
            Row("page weight, repeat visit", [x["repeat_bytes"] / 1e6 for x in loads], "MB"),
            Row(
                "full-batch steps at 1,000,000 samples (n: 1000000), in the browser",
                generated,
                "steps/s",
                "≥ 1,000/s",
                f"30 samples {statistics.median(few):,.0f}/s",
                meets=lambda rate: rate >= 1000,
            ),
            Row(
                f"full-batch steps at {starts[2].samples:,} samples (30 doubled), in the browser",
                doubled,
                "steps/s",
                "≥ 1,000/s",
                f"30 samples {statistics.median(few):,.0f}/s",
                meets=lambda rate: rate >= 1000,
            ),
            Row(
                "full-batch steps of an author model at 1,000 samples, gradient written out, "
                "in the browser",
                written,
                "steps/s",
            ),
            Row(
                "full-batch steps of the same model at 1,000 samples, automatic "
                "differentiation, in the browser",
                automatic,
                "steps/s",
                "≥ 1/3 of the written-out gradient's",
                f"written out {statistics.median(written):,.0f}/s"
                f" (automatic: {statistics.median(automatic) / statistics.median(written):.2f} of it)",
                meets=lambda rate: rate >= statistics.median(written) / 3,
            ),
            Row(
                f"playing a demo at {played_samples:,} samples (30 doubled)",
                played_many,
                "steps/s",
                "same as at 30 (within 10%)",
                f"30 samples {statistics.median(played_few):,.0f}/s",
                meets=lambda rate: rate >= 0.9 * statistics.median(played_few),
            ),
        ]
        rows.append(
            Row(
                "serve: save a post → page shows it",
                serve_latency(args.runs),
                "ms",
                "≤ 300 ms",
                meets=lambda ms: ms <= 300,
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"medians of {args.runs} runs, headless Chromium, {time.strftime('%Y-%m-%d')}")
    print("| what | measured | target | met | baseline (same run) |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print(row.text())


if __name__ == "__main__":
    main()
