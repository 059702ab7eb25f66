"""Every demo-block mistake is reported word for word at its own line (body starts on line 10)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

P = "content/posts/p.md"
SHOW = "; show lists any of samples, iteration, total_loss, average_loss, effective_step, parameters, fit_chart, loss_chart, runs"
CONTROLS = "; controls lists any of play, step, reset, step_size, proportional, double_samples, save_run, upload_csv"
Errors = Callable[[str], list[str]]


@pytest.mark.parametrize(
    ("yaml_body", "expected"),
    [
        ("modle: linear", f'{P}:10: unknown demo option "modle" (did you mean "model"?)'),
        (
            "show: [samples, sampels]",
            f'{P}:10: unknown demo option "sampels" (did you mean "samples"?){SHOW}',
        ),
        (
            "show:\n  - iteration\n  - totl_loss",
            f'{P}:12: unknown demo option "totl_loss" (did you mean "total_loss"?){SHOW}',
        ),
        (
            "controls: [play, stepp]",
            f'{P}:10: unknown demo option "stepp" (did you mean "step"?){CONTROLS}',
        ),
        ("controls: [play, zoom]", f'{P}:10: unknown demo option "zoom"{CONTROLS}'),
        (
            "controls: [play, pause]",
            f'{P}:10: unknown demo option "pause"{CONTROLS}; "play" is one button that '
            "toggles between play and pause",
        ),
        ("model: lineer", f'{P}:10: unknown model "lineer" (did you mean "linear"?)'),
        (
            "train:\n  step_size: fast",
            f'{P}:11: demo option "step_size" must be a number greater than 0 and at most 1000000, got "fast"',
        ),
        (
            "train:\n  step_size: -1",
            f'{P}:11: demo option "step_size" must be a number greater than 0 and at most 1000000, got "-1"',
        ),
        (
            "train:\n  proportional: maybe",
            f'{P}:11: demo option "proportional" must be true or false, got "maybe"',
        ),
        (
            "train:\n  batch: half",
            f'{P}:11: demo option "batch" must be "full" or a whole number from 1 to 1000000, got "half"',
        ),
        ("train:\n  sead: 3", f'{P}:11: unknown demo option "sead" (did you mean "seed"?)'),
        (
            "train:\n  init: {w: 1, c: 2}",
            f'{P}:11: model "linear" has no parameter "c" (its parameters: w, b)',
        ),
        (
            "data:\n  synthetic: {n: 0}",
            f'{P}:11: demo option "n" must be a whole number at least 1 and at most 1000000, got "0"',
        ),
        (
            "data:\n  synthetic:\n    n: 10\n    x_min: 5\n    x_max: 1",
            f'{P}:14: "x_max" must be greater than "x_min"',
        ),
        (
            "data:\n  sythetic: {n: 3}",
            f'{P}:11: unknown demo option "sythetic" (did you mean "synthetic"?)',
        ),
        (
            "data:\n  synthetic: {n: 3}\n  csv: a.csv",
            f'{P}:11: demo option "data" needs exactly one of "synthetic" or "csv"',
        ),
        (
            "id: 9lives",
            f'{P}:10: demo id "9lives" must start with a letter and use only letters, digits, "-" and "_"',
        ),
        (
            "show: samples: 3",
            f'{P}:10: invalid YAML: this value holds ": ", which YAML reads as another key: '
            'put the value in quotes, e.g. show: "samples: 3"',
        ),
        ("- play\n- step", f"{P}:10: a demo block must be a mapping of options"),
        ("model: linear\nmodel: linear", f'{P}:11: "model" is given twice (first on line 10)'),
        ("show: [samples, samples]", f'{P}:10: "samples" is listed twice in show'),
        ("show: {a: 1}", f'{P}:10: demo option "show" must be a list, got a mapping'),
    ],
)
def test_message_and_line(demo_errors: Errors, yaml_body: str, expected: str) -> None:
    assert demo_errors(yaml_body) == [expected]


def test_all_mistakes_of_a_block_are_reported_together(demo_errors: Errors) -> None:
    errors = demo_errors("modle: linear\ntrain:\n  step_size: 0\nshow: [fit_chrt]")
    assert errors == [
        f'{P}:10: unknown demo option "modle" (did you mean "model"?)',
        f'{P}:12: demo option "step_size" must be a number greater than 0 and at most 1000000, got "0"',
        f'{P}:13: unknown demo option "fit_chrt" (did you mean "fit_chart"?){SHOW}',
    ]


def test_missing_csv_names_where_it_looked(demo_errors: Errors) -> None:
    assert demo_errors("data:\n  csv: data/none.csv") == [
        f'{P}:11: CSV file "data/none.csv" not found (looked for '
        "content/posts/data/none.csv and content/data/none.csv)"
    ]


def test_broken_csv_points_into_the_csv_file(project, demo_errors: Errors) -> None:
    project.file("content/data/bad.csv", "x,y\n1,2\n3,oops\n")
    errors = demo_errors("data:\n  csv: data/bad.csv")
    assert errors[0].startswith("content/data/bad.csv:3: ")
    assert errors[1] == f'{P}:11: CSV file "data/bad.csv" could not be read (see above)'


def test_duplicate_ids_on_one_page(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n"
        "```demo\nid: one\n```\n\n```demo\nid: one\n```\n",
    )
    assert project.errors() == [f'{P}:10: duplicate demo id "one" (first used on line 6)']


def test_default_ids_count_demos_in_page_order(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\n```\n\n```demo\nid: x\n```\n\n```demo\n```\n",
    )
    result = project.build()
    assert [d.id for d in result.pages[0].demos] == ["demo-1", "x", "demo-3"]


def test_unclosed_demo_block(project) -> None:
    project.post(
        "p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\ntext\n\n```demo\nmodel: linear\n"
    )
    assert project.errors() == [f"{P}:8: this demo block is never closed: add a closing ``` line"]


def test_demo_inside_another_fence_stays_code(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n"
        "````markdown\n```demo\nmodle: x\n```\n````\n",
    )
    result = project.build()
    assert result.pages[0].demos == ()
    html = (project.root / "site/posts/p/index.html").read_text()
    assert "modle: x" in html and "data-demo=" not in html


def test_options_become_typed_settings(project) -> None:
    project.post(
        "p",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\nid: d\ntrain:\n"
        "  step_size: 1e-3\n  proportional: yes\n  batch: 8\n  seed: 3\n  init: {w: 1.5}\n"
        "data:\n  synthetic: {n: 40, noise: 0.5}\nshow: [iteration]\ncontrols: [play]\n```\n",
    )
    demo = project.build().pages[0].demos[0]
    assert demo.settings.train.step_size == 0.001
    assert demo.settings.train.proportional is True
    assert demo.settings.train.batch == 8
    assert demo.settings.train.init == {"w": 1.5}
    assert demo.settings.data.n == 40 and demo.settings.data.noise == 0.5
    assert (demo.show, demo.controls, demo.line) == (("iteration",), ("play",), 6)


HEAD = "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n"


def test_an_indented_demo_fence_is_refused_not_shown_as_text(project) -> None:
    project.post("p", HEAD + "text\n\n  ```demo\n  id: x\n  ```\n")
    assert project.errors() == [
        f"{P}:8: this demo fence is indented, so Markdown shows it as text: "
        "start its ``` at the beginning of the line"
    ]


def test_a_demo_fence_in_an_indented_code_block_stays_code(project) -> None:
    project.post("p", HEAD + "An example:\n\n    ```demo\n    id: x\n    ```\n")
    result = project.build()
    assert result.pages[0].demos == ()
    html = (project.root / "site/posts/p/index.html").read_text()
    assert "<code>```demo\nid: x" in html and "data-demo=" not in html


def test_a_demo_closes_only_with_its_own_fence_as_markdown_reads_it(project) -> None:
    """Python-Markdown closes a fence only with the same fence: a longer one does not
    close it, so the block is reported as never closed rather than half read."""
    project.post("p", HEAD + "```demo\nid: x\n````\n")
    assert project.errors() == [f"{P}:6: this demo block is never closed: add a closing ``` line"]
    project.post("p", HEAD + "~~~demo\nid: x\n~~~\n\n```.demo\nid: y\n```\n")
    assert [d.id for d in project.build().pages[0].demos] == ["x", "y"]
