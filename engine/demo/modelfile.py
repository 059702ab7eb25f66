"""Author models at build time: load `content/models/<name>.py` as the browser will import it,
and check it against the model protocol and on each demo's data, every problem at its line.

The file is executed once per post that uses it, under the module name the runtime imports
(`explainer_models.<name>`), from the very bytes that are packed into the runtime wheel.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import re
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ErrorLog, quoted
from engine.runtime.authored import PACKAGE, SIGNATURES, AuthorModel, ModelError, module_name
from engine.runtime.data import Dataset, dataset
from engine.runtime.models import initial_params
from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

NUMPY_ON_SELF_HOSTED = (
    "this model imports numpy, which the self-hosted Pyodide has no wheel for; "
    'write it in plain Python, or set pyodide = "cdn" in [tool.explainer]'
)
_PATH = re.compile(r"models/[^/\\]+\.py")
# What an author's code may raise and the build reports at its line: any exception, and
# SystemExit (a model calling sys.exit), which is not one. Ctrl+C still stops the build.
AUTHOR_ERRORS = (Exception, SystemExit)


@dataclass(frozen=True)
class ModelFile:
    """An author's model file as the build checked it: what the runtime wheel carries."""

    name: str  # as demos name it: "models/quadratic.py"
    module: str  # "explainer_models.quadratic"
    source: bytes
    filename: str  # the absolute path tracebacks name
    numpy_line: int  # the line of its first numpy import, 0 when there is none
    description: str  # the module docstring

    @property
    def wheel_path(self) -> str:
        """Where the file goes in the wheel: `explainer_models/quadratic.py`."""
        return self.module.replace(".", "/") + ".py"


@dataclass(frozen=True)
class LoadedModel:
    """A model file executed in CPython, with its syntax tree for finding lines."""

    file: ModelFile
    model: AuthorModel
    tree: ast.Module

    def line_of(self, error: BaseException, attribute: str = "") -> int:
        """The model-file line of `error`: its deepest frame in the file, else where
        `attribute` is defined, else 1."""
        return traceback_line(error, self.file.filename) or defined_at(self.tree, attribute)


def name_problem(name: str) -> str:
    """What is wrong with a model name ending in .py, or an empty string."""
    if not _PATH.fullmatch(name):
        return (
            'an author model is named "models/<file>.py" (a file in content/models/), '
            f"got {quoted(name)}"
        )
    if module_name(name) is None:
        return (
            f"model file name {quoted(name.removeprefix('models/'))} must be a Python module name: "
            'letters, digits and "_", starting with a letter'
        )
    return ""


def load(name: str, path: Path, pyodide: str, log: ErrorLog) -> LoadedModel | None:
    """Execute the model file at `path` as `explainer_models.<name>`; problems go to `log`."""
    source = path.read_bytes()
    filename = str(path.resolve())
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as error:
        log.add(error.lineno or 1, f"syntax error: {error.msg}")
        return None
    numpy_line = numpy_import_line(tree)
    if numpy_line and pyodide == "self":
        log.add(numpy_line, NUMPY_ON_SELF_HOSTED)
        return None
    module = module_name(name)
    assert module is not None, name
    try:
        loaded = _execute(module, filename, tree)
    except AUTHOR_ERRORS as error:
        line = traceback_line(error, filename) or 1
        log.add(line, f"importing the model raised {_describe(error)}")
        return None
    try:
        model = AuthorModel(name, loaded)
    except ModelError as error:
        log.add(defined_at(tree, error.attribute), str(error))
        return None
    file = ModelFile(name, module, source, filename, numpy_line, model.description)
    return LoadedModel(file, model, tree)


def _execute(module_name: str, filename: str, tree: ast.Module) -> types.ModuleType:
    """Run the module's code under its runtime name, registered in sys.modules.

    The code is compiled here rather than by the import system, so that no `__pycache__`
    appears in the author's content folder.
    """
    if PACKAGE not in sys.modules:
        package = types.ModuleType(PACKAGE, "The author models of the site being built.")
        package.__path__ = []
        sys.modules[PACKAGE] = package
    spec = importlib.util.spec_from_file_location(module_name, filename)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        exec(compile(tree, filename, "exec", dont_inherit=True), module.__dict__)
    except BaseException:
        del sys.modules[module_name]
        raise
    setattr(sys.modules[PACKAGE], module_name.rpartition(".")[2], module)
    return module


def trial(loaded: LoadedModel, settings: DemoSettings) -> tuple[int, str] | None:
    """Run the model on every sample of the demo's data from its starting parameters, then
    one training step; a written-out gradient is compared with the model's own before and
    after that step. The model-file line and message of the first problem, or None."""
    probe = _Probe(loaded.model)
    try:
        start = probe.samples(settings)
        probe.attribute, probe.where = "", ""
        trainer = Trainer(settings)
        trainer.state()
        trainer.step(1)
        trainer.state()
        for params, when in ((start, ""), (list(trainer.params.values()), "after one step")):
            mismatch = compare_gradients(loaded, params, dataset(settings.data), when)
            if mismatch:
                return mismatch
    except _Problem as problem:
        return defined_at(loaded.tree, probe.attribute), f"{problem}{probe.where}"
    except ModelError as error:
        return defined_at(loaded.tree, error.attribute), f"{error}{probe.where}"
    except AUTHOR_ERRORS as error:
        arguments = SIGNATURES.get(probe.attribute)
        what = f"{probe.attribute}({', '.join(arguments)})" if arguments else ""
        what = what or "a trial step on this demo's data"
        line = loaded.line_of(error, probe.attribute)
        return line, f"{what} raised {_describe(error)}{probe.where}"
    return None


