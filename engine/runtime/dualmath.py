"""The `math` module for dual numbers: what an author's model calls as `math` while the
engine differentiates it (autodiff.py).

Each function takes plain numbers to the real `math` function, unchanged. Given a dual,
it computes the value with the real function and the partials by the chain rule, with
its derivative: the cosine for `sin`, and so on. So a maths function is called on the
way to a gradient only where the model itself calls one.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Iterable
from typing import Any

from .autodiff import HINT, Dual, power_slope, sign, value_of

LN2 = 0.6931471805599453  # the double nearest to log(2), written out: no libm call here
LN10 = 2.302585092994046
TWO_OVER_ROOT_PI = 1.1283791670955126

# The derivative of each function f of one argument, from its argument u and its value f(u).
_SLOPES: dict[str, Callable[[float, float], float]] = {
    "exp": lambda u, v: v,
    "exp2": lambda u, v: v * LN2,
    "expm1": lambda u, v: v + 1.0,
    "log1p": lambda u, v: 1.0 / (1.0 + u),
    "log2": lambda u, v: 1.0 / (u * LN2),
    "log10": lambda u, v: 1.0 / (u * LN10),
    "sqrt": lambda u, v: 0.5 / v,
    "cbrt": lambda u, v: 1.0 / (3.0 * v * v),
    "sin": lambda u, v: math.cos(u),
    "cos": lambda u, v: -math.sin(u),
    "tan": lambda u, v: 1.0 + v * v,
    "asin": lambda u, v: 1.0 / math.sqrt(1.0 - u * u),
    "acos": lambda u, v: -1.0 / math.sqrt(1.0 - u * u),
    "atan": lambda u, v: 1.0 / (1.0 + u * u),
    "sinh": lambda u, v: math.cosh(u),
    "cosh": lambda u, v: math.sinh(u),
    "tanh": lambda u, v: 1.0 - v * v,
    "asinh": lambda u, v: 1.0 / math.sqrt(u * u + 1.0),
    "acosh": lambda u, v: 1.0 / math.sqrt(u * u - 1.0),
    "atanh": lambda u, v: 1.0 / (1.0 - u * u),
    "erf": lambda u, v: TWO_OVER_ROOT_PI * math.exp(-u * u),
    "erfc": lambda u, v: -TWO_OVER_ROOT_PI * math.exp(-u * u),
    "fabs": lambda u, v: sign(u),
    "degrees": lambda u, v: 180.0 / math.pi,
    "radians": lambda u, v: math.pi / 180.0,
}
# Functions that are flat wherever they are defined, or that only inspect the value.
_OF_VALUE = ("floor", "ceil", "trunc", "isfinite", "isinf", "isnan")


def _one_argument(name: str) -> Callable[[Any], Any]:
    real = getattr(math, name)
    slope = _SLOPES[name]

    def function(u: Any) -> Any:
        if type(u) is not Dual:
            return real(u)
        value = real(u.value)
        return u._scaled(value, slope(u.value, value))

    return function


def _of_value(name: str) -> Callable[[Any], Any]:
    real = getattr(math, name)

    def function(u: Any) -> Any:
        return real(value_of(u))

    return function


def _log(u: Any, base: Any = None) -> Any:
    """math.log(u) or math.log(u, base), which Python computes as log(u) / log(base)."""
    if base is not None:
        return _log(u) / _log(base)
    if type(u) is not Dual:
        return math.log(u)
    return u._scaled(math.log(u.value), 1.0 / u.value)


def _pow(base: Any, exponent: Any) -> Any:
    """math.pow: as **, but with math.pow's value (an error, never a complex number)."""
    if type(base) is not Dual and type(exponent) is not Dual:
        return math.pow(base, exponent)
    b, e = value_of(base), value_of(exponent)
    value = math.pow(b, e)
    along_exponent = value * math.log(b) if b else 0.0
    return _combine(value, (base, power_slope(b, e)), (exponent, along_exponent))


def _atan2(y: Any, x: Any) -> Any:
    """math.atan2(y, x): the angle of the point (x, y)."""
    if type(y) is not Dual and type(x) is not Dual:
        return math.atan2(y, x)
    u, v = value_of(y), value_of(x)
    square = u * u + v * v
    return _combine(math.atan2(u, v), (y, v / square), (x, -u / square))


def _hypot(*coordinates: Any) -> Any:
    """math.hypot: the length of a vector."""
    length = math.hypot(*(value_of(c) for c in coordinates))
    if all(type(c) is not Dual for c in coordinates):
        return length
    return _combine(length, *((c, value_of(c) / length) for c in coordinates))


def _combine(value: Any, *terms: tuple[Any, Any]) -> Dual:
    """A dual of `value` whose partials are the sum of slope * partials over the (number,
    slope) terms; plain numbers among them add nothing."""
    duals = [(number, slope) for number, slope in terms if type(number) is Dual]
    result = [0.0] * len(duals[0][0].partials)
    for number, slope in duals:
        result = [r + slope * p for r, p in zip(result, number.partials, strict=True)]
    return Dual(value, result)


def _copysign(magnitude: Any, direction: Any) -> Any:
    """math.copysign: the size of `magnitude`, the sign of `direction` (a flat part)."""
    value = math.copysign(value_of(magnitude), value_of(direction))
    if type(magnitude) is not Dual:
        return value
    flipped = math.copysign(1.0, magnitude.value) != math.copysign(1.0, value)
    return magnitude._scaled(value, -1.0 if flipped else 1.0)


def _fsum(numbers: Iterable[Any]) -> Any:
    """math.fsum of numbers some of which may be duals: the partials are fsum'd too."""
    items = list(numbers)
    duals = [n for n in items if type(n) is Dual]
    value = math.fsum(value_of(n) for n in items)
    if not duals:
        return value
    columns = zip(*(d.partials for d in duals), strict=True)
    return Dual(value, [math.fsum(column) for column in columns])


def _unsupported(name: str) -> Callable[..., Any]:
    real = getattr(math, name)

    def function(*args: Any, **kwargs: Any) -> Any:
        if any(type(a) is Dual for a in args):
            raise TypeError(f"math.{name}() of a parameter: {HINT}")
        return real(*args, **kwargs)

    return function


def _math_for_duals() -> types.ModuleType:
    """A stand-in for `math` whose functions accept duals."""
    module = types.ModuleType("math", math.__doc__)
    for name in dir(math):
        if name.startswith("_"):
            continue
        real = getattr(math, name)
        if not callable(real):
            setattr(module, name, real)
        elif name in _SLOPES:
            setattr(module, name, _one_argument(name))
        elif name in _OF_VALUE:
            setattr(module, name, _of_value(name))
        else:
            setattr(module, name, _unsupported(name))
    special = {"log": _log, "pow": _pow, "atan2": _atan2, "hypot": _hypot}
    special |= {"copysign": _copysign, "fsum": _fsum}
    for name, function in special.items():
        setattr(module, name, function)
    return module


MATH = _math_for_duals()
# Each function of `math` with its stand-in, for a model that did `from math import sin`.
_STAND_INS = [
    (getattr(math, name), getattr(MATH, name))
    for name in dir(math)
    if not name.startswith("_") and callable(getattr(math, name))
]


def follow_math(namespace: dict[str, Any]) -> None:
    """Point a model module's `math` (and functions imported from it) at the stand-ins."""
    for name, value in list(namespace.items()):
        if value is math:
            namespace[name] = MATH
            continue
        for real, stand_in in _STAND_INS:
            if value is real:
                namespace[name] = stand_in
