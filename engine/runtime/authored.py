"""Author models: a module that defines PARAMETERS and predict, fitted as a `Model`.

An author writes only the maths, in `content/models/<name>.py`:

    PARAMETERS = {"a": 0.0, "b": 0.0}     # names and starting values, in order
    def predict(params, x): ...           # params: dict name -> float; the prediction at x
    def loss(prediction, y): ...          # optional; (prediction - y) ** 2 when left out
                                          # (or loss(params, x, y), of the parameters)
    def gradient(params, x, y): ...       # optional; dict name -> float: d loss / d params

Without `gradient`, the gradient comes from automatic differentiation (autodiff.py):
`predict` (and `loss`) are called with the parameters as dual numbers.

The module docstring describes the model. A demo names the model `models/<name>.py`; the
build packs the file into the runtime wheel as the module `explainer_models.<name>`, so the
browser imports it like the runtime itself, and in CPython the build loads the same file
under the same name (engine/demo/modelfile.py) before any trainer asks for it.
"""

from __future__ import annotations

import importlib
import inspect
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

from .autodiff import Dual, partials, seeds, value_of
from .batch import AutomaticBatch
from .contract import MAX_PARAMETERS, MAX_RUN_TEXT
from .data import Dataset
from .dualmath import follow_math

PACKAGE = "explainer_models"
# Readouts of the widget that a parameter of the same name would collide with.
RESERVED_NAMES = ("samples", "iteration")
_NAME = re.compile(r"models/([A-Za-z][A-Za-z0-9_]*)\.py")
SIGNATURES = {  # the protocol's functions and their arguments
    "predict": ("params", "x"),
    "gradient": ("params", "x", "y"),
    "loss": ("prediction", "y"),
}
LOSS_OF_PARAMETERS = ("params", "x", "y")  # the other form a loss may take
LOSS_OF_PARAMS = "loss(params, x, y)"
_COUNTS = {2: "two", 3: "three"}


class ModelError(TypeError):
    """A model module that breaks the protocol; `attribute` names the part at fault."""

    def __init__(self, attribute: str, message: str) -> None:
        self.attribute = attribute
        super().__init__(message)


def module_name(model: str) -> str | None:
    """`explainer_models.quadratic` for the model "models/quadratic.py"; else None."""
    match = _NAME.fullmatch(model)
    return f"{PACKAGE}.{match.group(1)}" if match else None


def squared_error(prediction: float, y: float) -> float:
    """The default loss of one sample: (prediction - y)^2."""
    error = prediction - y
    return error * error


def load_author_model(model: str) -> AuthorModel | None:
    """The author model called `model` ("models/<name>.py"), or None for any other name."""
    name = module_name(model)
    if name is None:
        return None
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name not in (name, PACKAGE):
            raise
        raise ValueError(f'model "{model}" is not part of this site (no module {name})') from None
    return AuthorModel(model, module)


