"""Saved runs outlive the page that saved them: runs stored and exported by the first
release (fixtures in tests/fixtures/runs-v1, written by that page) load unchanged in
what they show; runs are one store per page whatever its address form, shared by the
page's tabs; a run that cannot be stored is announced as not saved; and any parameter
name a model may have survives a reload."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import READY_TIMEOUT_MS
from .test_contract_demo import steps

FIXTURES = Path(__file__).parents[1] / "fixtures" / "runs-v1"
STORED: dict[str, str] = json.loads((FIXTURES / "local-storage.json").read_text())
SHOWN: dict[str, list[dict[str, str]]] = json.loads((FIXTURES / "shown.json").read_text())


def seed_once(page: Page, items: dict[str, str]) -> None:
    """Put `items` in localStorage before the page's first load (not again on reloads)."""
    page.add_init_script(
        "if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1');"
        f" for (const [k, v] of Object.entries({json.dumps(items)})) localStorage.setItem(k, v); }}"
    )


def ready(page: Page, demo_id: str) -> Locator:
    demo = page.locator(f'section[data-demo="{demo_id}"]')
    expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    return demo


NOT_DRAWN = " · other data, not drawn"


def shown(demo: Locator) -> list[dict[str, str | None]]:
    """Each run's colour and text (spaces and line breaks taken as one space); a run
    trained on other data than the demo's says so at the end of its text."""
    runs = demo.locator("[data-run]")
    return [
        {
            "color": runs.nth(i).get_attribute("data-color"),
            "text": " ".join((runs.nth(i).text_content() or "").split()),
        }
        for i in range(runs.count())
    ]


def as_shown(runs: list[dict[str, str]], demo: Locator) -> list[dict[str, str | None]]:
    """The fixture's runs as `shown` reads them, on the data `demo` starts with."""
    config = json.loads(demo.locator("script[data-demo-config]").text_content() or "{}")
    data = config["initial"]["data_label"]
    listed: list[dict[str, str | None]] = []
    for run in runs:
        text = " ".join(run["text"].split())
        label = re.sub(r", doubled.*\)$", "", text.split(" · data: ")[1].split(" · ")[0])
        listed.append({"color": run["color"], "text": text + ("" if label == data else NOT_DRAWN)})
    return listed


def storage(page: Page) -> dict[str, str]:
    items: dict[str, str] = page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]))"
    )
    return items


@pytest.mark.parametrize("post", ["iterating-on-a-model", "a-model-of-your-own"])
def test_runs_stored_by_the_first_release_load_unchanged(
    guarded_page: Page, example_site: str, post: str
) -> None:
    page = guarded_page
    seed_once(page, STORED)
    page.goto(f"{example_site}/posts/{post}/")
    demos = {where.split("#")[1]: runs for where, runs in SHOWN.items() if f"/{post}/" in where}
    for demo_id, expected in demos.items():
        demo = ready(page, demo_id)
        expect(demo.locator("[data-run]")).to_have_count(len(expected))
        assert shown(demo) == as_shown(expected, demo)
        expect(demo.locator("[data-runs-notice]")).to_be_hidden()
    # Moved to this version's key, in this version's format, and read again after a reload.
    kept = storage(page)
    assert not any(key.startswith(f"explainer:runs:v1:/posts/{post}/") for key in kept)
    for demo_id, expected in demos.items():
        document = json.loads(kept[f"explainer:runs:v2:/posts/{post}/#{demo_id}"])
        assert document["version"] == 2 and len(document["runs"]) == len(expected)
    page.reload()
    for demo_id, expected in demos.items():
        demo = ready(page, demo_id)
        assert shown(demo) == as_shown(expected, demo)


@pytest.mark.parametrize("demo_id", ["compare-runs", "your-data", "parabola"])
def test_files_exported_by_the_first_release_import_unchanged(
    guarded_page: Page, example_site: str, demo_id: str
) -> None:
    page = guarded_page
    where = next(w for w in SHOWN if w.endswith(f"#{demo_id}"))
    page.goto(f"{example_site}{where.split('#')[0]}")
    demo = ready(page, demo_id)
    demo.locator('[data-control="import-runs"]').set_input_files(
        str(FIXTURES / f"export-{demo_id}.json")
    )
    expect(demo.locator("[data-run]")).to_have_count(len(SHOWN[where]))
    assert shown(demo) == as_shown(SHOWN[where], demo)
    expect(demo.locator("[data-error]")).to_have_text("")


