"""Static charts of each demo's default run, in the HTML before any script runs."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.demo.block import DemoBlock
from engine.demo.figures import TIMES as T
from engine.demo.figures import (
    WIDTH,
    Axis,
    fit_chart,
    label,
    loss_chart,
    moving_mean,
    nice_ticks,
)
from engine.demo.preview import preview
from engine.runtime.spec import DemoSettings, TableData


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


def test_a_figure_block_is_a_still_chart_of_the_default_run(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```figure\nid: f\n"
        "data:\n  synthetic: {n: 10, seed: 3}\nshow: [loss_chart]\n```\n",
    )
    project.build()
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="post-figure" id="f">(.*?)</figure>', html, re.S)
    assert figure and "<svg" in figure.group(1)
    # The loss chart of a long default run, drawn twice: for wide columns, and for narrow
    # ones at about the size it is shown, so its labels stay readable on a phone.
    assert "over 2000 steps" in figure.group(1)
    assert figure.group(1).count("<svg") == 2
    assert 'viewBox="0 0 640 300"' in figure.group(1)
    assert 'viewBox="0 0 360 260"' in figure.group(1)
    # Over the jumpy curve, its mean over each hundred steps, in both drawings.
    assert figure.group(1).count('class="trend"') == 2
    assert "mean of each 100 steps" in figure.group(1)
    assert "data-demo" not in html and "demo.js" not in html  # nothing runs in the page


def test_moving_mean() -> None:
    assert moving_mean([1.0, 2.0, 3.0, 4.0], 2) == [1.5, 2.5, 3.5]
    assert moving_mean([5.0, 5.0, 5.0], 3) == [5.0]
    assert moving_mean([1.0], 2) == [] and moving_mean([1.0, 2.0], 0) == []


def test_a_diverging_default_run_is_a_warning_and_strict_makes_it_an_error(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\ntrain:\n  step_size: 10\n```\n",
    )
    warning = (
        'content/posts/p.md:6: warning: demo "demo-1" diverges after 2 steps of its default '
        "run of 200; on its data a step size of 0.01 or less is stable, not 10"
    )
    url = "https://example.org/"
    assert [str(w) for w in project.build(url=url).warnings] == [warning]
    assert project.errors(strict=True, url=url) == [warning]
    done = subprocess.run(
        [sys.executable, "-m", "engine", "build", "--strict", "--no-snapshot", "--url", url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, f"{warning}\n1 warning treated as errors\n")


def built_with_csv(project, text: str) -> str:
    """The page of a post whose one demo reads a CSV file of `text`, as built."""
    project.file("content/posts/d.csv", text)
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\ndata:\n  csv: d.csv\n```\n",
    )
    project.build()
    return str((project.root / "site/posts/p/index.html").read_text(encoding="utf-8"))


def test_a_csv_of_zero_and_a_denormal_builds(project) -> None:
    # Valid by the README's rules; its loss underflows to 0 and its y spans nothing.
    html = built_with_csv(project, "x,y\n0,2.2e-162\n")
    assert html.count("<svg") >= 2


def test_the_static_fit_chart_names_the_csv_columns(project) -> None:
    html = built_with_csv(project, "hours studied,<score>\n1,2\n2,4\n")
    assert '<text class="title"' in html
    titles = re.findall(r'<text class="title"[^>]*>([^<]*)</text>', html)
    assert titles[:2] == ["hours studied", "&lt;score&gt;"]
    assert '"columns":{"x":"hours studied","y":"\\u003cscore\\u003e"}' in html


EDGES = st.sampled_from([0.0, 5e-324, -5e-324, 2.2e-162, 1e-300, 1e-15, 3e-15, 1e100, -1e100])
VALUES = st.one_of(EDGES, st.floats(min_value=-1e100, max_value=1e100, allow_nan=False))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=5))
def test_static_figures_of_any_valid_data(rows: list[tuple[float, float]]) -> None:
    xs, ys = (tuple(column) for column in zip(*rows, strict=True))
    settings_ = DemoSettings(data=TableData("t.csv", xs, ys))
    block = DemoBlock("d", 1, settings_, ("fit_chart", "loss_chart"), (), ("w", "b"))
    try:
        view = preview(block)
    except ValueError as refused:  # squares past the largest float
        assert str(refused) == "the loss at the initial parameters is too large to compute"
        return
    for svg in view.figures.values():
        assert "nan" not in svg.lower() and "inf" not in svg.lower()
