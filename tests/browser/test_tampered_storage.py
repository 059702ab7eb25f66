"""Saved runs left in the browser's storage are read as strictly as an imported file:
anything tampered with is removed with a notice to the reader, never run or shown as
HTML, and the demo works as if nothing had been stored. (What older pages stored is read
and brought up to date: test_runs_upgrade.py.)"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import READY_TIMEOUT_MS, record_dialogs, refuse_foreign_requests
from .test_contract_demo import steps, value
from .test_reader_runs_files import good_document

POST = "/posts/everything/"
NOTICE = "Saved runs from an earlier visit could not be read and were removed."
HOSTILE_HTML = '<img src=x onerror="window.__injected = 1"><script>window.__injected = 2</script>'
# What the payload would have put into the page, had it been taken as HTML.
INJECTED = "img[src='x'], script:not([src]):not([type='application/json'])"
# The runtime's worker and Python's files: refused where Python is not needed.
NO_PYTHON = re.compile(r"/worker\.js$|/assets/pyodide-[^/]+/")
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def storage_key(demo_id: str) -> str:
    return f"explainer:runs:v2:{POST}#{demo_id}"


def changed(change: Callable[[dict[str, Any]], object]) -> str:
    """A valid stored document of demo "full", edited by `change`, as stored text."""
    document = good_document()
    change(document)
    return json.dumps(document)


TAMPERED = {
    "not-json": "{this is not JSON",
    "empty-text": "",
    "a-number": "42",
    "null": "null",
    "newer-version": changed(lambda d: d.update(version=3)),
    "version-zero": changed(lambda d: d.update(version=0)),
    "no-version": changed(lambda d: d.pop("version")),
    "another-format": changed(lambda d: d.update(format="something-else")),
    "another-demo": changed(lambda d: d.update(demo="sgd")),
    "runs-not-a-list": changed(lambda d: d.update(runs="[]")),
    "samples-as-text": changed(lambda d: d["runs"][0].update(samples="3")),
    "loss-as-text": changed(lambda d: d["runs"][0].update(average_loss="0.25")),
    "curve-of-nulls": changed(lambda d: d["runs"][0]["curve"].update(losses=[None, None, None])),
    "html-as-colour": changed(lambda d: d["runs"][0].update(color=HOSTILE_HTML)),
    "html-as-parameter-value": changed(lambda d: d["runs"][0]["params"].update(w=HOSTILE_HTML)),
    "html-as-long-label": changed(lambda d: d["runs"][0].update(data_label=HOSTILE_HTML * 10)),
    "extra-field": changed(lambda d: d["runs"][0].update(onclick=HOSTILE_HTML)),
    "proto": json.dumps(good_document()).replace('"runs": [{', '"runs": [{"__proto__": {"x": 1}, '),
}


def open_with_storage(page: Page, origin: str, stored: dict[str, str]) -> None:
    """Open the post with `stored` (key -> text) in localStorage, as an earlier visit left it."""
    page.add_init_script(WATCH)
    page.add_init_script(
        f"if (!sessionStorage.getItem('seeded')) {{"
        f"  sessionStorage.setItem('seeded', '1');"
        f"  for (const [key, text] of Object.entries({json.dumps(stored)})) localStorage.setItem(key, text);"
        f"}}"
    )
    page.goto(origin + POST)


def wait_ready(page: Page, demo_id: str) -> Locator:
    demo = page.locator(f'section[data-demo="{demo_id}"]')
    expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    return demo


def stored(page: Page, demo_id: str) -> str | None:
    text: str | None = page.evaluate("(key) => localStorage.getItem(key)", storage_key(demo_id))
    return text


def assert_nothing_ran(page: Page, dialogs: list[str]) -> None:
    """No element of the payload exists, none of its code ran, no dialog opened."""
    expect(page.locator(INJECTED)).to_have_count(0)
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__violations") == []
    assert dialogs == []


@dataclass
class Visits:
    """One tab of the post, reloaded for each case; what it must never see."""

    page: Page
    dialogs: list[str]


@pytest.fixture(scope="module")
def visits(
    browser: Browser, browser_context_args: dict[str, Any], contract_site: str
) -> Iterator[Visits]:
    """A tab on the post, in a browser context of its own: a tab of the shared context
    would see (and tidy) other tests' storage, as a reader's other tabs do. Saved runs are
    read as the page starts, before and without Python, so this tab does not start it
    (test_after_removal_... trains after a removal)."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    foreign = refuse_foreign_requests(page)
    page.route(NO_PYTHON, lambda route: route.abort())
    dialogs = record_dialogs(page)
    page.add_init_script(WATCH)
    page.goto(contract_site + POST)
    yield Visits(page, dialogs)
    assert foreign == [], f"requests left the page's origin: {foreign}"
    context.close()


