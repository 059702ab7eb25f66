"""The example post: every interaction its story asks the reader to try, through the hooks."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import READY_TIMEOUT_MS
from .test_contract_demo import steps, value

POST = "iterating-on-a-model"
DEMOS = ("first-model", "doubling", "step-size", "compare-runs", "your-data")


def open_post(page: Page, origin: str) -> None:
    """Open the post and wait for all of its demos to be ready."""
    page.goto(f"{origin}/posts/{POST}/")
    for demo_id in DEMOS:
        expect(page.locator(f'section[data-demo="{demo_id}"]')).to_have_attribute(
            "data-status", "ready", timeout=READY_TIMEOUT_MS
        )


def test_all_five_demos_become_ready_and_train(guarded_page: Page, example_site: str) -> None:
    page = guarded_page
    open_post(page, example_site)
    first = page.locator('[data-demo="first-model"]')
    start = value(first, "average-loss")
    first.locator('[data-action="play"]').click()
    page.wait_for_function(
        "() => Number(document.querySelector('#first-model [data-readout=iteration]').dataset.value) >= 20"
    )
    first.locator('[data-action="play"]').click()
    expect(first).to_have_attribute("data-status", "paused")
    assert value(first, "average-loss") < start / 2
    for demo_id in DEMOS:
        expect(page.locator(f'[data-demo="{demo_id}"] [data-error]')).to_have_text("")


def test_doubling_doubles_total_and_keeps_average(guarded_page: Page, example_site: str) -> None:
    open_post(guarded_page, example_site)
    demo = guarded_page.locator('[data-demo="doubling"]')
    steps(demo, 3)
    for _ in range(2):
        samples, total, average = (
            value(demo, r) for r in ("samples", "total-loss", "average-loss")
        )
        demo.locator('[data-action="double-samples"]').click()
        expect(demo.locator('[data-readout="samples"]')).to_have_attribute(
            "data-value", str(int(samples) * 2)
        )
        assert abs(value(demo, "total-loss") - 2 * total) <= 1e-9 * 2 * total
        assert abs(value(demo, "average-loss") - average) <= 1e-9 * average


def test_proportional_step_falls_as_the_loss_falls(guarded_page: Page, example_site: str) -> None:
    open_post(guarded_page, example_site)
    demo = guarded_page.locator('[data-demo="step-size"]')
    assert value(demo, "effective-step") == 0.05
    demo.locator('[data-control="proportional"]').check()
    losses, effective = [], []
    for _ in range(4):
        steps(demo, 5)
        losses.append(value(demo, "average-loss"))
        effective.append(value(demo, "effective-step"))
    start = losses[0] / effective[0] * 0.05  # effective = 0.05 * loss / start loss
    for loss, step in zip(losses, effective, strict=True):
        assert abs(step - 0.05 * loss / start) <= 1e-12
    assert effective[-1] < 0.05 and min(losses) < start


def test_compare_two_runs_in_colour_across_a_reload(guarded_page: Page, example_site: str) -> None:
    page = guarded_page
    open_post(page, example_site)
    demo = page.locator('[data-demo="compare-runs"]')
    runs = demo.locator("[data-runs] [data-run]")
    expect(runs).to_have_count(0)
    play = demo.locator('[data-action="play"]')
    for proportional in (False, True):
        demo.locator('[data-control="proportional"]').set_checked(proportional)
        play.click()
        page.wait_for_function(
            "() => Number(document.querySelector('#compare-runs [data-readout=iteration]').dataset.value) >= 30"
        )
        play.click()
        expect(demo).to_have_attribute("data-status", "paused")
        demo.locator('[data-action="save-run"]').click()
        demo.locator('[data-action="reset"]').click()
    expect(runs).to_have_count(2)
    colours = [runs.nth(i).get_attribute("data-color") for i in range(2)]
    assert None not in colours and colours[0] != colours[1]
    expect(runs.nth(0)).to_contain_text("proportional off")
    expect(runs.nth(1)).to_contain_text("proportional on")
    page.reload()
    open_post(page, example_site)
    expect(runs).to_have_count(2)
    assert [runs.nth(i).get_attribute("data-color") for i in range(2)] == colours
    demo.locator('[data-action="clear-runs"]').click()
    expect(runs).to_have_count(0)
    page.reload()
    open_post(page, example_site)
    expect(runs).to_have_count(0)


def test_upload_a_csv_and_refuse_a_broken_one(
    guarded_page: Page, example_site: str, tmp_path: Path
) -> None:
    open_post(guarded_page, example_site)
    demo = guarded_page.locator('[data-demo="your-data"]')
    upload = demo.locator('[data-control="upload-csv"]')
    good = tmp_path / "mine.csv"
    good.write_text("x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(12)), encoding="utf-8")
    upload.set_input_files(str(good))
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", "12")
    expect(demo.locator("[data-error]")).to_have_text("")
    bad = tmp_path / "broken.csv"
    bad.write_text("x,y\n1,2\n2,3\n3\n", encoding="utf-8")
    upload.set_input_files(str(bad))
    expect(demo.locator("[data-error]")).to_contain_text("line 4")
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", "12")
    steps(demo, 1)


def test_sample_csv_is_downloadable(example_site: str) -> None:
    html = urllib.request.urlopen(f"{example_site}/posts/{POST}/").read().decode()
    assert 'href="../../data/study-hours.csv"' in html
    csv = urllib.request.urlopen(f"{example_site}/data/study-hours.csv").read().decode()
    assert csv.splitlines()[0] == "hours,score" and len(csv.splitlines()) == 41


def test_live_charts_are_drawn_as_demos_come_near(guarded_page: Page, example_site: str) -> None:
    """Below the fold a demo keeps the build's static figures (the page starts without
    the chart library's work), and still answers its controls; scrolled near, it draws
    its live charts in their place."""
    page = guarded_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{example_site}/posts/iterating-on-a-model/")
    last = page.locator("section[data-demo]").last
    expect(last).to_have_attribute("data-python", "ready", timeout=READY_TIMEOUT_MS)
    expect(last.locator(".static-figure svg").first).to_be_attached()
    expect(last.locator(".uplot")).to_have_count(0)
    last.locator('[data-action="step"]').dispatch_event("click")  # no scrolling
    expect(last.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")
    last.scroll_into_view_if_needed()
    expect(last.locator(".uplot")).to_have_count(last.locator("[data-chart]").count())
    expect(last.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "1")
