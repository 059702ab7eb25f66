"""Author models at build time: every mistake word for word at its line, the wheel, numpy."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from engine.assets import CDN, NODE_MODULES, pyodide_version, runtime_wheel
from engine.demo.modelfile import ModelFile, numpy_import_line
from engine.demo.preview import preview
from engine.demo.view import demo_view
from engine.runtime.contract import MAX_PARAMETERS, MAX_RUN_TEXT
from engine.runtime.trainer import Trainer

from .conftest import FRONT, Project

P = "content/posts/p.md"
M = "content/models/m.py"
USED = f'{P}:10: model file "models/m.py" could not be used (see above)'
FAILS = f'{P}:10: model file "models/m.py" fails on this demo\'s data (see above)'
GOOD = '''\
"""A parabola."""

PARAMETERS = {"a": 0.0, "b": 0.0, "c": 0.0}


def predict(params, x):
    return params["a"] * x * x + params["b"] * x + params["c"]


def gradient(params, x, y):
    error = predict(params, x) - y
    return {"a": 2 * error * x * x, "b": 2 * error * x, "c": 2 * error}
'''
NUMBER = r"-?[0-9.]+(e[-+][0-9]+)?"
HEAD = 'PARAMETERS = {"a": 0.0}\n\n\ndef predict(params, x):\n    return params["a"] * x\n'
GRADIENT = '\n\ndef gradient(params, x, y):\n    return {"a": 2 * (params["a"] * x - y) * x}\n'


def write(project: Project, model: str, demo: str = "model: models/m.py") -> None:
    """content/models/m.py, and a post whose one demo (YAML from line 10) uses it on
    content/posts/d.csv: the samples (1, 2) and (3, 4)."""
    project.file("content/models/m.py", model)
    project.file("content/posts/d.csv", "x,y\n1,2\n3,4\n")
    project.post("p", FRONT + f"\nIntro.\n\n```demo\n{demo}\ndata:\n  csv: d.csv\n```\n")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("PARAMETERS = {\n", [f"{M}:1: syntax error: '{{' was never closed", USED]),
        (
            "import math\n\nSCALE = 1 / 0\n",
            [f"{M}:3: importing the model raised ZeroDivisionError: division by zero", USED],
        ),
        (
            "def predict(params, x):\n    return x\n",
            [
                f"{M}:1: the model has no PARAMETERS: add a dict of parameter names and "
                'starting values, e.g. PARAMETERS = {"w": 0.0, "b": 0.0}',
                USED,
            ],
        ),
        (
            '"""Doc."""\nPARAMETERS = [0.0]\n',
            [
                f"{M}:2: PARAMETERS must be a dict of parameter names and starting values, "
                "got list",
                USED,
            ],
        ),
        (
            'PARAMETERS = {"a": "0"}\n',
            [
                f'{M}:1: the starting value of "a" in PARAMETERS must be a finite number, '
                "got '0'",
                USED,
            ],
        ),
        (
            '"""Too many for saved runs."""\n\nPARAMETERS = {'
            + ", ".join(f'"p{i}": 0.0' for i in range(MAX_PARAMETERS + 1))
            + "}\n",
            [
                f"{M}:3: PARAMETERS has {MAX_PARAMETERS + 1} parameters; a model may have at "
                f"most {MAX_PARAMETERS} (saved runs keep no more)",
                USED,
            ],
        ),
        (
            f'"""A name too long for saved runs."""\nPARAMETERS = {{"{"θ" * (MAX_RUN_TEXT + 1)}": 0.0}}\n',
            [
                f'{M}:2: parameter name "{"θ" * 20}…" has {MAX_RUN_TEXT + 1} characters; a name '
                f"may have at most {MAX_RUN_TEXT} (saved runs keep no longer names)",
                USED,
            ],
        ),
        (
            'PARAMETERS = {"a": 0.0}\n',
            [f"{M}:1: the model has no function predict(params, x)", USED],
        ),
        (
            'PARAMETERS = {"a": 0.0}\n\npredict = 3\n',
            [f"{M}:3: predict must be a function predict(params, x), got int", USED],
        ),
        (
            HEAD + "\n\ndef gradient(params, x):\n    return {}\n",
            [f"{M}:8: gradient must take three arguments: gradient(params, x, y)", USED],
        ),
        (
            HEAD + "\n\ndef gradient(params, x, y):\n    return {'a': 0.0, 'b': 1.0}\n",
            [
                f"{M}:8: gradient(params, x, y) must return exactly the keys of PARAMETERS "
                '(a): unknown "b" (at x = 1, y = 2)',
                FAILS,
            ],
        ),
        (
            HEAD + "\n\ndef gradient(params, x, y):\n    return [0.0]\n",
            [
                f"{M}:8: gradient(params, x, y) must return a dict of parameter name -> number, "
                "got list (at x = 1, y = 2)",
                FAILS,
            ],
        ),
        (
            HEAD + "\n\ndef gradient(params, x, y):\n    return {'a': 'steep'}\n",
            [
                f"{M}:8: gradient(params, x, y) for \"a\" returned 'steep'; it must be a number "
                "(at x = 1, y = 2)",
                FAILS,
            ],
        ),
        (
            HEAD + "\n\ndef gradient(params, x, y):\n    return {'a': float('nan')}\n",
            [
                f'{M}:8: gradient(params, x, y) for "a" returned nan; it must be a finite '
                "number (at x = 1, y = 2)",
                FAILS,
            ],
        ),
        (
            'PARAMETERS = {"a": 0.0}\n\n\ndef predict(params, x):\n'
            "    slope = params['a'] / (x - 1)\n    return slope * x\n" + GRADIENT,
            [
                f"{M}:5: predict(params, x) raised ZeroDivisionError: float division by zero "
                "(at x = 1, y = 2)",
                FAILS,
            ],
        ),
        (
            'PARAMETERS = {"a": 0.0}\n\n\ndef predict(params, x):\n    return float("inf")\n'
            + GRADIENT,
            [
                f"{M}:4: predict(params, x) returned inf; it must be a finite number "
                "(at x = 1, y = 2)",
                FAILS,
            ],
        ),
        (
            HEAD + GRADIENT + "\n\ndef loss(prediction, y):\n    return prediction - y\n",
            [
                f"{M}:12: loss(prediction, y) returned -2.0; a loss is never negative "
                "(at x = 1, y = 2)",
                FAILS,
            ],
        ),
        (
            # Fine at the starting parameters; the first step moves "a" and predict raises.
            'PARAMETERS = {"a": 0.0}\n\n\ndef predict(params, x):\n    if params["a"]:\n'
            '        raise RuntimeError("only zero")\n    return 0.0\n' + GRADIENT,
            [
                f"{M}:6: a trial step on this demo's data raised RuntimeError: only zero",
                FAILS,
            ],
        ),
    ],
)
def test_a_broken_model_is_reported_at_its_line(
    project: Project, model: str, expected: list[str]
) -> None:
    write(project, model)
    assert project.errors() == expected


@pytest.mark.parametrize(
    ("demo", "expected"),
    [
        (
            "model: models/x.py",
            f'{P}:10: model file "models/x.py" not found (looked for content/models/x.py)',
        ),
        (
            "model: m.py",
            f'{P}:10: an author model is named "models/<file>.py" (a file in content/models/), '
            'got "m.py"',
        ),
        (
            "model: models/my-model.py",
            f'{P}:10: model file name "my-model.py" must be a Python module name: '
            'letters, digits and "_", starting with a letter',
        ),
        ("model: m", f'{P}:10: unknown model "m" (did you mean "models/m.py"?)'),
        (
            "model: cubic",
            f'{P}:10: unknown model "cubic" '
            '(the built-in model is "linear"; a model of your own is "models/<file>.py")',
        ),
        (
            "model: models/m.py\ntrain:\n  init: {a: 1, w: 2}",
            f'{P}:12: model "models/m.py" has no parameter "w" (its parameters: a, b, c)',
        ),
    ],
)
def test_a_wrong_model_name_or_parameter_is_reported_in_the_post(
    project: Project, demo: str, expected: str
) -> None:
    write(project, GOOD, demo)
    assert project.errors() == [expected]


def test_numpy_is_refused_on_the_self_hosted_pyodide(project: Project) -> None:
    write(project, '"""Uses numpy."""\n\nimport numpy as np\n' + HEAD + GRADIENT)
    assert project.errors() == [
        f"{M}:3: this model imports numpy, which the self-hosted Pyodide has no wheel for; "
        'write it in plain Python, or set pyodide = "cdn" in [tool.explainer]',
        USED,
    ]


def test_numpy_imports_are_found_anywhere_in_the_file() -> None:
    def line(source: str) -> int:
        return numpy_import_line(ast.parse(source))

    assert line("import math\nimport numpy\n") == 2
    assert line("import os, numpy.linalg as la\n") == 1
    assert line("def f():\n    from numpy import exp\n") == 2
    assert line("import numpyro\nfrom numpy_financial import x\nfrom . import numpy\n") == 0


def wheel_files(site: Path) -> dict[str, bytes]:
    (wheel,) = site.glob("assets/runtime-*/*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def lockfile(site: Path) -> dict[str, Any]:
    (lock,) = site.glob("assets/runtime-*/pyodide-lock.json")
    data: dict[str, Any] = json.loads(lock.read_text())
    return data


def test_the_wheel_carries_the_model_and_stays_deterministic(project: Project) -> None:
    write(project, GOOD)
    project.build()
    files = wheel_files(project.root / "site")
    assert files["explainer_models/m.py"] == GOOD.encode()
    assert b"explainer_models/m.py,sha256=" in files["explainer_runtime-0.1.0.dist-info/RECORD"]
    assert files["explainer_runtime-0.1.0.dist-info/top_level.txt"] == b"engine\nexplainer_models\n"
    first = next((project.root / "site").glob("assets/runtime-*/*.whl")).read_bytes()
    project.build()
    assert next((project.root / "site").glob("assets/runtime-*/*.whl")).read_bytes() == first
    assert not (project.content / "models" / "__pycache__").exists()
    assert lockfile(project.root / "site")["packages"]["explainer-runtime"]["depends"] == []


def test_a_changed_model_changes_the_wheel(project: Project) -> None:
    model = ModelFile("models/m.py", "explainer_models.m", GOOD.encode(), "/m.py", 0, "")
    changed = ModelFile(
        "models/m.py", "explainer_models.m", b"# new\n" + GOOD.encode(), "/m.py", 0, ""
    )
    assert runtime_wheel([model]) == runtime_wheel([model, model])
    assert runtime_wheel([model]) != runtime_wheel([changed])
    without = zipfile.ZipFile(io.BytesIO(runtime_wheel())).namelist()
    assert not any(name.startswith("explainer_models/") for name in without)


def test_a_numpy_model_on_the_cdn_depends_on_pyodides_numpy(project: Project) -> None:
    project.file("pyproject.toml", '[tool.explainer]\npyodide = "cdn"\n')
    write(project, "import numpy\n\n" + HEAD + GRADIENT)
    project.build()
    site = project.root / "site"
    metadata = wheel_files(site)["explainer_runtime-0.1.0.dist-info/METADATA"]
    assert b"\nRequires-Dist: numpy\n" in metadata
    packages = lockfile(site)["packages"]
    npm = json.loads((NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    cdn = CDN.format(version=pyodide_version())
    assert packages["explainer-runtime"]["depends"] == ["numpy"]
    assert packages["numpy"]["file_name"] == cdn + npm["numpy"]["file_name"]
    assert packages["numpy"]["sha256"] == npm["numpy"]["sha256"]
    assert set(packages) == {*npm, "explainer-runtime"}
    others = [p["file_name"] for name, p in packages.items() if name != "explainer-runtime"]
    assert all(name.startswith(cdn) for name in others)


def test_check_runs_author_model_demos(project: Project) -> None:
    write(project, GOOD)
    done = subprocess.run(
        [sys.executable, "-m", "engine", "check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    line, summary = done.stdout.splitlines()
    assert re.fullmatch(
        rf'{P}:9: demo "demo-1": 50 iterations, average loss from 10 to {NUMBER}; '
        rf"a = {NUMBER}, b = {NUMBER}, c = {NUMBER}",
        line,
    )
    assert summary == "checked 1 posts and 1 demos (50 steps each): all fine"


def test_check_names_the_model_line_of_a_later_failure(project: Project) -> None:
    # Fine for the trial step; raises once "a" has grown past 1.
    predict = '    if params["a"] > 1:\n        raise RuntimeError("too steep")\n    return params["a"] * x\n'
    write(project, 'PARAMETERS = {"a": 0.0}\n\n\ndef predict(params, x):\n' + predict + GRADIENT)
    done = subprocess.run(
        [sys.executable, "-m", "engine", "check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr == (
        f'{P}:9: demo "demo-1" raised RuntimeError: too steep (at {M}:6) '
        "during its default run of 200 steps\n1 error\n"
    )
    assert project.errors() == [
        f'{P}:9: demo "demo-1" raised RuntimeError: too steep (at {M}:6) '
        "during its default run of 200 steps"
    ]


@pytest.mark.parametrize("command", [["build", "--no-snapshot"], ["check"]])
def test_a_model_that_exits_during_the_default_run_is_an_error_at_its_line(
    project: Project, command: list[str]
) -> None:
    """SystemExit is no Exception: a model that calls sys.exit must not end the build."""
    predict = '    if params["a"] > 1:\n        raise SystemExit(3)\n    return params["a"] * x\n'
    write(project, 'PARAMETERS = {"a": 0.0}\n\n\ndef predict(params, x):\n' + predict + GRADIENT)
    done = subprocess.run(
        [sys.executable, "-m", "engine", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (
        1,
        f'{P}:9: demo "demo-1" raised SystemExit: 3 (at {M}:6) '
        "during its default run of 200 steps\n1 error\n",
    )


def test_the_docstring_is_the_models_description(project: Project) -> None:
    write(project, GOOD)
    (block,) = project.build().pages[0].demos
    assert block.parameters == ("a", "b", "c")
    assert block.model_file is not None and block.model_file.description == "A parabola."
    assert demo_view(block, preview(block)).model_description == "A parabola."


ONLY_PREDICT = 'PARAMETERS = {"w": 0.0, "b": 0.0}\n\n\ndef predict(params, x):\n    return params["w"] * x + params["b"]\n'
WRONG_SIGN = (
    ONLY_PREDICT
    + "\n\ndef gradient(params, x, y):\n    r = predict(params, x) - y\n    return {\n"
    + '        "w": 2 * r * x,\n        "b": -2 * r,\n    }\n'
)


def test_a_model_of_only_its_prediction_builds_and_trains(project: Project) -> None:
    write(project, ONLY_PREDICT)
    (block,) = project.build().pages[0].demos
    trainer = Trainer(block.settings)
    start = trainer.average_loss
    trainer.step(200)
    assert trainer.average_loss < 0.1 * start
    assert wheel_files(project.root / "site")["explainer_models/m.py"] == ONLY_PREDICT.encode()


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            WRONG_SIGN,
            f'{M}:12: gradient for "b" disagrees with the model: 4 where predict implies -4 '
            "(at x = 1, y = 2)",
        ),
        (
            # Item by item, and right at the start (w = b = 0), wrong once w has moved.
            ONLY_PREDICT
            + "\n\ndef gradient(params, x, y):\n    g = {}\n"
            + '    g["w"] = 2 * (predict(params, x) - y) * x * (1 + params["w"])\n'
            + '    g["b"] = 2 * (predict(params, x) - y)\n    return g\n',
            # after one step (of 0.01, by this gradient) w = 0.14 and b = 0.06
            f'{M}:10: gradient for "w" disagrees with the model: -4.104 where predict implies '
            "-3.6 (at x = 1, y = 2, after one step)",
        ),
        (
            ONLY_PREDICT
            + "\n\ndef loss(prediction, y):\n    return (prediction - y) ** 4\n"
            + "\n\ndef gradient(params, x, y):\n    r = predict(params, x) - y\n"
            + "    return dict(w=2 * r * x, b=2 * r)\n",
            f'{M}:14: gradient for "w" disagrees with the model: -4 where predict and loss '
            "imply -32 (at x = 1, y = 2)",
        ),
        (
            ONLY_PREDICT
            + '\n\ndef loss(params, x, y):\n    return abs(params["w"] * x + params["b"] - y)\n'
            + '\n\ndef gradient(params, x, y):\n    return {"w": x, "b": 1.0}\n',
            f'{M}:13: gradient for "w" disagrees with the model: 1 where loss implies -1 '
            "(at x = 1, y = 2)",
        ),
    ],
)
def test_a_gradient_that_disagrees_with_the_model_is_refused_at_its_line(
    project: Project, model: str, expected: str
) -> None:
    write(project, model)
    assert project.errors() == [expected, FAILS]


def test_a_wrong_sign_fails_build_and_check(project: Project) -> None:
    write(project, WRONG_SIGN)
    message = (
        f'{M}:12: gradient for "b" disagrees with the model: 4 where predict implies -4 '
        f"(at x = 1, y = 2)\n{FAILS}\n2 errors\n"
    )
    for command in ("build", "check"):
        done = subprocess.run(
            [sys.executable, "-m", "engine", command], capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stderr) == (1, message), command
