"""Static charts of each demo's default run, in the HTML before any script runs."""

from __future__ import annotations

import re

from engine.demo.figures import TIMES as T
from engine.demo.figures import WIDTH, Axis, fit_chart, label, loss_chart, nice_ticks


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
    assert [label(v) for v in (0, 0.0005, 25, 1e6, 3.14159)] == [
        "0",
        f"5 {T} 10⁻⁴",
        "25",
        "1M",
        "3.14159",
    ]
    assert label(3.14159, 0.01) == "3.14"
    assert Axis(0, 10, 100, 200)(5) == 150


def _numbers(svg: str, attribute: str) -> list[float]:
    return [float(v) for v in re.findall(rf'\b{attribute}="(-?[\d.]+)"', svg)]


def test_a_fit_chart_of_tiny_x_labels_its_ticks_and_stays_inside() -> None:
    xs = [1e-15 + 2e-15 * i / 9 for i in range(10)]
    ys = [2.0 * i for i in range(10)]
    svg = fit_chart((xs, ys), (xs, ys), "tiny x")
    x_labels = re.findall(r'text-anchor="middle">([^<]+)</text>', svg)[:-1]  # less the title
    assert len(x_labels) >= 3
    assert "0" not in x_labels and len(set(x_labels)) == len(x_labels), x_labels
    assert x_labels[0] in ("10⁻¹⁵", f"1.2 {T} 10⁻¹⁵", f"1.5 {T} 10⁻¹⁵"), x_labels
    for value in _numbers(svg, "x1") + _numbers(svg, "x2") + _numbers(svg, "cx"):
        assert 0 <= value <= WIDTH, value
    assert 'clip-path="url(#fit-clip)"' in svg


def test_a_log_axis_below_a_thousandth_keeps_its_values() -> None:
    svg = loss_chart([0, 100, 200], [10.0, 1e-5, 1e-9], "falls")
    y_labels = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert "0" not in y_labels and "10⁻⁹" in y_labels and "10" in y_labels, y_labels


def test_an_exact_fit_draws_its_curve_down_to_the_floor() -> None:
    svg = loss_chart([0, 1, 2, 3], [4.0, 1e-25, 5e-324, 0.0], "exact")
    y_labels = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert y_labels[-1] == "10" and y_labels[0].startswith("10⁻²"), y_labels
    assert "nan" not in svg.lower() and "inf" not in svg.lower()


def test_large_values_use_short_labels() -> None:
    assert _labels_of([1_000_000, 1_500_000, 2_000_000]) == ["1.0M", "1.5M", "2.0M"]
    assert _labels_of([0, 5_000, 10_000, 15_000]) == ["0", "5k", "10k", "15k"]
    assert _labels_of([1e-15, 1.5e-15, 2e-15]) == ["10⁻¹⁵", f"1.5 {T} 10⁻¹⁵", f"2 {T} 10⁻¹⁵"]


def _labels_of(ticks: list[float]) -> list[str]:
    step, scale = ticks[1] - ticks[0], max(abs(t) for t in ticks)
    return [label(t, step, scale) for t in ticks]
