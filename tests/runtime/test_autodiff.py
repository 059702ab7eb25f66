"""Automatic differentiation: a model that is only its prediction gets its gradient, with
the values of plain float arithmetic and without the platform's maths library unless the
model itself calls it."""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from engine.runtime.authored import PACKAGE, AuthorModel, ModelError
from engine.runtime.autodiff import Dual, seeds
from engine.runtime.dualmath import MATH, follow_math
from engine.runtime.spec import DemoSettings, SyntheticData, TrainSettings
from engine.runtime.trainer import Trainer

ONLY_PREDICT = '''
"""A parabola, and nothing else."""

PARAMETERS = {"a": 0.0, "b": 0.0, "c": 0.0}

def predict(params, x):
    return params["a"] * x * x + params["b"] * x + params["c"]
'''
WRITTEN = (
    ONLY_PREDICT
    + """
def gradient(params, x, y):
    error = predict(params, x) - y
    return {"a": 2 * error * x * x, "b": 2 * error * x, "c": 2 * error}
"""
)


def module(source: str, name: str = "m") -> ModuleType:
    made = ModuleType(f"{PACKAGE}.{name}")
    exec(textwrap.dedent(source), made.__dict__)
    return made


@pytest.fixture
def installed() -> Iterator[Callable[[str, str], None]]:
    """Put model modules in sys.modules for the test's length."""
    names: list[str] = []

    def install(name: str, source: str) -> None:
        names.append(name)
        sys.modules[f"{PACKAGE}.{name}"] = module(source, name)

    yield install
    for name in names:
        sys.modules.pop(f"{PACKAGE}.{name}", None)


def central_difference(f: Callable[[float], float], at: float) -> float:
    h = 1e-6 * max(1.0, abs(at))
    return (f(at + h) - f(at - h)) / (2 * h)


def test_a_model_without_gradient_gets_the_one_it_would_write() -> None:
    automatic = AuthorModel("models/m.py", module(ONLY_PREDICT))
    written = AuthorModel("models/w.py", module(WRITTEN))
    assert not automatic.has_gradient and written.has_gradient
    samples = [(x / 7, 3 * x - 1.0) for x in range(-10, 11)]
    params = [0.5, -1.25, 2.0]
    ours = automatic.sample_gradients(params, samples)
    theirs = written.sample_gradients(params, samples)
    for a, b in zip(ours, theirs, strict=True):
        assert a == pytest.approx(b, rel=1e-14, abs=1e-14)


def test_it_trains_as_a_written_gradient_does(installed) -> None:
    installed("auto", ONLY_PREDICT)
    installed("hand", WRITTEN)
    data = SyntheticData(n=25, x_min=-2, x_max=2, seed=4)
    runs = []
    for name in ("auto", "hand"):
        trainer = Trainer(
            DemoSettings(model=f"models/{name}.py", data=data, train=TrainSettings(step_size=0.05))
        )
        start = trainer.average_loss
        trainer.step(300)
        assert trainer.average_loss < 0.2 * start
        runs.append(trainer)
    assert runs[0].params == pytest.approx(runs[1].params, rel=1e-9)


def test_dual_values_are_the_floats_plain_arithmetic_gives() -> None:
    a, b = seeds(("a", "b"), [0.1, 3.7]).values()
    x = 0.3
    expressions: list[Callable[[Any, Any], Any]] = [
        lambda a, b: a * x * x + b * x + 0.1,
        lambda a, b: 1 - a / b + x / b - 2 * b,
        lambda a, b: (a + b) ** 2 - b**3 + 2**a,
        lambda a, b: -a % 0.7 + abs(a - b) + (+b),
        lambda a, b: max(a, x) * min(b, 2.0) + sum([a, b, x]),
    ]
    for expression in expressions:
        dual = expression(a, b)
        assert isinstance(dual, Dual)
        assert dual.value == expression(0.1, 3.7)  # bit for bit


# Each function of `math` a model may differentiate through, at a point inside its domain.
FUNCTIONS = {
    "exp": 0.7, "exp2": 0.7, "expm1": 0.7, "log": 1.7, "log1p": 0.7, "log2": 1.7,
    "log10": 1.7, "sqrt": 1.7, "cbrt": 1.7, "sin": 0.7, "cos": 0.7, "tan": 0.7, "asin": 0.3,
    "acos": 0.3, "atan": 0.7, "sinh": 0.7, "cosh": 0.7, "tanh": 0.7, "asinh": 0.7,
    "acosh": 1.7, "atanh": 0.3, "erf": 0.7, "erfc": 0.7, "fabs": -0.7, "degrees": 0.7,
    "radians": 0.7,
}  # fmt: skip


@pytest.mark.parametrize(("name", "at"), FUNCTIONS.items(), ids=list(FUNCTIONS))
def test_each_maths_function_has_its_derivative(name: str, at: float) -> None:
    real = getattr(math, name)
    (u,) = seeds(("u",), [at]).values()
    result = getattr(MATH, name)(u * 1.0)
    assert result.value == real(at)
    assert result.partials[0] == pytest.approx(central_difference(real, at), rel=1e-6)
    assert getattr(MATH, name)(at) == real(at)  # plain numbers pass straight through


