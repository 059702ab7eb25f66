"""Links to a demo's settings: the URL fragment restores them, follows the reader's changes,
and is what "Copy link" copies. Bad values in a link are ignored with a warning."""

from __future__ import annotations

import json

from playwright.sync_api import ConsoleMessage, Page, expect

from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .conftest import READY_TIMEOUT_MS
from .test_contract_demo import value


def open_link(page: Page, origin: str, fragment: str) -> None:
    page.goto(f"{origin}/posts/everything/#{fragment}")


def full_trainer(page: Page) -> Trainer:
    config = page.locator("#full script[data-demo-config]").text_content() or "{}"
    return Trainer(DemoSettings.from_dict(json.loads(config)["settings"]))


def test_a_shared_link_restores_the_settings(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    page.set_viewport_size({"width": 1000, "height": 700})
    open_link(page, contract_site, "demo=sgd&demo=full&step=0.02&prop=0&double=2&play=1")
    demo = page.locator('section[data-demo="full"]')
    expect(demo).to_have_attribute("data-status", "running", timeout=READY_TIMEOUT_MS)
    expect(demo.locator('[data-action="play"]')).to_have_attribute("aria-pressed", "true")
    expect(demo).to_be_in_viewport()  # scrolled to the linked demo
    expect(demo.locator('[data-readout="iteration"]')).not_to_have_attribute("data-value", "0")
    assert value(demo, "samples") == 24 * 4
    expect(demo.locator('[data-control="step-size"]')).to_have_value("0.02")
    expect(demo.locator('[data-control="proportional"]')).not_to_be_checked()
    expect(demo.locator('[data-readout="iteration"]')).not_to_have_attribute("data-value", "0")
    demo.locator('[data-action="play"]').click()
    expect(demo).to_have_attribute("data-status", "paused")
    # The numbers are the runtime's with those settings.
    trainer = full_trainer(page)
    trainer.configure(step_size=0.02, proportional=False)
    trainer.double_samples()
    trainer.double_samples()
    trainer.step(int(value(demo, "iteration")))
    assert value(demo, "average-loss") == trainer.average_loss
    assert value(demo, "effective-step") == 0.02
    # Paused is the author's default: the URL keeps the rest.
    page.wait_for_function("() => location.hash === '#demo=full&step=0.02&prop=0&double=2'")


def test_the_url_follows_the_readers_changes_without_new_history(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    page.goto(f"{contract_site}/posts/everything/")
    demo = page.locator('section[data-demo="full"]')
    expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    history = page.evaluate("history.length")
    size = demo.locator('[data-control="step-size"]')
    size.fill("0.05")
    size.dispatch_event("change")
    demo.locator('[data-control="proportional"]').uncheck()
    demo.locator('[data-action="double-samples"]').click()
    page.wait_for_function("() => location.hash === '#demo=full&step=0.05&prop=0&double=1'")
    assert page.evaluate("history.length") == history
    # The same URL, opened afresh, gives the same demo.
    page.reload()
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute(
        "data-value", "48", timeout=READY_TIMEOUT_MS
    )
    expect(size).to_have_value("0.05")
    expect(demo.locator('[data-control="proportional"]')).not_to_be_checked()


def test_bad_values_in_a_link_are_ignored_with_a_warning(
    guarded_page: Page, contract_site: str
) -> None:
    page = guarded_page
    warnings: list[str] = []
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "warning" and "explainer: link:" in message.text:
            warnings.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    fragment = (
        "demo=full&step=-1&step=1e999&prop=yes&double=99&play=2&colour=red"
        "&demo=nowhere&step=0.5&demo=sgd&step=0.5"
    )
    open_link(page, contract_site, fragment)
    demo = page.locator('section[data-demo="full"]')
    expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    assert len(warnings) == 8, warnings
    assert any('"nowhere"' in w for w in warnings) and any(
        '"sgd" has no control' in w for w in warnings
    )
    assert errors == []
    expect(demo.locator('[data-control="step-size"]')).to_have_value("0.03")
    expect(demo.locator('[data-control="proportional"]')).to_be_checked()
    assert value(demo, "samples") == 24


def test_copy_link_copies_this_demos_link(guarded_page: Page, contract_site: str) -> None:
    page = guarded_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{contract_site}/posts/everything/")
    demo = page.locator('section[data-demo="full"]')
    expect(demo).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    demo.locator('[data-action="double-samples"]').click()
    expect(demo.locator('[data-readout="samples"]')).to_have_attribute("data-value", "48")
    demo.locator('[data-action="copy-link"]').click()
    expect(demo.locator(".demo-share-note")).to_have_text("Link copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{contract_site}/posts/everything/#demo=full&double=1"
    page.context.clear_permissions()
    # Without the clipboard, the link waits in a selected field.
    page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('no')); }"
    )
    demo.locator('[data-control="proportional"]').uncheck()
    expect(demo.locator('[data-readout="effective-step"]')).to_have_attribute("data-value", "0.03")
    demo.locator('[data-action="copy-link"]').click()
    expect(demo.locator(".demo-share-note")).to_have_text("Copy the link below.")
    field = demo.locator("[data-share-link]")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_have_value(f"{contract_site}/posts/everything/#demo=full&prop=0&double=1")
    selected = page.evaluate(
        "() => { const f = document.querySelector('#full [data-share-link]');"
        " return f.selectionStart === 0 && f.selectionEnd === f.value.length; }"
    )
    assert selected
