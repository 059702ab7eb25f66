"""Phones: at 360 CSS px no page scrolls sideways, charts fit, and touch targets are big enough."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .test_contract_demo import open_demo
from .test_reader_a11y import exercise_demos, open_page, site_pages

WIDTH = 360
# Every visible control of a demo: WCAG 2.5.8 asks for at least 24 by 24 CSS px.
SMALL_TARGETS = """() => [...document.querySelectorAll(
        'section[data-demo] :is(button, input, select, summary, a)')]
    .filter(el => el.getClientRects().length > 0)
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([, box]) => box.width < 24 || box.height < 24)
    .map(([el, box]) => `${el.outerHTML.slice(0, 80)}: ${box.width} x ${box.height}`)"""
# What sticks out of its demo's box: a demo clips what overflows it, so the page would not
# scroll, the reader would just lose it. Tables scroll inside their own box, which is fine.
STICKING_OUT = """() => [...document.querySelectorAll('section[data-demo]')].flatMap((section) => {
    const right = section.getBoundingClientRect().right + 0.5;
    const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const inScroller = (el) => {
      for (let up = el.parentElement; up && up !== section; up = up.parentElement) {
        if (scrolls(up)) return true;
      }
      return false;
    };
    return [...section.querySelectorAll('*')]
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > right)
      .filter((el) => !inScroller(el))
      .map((el) => `#${section.id} ${el.tagName.toLowerCase()}.${el.className}`);
  })"""


def test_no_page_scrolls_sideways_at_360px(guarded_page: Page, example_site: str) -> None:
    page = guarded_page
    page.set_viewport_size({"width": WIDTH, "height": 780})
    wide = {}
    for path in site_pages(example_site):
        open_page(page, example_site, path)
        exercise_demos(page)  # saved runs and open data tables must fit too
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide[path] = width
        small = page.evaluate(SMALL_TARGETS)
        assert small == [], f"{path}: touch targets under 24 px: {small}"
        outside = page.evaluate(STICKING_OUT)
        assert outside == [], f"{path}: wider than their demo: {outside}"
    assert wide == {}


def test_charts_follow_the_width_of_the_screen(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    page.set_viewport_size({"width": 900, "height": 800})
    demo = open_demo(page, contract_site, "everything", "full")
    canvas = demo.locator("[data-chart='fit'] canvas")
    expect(canvas).to_be_visible()
    wide = canvas.bounding_box()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector('#full [data-chart=fit] canvas');
            const box = canvas.getBoundingClientRect();
            return box.right <= innerWidth && box.width > 200;
        }"""
    )
    narrow = canvas.bounding_box()
    assert wide and narrow and narrow["width"] < wide["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
