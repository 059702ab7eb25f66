"""Models the trainer fits: a small protocol, and the built-in linear model with its fast path.

A model names its parameters (with default starting values), predicts y from x, and gives
the loss of one sample and its gradient. That is all the trainer needs; a model may also
offer a `FullBatch` that computes the loss, gradient and Hessian over all the data faster
than visiting every sample, as the linear model does. Authors' models (see authored.py)
visit every sample.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .authored import load_author_model
from .data import Dataset


class FullBatch(Protocol):
    """Loss, gradient and Hessian over all of one dataset."""

    @property
    def work(self) -> int:
        """Samples one call visits (0: none, the data's sums are kept)."""
        ...

    def total_loss(self, params: Sequence[float]) -> float:
        """The sum over all samples of the model's loss."""
        ...

    def average_gradient(self, params: Sequence[float]) -> list[float]:
        """The gradient of the average loss (total / samples) with respect to `params`."""
        ...

    def hessian(self, params: Sequence[float]) -> list[list[float]]:
        """The Hessian of the average loss at `params`."""
        ...


class Model(Protocol):
    """What the trainer needs to know about a model."""

    @property
    def name(self) -> str:
        """The name demos use for the model, e.g. "linear"."""
        ...

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The parameters, in the order `params` lists their values."""
        ...

    @property
    def defaults(self) -> tuple[float, ...]:
        """The starting value of each parameter unless the demo sets one."""
        ...

    def predict(self, params: Sequence[float], x: float) -> float:
        """The model's y at `x`."""
        ...

    def sample_gradients(
        self, params: Sequence[float], samples: Iterable[tuple[float, float]]
    ) -> list[list[float]]:
        """For each sample, the gradient of its loss with respect to `params`."""
        ...

    def sample_loss(self, params: Sequence[float], x: float, y: float) -> float:
        """The loss of the sample (x, y)."""
        ...

    def full_batch(self, data: Dataset) -> FullBatch | None:
        """A fast whole-data loss and gradient for `data`, or None to visit every sample."""
        ...


class LinearModel:
    """The line y = w * x + b, with parameters w and b."""

    name = "linear"
    parameter_names = ("w", "b")
    defaults = (0.0, 0.0)

    def predict(self, params: Sequence[float], x: float) -> float:
        """w * x + b."""
        w, b = params
        return w * x + b

    def sample_gradient(self, params: Sequence[float], x: float, y: float) -> list[float]:
        """With r = w x + b - y: d(r^2)/dw = 2 r x and d(r^2)/db = 2 r."""
        w, b = params
        r = w * x + b - y
        return [2.0 * r * x, 2.0 * r]

    def sample_gradients(
        self, params: Sequence[float], samples: Iterable[tuple[float, float]]
    ) -> list[list[float]]:
        """`sample_gradient` of each sample."""
        return [self.sample_gradient(params, x, y) for x, y in samples]

    def sample_loss(self, params: Sequence[float], x: float, y: float) -> float:
        """The squared error (prediction - y)^2."""
        r = self.predict(params, x) - y
        return r * r

    def full_batch(self, data: Dataset) -> LinearStats:
        """The data's sufficient statistics, which give loss and gradient in O(1)."""
        return LinearStats.of(data)


@dataclass(frozen=True)
class LinearStats:
    """Centred sums of the data, from which the linear model's loss and gradient cost O(1).

    With means mx = (sum x_i) / n, my = (sum y_i) / n and centred values dx_i = x_i - mx,
    dy_i = y_i - my, keep Sxx = sum dx^2, Sxy = sum dx dy, Syy = sum dy^2, Sx = sum dx and
    Sy = sum dy (Sx and Sy are zero in exact arithmetic; kept, they absorb the rounding of
    the means). Writing c = w mx + b - my, the residual of sample i is

        r_i = w x_i + b - y_i = (w dx_i - dy_i) + c

    and so

        total loss L   = sum r_i^2 = w^2 Sxx - 2 w Sxy + Syy + 2 c (w Sx - Sy) + n c^2
        sum r_i        = w Sx - Sy + n c
        sum r_i dx_i   = w Sxx - Sxy + c Sx
        dL/db          = 2 sum r_i
        dL/dw          = 2 sum r_i x_i = 2 (sum r_i dx_i + mx sum r_i)

    The average loss is L / n and the trainer steps along its gradient, (dL/dw, dL/db) / n,
    so doubling the data (every sum and n times 2, means unchanged) leaves the steps as
    they were. Centring matters: with raw sums, data around x = 1e6 would make the loss a
    difference of numbers near 1e12 n and lose most of its digits.

    All sums are taken once per dataset with `math.fsum`. Doubling multiplies them by
    `copies`, a power of two, which is exact.
    """

    n: float
    mean_x: float
    mean_y: float
    sxx: float
    sxy: float
    syy: float
    sx: float
    sy: float

    @classmethod
    def of(cls, data: Dataset) -> LinearStats:
        """The statistics of `data`, copies included (from the build's summary of synthetic
        data when it has one: the same sums, taken once at build time)."""
        if data.summary is not None:
            k = float(data.copies)
            one = data.summary["stats"]
            scaled = ("sxx", "sxy", "syy", "sx", "sy")
            return cls(
                n=float(data.size),
                mean_x=one["mean_x"],
                mean_y=one["mean_y"],
                **{name: k * one[name] for name in scaled},
            )
        count = len(data.xs)
        mean_x = math.fsum(data.xs) / count
        mean_y = math.fsum(data.ys) / count
        dxs = [x - mean_x for x in data.xs]
        dys = [y - mean_y for y in data.ys]
        k = float(data.copies)
        return cls(
            n=float(data.size),
            mean_x=mean_x,
            mean_y=mean_y,
            sxx=k * math.fsum(dx * dx for dx in dxs),
            sxy=k * math.fsum(dx * dy for dx, dy in zip(dxs, dys, strict=True)),
            syy=k * math.fsum(dy * dy for dy in dys),
            sx=k * math.fsum(dxs),
            sy=k * math.fsum(dys),
        )

    @property
    def work(self) -> int:
        """No sample is visited: the sums were taken once."""
        return 0

    def _offset(self, w: float, b: float) -> float:
        """c = w mx + b - my, the residual's part shared by every sample."""
        return math.fsum((w * self.mean_x, b, -self.mean_y))

    def total_loss(self, params: Sequence[float]) -> float:
        """L = w^2 Sxx - 2 w Sxy + Syy + 2 c (w Sx - Sy) + n c^2."""
        w, b = params
        c = self._offset(w, b)
        total = math.fsum(
            (
                w * w * self.sxx,
                -2.0 * w * self.sxy,
                self.syy,
                2.0 * c * (w * self.sx - self.sy),
                self.n * c * c,
            )
        )
        # A perfect fit can round to a hair below zero; a loss is never negative.
        return max(total, 0.0)

    def average_gradient(self, params: Sequence[float]) -> list[float]:
        """(dL/dw, dL/db) / n, from sum r_i and sum r_i dx_i."""
        w, b = params
        c = self._offset(w, b)
        residuals = math.fsum((w * self.sx, -self.sy, self.n * c))
        residuals_dx = math.fsum((w * self.sxx, -self.sxy, c * self.sx))
        slope = 2.0 * math.fsum((residuals_dx, self.mean_x * residuals)) / self.n
        return [slope, 2.0 * residuals / self.n]

    def hessian(self, params: Sequence[float] = ()) -> list[list[float]]:
        """Of the average loss, the same at any `params` (the loss is quadratic):
        2 [[mean(x^2), mean(x)], [mean(x), 1]], where with
        x_i = dx_i + mx, mean(x) = Sx / n + mx and mean(x^2) = (Sxx + 2 mx Sx) / n + mx^2."""
        mx = self.mean_x
        mean_x = math.fsum((self.sx / self.n, mx))
        mean_square = math.fsum((self.sxx / self.n, 2.0 * mx * self.sx / self.n, mx * mx))
        return [[2.0 * mean_square, 2.0 * mean_x], [2.0 * mean_x, 2.0]]


MODELS: dict[str, Model] = {"linear": LinearModel()}


def get_model(name: str) -> Model:
    """The built-in model called `name`, or the author model "models/<file>.py"."""
    if name in MODELS:
        return MODELS[name]
    author = load_author_model(name)
    if author is None:
        known = ", ".join(f'"{known}"' for known in sorted(MODELS))
        raise ValueError(f'unknown model "{name}" (known models: {known})')
    return author


def model_parameters(name: str) -> tuple[str, ...]:
    """The parameter names of the model called `name`."""
    return get_model(name).parameter_names


def initial_params(model: Model, init: Mapping[str, float]) -> list[float]:
    """The model's defaults, overridden by `init` (parameter name -> value)."""
    unknown = sorted(set(init) - set(model.parameter_names))
    if unknown:
        names = ", ".join(model.parameter_names)
        raise ValueError(f'model "{model.name}" has no parameter "{unknown[0]}" (it has {names})')
    values = [
        float(init.get(name, default))
        for name, default in zip(model.parameter_names, model.defaults, strict=True)
    ]
    for name, value in zip(model.parameter_names, values, strict=True):
        if not math.isfinite(value):
            raise ValueError(f"the initial value of {name} must be a finite number, not {value!r}")
    return values


def naive_total_loss(model: Model, params: Sequence[float], data: Dataset) -> float:
    """The sum of the samples' losses, visiting every distinct sample once (copies multiply it)."""
    pairs = zip(data.xs, data.ys, strict=True)
    return data.copies * math.fsum(model.sample_loss(params, x, y) for x, y in pairs)


def mean_gradient(
    model: Model, params: Sequence[float], samples: Iterable[tuple[float, float]]
) -> list[float]:
    """The average over `samples` of each sample's loss gradient."""
    gradients = model.sample_gradients(params, samples)
    return [math.fsum(parts) / len(gradients) for parts in zip(*gradients, strict=True)]
