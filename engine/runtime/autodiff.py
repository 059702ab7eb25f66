"""Forward-mode automatic differentiation, so that an author's model needs only `predict`.

Each parameter is passed to the model as a `Dual`: its value, and the partial derivatives
of that value with respect to every parameter (1 for itself, 0 for the others). Every
operation on duals computes its value exactly as the same operation on floats would, and
the partials by the chain rule, so one call of `predict` gives the prediction and its
gradient together. The model's `math` module is swapped for `MATH`, whose functions do the
same for duals and call the real `math` for plain numbers.

The partials are computed with + - * / only, except where the model itself calls a maths
function (or `**`): there the derivative needs one too (the cosine for `math.sin`). So a
model of plain arithmetic is differentiated with the same numbers in CPython and in
Pyodide, and a model that calls `math.sin` is exactly as portable as its own `predict`.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any

Number = float | int
LN2 = 0.6931471805599453  # the double nearest to log(2), written out: no libm call here
LN10 = 2.302585092994046
TWO_OVER_ROOT_PI = 1.1283791670955126
HINT = (
    "the engine cannot follow the gradient through it; "
    "leave it out, or write gradient(params, x, y) yourself"
)


class Dual:
    """A number and its partial derivatives with respect to the model's parameters."""

    __slots__ = ("partials", "value")

    def __init__(self, value: Any, partials: list[float]) -> None:
        self.value = value
        self.partials = partials

    def __repr__(self) -> str:
        return f"Dual({self.value!r}, {self.partials!r})"

    def _scaled(self, value: Any, factor: float) -> Dual:
        """`value`, whose derivative is `factor` times this one's (the chain rule)."""
        return Dual(value, [factor * p for p in self.partials])

    # + - * / and their mirrored forms; an unknown kind of operand is left to Python.

    def __add__(self, other: object) -> Dual:
        if type(other) is Dual:
            return Dual(
                self.value + other.value,
                [p + q for p, q in zip(self.partials, other.partials, strict=True)],
            )
        if isinstance(other, int | float):
            return Dual(self.value + other, self.partials)
        return NotImplemented

    def __radd__(self, other: object) -> Dual:
        if isinstance(other, int | float):
            return Dual(other + self.value, self.partials)
        return NotImplemented

    def __sub__(self, other: object) -> Dual:
        if type(other) is Dual:
            return Dual(
                self.value - other.value,
                [p - q for p, q in zip(self.partials, other.partials, strict=True)],
            )
        if isinstance(other, int | float):
            return Dual(self.value - other, self.partials)
        return NotImplemented

    def __rsub__(self, other: object) -> Dual:
        if isinstance(other, int | float):
            return Dual(other - self.value, [-p for p in self.partials])
        return NotImplemented

    def __mul__(self, other: object) -> Dual:
        if type(other) is Dual:
            a, b = self.value, other.value
            return Dual(
                a * b, [b * p + a * q for p, q in zip(self.partials, other.partials, strict=True)]
            )
        if isinstance(other, int | float):
            return Dual(self.value * other, [p * other for p in self.partials])
        return NotImplemented

    def __rmul__(self, other: object) -> Dual:
        if isinstance(other, int | float):
            return Dual(other * self.value, [other * p for p in self.partials])
        return NotImplemented

    def __truediv__(self, other: object) -> Dual:
        if type(other) is Dual:
            quotient = self.value / other.value
            return Dual(
                quotient,
                [
                    (p - quotient * q) / other.value
                    for p, q in zip(self.partials, other.partials, strict=True)
                ],
            )
        if isinstance(other, int | float):
            return Dual(self.value / other, [p / other for p in self.partials])
        return NotImplemented

    def __rtruediv__(self, other: object) -> Dual:
        if isinstance(other, int | float):
            quotient = other / self.value
            return self._scaled(quotient, -quotient / self.value)
        return NotImplemented

    def __pow__(self, other: object) -> Dual:
        if type(other) is Dual:
            return _power(self, other)
        if isinstance(other, int | float):
            return self._scaled(self.value**other, _power_slope(self.value, other))
        return NotImplemented

    def __rpow__(self, other: object) -> Dual:
        if isinstance(other, int | float):
            value = other**self.value
            return self._scaled(value, value * math.log(other) if other else 0.0)
        return NotImplemented

    def __mod__(self, other: object) -> Dual:
        if isinstance(other, int | float):
            return Dual(self.value % other, self.partials)  # a shift: the slope stays
        return NotImplemented

    def __floordiv__(self, other: object) -> Any:
        if isinstance(other, int | float):
            return self.value // other  # a staircase: flat wherever it is defined
        return NotImplemented

    def __neg__(self) -> Dual:
        return Dual(-self.value, [-p for p in self.partials])

    def __pos__(self) -> Dual:
        return self

    def __abs__(self) -> Dual:
        return self._scaled(abs(self.value), _sign(self.value))

    def __round__(self, digits: int | None = None) -> Any:
        return round(self.value, digits)  # a staircase too

    # Comparisons look at the value, so that `if`, `max` and `min` work in a model.

    def __eq__(self, other: object) -> bool:
        return bool(self.value == _value(other))

    def __ne__(self, other: object) -> bool:
        return bool(self.value != _value(other))

    def __lt__(self, other: object) -> bool:
        return bool(self.value < _value(other))

    def __le__(self, other: object) -> bool:
        return bool(self.value <= _value(other))

    def __gt__(self, other: object) -> bool:
        return bool(self.value > _value(other))

    def __ge__(self, other: object) -> bool:
        return bool(self.value >= _value(other))

    def __bool__(self) -> bool:
        return bool(self.value)

    __hash__ = None  # type: ignore[assignment]

    def __float__(self) -> float:
        raise TypeError(f"float() of a parameter turns it into a plain number: {HINT}")

    def __int__(self) -> int:
        raise TypeError(f"int() of a parameter turns it into a plain number: {HINT}")


