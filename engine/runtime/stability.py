"""Which step sizes are stable: the curvature of the average loss, and a round step below it.

Near a minimum the average loss is close to a quadratic bowl with Hessian H. A gradient
step of size s multiplies the distance to the minimum along each eigenvector of H by
(1 - s λ), where λ is that direction's curvature (eigenvalue). The steepest direction, the
largest λ, decides: steps shrink the distance for s < 2 / λ and grow it beyond, which is
the divergence a reader sees. At s = 1 / λ the steepest direction is crossed in one step,
so that is the step this module suggests, rounded down to 1, 2 or 5 times a power of ten.

For the built-in line H is constant and known exactly from the data's statistics
(`LinearStats.hessian`). For an author's model it is measured by central differences of
the gradient at the run's starting parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

Matrix = list[list[float]]
ITERATIONS = 200  # of the power iteration; the matrices are small (one row per parameter)
RELATIVE_NUDGE = 1e-4  # of each parameter, for the central differences


def largest_eigenvalue(matrix: Matrix) -> float:
    """The largest eigenvalue of a symmetric matrix: exact for 2 x 2, else by power
    iteration on the matrix shifted to have no negative eigenvalue."""
    size = len(matrix)
    scale = max(abs(value) for row in matrix for value in row)
    if not math.isfinite(scale):
        return math.inf
    if scale == 0:
        return 0.0
    m = [[value / scale for value in row] for row in matrix]  # entries within [-1, 1]
    if size == 1:
        return matrix[0][0]
    if size == 2:
        (a, c), (_, d) = m
        half = (a - d) / 2
        return ((a + d) / 2 + math.sqrt(half * half + c * c)) * scale
    shift = max(math.fsum(abs(value) for value in row) for row in m)  # Gershgorin's bound
    shifted = [
        [value + (shift if i == j else 0.0) for j, value in enumerate(row)]
        for i, row in enumerate(m)
    ]
    vector = [1.0] * size
    for _ in range(ITERATIONS):
        product = _times(shifted, vector)
        largest = max(abs(value) for value in product)
        if largest == 0:
            return -shift * scale
        vector = [value / largest for value in product]
    product = _times(shifted, vector)
    rayleigh = math.fsum(p * v for p, v in zip(product, vector, strict=True)) / math.fsum(
        v * v for v in vector
    )
    return (rayleigh - shift) * scale


def _times(matrix: Matrix, vector: list[float]) -> list[float]:
    """The product of a matrix and a vector."""
    return [math.fsum(a * v for a, v in zip(row, vector, strict=True)) for row in matrix]


def hessian_by_differences(
    gradient: Callable[[list[float]], list[float]], params: Sequence[float]
) -> Matrix:
    """The Hessian at `params` from central differences of `gradient`, made symmetric."""
    size = len(params)
    columns = []
    for j in range(size):
        nudge = RELATIVE_NUDGE * max(1.0, abs(params[j]))
        up, down = list(params), list(params)
        up[j] += nudge
        down[j] -= nudge
        width = up[j] - down[j]  # the nudge as it was represented, twice
        rising, falling = gradient(up), gradient(down)
        columns.append([(a - b) / width for a, b in zip(rising, falling, strict=True)])
    return [[(columns[i][j] + columns[j][i]) / 2 for j in range(size)] for i in range(size)]


def stable_step(curvature: float, largest: float) -> float | None:
    """A round step size at or below 1 / curvature (and `largest`), None without one."""
    if not (math.isfinite(curvature) and curvature > 0):
        return None
    return round_down(min(1.0 / curvature, largest))


def round_down(value: float) -> float | None:
    """The largest of 1, 2 or 5 times a power of ten that is at most `value` (to the
    precision of its decimal form); None for a value too small for a float."""
    mantissa, exponent = f"{value:e}".split("e")
    leading = float(mantissa)
    digit = 5 if leading >= 5 else 2 if leading >= 2 else 1
    rounded = float(f"{digit}e{exponent}")
    return rounded if rounded > 0 else None
