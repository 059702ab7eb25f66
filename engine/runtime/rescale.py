"""A reader's file, centred and scaled like the demo's own data, so that the line trains on
it at the demo's step size whatever units the file uses.

Gradient descent on the line y = w x + b depends on the data only through the Hessian of
the average loss,

    H = 2 [[mean(x²), mean(x)], [mean(x), 1]],

which holds nothing but the mean and the spread of x (y does not appear). The author chose
the demo's step size for the Hessian of the demo's own data. A reader's file with x in the
millions has a Hessian a trillion times steeper, and one with x in the thousandths a
nearly flat direction, so the same step diverges on the first and crawls on the second.

So the line is trained on x' = (x - mean of the file's x) * scale, where `scale` gives x'
the spread of the demo data's x (spread 1 if that has none). x' has mean 0, so H is
2 [[spread², 0], [0, 1]]: its largest curvature is at most the demo data's, and its
smallest at least the demo data's. Every step size that is stable on the demo's data is
stable on the file, and converges at least as fast. y is left as it is, so the loss is the
file's own. The line through x' is the same line through x, written differently:

    w x + b = w' x' + b'   with   w = w' * scale,   b = b' - w * mean

and the readouts, saved runs and the fit chart show w and b in the file's units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .models import LinearStats


@dataclass(frozen=True)
class Rescaling:
    """x' = (x - mean) * scale."""

    mean: float  # of the file's x
    scale: float  # the demo data's spread of x (or 1) over the file's

    @classmethod
    def between(cls, own: LinearStats, data: LinearStats) -> Rescaling | None:
        """The rescaling of `data` to mean 0 and the spread of `own` (the demo's own data);
        None when `data` is already so. A file whose x do not vary is only moved."""
        target = math.sqrt(own.sxx / own.n)
        spread = math.sqrt(data.sxx / data.n)
        if not (math.isfinite(target) and target > 0):
            target = 1.0
        scale = target / spread if spread > 0 else 1.0
        if not (math.isfinite(scale) and scale > 0):
            return None
        if scale == 1.0 and data.mean_x == 0.0:
            return None
        return cls(data.mean_x, scale)

    def x(self, x: float) -> float:
        """x' of one sample."""
        return (x - self.mean) * self.scale

    def stats(self, data: LinearStats) -> LinearStats:
        """The statistics of the rescaled data, from those of the file (the centred sums
        only scale), in O(1)."""
        k = self.scale
        return LinearStats(
            n=data.n,
            mean_x=0.0,
            mean_y=data.mean_y,
            sxx=k * (k * data.sxx),  # in this order: k * k may overflow where this does not
            sxy=k * data.sxy,
            syy=data.syy,
            sx=k * data.sx,
            sy=data.sy,
        )

    def to_file(self, line: list[float]) -> list[float]:
        """(w, b) of the line through the file's x, from (w', b') through x'."""
        w_, b_ = line
        w = w_ * self.scale
        return [w, b_ - w * self.mean]

    def from_file(self, line: list[float]) -> list[float]:
        """(w', b') through x', from (w, b) of the line through the file's x."""
        w, b = line
        return [w / self.scale, b + w * self.mean]

    def facts(self) -> dict[str, float]:
        """What the page says about it: x' = (x - mean) * scale."""
        return {"mean": self.mean, "scale": self.scale}