@pytest.mark.parametrize("text", TAMPERED.values(), ids=TAMPERED.keys())
def test_tampered_runs_are_removed_with_a_notice(visits: Visits, text: str) -> None:
    page = visits.page
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [storage_key("full"), text])
    page.reload()
    demo = page.locator('section[data-demo="full"]')
    notice = demo.locator("[data-runs-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_have_text(NOTICE)
    expect(demo.locator("[data-runs] > *")).to_have_count(0)
    assert stored(page, "full") is None
    assert_nothing_ran(page, visits.dialogs)


def test_after_removal_the_demo_works_and_stores_runs_versioned(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    open_with_storage(page, contract_site, {storage_key("full"): TAMPERED["not-json"]})
    demo = wait_ready(page, "full")
    notice = demo.locator("[data-runs-notice]")
    expect(notice).to_have_text(NOTICE)
    steps(demo, 2)
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-run]")).to_have_count(1)
    # The notice was about the earlier visit; the list has changed since.
    expect(notice).to_be_hidden()
    document = json.loads(stored(page, "full") or "null")
    assert (document["format"], document["version"], document["demo"]) == (
        "explainer-runs",
        2,
        "full",
    )
    assert [run["iteration"] for run in document["runs"]] == [2]
    # Stored like this, the run is read back after a reload.
    page.reload()
    expect(wait_ready(page, "full").locator("[data-run]")).to_have_count(1)
    expect(notice).to_be_hidden()
    assert_nothing_ran(page, [])


def test_a_demo_without_a_runs_panel_says_so_where_errors_go(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    open_with_storage(page, contract_site, {storage_key("sgd"): TAMPERED["html-as-colour"]})
    sgd = wait_ready(page, "sgd")
    expect(sgd.locator("[data-error]")).to_have_text(NOTICE)
    assert stored(page, "sgd") is None
    assert_nothing_ran(page, [])
    steps(sgd, 1)
    # The other demo's storage was not touched, and it has nothing to report.
    expect(page.locator('section[data-demo="full"] [data-runs-notice]')).to_be_hidden()


def test_a_valid_stored_run_loads_and_its_label_stays_text(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    dialogs = record_dialogs(page)
    document = good_document()
    document["runs"][0]["data_label"] = HOSTILE_HTML
    text = json.dumps(document)
    open_with_storage(page, contract_site, {storage_key("full"): text})
    demo = wait_ready(page, "full")
    runs = demo.locator("[data-runs] [data-run]")
    expect(runs).to_have_count(1)
    expect(runs.first).to_have_attribute("data-color", "#0072B2")
    expect(runs.first).to_contain_text(f"data: {HOSTILE_HTML}")
    expect(demo.locator("[data-runs] [data-run] > :not(svg, strong, span)")).to_have_count(0)
    expect(demo.locator("[data-runs-notice]")).to_be_hidden()
    expect(demo.locator("[data-error]")).to_have_text("")
    assert json.loads(stored(page, "full") or "null") == document
    assert_nothing_ran(page, dialogs)
    steps(demo, 1)
    assert value(demo, "iteration") == 1


def test_a_demo_keeps_at_most_fifty_runs(guarded_page: Page, contract_site: str) -> None:
    """Fifty stored runs load; a fifty-first is refused, so that what is stored can always
    be read back (and exported, and imported again)."""
    page = guarded_page
    document = good_document()
    document["runs"] = document["runs"] * 50
    open_with_storage(page, contract_site, {storage_key("full"): json.dumps(document)})
    demo = wait_ready(page, "full")
    runs = demo.locator("[data-runs] [data-run]")
    expect(runs).to_have_count(50)
    steps(demo, 1)
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-error]")).to_have_text(
        "This demo keeps at most 50 saved runs. Clear them to save more."
    )
    expect(runs).to_have_count(50)
    assert json.loads(stored(page, "full") or "null") == document
    demo.locator('[data-action="clear-runs"]').click()
    expect(runs).to_have_count(0)
    demo.locator('[data-action="save-run"]').click()
    expect(runs).to_have_count(1)