@pytest.mark.parametrize(
    ("call", "real"),
    [
        (lambda u: MATH.log(u, 3.0), lambda u: math.log(u, 3.0)),
        (lambda u: MATH.pow(u, 2.5), lambda u: math.pow(u, 2.5)),
        (lambda u: MATH.pow(2.5, u), lambda u: math.pow(2.5, u)),
        (lambda u: MATH.pow(u, u), lambda u: math.pow(u, u)),
        (lambda u: MATH.atan2(u, 2.0), lambda u: math.atan2(u, 2.0)),
        (lambda u: MATH.atan2(1.0, u), lambda u: math.atan2(1.0, u)),
        (lambda u: MATH.hypot(u, 3.0, u), lambda u: math.hypot(u, 3.0, u)),
        (lambda u: MATH.copysign(u, -1.0), lambda u: math.copysign(u, -1.0)),
        (lambda u: MATH.fsum([u, 0.1, u * u]), lambda u: math.fsum([u, 0.1, u * u])),
        (lambda u: u**u, lambda u: u**u),
        (lambda u: 3.0**u, lambda u: 3.0**u),
        (lambda u: u**-1.5, lambda u: u**-1.5),
    ],
)
def test_functions_of_two_arguments(call: Any, real: Callable[[float], float]) -> None:
    (u,) = seeds(("u",), [1.3]).values()
    result = call(u)
    assert result.value == real(1.3)
    assert result.partials[0] == pytest.approx(central_difference(real, 1.3), rel=1e-6)


def test_the_models_math_is_followed_however_it_was_imported() -> None:
    source = """
    import math
    import math as m
    from math import sin, cos as cosine, pi

    PARAMETERS = {"a": 1.0}

    def predict(params, x):
        a = params["a"]
        return math.exp(a * x) + m.tanh(a) + sin(a) * cosine(a * pi)
    """
    model = AuthorModel("models/m.py", module(source))
    (gradient,) = model.sample_gradients([0.4], [(2.0, 0.0)])
    prediction = model.predict([0.4], 2.0)

    def loss(a: float) -> float:
        p = math.exp(a * 2) + math.tanh(a) + math.sin(a) * math.cos(a * math.pi)
        return p * p

    assert prediction == math.sqrt(loss(0.4))
    assert gradient[0] == pytest.approx(central_difference(loss, 0.4), rel=1e-6)
    namespace: dict[str, Any] = {"math": math, "sine": math.sin, "pi": math.pi, "other": len}
    follow_math(namespace)
    assert namespace == {"math": MATH, "sine": MATH.sin, "pi": math.pi, "other": len}


def test_a_models_own_loss_is_differentiated_in_either_form() -> None:
    head = 'PARAMETERS = {"m": 2.0}\ndef predict(params, x):\n    return params["m"] * x\n'
    of_prediction = AuthorModel(
        "models/m.py", module(head + "def loss(prediction, y):\n    return (prediction - y) ** 4\n")
    )
    of_params = AuthorModel(
        "models/m.py",
        module(head + 'def loss(params, x, y):\n    return (params["m"] * x - y) ** 4\n'),
    )
    assert of_params.loss_call == "loss(params, x, y)" and of_params.has_loss
    for model in (of_prediction, of_params):
        (gradient,) = model.sample_gradients([2.0], [(1.5, 1.0)])
        assert gradient[0] == pytest.approx(4 * (3.0 - 1.0) ** 3 * 1.5, rel=1e-12)
        assert model.sample_loss([2.0], 1.5, 1.0) == 16.0


def test_a_prediction_that_ignores_the_parameters_has_a_zero_gradient() -> None:
    model = AuthorModel(
        "models/m.py", module('PARAMETERS = {"a": 1.0}\ndef predict(params, x):\n    return 2.0\n')
    )
    assert model.sample_gradients([1.0], [(0.0, 1.0)]) == [[0.0]]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'return float(params["a"]) * x',
            "float() of a parameter turns it into a plain number: the engine cannot follow "
            "the gradient through it; leave it out, or write gradient(params, x, y) yourself",
        ),
        (
            'return math.gamma(params["a"]) * x',
            "math.gamma() of a parameter: the engine cannot follow the gradient through it; "
            "leave it out, or write gradient(params, x, y) yourself",
        ),
    ],
)
def test_what_cannot_be_differentiated_says_so(body: str, message: str) -> None:
    source = f'import math\nPARAMETERS = {{"a": 1.5}}\ndef predict(params, x):\n    {body}\n'
    model = AuthorModel("models/m.py", module(source))
    assert model.predict([1.5], 2.0) > 0  # plain numbers are fine
    with pytest.raises(TypeError) as refused:
        model.sample_gradients([1.5], [(2.0, 1.0)])
    assert str(refused.value) == message


def test_a_prediction_that_is_not_a_number_is_refused() -> None:
    model = AuthorModel(
        "models/m.py", module('PARAMETERS = {"a": 1.0}\ndef predict(params, x):\n    return "a"\n')
    )
    with pytest.raises(
        ModelError, match=r"^predict\(params, x\) returned 'a'; it must be a number$"
    ):
        model.sample_gradients([1.0], [(0.0, 1.0)])


def test_a_plain_model_is_differentiated_without_the_maths_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No maths function may be called on the way to its gradient, so that the numbers are
    # the same in CPython and Pyodide: each one of them fails here.
    model = AuthorModel("models/m.py", module(ONLY_PREDICT))
    for name in ("exp", "log", "sin", "cos", "pow", "sqrt", "tanh"):
        monkeypatch.setattr(math, name, None)
    expected = [
        2 * (0.5 * 4 + 2 - 1) * 2.0 * 2.0,
        2 * (0.5 * 4 + 2 - 1) * 2.0,
        2 * (0.5 * 4 + 2 - 1),
    ]
    assert model.sample_gradients([0.5, 1.0, 0.0], [(2.0, 1.0)]) == [expected]
