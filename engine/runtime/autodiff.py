"""Forward-mode automatic differentiation, so that an author's model needs only `predict`.

Each parameter is passed to the model as a `Dual`: its value, and the partial derivatives
of that value with respect to every parameter (1 for itself, 0 for the others). Every
operation on duals computes its value exactly as the same operation on floats would, and
the partials by the chain rule, so one call of `predict` gives the prediction and its
gradient together. The model's `math` module is swapped for one whose functions do the
same for duals (dualmath.py).

The partials are computed with + - * / only, except where the model itself calls a maths
function (or `**`): there the derivative needs one too (the cosine for `math.sin`). So a
model of plain arithmetic is differentiated with the same numbers in CPython and in
Pyodide, and a model that calls `math.sin` is exactly as portable as its own `predict`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

Number = float | int
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
            return self._scaled(self.value**other, power_slope(self.value, other))
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
        return self._scaled(abs(self.value), sign(self.value))

    def __round__(self, digits: int | None = None) -> Any:
        return round(self.value, digits)  # a staircase too

    # Comparisons look at the value, so that `if`, `max` and `min` work in a model.

    def __eq__(self, other: object) -> bool:
        return bool(self.value == value_of(other))

    def __ne__(self, other: object) -> bool:
        return bool(self.value != value_of(other))

    def __lt__(self, other: object) -> bool:
        return bool(self.value < value_of(other))

    def __le__(self, other: object) -> bool:
        return bool(self.value <= value_of(other))

    def __gt__(self, other: object) -> bool:
        return bool(self.value > value_of(other))

    def __ge__(self, other: object) -> bool:
        return bool(self.value >= value_of(other))

    def __bool__(self) -> bool:
        return bool(self.value)

    __hash__ = None  # type: ignore[assignment]

    def __float__(self) -> float:
        raise TypeError(f"float() of a parameter turns it into a plain number: {HINT}")

    def __int__(self) -> int:
        raise TypeError(f"int() of a parameter turns it into a plain number: {HINT}")


def value_of(number: object) -> Any:
    """The value of a dual, or the number itself."""
    return number.value if type(number) is Dual else number


def sign(value: float) -> float:
    """-1, 0 or 1 (0 at 0: the slope chosen for |x| and its kin where they bend)."""
    return 1.0 if value > 0 else -1.0 if value < 0 else 0.0


def power_slope(base: Any, exponent: Number) -> Any:
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
    along_base = power_slope(base.value, exponent.value)
    along_exponent = value * math.log(base.value) if base.value else 0.0
    return Dual(
        value,
        [
            along_base * p + along_exponent * q
            for p, q in zip(base.partials, exponent.partials, strict=True)
        ],
    )


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
