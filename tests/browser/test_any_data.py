"""Any data, any model: a model that is only its prediction trains from a CSV; readers'
files of any scale train at the demo's own step size and keep their column names; a
diverged run offers a stable step size; the step-size box never shows a step size that
training does not use. Every number is the runtime's in CPython."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from engine.config import BuildOptions, load_settings
from engine.reading import read_pages
from engine.render import make_environment
from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .conftest import HERE
from .test_contract_demo import open_demo, steps, value

# An iteration readout of 300 or more
AT_LEAST_300 = re.compile(r"^([3-9]\d\d|\d{4,})$")
# (file name, CSV text): each as a reader might bring it
FILES = {
    # The file that diverged in three steps: everyday x, y in the hundreds of thousands.
    "flats": "rooms,price\n"
    + "".join(
        f"{x},{150_000 + 9_000 * x + 7_000 * (i % 3)}\n" for i, x in enumerate(range(14, 33, 2))
    ),
    # Both columns in the millions.
    "cities": "population,budget\n"
    + "".join(
        f"{1e6 * (1 + i * 0.37)},{2.5e6 * (1 + i * 0.37) + 1.1e5 * (i % 4)}\n" for i in range(12)
    ),
    # x between 0 and 0.02, y in the thousandths: the file that barely moved.
    "doses": "dose_g,response\n"
    + "".join(f"{0.0015 * i},{0.004 + 0.21 * 0.0015 * i + 0.0003 * (i % 3)}\n" for i in range(14)),
}


def settings_of(demo: Locator) -> DemoSettings:
    """The demo's settings as the build wrote them into the page."""
    config = demo.locator("script[data-demo-config]").text_content() or "{}"
    return DemoSettings.from_dict(json.loads(config)["settings"])


def play_past_300(demo: Locator) -> int:
    """Play until the iteration readout shows 300 or more, pause: the iteration reached."""
    demo.locator('[data-action="play"]').click()
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute(
        "data-value", AT_LEAST_300, timeout=120_000
    )
    demo.locator('[data-action="play"]').click()
    expect(demo).to_have_attribute("data-status", "paused")
    return int(value(demo, "iteration"))


@pytest.fixture(scope="module")
def wave_settings() -> DemoSettings:
    """The wave demo's settings, read by the build (which loads models/wave.py in CPython)."""
    settings = load_settings(HERE / "content")
    env = make_environment(settings, HERE / "content" / "templates")
    pages, _ = read_pages(BuildOptions(content=HERE / "content"), settings, env)
    page = next(p for p in pages if p.post.slug == "any-data")
    return next(d for d in page.demos if d.id == "wave").settings


def test_a_model_of_only_its_prediction_trains_from_a_csv(
    guarded_page: Page, contract_site: str, wave_settings: DemoSettings
) -> None:
    demo = open_demo(guarded_page, contract_site, "any-data", "wave")
    start = value(demo, "average-loss")
    reached = play_past_300(demo)
    trainer = Trainer(wave_settings)
    trainer.step(reached)
    # math.sin is the platform's: Pyodide's may differ from CPython's in the last digit.
    assert value(demo, "average-loss") == pytest.approx(trainer.average_loss, rel=1e-9)
    shown = {name: value(demo, name) for name in ("a", "k", "c")}
    assert shown == pytest.approx(trainer.params, rel=1e-9)
    assert value(demo, "average-loss") < 0.2 * start
    at_300 = Trainer(wave_settings)
    at_300.step(300)
    assert at_300.average_loss < 0.2 * start  # over 80 % within 300 steps
    # The data's column names are the chart's: in its summary.
    summary = demo.locator('[data-chart="fit"]').locator("xpath=..").locator("[data-chart-summary]")
    expect(summary).to_contain_text("the model predicts height = ")
    expect(summary).to_contain_text(" at time = 0 ")


@pytest.mark.parametrize("name", list(FILES))
def test_a_readers_file_of_any_scale_fits_at_the_demos_step_size(
    guarded_page: Page, example_site: str, tmp_path: Path, name: str
) -> None:
    demo = open_demo(guarded_page, example_site, "iterating-on-a-model", "your-data")
    path = tmp_path / f"{name}.csv"
    path.write_text(FILES[name], encoding="utf-8")
    demo.locator('[data-control="upload-csv"]').set_input_files(path)
    x, y = FILES[name].split("\n", 1)[0].split(",")
    rows = FILES[name].count("\n") - 1
    expect(demo.locator("[data-summary]")).to_contain_text(
        f"Loaded {name}.csv: {rows} samples ({y} against {x})."
    )
    note = demo.locator("[data-upload-note]")
    expect(note).to_be_visible()
    expect(note).to_have_text(
        f"Your {x} values were rescaled for training; everything shown is in your file's units."
    )
    start = value(demo, "average-loss")
    reached = play_past_300(demo)
    expect(demo.locator("[data-error]")).to_have_text("")
    assert value(demo, "average-loss") <= 0.1 * start
    # The same numbers as the runtime in CPython, which falls 90 % within 300 steps too.
    trainer = Trainer(settings_of(demo))
    trainer.load_csv(FILES[name], f"{name}.csv")
    at_300 = Trainer(settings_of(demo))
    at_300.load_csv(FILES[name], f"{name}.csv")
    at_300.step(300)
    assert at_300.status == "ready" and at_300.average_loss <= 0.1 * start
    trainer.step(reached)
    assert value(demo, "average-loss") == trainer.average_loss
    assert (value(demo, "w"), value(demo, "b")) == (trainer.params["w"], trainer.params["b"])
    # The column names name the axes of the chart's text: its summary and its tables.
    figure = demo.locator('[data-chart="fit"]').locator("xpath=..")
    expect(figure.locator("[data-chart-summary]")).to_contain_text(f"the model predicts {y} = ")
    expect(figure.locator("[data-chart-summary]")).to_contain_text(f" at {x} = ")
    figure.locator("details[data-chart-data] summary").click()
    headings = figure.locator("details[data-chart-data] thead th")
    expect(headings).to_have_text([x, y, x, f"predicted {y}"])


