"""Training speed at a million samples against the same at 30, and of an author's model
with its gradient written out against the same model differentiated by the engine.

Two measurements, each in steps per second:

- through the runtime's `Bridge` in Pyodide, one `demo:step` of one step after another
  (what the step button sends; every reply carries the whole state the page draws), for
  1,000,000 generated points, 30 points doubled to 1,966,080, and 30 points; and for a
  parabola written as an author model, at 1,000 points, once with `gradient` and once
  without (MODEL_SITE);
- through the page, while the reader plays the example post's "doubling" demo from
  iteration 0, at its 30 samples and after pressing double until it holds a million or
  more, read from the iteration readout as it changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from engine.runtime import protocol
from engine.runtime.spec import DemoSettings, SyntheticData, TrainSettings

# Loads the site's own Pyodide and runtime wheel on the main thread and drives a Bridge
# as the worker does: each request crosses as JSON and its reply comes back as JSON.
BRIDGE_PAGE = """<!doctype html><meta charset="utf-8"><title>steps</title>
<script type="module">
const { loadPyodide } = await import("./PYODIDE/pyodide.mjs");
// Absolute URLs: Pyodide finds the wheel relative to the lock file's URL.
const pyodide = await loadPyodide({
  indexURL: new URL("./PYODIDE/", location.href).href,
  lockFileURL: new URL("./LOCK", location.href).href,
  packages: ["explainer-runtime"],
});
const bridge = pyodide.pyimport("engine.runtime.bridge").Bridge();
let seq = 0;
function send(message) {
  let text = bridge.handle(JSON.stringify({ ...message, seq: ++seq }));
  while (!text) text = bridge.resume(); // long work (a million samples drawn) goes in slices
  const reply = JSON.parse(text);
  if (reply.type === "DEMO_ERROR") throw new Error(`${message.type}: ${reply.message}`);
  return reply;
}
// `message` sent again and again for at least `seconds` and `least` times: how many a second.
function rate(message, seconds, least) {
  const started = performance.now();
  let count = 0;
  let elapsed = 0;
  do {
    send(message);
    count += 1;
    elapsed = performance.now() - started;
  } while (elapsed < seconds * 1000 || count < least);
  return (count / elapsed) * 1000;
}
window.__steps = { send, rate };
</script>"""
# The iteration readouts of the demo being played, each with the time it changed.
PLAY_PROBE = """
window.__play = { marks: [] };
new MutationObserver((records) => {
  for (const record of records) {
    const output = record.target;
    if (output.dataset.readout !== "iteration" || !output.closest(DEMO)) continue;
    window.__play.marks.push([performance.now(), Number(output.dataset.value)]);
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-value"] });
"""
STEP_SIZE = 0.01
MILLION = 1_000_000
# A site whose runtime wheel carries the same parabola twice: with its gradient written out,
# and as only its prediction (the engine differentiates it).
PREDICT = '''"""A parabola."""

PARAMETERS = {"a": 0.0, "b": 0.0, "c": 0.0}


def predict(params, x):
    return params["a"] * x * x + params["b"] * x + params["c"]
'''
GRADIENT = """

def gradient(params, x, y):
    error = predict(params, x) - y
    return {"a": 2 * error * x * x, "b": 2 * error * x, "c": 2 * error}
"""
WRITTEN, AUTOMATIC = "models/written.py", "models/automatic.py"
MODEL_POST = """---
title: Models
date: 2026-01-01
summary: The same parabola, with and without its gradient.
---

```demo
model: models/written.py
```

```demo
model: models/automatic.py
```
"""
SECONDS = 1.0  # of steps per measurement
LEAST_STEPS = 10
PLAYED_DEMO = "doubling"  # the example post's demo with a double-samples button
PLAYED_STEPS = 200  # from play until the iteration readout shows this many


@dataclass(frozen=True)
class Start:
    """How a bridge measurement starts its demo: `n` synthetic points, doubled `doublings`
    times, fitted by `model`."""

    n: int
    doublings: int = 0
    model: str = "linear"

    @property
    def samples(self) -> int:
        """The samples the demo holds once started."""
        return self.n << self.doublings  # times 2 ** doublings


def write_model_site(root: Path) -> Path:
    """The content folder of a site with the parabola written both ways."""
    content = root / "content"
    (content / "posts").mkdir(parents=True)
    (content / "models").mkdir()
    (content / "models" / "written.py").write_text(PREDICT + GRADIENT, encoding="utf-8")
    (content / "models" / "automatic.py").write_text(PREDICT, encoding="utf-8")
    (content / "posts" / "models.md").write_text(MODEL_POST, encoding="utf-8")
    return content


def bridge_page(site: Path, pyodide: str, lock: str) -> str:
    """Write the bridge page into `site`, loading Pyodide from the folder `pyodide` of it;
    its path below the site."""
    page = BRIDGE_PAGE.replace("PYODIDE", pyodide).replace("LOCK", lock)
    page = page.replace("DEMO_ERROR", protocol.DEMO_ERROR)
    (site / "steps.html").write_text(page, encoding="utf-8")
    return "steps.html"


def bridge_steps(browser: Browser, url: str, starts: list[Start], runs: int) -> list[list[float]]:
    """Full-batch steps per second (one `demo:step` of one step at a time) for each start,
    `runs` measurements each, in Pyodide in one page. One demo per start, measured in
    turn, so that a machine busy for a while slows them all alike."""
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__steps !== undefined", timeout=120_000)
    demos = [f"{start.model}-n{start.n}-doubled{start.doublings}" for start in starts]
    for demo, start in zip(demos, starts, strict=True):
        state = _send(page, protocol.DEMO_INIT, demo, settings=_settings(start))["state"]
        for _ in range(start.doublings):
            state = _send(page, protocol.DEMO_DOUBLE, demo)["state"]
        assert state["samples"] == start.samples, state["samples"]
    _rate(page, demos[0])  # unmeasured: WebAssembly's optimising compiler warms up meanwhile
    rates: list[list[float]] = [[] for _ in starts]
    for _ in range(runs):
        for demo, measured in zip(demos, rates, strict=True):
            measured.append(_rate(page, demo))
    for demo in demos:
        assert _send(page, protocol.DEMO_STEP, demo)["state"]["status"] == "ready"
    page.close()
    return rates


def _settings(start: Start) -> dict[str, Any]:
    """The demo of `start`, as the build writes it into a page."""
    data = SyntheticData(n=start.n)  # x in [0, 10]: stable for step sizes below about 0.03
    if start.model != "linear":
        data = SyntheticData(n=start.n, x_min=-1.0, x_max=1.0)  # stable for the parabola too
    train = TrainSettings(step_size=STEP_SIZE)
    return DemoSettings(model=start.model, data=data, train=train).to_dict()


def _send(page: Page, kind: str, demo: str, **fields: Any) -> Any:
    """The bridge's reply to one message for `demo`."""
    message = {"type": kind, "id": demo, **fields}
    return page.evaluate("(message) => window.__steps.send(message)", message)


def _rate(page: Page, demo: str) -> float:
    """Steps per second from a fresh run, one step per message as the step button sends."""
    _send(page, protocol.DEMO_RESET, demo)
    step = {"type": protocol.DEMO_STEP, "id": demo, "count": 1}
    rate: float = page.evaluate(
        "([message, seconds, least]) => window.__steps.rate(message, seconds, least)",
        [step, SECONDS, LEAST_STEPS],
    )
    return rate


def playing(browser: Browser, url: str, runs: int) -> tuple[list[float], list[float], int]:
    """Steps per second while the reader plays the demo, at its 30 samples and after
    doubling them to a million or more: `runs` of each, and the samples doubled to."""
    context = browser.new_context()
    demo = f'[data-demo="{PLAYED_DEMO}"]'
    context.add_init_script(PLAY_PROBE.replace("DEMO", json.dumps(demo)))
    page = context.new_page()
    few, many, samples = [], [], 0
    for _ in range(runs):
        page.goto(url)
        _wait_for_status(page, demo, "ready")
        few.append(_play(page, demo))
        _click(page, demo, "reset")
        _wait_for_status(page, demo, "ready")
        samples = _read(page, demo, "samples")
        while samples < MILLION:
            _click(page, demo, "double-samples")
            samples *= 2
            page.wait_for_function(
                f"() => Number(document.querySelector('{demo} [data-readout=samples]')"
                f".dataset.value) === {samples}"
            )
        many.append(_play(page, demo))
    context.close()
    return few, many, samples


def _play(page: Page, demo: str) -> float:
    """Play from iteration 0 until the readout shows PLAYED_STEPS: steps per second from the
    first step that landed to the last, as the page saw them. (Play speeds up with the
    iteration, the same way at every sample count.)"""
    assert _read(page, demo, "iteration") == 0
    page.evaluate("window.__play.marks = []")
    _click(page, demo, "play")
    page.wait_for_function(
        f"() => Number(document.querySelector('{demo} [data-readout=iteration]').dataset.value)"
        f" >= {PLAYED_STEPS}",
        timeout=120_000,
    )
    _click(page, demo, "play")
    _wait_for_status(page, demo, "paused")
    marks: list[list[float]] = page.evaluate("window.__play.marks")
    (first_time, first), (last_time, last) = marks[0], marks[-1]
    return (last - first) / (last_time - first_time) * 1000


def _wait_for_status(page: Page, demo: str, status: str) -> None:
    """Wait until the demo's data-status is `status`."""
    page.wait_for_function(
        f"() => document.querySelector('{demo}')?.dataset.status === '{status}'", timeout=120_000
    )


def _click(page: Page, demo: str, action: str) -> None:
    """Press one of the demo's buttons."""
    page.locator(f'{demo} [data-action="{action}"]').click()


def _read(page: Page, demo: str, readout: str) -> int:
    """A whole-number readout of the demo."""
    return int(page.locator(f'{demo} [data-readout="{readout}"]').get_attribute("data-value") or 0)