class _Problem(Exception):
    """A number from the model that training cannot use."""


@dataclass
class _Probe:
    """Calls the model's functions sample by sample, remembering which call it is in."""

    model: AuthorModel
    attribute: str = ""
    where: str = ""

    def samples(self, settings: DemoSettings) -> list[float]:
        """predict, loss and gradient at every distinct sample; a _Problem for a bad
        number. The starting parameters."""
        model = self.model
        params = initial_params(model, settings.train.init)
        data = dataset(settings.data)
        gradient = "gradient" if model.has_gradient else "predict"
        call = "gradient(params, x, y)" if model.has_gradient else "the gradient of the loss"
        for x, y in zip(data.xs, data.ys, strict=True):
            self.where = f" (at x = {x:g}, y = {y:g})"
            self.attribute = "predict"
            _finite(model.predict(params, x), "predict(params, x)")
            self.attribute = "loss"
            loss = _finite(model.sample_loss(params, x, y), model.loss_call)
            if loss < 0:
                raise _Problem(f"{model.loss_call} returned {loss!r}; a loss is never negative")
            self.attribute = gradient
            values = model.sample_gradient(params, x, y)
            for name, value in zip(model.parameter_names, values, strict=True):
                _finite(value, f'{call} for "{name}"')
        return params


# A written-out gradient agrees with the automatic one when each value differs from it by
# less than RELATIVE of its size, or ABSOLUTE of the largest value seen (for values near 0).
RELATIVE, ABSOLUTE = 1e-6, 1e-9


def compare_gradients(
    loaded: LoadedModel, params: list[float], data: Dataset, when: str = ""
) -> tuple[int, str] | None:
    """The first sample where the model's written-out gradient disagrees with the gradient
    of its predict (and loss), as the line where the gradient gives that parameter and a
    message; None when they agree, or when there is nothing to compare."""
    model = loaded.model
    if not model.has_gradient:
        return None
    samples = list(zip(data.xs, data.ys, strict=True))
    try:
        automatic = model.automatic_gradients(params, samples)
    except AUTHOR_ERRORS:  # a model the engine cannot differentiate: trust it
        return None
    written = model.sample_gradients(params, samples)
    largest = max((abs(v) for row in (*automatic, *written) for v in row), default=0.0)
    names = model.parameter_names
    for (x, y), auto, hand in zip(samples, automatic, written, strict=True):
        for name, a, h in zip(names, auto, hand, strict=True):
            if abs(h - a) <= RELATIVE * max(abs(h), abs(a)) + ABSOLUTE * largest:
                continue
            where = f"at x = {x:g}, y = {y:g}" + (f", {when}" if when else "")
            return (
                gradient_line(loaded.tree, name),
                f'gradient for "{name}" disagrees with the model: {h:.6g} where '
                f"{_implies(model)} {a:.6g} ({where})",
            )
    return None


def _implies(model: AuthorModel) -> str:
    """What the automatic gradient comes from: "predict implies", "loss implies", ..."""
    if not model.has_loss:
        return "predict implies"
    return "loss implies" if model.loss_call == "loss(params, x, y)" else "predict and loss imply"


def gradient_line(tree: ast.Module, name: str) -> int:
    """The line where the module's `gradient` gives the value for parameter `name` (a dict
    key, an item assignment or a keyword argument), else the line of `def gradient`."""
    function = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name == "gradient"
        ),
        None,
    )
    if function is None:
        return defined_at(tree, "gradient")
    lines = []
    for node in ast.walk(function):
        if isinstance(node, ast.Dict):
            lines += [
                value.lineno
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == name
            ]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            if isinstance(node.slice, ast.Constant) and node.slice.value == name:
                lines.append(node.lineno)
        elif isinstance(node, ast.keyword) and node.arg == name:
            lines.append(node.value.lineno)
    return min(lines, default=function.lineno)


def _finite(value: float, call: str) -> float:
    """`value`, or a _Problem when it is not finite."""
    if not math.isfinite(value):
        raise _Problem(f"{call} returned {value!r}; it must be a finite number")
    return value


def numpy_import_line(tree: ast.Module) -> int:
    """The line of the first `import numpy` or `from numpy ... import`, 0 when none."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] == "numpy" for name in names):
            lines.append(node.lineno)
    return min(lines, default=0)


def defined_at(tree: ast.Module, name: str) -> int:
    """The line where the module defines `name` at top level (the last definition), else 1."""
    line = 1
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            targets = [node.name]
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        else:
            continue
        if name in targets:
            line = node.lineno
    return line


def traceback_line(error: BaseException, filename: str) -> int:
    """The line of the deepest frame of `error`'s traceback in `filename`, 0 when none."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return (frames[-1].lineno or 0) if frames else 0


def _describe(error: BaseException) -> str:
    """`ZeroDivisionError: division by zero`, or just the type when there is no message."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
