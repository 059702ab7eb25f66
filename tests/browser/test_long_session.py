"""A long session: a demo played for as many steps as an hour of play takes keeps a
bounded loss curve, on the page and in its chart, and the page's memory does not grow.

Play takes at most MAX_STEPS_PER_FRAME steps a frame, at 60 frames a second: an hour is
2,160,000 steps. The test plays them in well under a minute by time-lapse: each step
request the page sends to the worker is multiplied on its way (the page's own play loop,
replies, curve updates and drawing run as they always do, only each covers more steps).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, CDPSession, Locator, Page, expect

from engine.runtime.contract import CURVE_POINTS, MAX_STEPS_PER_CALL

from .conftest import READY_TIMEOUT_MS, refuse_foreign_requests
from .test_contract_demo import open_demo, value

MAX_STEPS_PER_FRAME = 10  # demo.js: play's pace once under way
HOUR = 3600 * 60 * MAX_STEPS_PER_FRAME
TIME_LAPSE = 1000
TIME_LAPSE_SCRIPT = f"""
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {{
  if (message?.type === "demo:step") {{
    message = {{ ...message, count: Math.min({MAX_STEPS_PER_CALL}, message.count * {TIME_LAPSE}) }};
  }}
  return post.call(this, message, ...rest);
}};
"""
# Growth of the page's JavaScript heap allowed between the first and the second half
# hour (it is about 0.1 MB). A curve of CURVE_POINTS points takes some 50 kB; a kilobyte
# leaked a frame, or ten a reply, passes 1 MB in the second half's ~900 frames and ~100
# replies.
MAX_HEAP_GROWTH = 1024 * 1024
# Reads the loss chart's data, through its text alternative (a11y.js), which is drawn from
# the very arrays the chart is given: how many iterations it holds, the first and the last.
CHART_DATA = """(demo) => {
  const table = demo.querySelector('details[data-chart-data="loss"] table');
  if (!table) return null;
  const digits = (text) => Number(text.replace(/[^0-9]/g, ""));
  const caption = table.caption.textContent.match(/of ([0-9,.\\s\\u00a0\\u202f]+) iterations/);
  const rows = [...table.tBodies[0].rows].map((row) => digits(row.cells[0].textContent));
  return {
    points: caption ? digits(caption[1]) : rows.length,
    first: rows[0],
    last: rows[rows.length - 1],
    iteration: Number(demo.querySelector('[data-readout="iteration"]').dataset.value),
  };
}"""


def play_until(demo: Locator, iteration: int) -> None:
    """Play until the demo has passed `iteration`, then pause and wait for it to settle."""
    play = demo.locator('[data-action="play"]')
    play.click()
    expect(demo).to_have_attribute("data-status", "running")
    demo.page.wait_for_function(
        "([demo, at]) => Number(demo.querySelector('[data-readout=iteration]').dataset.value) >= at",
        arg=[demo.element_handle(), iteration],
        timeout=120_000,
    )
    play.click()
    expect(demo).to_have_attribute("data-status", "paused")


def chart_data(demo: Locator) -> dict[str, Any]:
    """The loss chart's data once its table has caught up with the paused demo: it ends
    at the last iteration on the curve's stride (at most a stride before the current one)."""
    demo.page.wait_for_function(
        f"""(demo) => {{
          const data = ({CHART_DATA})(demo);
          if (data === null || data.points < 2) return false;
          const stride = data.last / (data.points - 1);
          return data.last <= data.iteration && data.iteration - data.last < stride;
        }}""",
        arg=demo.element_handle(),
    )
    data: dict[str, Any] = demo.evaluate(CHART_DATA)
    return data


def heap_after_gc(cdp: CDPSession) -> tuple[int, dict[str, int]]:
    """The page's JavaScript heap in use after a full garbage collection, and its DOM
    counters (documents, nodes, event listeners)."""
    cdp.send("HeapProfiler.collectGarbage")
    used = int(cdp.send("Runtime.getHeapUsage")["usedSize"])
    counters = cdp.send("Memory.getDOMCounters")
    return used, {key: int(counters[key]) for key in ("documents", "nodes", "jsEventListeners")}


def test_an_hour_of_play_keeps_the_curve_and_memory_bounded(
    browser: Browser, browser_context_args: dict[str, Any], contract_site: str
) -> None:
    # A context of its own: the DOM counters are its renderer's, so other tests' closed
    # pages, collected or not, cannot be counted with this one's.
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        page.set_default_timeout(READY_TIMEOUT_MS)
        foreign = refuse_foreign_requests(page)
        play_an_hour(page, contract_site)
        assert foreign == []
    finally:
        context.close()


def play_an_hour(page: Page, contract_site: str) -> None:
    """Play the demo for an hour's worth of steps; the curve and memory stay bounded."""
    page.add_init_script(TIME_LAPSE_SCRIPT)
    demo = open_demo(page, contract_site, "everything", "full")
    # The session is Python's (before, the demo replays the build's run of 200 steps).
    expect(demo).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    # The loss chart's table, open, is rebuilt as the curve grows: it takes part too.
    demo.locator('details[data-chart-data="loss"] > summary').click()
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.enable")

    play_until(demo, HOUR // 2)
    half = chart_data(demo)
    heap_half, dom_half = heap_after_gc(cdp)

    play_until(demo, HOUR)
    whole = chart_data(demo)
    heap_whole, dom_whole = heap_after_gc(cdp)

    for data in (half, whole):
        # Thinned, never more than CURVE_POINTS points, and still the whole run from 0.
        assert CURVE_POINTS // 2 < data["points"] <= CURVE_POINTS, data
        assert data["first"] == 0
    assert whole["iteration"] >= HOUR
    assert value(demo, "iteration") == whole["iteration"]
    assert heap_whole - heap_half <= MAX_HEAP_GROWTH, (heap_half, heap_whole)
    assert dom_whole == dom_half
    expect(demo.locator("[data-error]")).to_have_text("")
    summary = demo.locator('figure:has([data-chart="loss"]) [data-chart-summary]')
    expect(summary).to_have_text(re.compile(r"^Current run: average loss .+ at iteration 0, .+"))