def _value(number: object) -> Any:
    """The value of a dual, or the number itself."""
    return number.value if type(number) is Dual else number


def _sign(value: float) -> float:
    """-1, 0 or 1 (0 at 0: the slope chosen for |x| and its kin where they bend)."""
    return 1.0 if value > 0 else -1.0 if value < 0 else 0.0


def _power_slope(base: Any, exponent: Number) -> Any:
    """d(base ** exponent) / d(base), for a constant exponent."""
    if exponent == 0:
        return 0.0
    if exponent == 1:
        return 1.0
    if exponent == 2:
        return 2 * base
    return exponent * base ** (exponent - 1)


def _power(base: Dual, exponent: Dual) -> Dual:
    """base ** exponent when both depend on the parameters."""
    value = base.value**exponent.value
    along_base = _power_slope(base.value, exponent.value)
    along_exponent = value * math.log(base.value) if base.value else 0.0
    return Dual(
        value,
        [
            along_base * p + along_exponent * q
            for p, q in zip(base.partials, exponent.partials, strict=True)
        ],
    )


# --- the math module, for duals ---------------------------------------------------------

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
    "fabs": lambda u, v: _sign(u),
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
        return real(_value(u))

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
    b, e = _value(base), _value(exponent)
    value = math.pow(b, e)
    along_exponent = value * math.log(b) if b else 0.0
    return _combine(value, (base, _power_slope(b, e)), (exponent, along_exponent))


def _atan2(y: Any, x: Any) -> Any:
    """math.atan2(y, x): the angle of the point (x, y)."""
    if type(y) is not Dual and type(x) is not Dual:
        return math.atan2(y, x)
    u, v = _value(y), _value(x)
    square = u * u + v * v
    return _combine(math.atan2(u, v), (y, v / square), (x, -u / square))


def _hypot(*coordinates: Any) -> Any:
    """math.hypot: the length of a vector."""
    length = math.hypot(*(_value(c) for c in coordinates))
    if all(type(c) is not Dual for c in coordinates):
        return length
    return _combine(length, *((c, _value(c) / length) for c in coordinates))


def _combine(value: Any, *terms: tuple[Any, Any]) -> Dual:
    """A dual of `value` whose partials are the sum of slope * partials over the (number,
    slope) terms; plain numbers among them add nothing."""
    duals = [(number, slope) for number, slope in terms if type(number) is Dual]
    result = [0.0] * len(duals[0][0].partials)
    for number, slope in duals:
        result = [r + slope * p for r, p in zip(result, number.partials, strict=True)]
    return Dual(value, result)


def _copysign(magnitude: Any, sign: Any) -> Any:
    """math.copysign: the sign of `sign` (flat), the size of `magnitude`."""
    value = math.copysign(_value(magnitude), _value(sign))
    if type(magnitude) is not Dual:
        return value
    flipped = math.copysign(1.0, magnitude.value) != math.copysign(1.0, value)
    return magnitude._scaled(value, -1.0 if flipped else 1.0)


def _fsum(numbers: Iterable[Any]) -> Any:
    """math.fsum of numbers some of which may be duals: the partials are fsum'd too."""
    items = list(numbers)
    duals = [n for n in items if type(n) is Dual]
    value = math.fsum(_value(n) for n in items)
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


# --- gradients of a model ---------------------------------------------------------------


def seeds(names: Sequence[str], values: Sequence[float]) -> dict[str, Dual]:
    """The parameters as duals: each one's partial with respect to itself is 1."""
    count = len(names)
    return {
        name: Dual(value, [1.0 if j == i else 0.0 for j in range(count)])
        for i, (name, value) in enumerate(zip(names, values, strict=True))
    }


def partials(number: object, count: int) -> list[float] | None:
    """The partials of what a model returned: zeros for a plain number (it does not depend
    on the parameters), None when it is not a number at all."""
    if type(number) is Dual:
        return number.partials
    if isinstance(number, int | float) and not isinstance(number, bool):
        return [0.0] * count
    return None