def test_a_diverged_run_offers_a_stable_step_size(guarded_page: Page, example_site: str) -> None:
    demo = open_demo(guarded_page, example_site, "iterating-on-a-model", "your-data")
    box = demo.locator('[data-control="step-size"]')
    box.fill("5")
    box.dispatch_event("change")
    demo.locator('[data-action="play"]').click()
    expect(demo).to_have_attribute("data-status", "diverged")
    trainer = Trainer(settings_of(demo))
    trainer.configure(step_size=5.0)
    trainer.step(1000)
    facts = trainer.divergence
    assert facts is not None
    stable = facts["stable_step"]
    expect(demo.locator("[data-error]")).to_have_text(
        f"Diverged after {facts['iteration']} steps: {facts['cause']}. With step size 5 each "
        "step overshoots the minimum by more than the last. On this data a step size of "
        f"{stable:g} or less is stable."
    )
    button = demo.locator('[data-action="use-stable-step"]')
    expect(button).to_have_text(f"Use step size {stable:g}")
    button.click()
    expect(demo).to_have_attribute("data-status", "ready")
    expect(demo.locator("[data-error]")).to_have_text("")
    expect(button).to_be_hidden()
    expect(box).to_have_value(f"{stable:g}")
    assert value(demo, "iteration") == 0
    reached = play_past_300(demo)
    stable_run = Trainer(settings_of(demo))
    stable_run.configure(step_size=stable)
    stable_run.step(reached)
    assert stable_run.status == "ready"
    assert value(demo, "average-loss") == stable_run.average_loss


def test_without_a_step_size_control_the_message_names_no_control_it_lacks(
    guarded_page: Page, contract_site: str
) -> None:
    demo = open_demo(guarded_page, contract_site, "any-data", "fixed-step")
    demo.locator('[data-action="play"]').click()
    expect(demo).to_have_attribute("data-status", "diverged")
    trainer = Trainer(settings_of(demo))
    trainer.step(1000)
    facts = trainer.divergence
    assert facts is not None
    expect(demo.locator("[data-error]")).to_have_text(
        f"Diverged after {facts['iteration']} steps: {facts['cause']}. With step size 0.5 each "
        "step overshoots the minimum by more than the last. This demo's step size is too large "
        f"for this data; {facts['stable_step']:g} or less would be stable. Reset to start again."
    )
    expect(demo.locator('[data-action="use-stable-step"]')).to_have_count(0)


@pytest.mark.parametrize("typed", ["2000000", "1e400"])
def test_a_step_size_over_the_bound_is_refused_and_the_box_shows_the_one_in_use(
    guarded_page: Page, contract_site: str, typed: str
) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    box = demo.locator('[data-control="step-size"]')
    box.fill(typed)
    error = demo.locator("[data-error]")
    bound = "The step size must be a number greater than 0 and at most 1000000."
    expect(error).to_have_text(bound)
    expect(box).to_have_attribute("aria-invalid", "true")
    box.dispatch_event("change")  # the reader leaves the box
    expect(box).to_have_value("0.03")
    expect(error).to_have_text(f"{bound} It stays 0.03.")
    steps(demo, 1)
    expect(demo).to_have_attribute("data-status", "ready")
    trainer = Trainer(settings_of(demo))
    trainer.step(1)
    assert value(demo, "average-loss") == trainer.average_loss
    assert value(demo, "effective-step") == trainer.effective_step
    expect(box).to_have_value("0.03")


def test_doubling_saved_runs_and_exports_work_with_a_readers_file(
    guarded_page: Page, contract_site: str, tmp_path: Path
) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "everything", "full")
    path = tmp_path / "doses.csv"
    path.write_text(FILES["doses"], encoding="utf-8")
    demo.locator('[data-control="upload-csv"]').set_input_files(path)
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", "14")
    steps(demo, 3)
    average = value(demo, "average-loss")
    demo.locator('[data-action="double-samples"]').click()
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", "28")
    assert value(demo, "average-loss") == average  # the average stays, as for any data
    steps(demo, 2)
    trainer = Trainer(settings_of(demo))
    trainer.load_csv(FILES["doses"], "doses.csv")
    trainer.step(3)
    trainer.double_samples()
    trainer.step(2)
    assert value(demo, "average-loss") == trainer.average_loss
    demo.locator('[data-action="save-run"]').click()
    run = demo.locator("[data-runs] [data-run]")
    expect(run).to_have_count(1)
    expect(run).to_contain_text("data: doses.csv (14 rows), doubled (28 samples)")
    with page.expect_download() as info:
        demo.locator('[data-action="export-json"]').click()
    (saved,) = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["runs"]
    assert saved["params"] == trainer.params  # in the file's units
    assert saved["average_loss"] == trainer.average_loss
    page.reload()
    demo = page.locator('section[data-demo="full"]')
    expect(demo.locator("[data-runs] [data-run]")).to_have_count(1)
    expect(demo.locator("[data-runs-notice]")).to_be_hidden()
