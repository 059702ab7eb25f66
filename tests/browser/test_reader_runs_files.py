"""Saved runs to files and back: CSV and JSON exports, and a strict JSON import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from .test_contract_demo import open_demo, steps


def save_two_runs(demo: Locator) -> None:
    steps(demo, 3)
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-run]")).to_have_count(1)
    demo.locator('[data-action="reset"]').click()
    demo.locator('[data-control="proportional"]').uncheck()
    steps(demo, 2)
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-run]")).to_have_count(2)


def export(page: Page, demo: Locator, kind: str) -> str:
    """Click an export button; the downloaded file's text."""
    with page.expect_download() as info:
        demo.locator(f'[data-action="export-{kind}"]').click()
    download = info.value
    assert download.suggested_filename == f"full-runs.{kind}"
    return Path(download.path()).read_text(encoding="utf-8")


def listed(demo: Locator) -> list[tuple[str | None, str]]:
    runs = demo.locator("[data-run]")
    return [
        (runs.nth(i).get_attribute("data-color"), runs.nth(i).inner_text())
        for i in range(runs.count())
    ]


def test_export_json_clear_import_gives_the_same_runs(
    guarded_page: Page, contract_site: str, tmp_path: Path
) -> None:
    page = guarded_page
    demo = open_demo(page, contract_site, "everything", "full")
    expect(demo.locator('[data-action="export-json"]')).to_be_disabled()  # nothing to export yet
    save_two_runs(demo)
    before = listed(demo)
    exported = export(page, demo, "json")
    document = json.loads(exported)
    assert (document["format"], document["version"], document["demo"]) == (
        "explainer-runs",
        2,
        "full",
    )
    assert [run["color"] for run in document["runs"]] == [color for color, _ in before]
    assert document["runs"][0]["curve"]["iterations"] == [0, 1, 2, 3]
    assert document["runs"][1]["settings"] == {
        "step_size": 0.03,
        "proportional": False,
        "batch": None,
    }
    demo.locator('[data-action="clear-runs"]').click()
    expect(demo.locator("[data-run]")).to_have_count(0)
    saved = tmp_path / "runs.json"
    saved.write_text(exported, encoding="utf-8")
    demo.locator('[data-control="import-runs"]').set_input_files(str(saved))
    expect(demo.locator("[data-run]")).to_have_count(2)
    assert listed(demo) == before
    expect(demo.locator("[data-error]")).to_have_text("")
    expect(demo.locator("[data-summary]")).to_have_text("Imported 2 runs from runs.json.")
    assert export(page, demo, "json") == exported
    # The CSV: one row per recorded iteration of each run.
    rows = list(csv.reader(io.StringIO(export(page, demo, "csv"))))
    assert rows[0] == [
        "run",
        "step_size",
        "proportional",
        "batch",
        "samples",
        "iteration",
        "average_loss",
    ]
    expected = [
        [number, 0.03, run["settings"]["proportional"], "full", 24, i, loss]
        for number, run in enumerate(document["runs"], start=1)
        for i, loss in zip(run["curve"]["iterations"], run["curve"]["losses"], strict=True)
    ]
    flags = {"true": True, "false": False}
    read = [
        [int(r[0]), float(r[1]), flags[r[2]], r[3], int(r[4]), int(r[5]), float(r[6])]
        for r in rows[1:]
    ]
    assert read == expected
    assert len(expected) == 4 + 3


def runs_color(demo: Locator) -> str:
    """The colour of the first saved run of `demo`."""
    return demo.locator("[data-run]").first.get_attribute("data-color") or ""


def good_document() -> dict[str, Any]:
    run = {
        "color": "#0072B2",
        "model": "linear",
        "settings": {"step_size": 0.1, "proportional": True, "batch": None},
        "data_label": "<img src=x onerror=alert(1)> file.csv",
        "samples": 3,
        "iteration": 2,
        "params": {"w": 1.5, "b": -0.5},
        "average_loss": 0.25,
        "curve": {"iterations": [0, 1, 2], "losses": [4.0, 1.0, 0.25]},
    }
    return {"format": "explainer-runs", "version": 2, "demo": "full", "runs": [run]}


