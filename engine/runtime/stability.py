"""Which step sizes are stable: the curvature of the average loss, and a round step below it.

Near a minimum the average loss is close to a quadratic bowl with Hessian H. A gradient
step of size s multiplies the distance to the minimum along each eigenvector of H by
(1 - s λ), where λ is that direction's curvature (eigenvalue). The steepest direction, the
largest λ, decides: steps shrink the distance for s < 2 / λ and grow it beyond, which is
the divergence a reader sees. This module suggests the largest step size that keeps a
margin from that edge, EDGE_SHARE of it, rounded down to 1, 2 or 5 times a power of ten:
at 0.8 times 2 / λ each step still shrinks the steepest distance by at least 0.6, and the
rounding takes off another factor of up to 2.5. (The example post tells readers 0.05
works on its first demo, whose edge is 0.099: 1 / λ, 0.0496, would round to 0.02.)

For the built-in line H is constant and known exactly from the data's statistics
(`LinearStats.hessian`). For an author's model it is measured by central differences of
the gradient at the run's starting parameters. Either way it is a small symmetric matrix
(a row per parameter), whose largest eigenvalue Jacobi's method finds with + - * / and
square roots only, which give the same numbers in every Python.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

Matrix = list[list[float]]
SWEEPS = 50  # of Jacobi's method, which needs some ten for a matrix of a few dozen rows
TOLERANCE = 1e-30  # off-diagonal entries this small next to the diagonal count as zero
RELATIVE_NUDGE = 1e-4  # of each parameter, for the central differences
EDGE_SHARE = 0.8  # of the edge of stability, 2 / curvature, that a suggested step may reach


def largest_eigenvalue(matrix: Matrix) -> float:
    """The largest eigenvalue of a symmetric matrix, by Jacobi's method: rotations that
    zero the off-diagonal entries one by one leave the eigenvalues on the diagonal."""
    scale = max(abs(value) for row in matrix for value in row)
    if not math.isfinite(scale):
        return math.inf
    if scale == 0:
        return 0.0
    a = [[value / scale for value in row] for row in matrix]  # entries within [-1, 1]
    size = len(a)
    for _ in range(SWEEPS):
        off = math.fsum(a[i][j] * a[i][j] for i in range(size) for j in range(i + 1, size))
        if off <= TOLERANCE * math.fsum(a[i][i] * a[i][i] for i in range(size)) or off == 0:
            break
        for p in range(size):
            for q in range(p + 1, size):
                if a[p][q] != 0:
                    _rotate(a, p, q)
    return max(a[i][i] for i in range(size)) * scale


def _rotate(a: Matrix, p: int, q: int) -> None:
    """The Jacobi rotation of rows and columns p and q that makes a[p][q] zero."""
    theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q])
    if abs(theta) > 1e150:  # theta squared would overflow; t is then 1 / (2 theta)
        t = 0.5 / theta
    else:
        t = (1.0 if theta >= 0 else -1.0) / (abs(theta) + math.sqrt(theta * theta + 1.0))
    c = 1.0 / math.sqrt(t * t + 1.0)
    s = t * c
    for row in a:
        row[p], row[q] = c * row[p] - s * row[q], s * row[p] + c * row[q]
    a[p], a[q] = (
        [c * x - s * y for x, y in zip(a[p], a[q], strict=True)],
        [s * x + c * y for x, y in zip(a[p], a[q], strict=True)],
    )


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
    """A round step size at or below EDGE_SHARE of the edge 2 / curvature (and at most
    `largest`), None without one."""
    if not (math.isfinite(curvature) and curvature > 0):
        return None
    return round_down(min(EDGE_SHARE * 2.0 / curvature, largest))


def round_down(value: float) -> float | None:
    """The largest of 1, 2 or 5 times a power of ten that is at most `value` (to the
    precision of its decimal form); None for a value too small for a float."""
    mantissa, exponent = f"{value:e}".split("e")
    leading = float(mantissa)
    digit = 5 if leading >= 5 else 2 if leading >= 2 else 1
    rounded = float(f"{digit}e{exponent}")
    return rounded if rounded > 0 else None
