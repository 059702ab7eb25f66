"""The loss curve of a run: average loss by iteration, thinned so its memory stays flat."""

from __future__ import annotations

from typing import Any

from .contract import CURVE_POINTS


class LossCurve:
    """Average loss recorded every `stride` iterations, starting at iteration 0.

    When more than CURVE_POINTS points are held, every other point is dropped and the stride
    doubles; the points kept are then exactly the multiples of the new stride, so a long
    run looks the same as a short one, drawn more coarsely, and an hour of play holds at
    most CURVE_POINTS points. `take()` hands the page what it has not yet seen.
    """

    def __init__(self) -> None:
        self.iterations: list[int] = []
        self.losses: list[float] = []
        self.stride = 1
        self._sent = 0  # points the page already has
        self._full = True  # the page's copy must be replaced, not extended

    def restart(self, loss: float) -> None:
        """Forget the curve and start again from `loss` at iteration 0."""
        self.iterations, self.losses = [0], [loss]
        self.stride = 1
        self._full = True

    def record(self, iteration: int, loss: float) -> None:
        """Note the average loss after `iteration` steps (kept when on the stride)."""
        if iteration % self.stride:
            return
        self.iterations.append(iteration)
        self.losses.append(loss)
        if len(self.iterations) > CURVE_POINTS:
            self.iterations = self.iterations[::2]
            self.losses = self.losses[::2]
            self.stride *= 2
            self._full = True

    def take(self) -> dict[str, Any]:
        """The whole curve after a restart or thinning, else the points added since last time."""
        start = 0 if self._full else self._sent
        update = {
            "full": self._full,
            "iterations": self.iterations[start:],
            "losses": self.losses[start:],
        }
        self._sent = len(self.iterations)
        self._full = False
        return update

    def snapshot(self, iteration: int, loss: float) -> dict[str, Any]:
        """A copy of the whole curve, ending with `loss` at the current `iteration`."""
        iterations, losses = list(self.iterations), list(self.losses)
        if iterations[-1] != iteration:
            iterations.append(iteration)
            losses.append(loss)
        return {"iterations": iterations, "losses": losses}
