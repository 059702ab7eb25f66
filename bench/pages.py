"""Page measurements in headless Chromium, each recorded by the page itself (a probe
installed before any of its scripts runs), so polling from this process adds nothing.

"Ready" is when Python runs every demo of the page (each `section[data-demo]` has
`data-python="ready"`); the demos are live before that, replaying the build's runs.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Page

PROBE = """
window.__bench = { ready: null, long: [], demoReady: {}, steps: {}, played: {} };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.long.push([e.startTime, e.duration]);
}).observe({ type: "longtask", buffered: true });
new MutationObserver((records) => {
  const bench = window.__bench;
  for (const { target } of records) {
    const demo = target.closest?.("[data-demo]");
    if (!demo) continue;
    if (target === demo && demo.dataset.python === "ready") bench.demoReady[demo.id] ??= performance.now();
    if (target.dataset.readout === "iteration") {
      const steps = (bench.steps[demo.id] ??= []);
      steps.push([performance.now(), Number(target.dataset.value)]);
    }
  }
  const demos = [...document.querySelectorAll("[data-demo]")];
  if (bench.ready === null && demos.length && demos.every((d) => d.dataset.python === "ready")) {
    bench.ready = performance.now();
  }
  const failed = demos.find((d) => d.dataset.status === "error");
  if (failed) bench.failed ??= failed.querySelector("[data-error]")?.textContent || "error";
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-python", "data-value", "data-status"] });
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
READY = "() => window.__bench && (window.__bench.ready !== null || window.__bench.failed)"
TIMEOUT_MS = 180_000


@dataclass
class Visit:
    """One visit of a page: times in ms from navigation, and what the server sent."""

    ready: float
    fcp: float = float("nan")
    longest: float = 0.0  # the longest main-thread task before `ready` (0: none over 50 ms)
    worker: float = 0.0
    python: float = 0.0
    bytes: int = 0
    files: list[str] = field(default_factory=list)


def started(page: Page) -> None:
    """Wait until Python runs every demo; a demo that failed stops the bench."""
    page.wait_for_function(READY, timeout=TIMEOUT_MS)
    failed = page.evaluate("window.__bench.failed")
    if failed:
        raise SystemExit(f"a demo did not start ({failed}): {page.url}")


def visit(page: Page) -> Visit:
    """What the page's probe recorded, once every demo is ready."""
    started(page)
    bench = page.evaluate("window.__bench")
    ready = bench["ready"]
    return Visit(
        ready=ready,
        fcp=page.evaluate(
            "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN})"
            ".startTime"
        ),
        longest=max((d for s, d in bench["long"] if s < ready), default=0.0),
        worker=bench["worker"] or 0.0,
        python=bench["python"] or 0.0,
    )


def fresh_and_repeat(
    browser: Browser, url: str, take: Callable[[], int], files: Callable[[], list[str]]
) -> tuple[Visit, Visit]:
    """A first visit of `url` in a new browser context, then a reload in the same one."""
    context, page, first = _first_visit_in(browser, url, take, files)
    page.reload()
    again = visit(page)
    again.bytes = take()
    context.close()
    return first, again


def first_visit(
    browser: Browser, url: str, take: Callable[[], int], files: Callable[[], list[str]]
) -> Visit:
    """A first visit of `url` in a new browser context: what it downloaded until ready."""
    context, _, first = _first_visit_in(browser, url, take, files)
    context.close()
    return first


def _first_visit_in(
    browser: Browser, url: str, take: Callable[[], int], files: Callable[[], list[str]]
) -> tuple[BrowserContext, Page, Visit]:
    """A first visit of `url` in a new browser context, left open."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    page = context.new_page()
    take()
    page.goto(url)
    first = visit(page)
    first.bytes, first.files = take(), files()
    return context, page, first


# Presses the first demo's Play the moment it is enabled, from within the page (a click
# from this process would poll for the button and land later than the reader could).
PRESS_PLAY = """
new MutationObserver(() => {
  const button = document.querySelector('[data-demo] [data-action="play"]');
  if (!button || button.disabled || window.__bench.pressed !== undefined) return;
  window.__bench.pressed = performance.now();
  button.click();
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["disabled"] });
"""


def first_step(browser: Browser, url: str) -> float:
    """Press the first demo's Play the moment it can be pressed: ms from navigation until
    its iteration readout shows the first step."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    context.add_init_script(PRESS_PLAY)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    page.wait_for_function(
        "() => (Object.values(window.__bench.steps)[0] || []).some(([, n]) => n >= 1)",
        timeout=TIMEOUT_MS,
    )
    marks = next(iter(page.evaluate("window.__bench.steps").values()))
    context.close()
    return float(next(time for time, n in marks if n >= 1))


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


@dataclass
class Neighbours:
    """A page with a million-sample demo ("big") and a 30-sample one ("small")."""

    big_ready: float  # ms from navigation until Python runs the demo (NaN: no such demo)
    small_ready: float
    stepped: float  # ms from 20 presses of the small demo's Step until it shows 20 steps
    through_python: float  # the same after giving it a new step size (Python must step)


# Presses a demo's Step `count` times at once: when the presses began, in ms.
PRESS = """([demo, count]) => {
  const button = document.querySelector(`[data-demo="${demo}"] [data-action="step"]`);
  const started = performance.now();
  for (let i = 0; i < count; i++) button.click();
  return started;
}"""


def neighbours(browser: Browser, url: str, steps: int = 20) -> Neighbours:
    """Two fresh visits of the neighbours page (or of the small demo alone): one presses the
    small demo's Step `steps` times the moment it can be pressed, the other gives it a new
    step size the moment Python runs it (so that Python takes every step) and then does."""
    stepped, big, small = _step_small(browser, url, steps, through_python=False)
    through, _, _ = _step_small(browser, url, steps, through_python=True)
    return Neighbours(big, small, stepped, through)


def _step_small(
    browser: Browser, url: str, steps: int, *, through_python: bool
) -> tuple[float, float, float]:
    """ms from the first of `steps` presses until the small demo shows them all, and when
    Python came to run the big demo (NaN without one) and the small one."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    small = page.locator('[data-demo="small"]')
    small.locator('[data-action="step"]').wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-demo=small] [data-action=step]').disabled",
        timeout=TIMEOUT_MS,
    )
    if through_python:
        page.wait_for_function("() => 'small' in window.__bench.demoReady", timeout=TIMEOUT_MS)
        box = small.locator('[data-control="step-size"]')
        box.fill("0.02")
        box.press("Enter")
    pressed = page.evaluate(PRESS, ["small", steps])
    page.wait_for_function(
        f"() => (window.__bench.steps.small || []).some(([, n]) => n >= {steps})",
        timeout=TIMEOUT_MS,
    )
    marks = page.evaluate("window.__bench.steps.small")
    done = next(time for time, n in marks if n >= steps)
    started(page)
    ready = page.evaluate("window.__bench.demoReady")
    context.close()
    return done - pressed, ready.get("big", float("nan")), ready["small"]


def while_playing(browser: Browser, url: str, probe: str) -> tuple[float, float]:
    """Longest main-thread task (ms, 0 when none passed 50 ms), and the most any chart was
    redrawn within one animation frame, while the first demo plays 300 steps (Python
    running it)."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    context.add_init_script(probe)
    page = context.new_page()
    page.goto(url)
    started(page)
    start = page.evaluate("performance.now()")
    page.evaluate("window.__frames.most = 0")
    demo = page.locator("[data-demo]").first
    demo.locator('[data-action="play"]').click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-demo] [data-readout=iteration]')"
        ".dataset.value) >= 300",
        timeout=TIMEOUT_MS,
    )
    demo.locator('[data-action="play"]').click()
    durations = [d for s, d in page.evaluate("window.__bench.long") if s >= start]
    most = page.evaluate("window.__frames.most")
    context.close()
    return max(durations, default=0.0), most


def median(values: list[float]) -> float:
    """The median, for a row's baseline."""
    return statistics.median(values)