def bad_documents() -> list[tuple[str, str]]:
    """Files that must be refused: (contents, the reason given)."""
    cases: list[tuple[str, str]] = [("this is not json", "it is not a JSON file.")]

    def changed(change: Any, reason: str) -> None:
        document = good_document()
        change(document)
        cases.append((json.dumps(document), reason))

    run = "run 1:"
    changed(
        lambda d: d.update(format="x"),
        'it is not an export of saved runs (format "explainer-runs").',
    )
    changed(lambda d: d.update(version=3), "its version (3) is not one this page reads (1 to 2).")
    changed(
        lambda d: d.update(version="2"), 'its version ("2") is not one this page reads (1 to 2).'
    )
    changed(
        lambda d: d.update(demo="sgd"), 'it holds the runs of "sgd", not of this demo ("full").'
    )
    changed(lambda d: d.update(runs=[]), "runs must hold from 1 to 50 items, not 0.")
    changed(lambda d: d.update(runs=d["runs"] * 51), "runs must hold from 1 to 50 items, not 51.")
    changed(lambda d: d.update(extra=True), 'the file has an unknown field "extra".')
    changed(lambda d: d["runs"][0].update(runs=1), 'run 1 has an unknown field "runs".')
    changed(lambda d: d["runs"][0].pop("curve"), 'run 1 has no "curve".')
    changed(
        lambda d: d["runs"][0].update(average_loss="0.25"),
        f"{run} average_loss must be a finite number.",
    )
    changed(
        lambda d: d["runs"][0]["curve"]["losses"].__setitem__(1, None),
        f"{run} curve.losses[1] must be a finite number.",
    )
    changed(
        lambda d: d["runs"][0]["settings"].update(step_size=0),
        f"{run} settings.step_size must be a number greater than 0 and at most 1000000.",
    )
    changed(
        lambda d: d["runs"][0].update(color="red"), f"{run} color must be a colour like #0072B2."
    )
    changed(
        lambda d: d["runs"][0]["curve"].update(iterations=[0, 2, 1]),
        f"{run} curve.iterations must increase.",
    )
    changed(
        lambda d: d["runs"][0]["curve"].update(iterations=list(range(10_001))),
        f"{run} curve.iterations must hold from 1 to 10,000 items, not 10001.",
    )
    changed(
        lambda d: d["runs"][0].update(data_label="x" * 501),
        f"{run} data_label is longer than 500 characters.",
    )
    # Infinity cannot be written in JSON, but an overflowing number reads as Infinity.
    overflow = json.dumps(good_document()).replace('"average_loss": 0.25', '"average_loss": 1e999')
    cases.append((overflow, f"{run} average_loss must be a finite number."))
    return cases


def test_a_bad_file_is_refused_and_nothing_changes(
    guarded_page: Page, contract_site: str, tmp_path: Path
) -> None:
    demo = open_demo(guarded_page, contract_site, "everything", "full")
    steps(demo, 1)
    demo.locator('[data-action="save-run"]').click()
    expect(demo.locator("[data-run]")).to_have_count(1)
    before = listed(demo)
    error = demo.locator("[data-error]")
    for number, (contents, reason) in enumerate(bad_documents()):
        path = tmp_path / f"bad-{number}.json"
        path.write_text(contents, encoding="utf-8")
        demo.locator('[data-control="import-runs"]').set_input_files(str(path))
        expect(error).to_have_text(f"Could not import bad-{number}.json: {reason}")
        assert listed(demo) == before
    # A good file afterwards clears the message; its text reaches the page only as text.
    good = tmp_path / "good.json"
    taken = good_document()
    taken["runs"][0]["color"] = listed_color = runs_color(demo)
    good.write_text(json.dumps(taken), encoding="utf-8")
    demo.locator('[data-control="import-runs"]').set_input_files(str(good))
    runs = demo.locator("[data-run]")
    expect(runs).to_have_count(2)
    expect(error).to_have_text("")
    expect(runs.last).to_contain_text("data: <img src=x onerror=alert(1)> file.csv")
    expect(demo.locator("[data-runs] img")).to_have_count(0)
    # The imported run's colour was taken (by the run saved first): it gets the next free one.
    assert listed_color == "#D55E00"
    assert runs.last.get_attribute("data-color") == "#009E73"
