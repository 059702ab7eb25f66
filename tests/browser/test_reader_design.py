"""How demos look and behave for a reader: compact on a wide screen and on a phone, captions
that agree with the readouts, a slow start to Play, no layout shift, nothing hidden from
print, and a name for every demo."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_contract_demo import open_demo, value
from .test_reader_a11y import open_page

POSTS = ("iterating-on-a-model", "a-model-of-your-own")
ALL_READY = (
    "() => [...document.querySelectorAll('section[data-demo]')]"
    ".every(section => section.dataset.status === 'ready')"
)
SHIFTS = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(total)));
  })"""


def on_screen(page: Page, width: int) -> None:
    """A phone's screen (390 by 844) or a wide one (1280 by 900)."""
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})


@pytest.mark.parametrize("post", POSTS)
def test_every_example_demo_fits_a_1280_by_900_screen(
    guarded_page: Page, example_site: str, post: str
) -> None:
    page = guarded_page
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, example_site, f"/posts/{post}/")
    for section in page.locator("section[data-demo]").all():
        section.scroll_into_view_if_needed()
        box = section.bounding_box()
        assert box and box["height"] <= 900 - 40, (section.get_attribute("id"), box)
        # Fit and loss charts side by side, when a demo has both.
        charts = section.locator("figure.demo-chart").all()
        if len(charts) == 2:
            first, second = (chart.bounding_box() for chart in charts)
            assert first and second and abs(first["y"] - second["y"]) < 2
            assert second["x"] > first["x"] + first["width"]


def test_on_a_phone_secondary_parts_are_folded(guarded_page: Page, example_site: str) -> None:
    page = guarded_page
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, example_site, "/posts/iterating-on-a-model/")
    demo = page.locator("section[data-demo='your-data']")
    more = demo.locator("details[data-demo-more]")
    expect(more).not_to_have_attribute("open", "")
    expect(demo.locator("[data-action='copy-link']")).to_be_hidden()
    expect(demo.locator("[data-action='clear-runs']")).to_be_hidden()
    more.locator("summary").click()
    expect(demo.locator("[data-action='copy-link']")).to_be_visible()
    # The same page on a wide screen opens them.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(more).to_have_attribute("open", "")


def test_readouts_leave_no_card_alone_on_a_phone(guarded_page: Page, example_site: str) -> None:
    page = guarded_page
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, example_site, "/posts/iterating-on-a-model/")
    for section in page.locator("section[data-demo]").all():
        readouts = section.locator(".demo-readout").all()
        rows: dict[int, list[float]] = {}
        for readout in readouts:
            box = readout.bounding_box()
            assert box
            rows.setdefault(round(box["y"]), []).append(box["width"])
        container = section.locator(".demo-readouts").bounding_box()
        assert container
        for widths in rows.values():
            # Each row is filled by cells of one width: never a cell alone at one side.
            assert max(widths) - min(widths) < 1 and sum(widths) > container["width"] * 0.9, rows


def test_captions_agree_with_the_readouts(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "everything", "full")
    fit = demo.locator("figure:has([data-chart='fit']) [data-chart-summary]")
    loss = demo.locator("figure:has([data-chart='loss']) [data-chart-summary]")
    clear = demo.locator('[data-action="clear-runs"]')
    expect(clear).to_be_disabled()
    play = demo.locator('[data-action="play"]')
    play.click()
    expect(demo.locator('[data-readout="iteration"]')).not_to_have_attribute("data-value", "0")
    play.click()
    expect(demo).to_have_attribute("data-status", "paused")
    iteration = f"{int(value(demo, 'iteration')):,}"
    expect(loss).to_contain_text(f"at iteration {iteration}.")
    expect(loss).to_contain_text(demo.locator('[data-readout="average-loss"]').inner_text())
    for doubled in (48, 96, 192):
        demo.locator('[data-action="double-samples"]').click()
        expect(demo.locator('[data-readout="samples"]')).to_have_attribute(
            "data-value", str(doubled)
        )
        expect(fit).to_contain_text(f"{doubled} data points")
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-run]")).to_have_count(1)
    expect(clear).to_be_enabled()
    expect(loss).to_contain_text("Run 1 ended at")
    clear.click()
    expect(demo.locator("[data-run]")).to_have_count(0)
    expect(clear).to_be_disabled()