def test_runs_from_before_versions_were_written_are_read(
    guarded_page: Page, contract_site: str
) -> None:
    """The earliest pages kept a bare list of {color, run} under the version-1 key."""
    page = guarded_page
    run = json.loads((FIXTURES / "export-parabola.json").read_text())["runs"][0]
    color = run.pop("color")
    run.update(settings={"step_size": 0.03, "proportional": True, "batch": None})
    seed_once(
        page,
        {"explainer:runs:v1:/posts/everything/#full": json.dumps([{"color": color, "run": run}])},
    )
    page.goto(f"{contract_site}/posts/everything/")
    demo = ready(page, "full")
    expect(demo.locator("[data-run]")).to_have_count(1)
    expect(demo.locator("[data-run]")).to_contain_text("step size 0.03 · proportional on")
    expect(demo.locator("[data-runs-notice]")).to_be_hidden()


def save_run(demo: Locator, count: int) -> None:
    steps(demo, 1)
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-run]")).to_have_count(count)


def test_one_page_one_store_whatever_its_address_form(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    page.goto(f"{contract_site}/posts/everything/index.html")
    save_run(ready(page, "full"), 1)
    page.goto(f"{contract_site}/posts/everything/")
    expect(ready(page, "full").locator("[data-run]")).to_have_count(1)
    assert [k for k in storage(page) if k.startswith("explainer:runs:")] == [
        "explainer:runs:v2:/posts/everything/#full"
    ]


def test_two_tabs_that_each_save_a_run_keep_both(
    browser: Browser, browser_context_args: dict[str, Any], contract_site: str
) -> None:
    context = browser.new_context(**browser_context_args)
    try:
        first, second = context.new_page(), context.new_page()
        for tab in (first, second):
            tab.set_default_timeout(READY_TIMEOUT_MS)
            tab.goto(f"{contract_site}/posts/everything/")
        a, b = ready(first, "full"), ready(second, "full")
        save_run(a, 1)
        expect(b.locator("[data-run]")).to_have_count(1)  # the other tab hears of it
        save_run(b, 2)
        expect(a.locator("[data-run]")).to_have_count(2)
        save_run(a, 3)
        document = json.loads(storage(first)["explainer:runs:v2:/posts/everything/#full"])
        assert [run["iteration"] for run in document["runs"]] == [1, 1, 2]
        assert len({run["color"] for run in document["runs"]}) == 3
        second.reload()
        expect(ready(second, "full").locator("[data-run]")).to_have_count(3)
    finally:
        context.close()


def test_a_run_that_cannot_be_stored_is_announced_as_not_saved(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    page.goto(f"{contract_site}/posts/everything/")
    demo = ready(page, "full")
    save_run(demo, 1)
    # Fill the rest of the origin's storage.
    page.evaluate(
        """() => {
          let chunk = "x".repeat(1 << 20);
          for (let i = 0; chunk.length > 0; i++) {
            try { localStorage.setItem(`filler-${i}`, chunk); } catch { chunk = chunk.slice(0, Math.floor(chunk.length / 2)); }
          }
        }"""
    )
    steps(demo, 1)
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-error]")).to_have_text(
        "Run not saved: the browser's storage for this site is full. "
        "Export and clear saved runs to make room."
    )
    expect(demo.locator("[data-run]")).to_have_count(1)
    page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('filler-')).forEach((k) => localStorage.removeItem(k))"
    )
    page.reload()
    expect(ready(page, "full").locator("[data-run]")).to_have_count(1)


def test_runs_of_a_model_with_greek_parameter_names_survive_a_reload(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    page.goto(f"{contract_site}/posts/greek/")
    demo = ready(page, "greek")
    save_run(demo, 1)
    save_run(demo, 2)
    page.reload()
    demo = ready(page, "greek")
    expect(demo.locator("[data-run]")).to_have_count(2)
    expect(demo.locator("[data-runs-notice]")).to_be_hidden()
    document = json.loads(storage(page)["explainer:runs:v2:/posts/greek/#greek"])
    assert list(document["runs"][1]["params"]) == ["θ", "β"]


def test_an_imported_run_with_any_parameter_name_is_kept_after_a_reload(
    guarded_page: Page, contract_site: str, tmp_path: Path
) -> None:
    """Import and storage read runs alike: `__proto__` is a Python name, and stays one."""
    page = guarded_page
    page.goto(f"{contract_site}/posts/everything/")
    demo = ready(page, "full")
    save_run(demo, 1)
    run = json.loads(storage(page)["explainer:runs:v2:/posts/everything/#full"])["runs"][0]
    text = json.dumps({"format": "explainer-runs", "version": 2, "demo": "full", "runs": [run]})
    crafted = tmp_path / "crafted.json"
    crafted.write_text(text.replace('"params": {', '"params": {"__proto__": 5, '))
    demo.locator('[data-control="import-runs"]').set_input_files(str(crafted))
    expect(demo.locator("[data-run]")).to_have_count(2)
    page.reload()
    demo = ready(page, "full")
    expect(demo.locator("[data-run]")).to_have_count(2)
    expect(demo.locator("[data-runs-notice]")).to_be_hidden()
    params = json.loads(storage(page)["explainer:runs:v2:/posts/everything/#full"])["runs"][1][
        "params"
    ]
    assert params["__proto__"] == 5
