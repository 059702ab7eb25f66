"""Every control of the widget, on a page with two demos sharing one runtime."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .test_contract_demo import open_demo, steps, value


def test_two_demos_share_one_worker(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    full = open_demo(page, contract_site, "everything", "full")
    sgd = page.locator('section[data-demo="sgd"]')
    expect(sgd).to_have_attribute("data-status", "ready")
    assert len(workers) == 1
    steps(sgd, 3)
    assert value(full, "iteration") == 0
    # Mini-batch SGD in the browser draws the same batches as the runtime in CPython.
    config = json.loads(sgd.locator("script[data-demo-config]").text_content() or "{}")
    trainer = Trainer(DemoSettings.from_dict(config["settings"]))
    trainer.step(3)
    assert (value(sgd, "average-loss"), value(sgd, "w"), value(sgd, "b")) == (
        trainer.average_loss,
        trainer.params["w"],
        trainer.params["b"],
    )


def test_double_samples(guarded_page: Page, contract_site: str) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    steps(demo, 4)
    samples, total, average = (value(demo, r) for r in ("samples", "total-loss", "average-loss"))
    demo.locator('[data-action="double-samples"]').click()
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute(
        "data-value", str(int(samples) * 2)
    )
    assert abs(value(demo, "total-loss") - 2 * total) <= 1e-9 * total
    assert abs(value(demo, "average-loss") - average) <= 1e-9 * average
    assert value(demo, "iteration") == 4


def test_proportional_step_falls_with_the_loss(guarded_page: Page, contract_site: str) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    toggle = demo.locator('[data-control="proportional"]')
    expect(toggle).to_be_checked()
    base = float(demo.locator('[data-control="step-size"]').input_value())
    assert value(demo, "effective-step") == base
    start_loss = value(demo, "average-loss")
    steps(demo, 3)
    loss = value(demo, "average-loss")
    assert loss < start_loss
    assert abs(value(demo, "effective-step") - base * loss / start_loss) <= 1e-12
    toggle.uncheck()
    expect(demo.locator('[data-readout="effective-step"]')).to_have_attribute(
        "data-value", str(base)
    )


def test_saved_runs_are_coloured_and_survive_reload(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "everything", "full")
    runs = demo.locator("[data-runs] [data-run]")
    if runs.count():
        demo.locator('[data-action="clear-runs"]').click()
    expect(runs).to_have_count(0)
    steps(demo, 3)
    demo.locator('[data-action="save-run"]').click()
    expect(runs).to_have_count(1)
    demo.locator('[data-action="reset"]').click()
    demo.locator('[data-control="proportional"]').uncheck()
    steps(demo, 2)
    demo.locator('[data-action="save-run"]').click()
    expect(runs).to_have_count(2)
    colours = [runs.nth(i).get_attribute("data-color") for i in range(2)]
    assert colours[0] and colours[1] and colours[0] != colours[1]
    page.reload()
    demo = open_demo(page, page.url.split("/posts/")[0], "everything", "full")
    expect(runs).to_have_count(2)
    assert [runs.nth(i).get_attribute("data-color") for i in range(2)] == colours
    demo.locator('[data-action="clear-runs"]').click()
    expect(runs).to_have_count(0)


def test_csv_upload_replaces_the_data(
    guarded_page: Page, contract_site: str, tmp_path: Path
) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    good = tmp_path / "points.csv"
    good.write_text('\ufeffx,y\r\n1,3\r\n2,5\r\n3,7.5\r\n"4",9\r\n', encoding="utf-8")
    demo.locator('[data-control="upload-csv"]').set_input_files(str(good))
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", "4")
    expect(demo.locator("[data-error]")).to_have_text("")
    assert value(demo, "iteration") == 0


def test_broken_csv_is_refused_and_the_data_kept(
    guarded_page: Page, contract_site: str, tmp_path: Path
) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    samples = demo.locator('[data-readout="samples"]').get_attribute("data-value")
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3,banana\n", encoding="utf-8")
    demo.locator('[data-control="upload-csv"]').set_input_files(str(bad))
    expect(demo.locator("[data-error]")).to_contain_text("line 3")
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", samples or "")
    steps(demo, 1)


def test_a_diverging_run_is_stopped_and_reset_recovers(
    guarded_page: Page, contract_site: str
) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    demo.locator('[data-control="proportional"]').uncheck()
    size = demo.locator('[data-control="step-size"]')
    size.fill("50")
    size.dispatch_event("change")
    play = demo.locator('[data-action="play"]')
    play.click()
    expect(demo).to_have_attribute("data-status", "diverged")
    expect(play).to_have_attribute("aria-pressed", "false")
    expect(demo.locator("[data-error]")).not_to_have_text("")
    for readout in ("average-loss", "total-loss", "w", "b"):
        text = demo.locator(f'[data-readout="{readout}"]').inner_text()
        assert "NaN" not in text and "Infinity" not in text
    demo.locator('[data-action="reset"]').click()
    expect(demo).to_have_attribute("data-status", "ready")
    expect(demo.locator("[data-error]")).to_have_text("")