def test_play_starts_slowly_then_speeds_up(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "everything", "full")
    page.evaluate(
        """() => {
            window.stepTimes = [];
            const output = document.querySelector('#full [data-readout=iteration]');
            new MutationObserver(() => window.stepTimes.push([Number(output.dataset.value), performance.now()]))
                .observe(output, {attributes: true, attributeFilter: ['data-value']});
        }"""
    )
    demo.locator('[data-action="play"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute(
        "data-value", re.compile(r"^(1[2-9]\d|[2-9]\d\d|\d{4,})$"), timeout=30_000
    )
    demo.locator('[data-action="play"]').click()
    times: list[list[float]] = page.evaluate("window.stepTimes")
    at = {int(step): time for step, time in times}
    first_ten = at[10] - at[0] if 0 in at else at[10] - times[0][1]
    # The first ten steps can be followed one by one; a hundred steps later, ten go by fast.
    assert first_ten >= 1000, first_ten
    later = [t for s, t in times if s >= 100]
    assert later and (later[-1] - later[0]) / max(1, len(later)) < 200


@pytest.mark.parametrize("width", [390, 1280])
def test_no_layout_shift_while_the_demos_load(
    guarded_page: Page, example_site: str, width: int
) -> None:
    page = guarded_page
    on_screen(page, width)
    for post in POSTS:
        page.goto(f"{example_site}/posts/{post}/")
        page.wait_for_function(ALL_READY)
        shift = page.evaluate(SHIFTS)
        # And scrolling to each demo, which draws charts that were off screen.
        for section in page.locator("section[data-demo]").all():
            section.scroll_into_view_if_needed()
        shift += page.evaluate(SHIFTS)
        assert shift == 0, (post, shift)


def test_print_shows_every_demo_with_its_charts(guarded_page: Page, example_site: str) -> None:
    page = guarded_page
    open_page(page, example_site, "/posts/iterating-on-a-model/")
    page.emulate_media(media="print")
    for section in page.locator("section[data-demo]").all():
        assert section.evaluate("el => getComputedStyle(el).contentVisibility") != "auto"
        for chart in section.locator("[data-chart]").all():
            box = chart.bounding_box()
            assert box and box["height"] > 150, section.get_attribute("id")
        expect(section.locator(".demo-controls")).to_be_hidden()


def test_every_demo_has_an_accessible_name(guarded_page: Page, example_site: str) -> None:
    page = guarded_page
    open_page(page, example_site, "/posts/iterating-on-a-model/")
    names = page.locator("section[data-demo]").evaluate_all(
        "sections => sections.map(s => s.getAttribute('aria-label'))"
    )
    assert names == [
        "Demo: first model",
        "Demo: doubling",
        "Demo: step size",
        "Demo: compare runs",
        "Demo: your data",
    ]


HEIGHTS_WHILE_PLAYING = """(id) => new Promise((resolve) => {
    const section = document.getElementById(id);
    const heights = new Set();
    const until = performance.now() + 2500;
    const sample = () => {
      heights.add(section.getBoundingClientRect().height);
      if (performance.now() < until) requestAnimationFrame(sample);
      else resolve([...heights]);
    };
    sample();
  })"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_demo_keeps_its_height_while_it_plays(
    guarded_page: Page, example_site: str, width: int
) -> None:
    page = guarded_page
    on_screen(page, width)
    open_page(page, example_site, "/posts/iterating-on-a-model/")
    for demo_id in ("step-size", "your-data"):
        demo = page.locator(f"section[data-demo='{demo_id}']")
        demo.scroll_into_view_if_needed()
        box = demo.bounding_box()
        assert box
        demo.locator('[data-action="play"]').click()
        # Readouts, captions and the chart's axes all change while it plays; nothing moves.
        assert page.evaluate(HEIGHTS_WHILE_PLAYING, demo_id) == [box["height"]], demo_id
        demo.locator('[data-action="play"]').click()
        expect(demo).to_have_attribute("data-status", "paused")
        after = demo.bounding_box()
        assert after and after["height"] == box["height"]
        assert value(demo, "iteration") > 5
