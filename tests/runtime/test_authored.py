"""Author models: the adapter from a module of plain functions to the trainer's `Model`."""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Iterator
from types import ModuleType

import pytest

from engine.runtime.authored import (
    PACKAGE,
    AuthorModel,
    ModelError,
    load_author_model,
    module_name,
)
from engine.runtime.models import get_model, naive_total_loss
from engine.runtime.spec import DemoSettings, SyntheticData, TrainSettings
from engine.runtime.trainer import Trainer

QUADRATIC = '''
"""Quadratic fit: y = a·x² + b·x + c."""

PARAMETERS = {"a": 0.0, "b": 0.0, "c": 0.0}

def predict(params, x):
    return params["a"] * x * x + params["b"] * x + params["c"]

def gradient(params, x, y):
    error = predict(params, x) - y
    return {"a": 2 * error * x * x, "b": 2 * error * x, "c": 2 * error}
'''
# The built-in line, written as an author would write it.
LINE = """
PARAMETERS = {"w": 0.0, "b": 0.0}

def predict(params, x):
    return params["w"] * x + params["b"]

def gradient(params, x, y):
    r = params["w"] * x + params["b"] - y
    return {"w": 2.0 * r * x, "b": 2.0 * r}
"""
ABSOLUTE = """
PARAMETERS = {"m": 1.0}

def predict(params, x):
    return params["m"] * x

def loss(prediction, y):
    return abs(prediction - y)

def gradient(params, x, y):
    return {"m": (1.0 if params["m"] * x > y else -1.0) * x}
"""


def module(source: str, name: str = "test_model") -> ModuleType:
    """A module made from `source`, as the importer would make it."""
    made = ModuleType(f"{PACKAGE}.{name}")
    exec(textwrap.dedent(source), made.__dict__)
    return made


@pytest.fixture
def installed() -> Iterator[dict[str, ModuleType]]:
    """Modules put in sys.modules under `explainer_models.<name>` for the test's length."""
    added: dict[str, ModuleType] = {}
    yield added
    for name in added:
        sys.modules.pop(f"{PACKAGE}.{name}", None)


def install(installed: dict[str, ModuleType], name: str, source: str) -> None:
    installed[name] = sys.modules[f"{PACKAGE}.{name}"] = module(source, name)


def test_module_names() -> None:
    assert module_name("models/quadratic.py") == "explainer_models.quadratic"
    assert module_name("models/my_model2.py") == "explainer_models.my_model2"
    for name in (
        "linear",
        "quadratic.py",
        "models/my-model.py",
        "models/a/b.py",
        "models/2x.py",
        "models/__init__.py",
    ):
        assert module_name(name) is None


def test_the_adapter_speaks_the_model_protocol() -> None:
    model = AuthorModel("models/quadratic.py", module(QUADRATIC))
    assert model.name == "models/quadratic.py"
    assert model.description == "Quadratic fit: y = a·x² + b·x + c."
    assert model.parameter_names == ("a", "b", "c")
    assert model.defaults == (0.0, 0.0, 0.0)
    assert model.predict([1.0, 2.0, 3.0], 2.0) == 11.0
    assert model.sample_gradient([1.0, 2.0, 3.0], 2.0, 10.0) == [8.0, 4.0, 2.0]
    assert model.sample_loss([1.0, 2.0, 3.0], 2.0, 10.0) == 1.0  # squared error by default
    assert model.has_gradient and not model.has_loss


def test_an_authors_loss_is_used_for_the_total() -> None:
    model = AuthorModel("models/absolute.py", module(ABSOLUTE))
    data = Trainer(DemoSettings(data=SyntheticData(n=5))).data
    expected = math.fsum(abs(x - y) for x, y in zip(data.xs, data.ys, strict=True))
    assert naive_total_loss(model, [1.0], data) == expected


def test_an_author_line_trains_exactly_like_the_built_in_one(installed) -> None:
    install(installed, "line", LINE)
    data = SyntheticData(n=30, slope=2.0, intercept=3.0, noise=1.5, x_min=-5, x_max=5)
    built_in = Trainer(DemoSettings(data=data, train=TrainSettings(step_size=0.01)))
    authored = Trainer(
        DemoSettings(model="models/line.py", data=data, train=TrainSettings(step_size=0.01))
    )
    built_in.step(300)
    authored.step(300)
    for name in ("w", "b"):
        assert math.isclose(authored.params[name], built_in.params[name], rel_tol=1e-9)
    assert math.isclose(authored.average_loss, built_in.average_loss, rel_tol=1e-9)


