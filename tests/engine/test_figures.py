"""Static charts of each demo's default run, in the HTML before any script runs."""

from __future__ import annotations

import re

from engine.demo.figures import Axis, label, nice_ticks


def test_every_demo_chart_holds_a_static_figure(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\nid: d\n"
        "data:\n  synthetic: {n: 10, seed: 3}\n```\n",
    )
    project.build()
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    for chart in ("fit", "loss"):
        block = re.search(
            rf'data-chart="{chart}"><div class="static-figure"><svg[^>]*>(.*?)</svg>', html
        )
        assert block, chart
    assert html.count('<circle class="point"') == 10
    desc = re.findall(r"<desc>(.*?)</desc>", html)
    assert (
        desc[0]
        == "10 synthetic points (seed 3), with the model&#x27;s starting fit (w = 0, b = 0)."
    )
    assert re.fullmatch(
        r"With the default settings the average loss falls from [\d.]+ to [\d.]+ over 200 steps\.",
        desc[1],
    )


def test_a_diverging_default_run_says_so(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\ntrain:\n  step_size: 10\n```\n",
    )
    project.build()
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    assert re.search(
        r"<desc>With the default settings the average loss diverges after \d+ steps\.</desc>", html
    )


def test_ticks_and_labels() -> None:
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(-0.13, 0.52) == [0, 0.2, 0.4]
    assert Axis(1, 1000, 0, 300, log=True).ticks() == [1, 10, 100, 1000]
    assert [label(v) for v in (0, 0.0005, 25, 1e6, 3.14159)] == ["0", "5e-4", "25", "1e6", "3.142"]
    assert Axis(0, 10, 100, 200)(5) == 150