class AuthorModel:
    """An author's module as a `Model`: no fast path, so the trainer visits every sample."""

    def __init__(self, name: str, module: ModuleType) -> None:
        self.name = name
        self.description = inspect.cleandoc(module.__doc__ or "")
        parameters = _parameters(getattr(module, "PARAMETERS", None))
        self.parameter_names = tuple(parameters)
        self.defaults = tuple(parameters.values())
        self._keys = set(parameters)
        self._predict = _required(module, "predict")
        self._gradient = _function(module, "gradient")
        self._loss, self.loss_call = _loss(module)
        follow_math(module.__dict__)  # so that math.sin(x) works on dual numbers too

    @property
    def has_gradient(self) -> bool:
        """Whether the module writes its gradient out (else it is differentiated)."""
        return self._gradient is not None

    @property
    def has_loss(self) -> bool:
        """Whether the module defines its own loss (else the squared error)."""
        return self._loss is not None

    def predict(self, params: Sequence[float], x: float) -> float:
        """The module's predict(params, x), with params as a dict."""
        return _number(self._predict(self._named(params), x), "predict", "predict(params, x)")

    def sample_loss(self, params: Sequence[float], x: float, y: float) -> float:
        """One sample's loss: the module's loss, or the squared error when it defines none."""
        if self._loss is None:
            return squared_error(self.predict(params, x), y)
        if self.loss_call == LOSS_OF_PARAMS:
            value = self._loss(self._named(params), x, y)
        else:
            value = self._loss(self.predict(params, x), y)
        return _number(value, "loss", self.loss_call)

    def sample_gradient(self, params: Sequence[float], x: float, y: float) -> list[float]:
        """The gradient of one sample's loss: the module's own, else differentiated."""
        if self._gradient is None:
            return self.automatic_gradients(params, [(x, y)])[0]
        return self.written_gradient(params, x, y)

    def sample_gradients(
        self, params: Sequence[float], samples: Iterable[tuple[float, float]]
    ) -> list[list[float]]:
        """`sample_gradient` of each of `samples`."""
        if self._gradient is None:
            return self.automatic_gradients(params, samples)
        return [self.written_gradient(params, x, y) for x, y in samples]

    def written_gradient(self, params: Sequence[float], x: float, y: float) -> list[float]:
        """The module's gradient(params, x, y), as a list in parameter order."""
        assert self._gradient is not None
        gradient = self._gradient(self._named(params), x, y)
        call = "gradient(params, x, y)"
        if not isinstance(gradient, Mapping):
            raise ModelError(
                "gradient",
                f"{call} must return a dict of parameter name -> number, "
                f"got {type(gradient).__name__}",
            )
        if gradient.keys() != self._keys:
            raise ModelError("gradient", f"{call} {self._key_problem(gradient)}")
        return [
            _number(gradient[name], "gradient", f'{call} for "{name}"')
            for name in self.parameter_names
        ]

    def automatic_gradients(
        self, params: Sequence[float], samples: Iterable[tuple[float, float]]
    ) -> list[list[float]]:
        """The gradient of each sample's loss by automatic differentiation."""
        return self.losses_and_gradients(params, samples)[1]

    def losses_and_gradients(
        self, params: Sequence[float], samples: Iterable[tuple[float, float]]
    ) -> tuple[list[float], list[list[float]]]:
        """Each sample's loss and its gradient, from one call of `predict` (and `loss`)
        with the parameters as dual numbers (autodiff.py). The losses are the numbers
        `sample_loss` gives."""
        duals = seeds(self.parameter_names, params)
        predict, loss, of_params = self._predict, self._loss, self.loss_call == LOSS_OF_PARAMS
        losses, gradients = [], []
        for x, y in samples:
            if loss is not None and of_params:
                value, attribute = loss(dict(duals), x, y), "loss"
            else:
                prediction = predict(dict(duals), x)
                if loss is None and type(prediction) is Dual:  # the squared error
                    error = _number(prediction.value, "predict", "predict(params, x)") - y
                    losses.append(error * error)
                    twice = 2.0 * error
                    gradients.append([twice * p for p in prediction.partials])
                    continue
                value, attribute = prediction, "predict"
                if loss is not None:
                    value, attribute = loss(prediction, y), "loss"
                elif type(prediction) is not Dual:  # a constant prediction
                    value = squared_error(_number(prediction, "predict", "predict(params, x)"), y)
            gradients.append(self._partials(value, attribute))
            call = self.loss_call if attribute == "loss" else "predict(params, x)"
            losses.append(_number(value_of(value), attribute, call))
        return losses, gradients

    def full_batch(self, data: Dataset) -> AutomaticBatch | None:
        """Without a written gradient, one pass of dual numbers gives the loss and the
        gradient of all the data together (batch.py); else there is no shortcut."""
        if self._gradient is not None:
            return None
        return AutomaticBatch(self.losses_and_gradients, data)

    def _partials(self, value: object, attribute: str) -> list[float]:
        """The partials of what predict or loss returned (zeros for a constant)."""
        found = partials(value, len(self.parameter_names))
        if found is None:
            call = "predict(params, x)" if attribute == "predict" else self.loss_call
            raise ModelError(attribute, f"{call} returned {value!r}; it must be a number")
        return found

    def _named(self, params: Sequence[float]) -> dict[str, float]:
        """The parameter values by name, a fresh dict for every call."""
        return dict(zip(self.parameter_names, params, strict=True))

    def _key_problem(self, gradient: Mapping[Any, Any]) -> str:
        """What is wrong with the keys of a gradient, e.g. `missing "c"; unknown "d"`."""
        missing = [name for name in self.parameter_names if name not in gradient]
        unknown = [key for key in gradient if key not in self._keys]
        parts = []
        if missing:
            parts.append("missing " + ", ".join(_quoted(name) for name in missing))
        if unknown:
            parts.append("unknown " + ", ".join(_quoted(key) for key in unknown))
        names = ", ".join(self.parameter_names)
        return f"must return exactly the keys of PARAMETERS ({names}): {'; '.join(parts)}"


