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

from playwright.sync_api import sync_playwright

from bench import lighthouse
from bench.pages import (
    Visit,
    first_paint,
    first_step,
    first_visit,
    fresh_and_repeat,
    neighbours,
    while_playing,
)
from bench.sites import serve_counting, write_neighbours, write_sites
from bench.steps import (
    AUTOMATIC,
    WRITTEN,
    Start,
    bridge_page,
    bridge_steps,
    playing,
    write_model_site,
)
from engine.assets import NODE_MODULES
from engine.browsertest import CHROMIUM_ARGS, chromium_path
from engine.build import build
from engine.config import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
POST = "iterating-on-a-model"
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
# The stock way to start Pyodide, from the files of the pinned npm package as they come:
# the baseline.
BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module">
const { loadPyodide } = await import("./BARE/pyodide.mjs");
await loadPyodide({ indexURL: "./BARE/", lockFileURL: "./LOCK" });
window.__bench.ready = performance.now();
</script>"""
BARE = "bare-pyodide"  # the npm package's files, beside the site's own
BARE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")


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


def start_up(visit: str, visits: list[Visit]) -> Row:
    """Where a visit's start-up time went: medians of when the worker ran, when Python was
    restored, and when every demo was ready (ms from navigation)."""
    worker, python, ready = (
        statistics.median(getattr(v, mark) for v in visits)
        for mark in ("worker", "python", "ready")
    )
    return Row(
        f"{visit}, where the time goes",
        [ready],
        "ms",
        shown=f"worker running at {worker:,.0f} ms, Python restored at {python:,.0f} ms, "
        f"every demo run by Python at {ready:,.0f} ms",
    )


def without_demos(html: str) -> str:
    """A post page with its demos and scripts taken out: the text, maths and styles alone."""
    html = re.sub(r'<section class="demo".*?</section>', "", html, flags=re.S)
    html = re.sub(r"<script[^>]*></script>|<link rel=\"modulepreload\"[^>]*>", "", html)
    return re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", html, flags=re.S)


def ratio_row(what: str, ours: list[float], unit: str, limit: float, base: float, name: str) -> Row:
    """A row whose target is at most `limit` times a baseline `base` measured alongside."""
    return Row(
        what,
        ours,
        unit,
        f"≤ {limit:g} of {name} ({limit * base:,.0f} {unit})",
        f"{name} {base:,.0f} {unit} (ours: {statistics.median(ours) / base:.2f} of it)",
        meets=lambda value: value <= limit * base,
    )


def build_rows(runs: int, work: Path) -> list[Row]:
    """`explainer build` of a 100-post site beside mkdocs building the same Markdown."""
    ours, theirs = write_sites(work)
    ours_ms = repeat(runs, lambda: timed([sys.executable, "-m", "engine", "build"], ours))
    theirs_ms = repeat(runs, lambda: timed([sys.executable, "-m", "mkdocs", "build", "-q"], theirs))
    mkdocs = statistics.median(theirs_ms)
    return [
        ratio_row(
            "build of a 100-post site (each post with a demo)", ours_ms, "ms", 0.5, mkdocs, "mkdocs"
        )
    ]


def browser_rows(runs: int, work: Path) -> list[Row]:
    """Everything measured in Chromium, on the example post and the neighbours page."""
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    big_page, alone_page = write_neighbours(content / "posts")
    site = work / "site"
    build(BuildOptions(content=content, out=site))
    lock = next(site.glob("assets/runtime-*/pyodide-lock.json")).relative_to(site).as_posix()
    (site / BARE).mkdir()
    for name in BARE_FILES:
        shutil.copyfile(NODE_MODULES / "pyodide" / name, site / BARE / name)
    (site / "bare.html").write_text(
        BARE_PAGE.replace("BARE", BARE).replace("LOCK", lock), encoding="utf-8"
    )
    post_page = site / "posts" / POST / "index.html"
    text_only = without_demos(post_page.read_text(encoding="utf-8"))
    (post_page.parent / "text-only.html").write_text(text_only, encoding="utf-8")
    steps_page = bridge_page(site, BARE, lock)
    starts = [Start(30), Start(1_000_000), Start(30, doublings=16)]
    # The author-model site is built into a folder of the served one.
    build(BuildOptions(content=write_model_site(work / "models"), out=site / "models"))
    model_lock = next(site.glob("models/assets/runtime-*/pyodide-lock.json"))
    model_page = bridge_page(
        site / "models", f"../{BARE}", model_lock.relative_to(site / "models").as_posix()
    )
    model_starts = [Start(1000, model=WRITTEN), Start(1000, model=AUTOMATIC)]
    plain, origin, traffic = serve_counting(site)
    zipped, zipped_origin, zipped_traffic = serve_counting(site, compress=True)
    post, bare = f"{origin}/posts/{POST}/", f"{origin}/bare.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        visits = [
            fresh_and_repeat(browser, post, traffic.take, traffic.take_files) for _ in range(runs)
        ]
        bares = [
            fresh_and_repeat(browser, bare, traffic.take, traffic.take_files) for _ in range(runs)
        ]
        gz = [
            first_visit(
                browser,
                f"{zipped_origin}/posts/{POST}/",
                zipped_traffic.take,
                zipped_traffic.take_files,
            )
            for _ in range(runs)
        ]
        gz_bare = [
            first_visit(
                browser,
                f"{zipped_origin}/bare.html",
                zipped_traffic.take,
                zipped_traffic.take_files,
            )
            for _ in range(runs)
        ]
        stepped = [first_step(browser, post) for _ in range(runs)]
        text_paint = [
            first_paint(browser, f"{origin}/posts/{POST}/text-only.html") for _ in range(runs)
        ]
        played = [while_playing(browser, post, FRAMES_PROBE) for _ in range(runs)]
        beside = [neighbours(browser, f"{origin}/posts/{big_page}/") for _ in range(runs)]
        alone = [neighbours(browser, f"{origin}/posts/{alone_page}/") for _ in range(runs)]
        few, generated, doubled = bridge_steps(browser, f"{origin}/{steps_page}", starts, runs)
        written, automatic = bridge_steps(
            browser, f"{origin}/models/{model_page}", model_starts, runs
        )
        played_few, played_many, played_samples = playing(browser, post, runs)
        browser.close()
    scores = (
        [lighthouse.score(f"{zipped_origin}/posts/{POST}/") for _ in range(runs)]
        if lighthouse.available()
        else []
    )
    plain.shutdown()
    zipped.shutdown()
    fresh = [first for first, _ in visits]
    again = [repeat for _, repeat in visits]
    bare_fresh = statistics.median(b.ready for b, _ in bares)
    bare_repeat = statistics.median(b.ready for _, b in bares)
    text = statistics.median(text_paint)
    rows = [
        Row(
            "first paint of the post, default runs drawn",
            [v.fcp for v in fresh],
            "ms",
            f"≤ 300 ms, or ≤ 1.1 of its text alone ({1.1 * text:,.0f} ms)",
            f"its text alone, no demos {text:,.0f} ms",
            meets=lambda ms: ms <= 300 or ms <= 1.1 * text,
        ),
        ratio_row(
            "first step after pressing Play the moment it can be pressed",
            stepped,
            "ms",
            0.25,
            bare_fresh,
            "bare loadPyodide()",
        ),
        ratio_row(
            "every demo run by Python, fresh browser context",
            [v.ready for v in fresh],
            "ms",
            0.4,
            bare_fresh,
            "bare loadPyodide()",
        ),
        Row(
            "every demo run by Python, repeat visit",
            [v.ready for v in again],
            "ms",
            "≤ 800 ms",
            f"bare loadPyodide() {bare_repeat:,.0f} ms",
            meets=lambda ms: ms <= 800,
        ),
        start_up("fresh visit", fresh),
        start_up("repeat visit", again),
        Row(
            "longest main-thread task from navigation until every demo is run by Python",
            [v.longest for v in fresh],
            "ms",
            "≤ 50 ms",
            zero="none over 50 ms",
            meets=lambda ms: ms <= 50,
        ),
    ]
    if scores:
        rows.append(
            Row(
                "Lighthouse performance, mobile, the post served with gzip",
                [s.performance for s in scores],
                "",
                "≥ 98",
                "TBT {:,.0f} ms, FCP {:,.0f} ms, LCP {:,.0f} ms, SI {:,.0f} ms, CLS {:.3f}".format(
                    *(
                        statistics.median(getattr(s, m) for s in scores)
                        for m in ("tbt", "fcp", "lcp", "speed_index", "cls")
                    )
                ),
                meets=lambda score: score >= 98,
            )
        )
    else:
        rows.append(
            Row(
                "Lighthouse performance, mobile",
                [0],
                "",
                "≥ 98",
                "not installed: npm ci",
                shown="not measured",
            )
        )
    rows += [
        ratio_row(
            "page weight, first visit",
            [v.bytes / 1e3 for v in fresh],
            "kB",
            1.0,
            statistics.median(b.bytes for b, _ in bares) / 1e3,
            "bare Pyodide",
        ),
        ratio_row(
            "page weight, first visit, gzip as GitHub Pages serves",
            [v.bytes / 1e3 for v in gz],
            "kB",
            1.0,
            statistics.median(v.bytes for v in gz_bare) / 1e3,
            "bare Pyodide",
        ),
        Row(
            "page weight, repeat visit",
            [v.bytes / 1e3 for v in again],
            "kB",
            shown=f"{statistics.median(v.bytes for v in again) / 1e3:,.0f} kB",
        ),
        ratio_row(
            "a 1,000,000-sample demo run by Python",
            [n.big_ready for n in beside],
            "ms",
            1.5,
            statistics.median(n.small_ready for n in beside),
            "the 30-sample demo beside it",
        ),
        Row(
            "a 30-sample demo's first 20 steps (Step pressed 20 times the moment it can be), beside a 1,000,000-sample demo",
            [n.stepped for n in beside],
            "ms",
            "≤ 1,000 ms",
            f"alone {statistics.median(n.stepped for n in alone):,.0f} ms",
            meets=lambda ms: ms <= 1000,
        ),
        Row(
            "the same, the moment Python runs it, with a new step size (Python takes every step)",
            [n.through_python for n in beside],
            "ms",
            "≤ 1,000 ms",
            f"alone {statistics.median(n.through_python for n in alone):,.0f} ms",
            meets=lambda ms: ms <= 1000,
        ),
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
    return rows


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="explainer-bench-"))
    try:
        rows += build_rows(args.runs, work / "builds")
        rows += browser_rows(args.runs, work)
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
