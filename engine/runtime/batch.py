"""The whole data's loss and gradient for an author's model that the engine differentiates.

A training step needs the gradient at the parameters and then the loss at the new ones,
which the next step needs the gradient at. Dual numbers give a sample's loss and its
gradient in one call of the model, so one pass over the data at the new parameters
serves both: the loss now, and the gradient for the next step, kept until then. The
loss is the very number that summing `sample_loss` would give (a dual's value is
computed by the same float operations as the plain number).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from .data import Dataset
from .stability import Matrix, hessian_by_differences

Samples = Iterable[tuple[float, float]]
# Each sample's loss and gradient, as AuthorModel.losses_and_gradients gives them.
Evaluate = Callable[[Sequence[float], Samples], tuple[list[float], list[list[float]]]]


class AutomaticBatch:
    """A `FullBatch` (models.py) for an author's model without a written gradient."""

    def __init__(self, evaluate: Evaluate, data: Dataset) -> None:
        self._evaluate = evaluate
        self._data = data
        self._kept: tuple[tuple[float, ...], float, list[float]] | None = None
        self.work = len(data.xs)  # samples visited per pass

    def total_loss(self, params: Sequence[float]) -> float:
        """The sum of the samples' losses (copies included)."""
        return self._pass(params)[0]

    def average_gradient(self, params: Sequence[float]) -> list[float]:
        """The gradient of the average loss, from the pass at `params` if it was the last."""
        return self._pass(params)[1]

    def hessian(self, params: Sequence[float]) -> Matrix:
        """The Hessian of the average loss at `params`, by central differences."""
        return hessian_by_differences(self.average_gradient, params)

    def _pass(self, params: Sequence[float]) -> tuple[float, list[float]]:
        """The total loss and the average gradient at `params`: one pass over the data,
        unless it was the last pass made."""
        key = tuple(params)
        if self._kept is not None and self._kept[0] == key:
            return self._kept[1], self._kept[2]
        data = self._data
        losses, gradients = self._evaluate(params, zip(data.xs, data.ys, strict=True))
        total = data.copies * math.fsum(losses)
        count = len(gradients)
        average = [math.fsum(parts) / count for parts in zip(*gradients, strict=True)]
        self._kept = (key, total, average)
        return total, average