def _parameters(value: object) -> dict[str, float]:
    """PARAMETERS checked: a non-empty dict of Python names to finite numbers."""
    if value is None:
        raise ModelError(
            "PARAMETERS",
            "the model has no PARAMETERS: add a dict of parameter names and starting values, "
            'e.g. PARAMETERS = {"w": 0.0, "b": 0.0}',
        )
    if not isinstance(value, dict):
        raise ModelError(
            "PARAMETERS",
            "PARAMETERS must be a dict of parameter names and starting values, "
            f"got {type(value).__name__}",
        )
    if not value:
        raise ModelError(
            "PARAMETERS", "PARAMETERS is empty: the model needs at least one parameter"
        )
    # Saved runs record every parameter by name: a model has no more, nor longer names,
    # than they keep, so that a reader's runs of it are never refused.
    if len(value) > MAX_PARAMETERS:
        raise ModelError(
            "PARAMETERS",
            f"PARAMETERS has {len(value)} parameters; a model may have at most "
            f"{MAX_PARAMETERS} (saved runs keep no more)",
        )
    parameters: dict[str, float] = {}
    for name, start in value.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ModelError(
                "PARAMETERS",
                f"parameter name {name!r} must be a Python name "
                '(letters, digits and "_", not starting with a digit)',
            )
        if len(name) > MAX_RUN_TEXT:
            raise ModelError(
                "PARAMETERS",
                f'parameter name "{name[:20]}…" has {len(name)} characters; a name may have '
                f"at most {MAX_RUN_TEXT} (saved runs keep no longer names)",
            )
        if name in RESERVED_NAMES:
            raise ModelError(
                "PARAMETERS",
                f'parameter name "{name}" is taken by a readout of the demo; choose another name',
            )
        value = _finite_float(start)
        if value is None:
            raise ModelError(
                "PARAMETERS",
                f'the starting value of "{name}" in PARAMETERS must be a finite number, '
                f"got {start!r}",
            )
        parameters[name] = value
    return parameters


def _finite_float(value: object) -> float | None:
    """`value` as a float when it is a finite number (not a bool), else None."""
    if not _is_real(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None


def _loss(module: ModuleType) -> tuple[Callable[..., Any] | None, str]:
    """The module's loss, if any, and how it is called: `loss(prediction, y)` (of the
    prediction) or `loss(params, x, y)` (of the parameters)."""
    function = getattr(module, "loss", None)
    if (
        callable(function)
        and not _takes(function, SIGNATURES["loss"])
        and _takes(function, LOSS_OF_PARAMETERS)
    ):
        return function, LOSS_OF_PARAMS
    try:
        return _function(module, "loss"), "loss(prediction, y)"
    except ModelError:
        if not callable(function):
            raise
        raise ModelError(
            "loss",
            "loss must take two arguments, loss(prediction, y), or three, loss(params, x, y)",
        ) from None


def _takes(function: Callable[..., Any], arguments: tuple[str, ...]) -> bool:
    """Whether `function` can be called with these arguments (True when it cannot tell:
    a built-in function without a signature)."""
    try:
        inspect.signature(function).bind(*arguments)
    except TypeError:
        return False
    except ValueError:
        pass
    return True


def _required(module: ModuleType, name: str) -> Callable[..., Any]:
    """The module's function `name`, which it must define."""
    function = _function(module, name)
    if function is None:
        raise ModelError(name, f"the model has no function {_shown(name)}")
    return function


def _function(module: ModuleType, name: str) -> Callable[..., Any] | None:
    """The module's function `name` checked to take the protocol's arguments; None if absent."""
    arguments = SIGNATURES[name]
    shown = _shown(name)
    function: object = getattr(module, name, None)
    if function is None:
        return None
    if not callable(function):
        raise ModelError(name, f"{name} must be a function {shown}, got {type(function).__name__}")
    if not _takes(function, arguments):
        count = _COUNTS[len(arguments)]
        raise ModelError(name, f"{name} must take {count} arguments: {shown}")
    return function


def _shown(name: str) -> str:
    """How a protocol function is written in messages: `predict(params, x)`."""
    return f"{name}({', '.join(SIGNATURES[name])})"


def _quoted(key: object) -> str:
    """A key as messages show it: "c" for a string, its repr otherwise."""
    return f'"{key}"' if isinstance(key, str) else repr(key)


def _is_real(value: object) -> bool:
    """A real number that is not a bool (numpy's floating types included)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _number(value: object, attribute: str, call: str) -> float:
    """`value` as a float when it is a number, else ModelError."""
    if type(value) is float:
        return value
    if _is_real(value):
        return float(value)  # type: ignore[arg-type]
    raise ModelError(attribute, f"{call} returned {value!r}; it must be a number")
