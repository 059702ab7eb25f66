"""Accessibility: axe-core on every page of the example site, in light and dark schemes, and
what the canvas and fast numbers cannot say themselves (live summary, chart tables, run colours).
"""

from __future__ import annotations

import itertools
import re
import urllib.request
from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import Page, expect

from .test_contract_demo import open_demo, steps

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ALL_READY = (
    "() => [...document.querySelectorAll('section[data-demo]')]"
    ".every(section => section.dataset.status === 'ready')"
)


def site_pages(origin: str) -> list[str]:
    """Every page reachable by links from the index, and the 404 page."""
    seen, queue = {"/"}, ["/"]
    while queue:
        html = urllib.request.urlopen(origin + queue.pop()).read().decode()
        for href in re.findall(r'href="(/[^"#?]*)"', html):
            page = href.endswith("/") or href.endswith(".html")
            if page and not href.startswith("/assets/") and href not in seen:
                seen.add(href)
                queue.append(href)
    pages = sorted(seen | {"/404.html"})
    assert any(p.startswith("/posts/") for p in pages) and any(
        p.startswith("/tags/") for p in pages
    )
    return pages


def open_page(page: Page, origin: str, path: str) -> None:
    """Open a page; on a post, wait until every demo is ready."""
    page.goto(origin + path)
    page.wait_for_function(ALL_READY)


def exercise_demos(page: Page) -> None:
    """Bring out the parts that appear later: a saved run, and every chart's data table."""
    for section in page.locator("section[data-demo]").all():
        save = section.locator('[data-action="save-run"]')
        if save.count():
            save.click()
            expect(section.locator("[data-run]")).to_have_count(1)
        for summary in section.locator("details[data-chart-data] > summary").all():
            summary.click()
        expect(section.locator("details[data-chart-data] table")).to_have_count(
            section.locator("details[data-chart-data='fit']").count() * 2
            + section.locator("details[data-chart-data='loss']").count()
        )


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page (all its rules, WCAG 2.2 AA
    and best practices), one line each."""
    # Evaluated through the driver, not a <script> tag: the page's CSP allows no inline script.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found = page.evaluate(
        """async () => (await axe.run(document, {
                resultTypes: ["violations"],
                rules: {"target-size": {enabled: true}},  // WCAG 2.2's 24 px targets; off by default
            })).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(" ")}`))"""
    )
    return [str(line) for line in found]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_page(
    guarded_page: Page, example_site: str, scheme: Literal["light", "dark"], width: int
) -> None:
    page = guarded_page
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for path in site_pages(example_site):
        open_page(page, example_site, path)
        exercise_demos(page)
        problems += [f"{path}: {line}" for line in serious_violations(page)]
    assert problems == []


@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_nothing_serious_beside_long_lines_of_code(
    guarded_page: Page, contract_site: str, width: int
) -> None:
    page = guarded_page
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, contract_site, "/posts/long-lines/")
    exercise_demos(page)
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_live_summary_speaks_every_two_seconds_while_playing_and_on_pause(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "contract", "contract")
    summary = demo.locator("[data-summary]")
    expect(summary).to_have_attribute("aria-live", "polite")
    expect(summary).to_have_text("")
    page.evaluate(
        """() => {
            window.spoken = [];
            const region = document.querySelector('#contract [data-summary]');
            new MutationObserver(() => window.spoken.push(performance.now()))
                .observe(region, {childList: true, characterData: true, subtree: true});
        }"""
    )
    play = demo.locator('[data-action="play"]')
    play.click()
    expect(summary).to_have_text(
        re.compile(r"^Average loss fell from [\d.,]+ to [\d.,]+ in \d+ steps?\.$")
    )
    page.wait_for_function("() => window.spoken.length >= 2", timeout=20_000)
    play.click()
    expect(demo).to_have_attribute("data-status", "paused")
    iteration = demo.locator('[data-readout="iteration"]').get_attribute("data-value")
    expect(summary).to_have_text(
        re.compile(rf"^Paused\. Average loss fell .* in {iteration} steps\.$")
    )
    # While playing, updates came at least two seconds apart (the pause spoke at once).
    times = page.evaluate("() => window.spoken")
    gaps = [b - a for a, b in itertools.pairwise(times[:-1])]
    assert gaps and min(gaps) >= 1990
    demo.locator('[data-action="reset"]').click()
    expect(summary).to_have_text(re.compile(r"^Reset\. Step 0: average loss [\d.,]+\.$"))


def test_charts_tables_and_run_colours_with_reduced_motion(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    page.emulate_media(reduced_motion="reduce")
    demo = open_demo(page, contract_site, "everything", "full")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    # Play still works without motion preferences getting in the way.
    demo.locator('[data-action="play"]').click()
    page.wait_for_function(
        "() => Number(document.querySelector('#full [data-readout=iteration]').dataset.value) >= 60"
    )
    demo.locator('[data-action="play"]').click()
    expect(demo).to_have_attribute("data-status", "paused")
    iteration = demo.locator('[data-readout="iteration"]').get_attribute("data-value") or ""
    # Each chart: a summary in its caption and a table of at most 20 rows on request.
    loss = demo.locator("figure:has([data-chart='loss'])")
    expect(loss.locator("[data-chart-summary]")).to_contain_text(f"at iteration {iteration}.")
    loss.locator("details[data-chart-data] > summary").click()
    rows = loss.locator("details[data-chart-data] tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.first.locator("th")).to_have_text("0")
    expect(rows.last.locator("th")).to_have_text(iteration)
    fit = demo.locator("figure:has([data-chart='fit'])")
    expect(fit.locator("[data-chart-summary]")).to_contain_text("24 data points")
    fit.locator("details[data-chart-data] > summary").click()
    tables = fit.locator("details[data-chart-data] table")
    expect(tables).to_have_count(2)
    expect(tables.first.locator("caption")).to_have_text("Data points (20 of 24)")
    expect(tables.first.locator("tbody tr")).to_have_count(20)
    # Saved runs: solid lines, a colour each, in the list's swatch and on the loss chart.
    page.evaluate(
        """() => {
            window.drawnColors = new Set();
            const original = CanvasRenderingContext2D.prototype.stroke;
            CanvasRenderingContext2D.prototype.stroke = function (...args) {
                if (this.getLineDash().length === 0) window.drawnColors.add(String(this.strokeStyle).toLowerCase());
                return original.apply(this, args);
            };
        }"""
    )
    for count in range(1, 4):
        steps(demo, 1)
        demo.locator('[data-action="save-run"]').click()
        expect(demo.locator("[data-run]")).to_have_count(count)
    runs = demo.locator("[data-run]")
    lines = [runs.nth(i).locator("svg line") for i in range(3)]
    assert all(line.get_attribute("stroke-dasharray") is None for line in lines)
    colors = [(line.get_attribute("stroke") or "").lower() for line in lines]
    assert all(colors) and len(set(colors)) == 3
    page.wait_for_function(
        "colors => colors.every(c => window.drawnColors.has(c))", arg=colors, timeout=5_000
    )
    # The loss table has a column per saved run.
    expect(loss.locator("details[data-chart-data] thead th")).to_have_text(
        ["Iteration", "Current run", "Run 1", "Run 2", "Run 3"]
    )