def test_every_trainer_feature_works_with_an_author_model(installed) -> None:
    install(installed, "quadratic", QUADRATIC)
    data = SyntheticData(n=20, x_min=-2, x_max=2)
    train = TrainSettings(step_size=0.01, proportional=True, batch=5, seed=3, init={"a": 1.0})
    trainer = Trainer(DemoSettings(model="models/quadratic.py", data=data, train=train))
    start = trainer.average_loss
    trainer.step(20)
    assert trainer.average_loss < start
    average = trainer.average_loss
    trainer.double_samples()
    assert trainer.samples == 40 and trainer.average_loss == average
    trainer.load_csv("x,y\n-1,1\n0,0\n1,1\n", "cup.csv")
    assert trainer.params == {"a": 1.0, "b": 0.0, "c": 0.0} and trainer.average_loss == 0.0
    run = trainer.save_run()
    assert run["model"] == "models/quadratic.py" and run["params"]["a"] == 1.0
    fit = trainer.state()["fit"]
    assert len(fit["xs"]) == 64 and fit["ys"][0] == 1.0 and fit["ys"][-1] == 1.0


def test_the_runtime_imports_the_model_by_name(installed) -> None:
    install(installed, "quadratic", QUADRATIC)
    model = get_model("models/quadratic.py")
    assert isinstance(model, AuthorModel) and model.parameter_names == ("a", "b", "c")
    assert load_author_model("linear") is None
    with pytest.raises(ValueError, match=r'^model "models/absent.py" is not part of this site'):
        get_model("models/absent.py")


@pytest.mark.parametrize(
    ("source", "attribute", "message"),
    [
        (
            "def predict(params, x): return 0\ndef gradient(params, x, y): return {}",
            "PARAMETERS",
            "the model has no PARAMETERS: add a dict of parameter names and starting values, "
            'e.g. PARAMETERS = {"w": 0.0, "b": 0.0}',
        ),
        (
            'PARAMETERS = ["a"]',
            "PARAMETERS",
            "PARAMETERS must be a dict of parameter names and starting values, got list",
        ),
        (
            "PARAMETERS = {}",
            "PARAMETERS",
            "PARAMETERS is empty: the model needs at least one parameter",
        ),
        (
            'PARAMETERS = {"2a": 0.0}',
            "PARAMETERS",
            "parameter name '2a' must be a Python name (letters, digits and \"_\", "
            "not starting with a digit)",
        ),
        (
            'PARAMETERS = {"samples": 0.0}',
            "PARAMETERS",
            'parameter name "samples" is taken by a readout of the demo; choose another name',
        ),
        (
            'PARAMETERS = {"a": "zero"}',
            "PARAMETERS",
            "the starting value of \"a\" in PARAMETERS must be a finite number, got 'zero'",
        ),
        (
            'PARAMETERS = {"a": True}',
            "PARAMETERS",
            'the starting value of "a" in PARAMETERS must be a finite number, got True',
        ),
        ('PARAMETERS = {"a": 0}', "predict", "the model has no function predict(params, x)"),
        (
            'PARAMETERS = {"a": 0}\npredict = 3',
            "predict",
            "predict must be a function predict(params, x), got int",
        ),
        (
            'PARAMETERS = {"a": 0}\ndef predict(x): return x',
            "predict",
            "predict must take two arguments: predict(params, x)",
        ),
        (
            'PARAMETERS = {"a": 0}\ndef predict(params, x): return x\n'
            "def gradient(params, x, y): return {}\ndef loss(prediction): return 0",
            "loss",
            "loss must take two arguments, loss(prediction, y), or three, loss(params, x, y)",
        ),
        (
            'PARAMETERS = {"a": 0}\ndef predict(params, x): return x\nloss = 2',
            "loss",
            "loss must be a function loss(prediction, y), got int",
        ),
    ],
)
def test_a_module_that_breaks_the_protocol_is_refused(
    source: str, attribute: str, message: str
) -> None:
    with pytest.raises(ModelError) as refused:
        AuthorModel("models/m.py", module(source))
    assert (refused.value.attribute, str(refused.value)) == (attribute, message)


@pytest.mark.parametrize(
    ("gradient", "message"),
    [
        (
            "[0.0]",
            "gradient(params, x, y) must return a dict of parameter name -> number, got list",
        ),
        (
            '{"a": 0.0, "z": 1.0, 3: 0.0}',
            "gradient(params, x, y) must return exactly the keys of PARAMETERS (a, b): "
            'missing "b"; unknown "z", 3',
        ),
        (
            '{"a": 0.0, "b": "1"}',
            "gradient(params, x, y) for \"b\" returned '1'; it must be a number",
        ),
    ],
)
def test_a_gradient_of_the_wrong_shape_is_refused(gradient: str, message: str) -> None:
    source = 'PARAMETERS = {"a": 0, "b": 0}\ndef predict(params, x): return x\n'
    source += f"def gradient(params, x, y): return {gradient}"
    model = AuthorModel("models/m.py", module(source))
    with pytest.raises(ModelError) as refused:
        model.sample_gradient([0.0, 0.0], 1.0, 2.0)
    assert (refused.value.attribute, str(refused.value)) == ("gradient", message)


def test_a_prediction_that_is_not_a_number_is_refused() -> None:
    source = 'PARAMETERS = {"a": 0}\ndef predict(params, x): return None\n'
    source += 'def gradient(params, x, y): return {"a": 0.0}'
    model = AuthorModel("models/m.py", module(source))
    with pytest.raises(
        ModelError, match=r"^predict\(params, x\) returned None; it must be a number$"
    ):
        model.predict([0.0], 1.0)
