"""The linear model: its O(1) full-batch path against sample-by-sample sums."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from engine.runtime.data import Dataset, synthetic
from engine.runtime.models import (
    LinearModel,
    LinearStats,
    get_model,
    initial_params,
    mean_gradient,
    model_parameters,
    naive_total_loss,
)
from engine.runtime.spec import SyntheticData

LINEAR = LinearModel()
PARAMS = [(0.0, 0.0), (2.0, 1.0), (-3.5, 12.25), (1.9, 1.3), (1e-3, -7.0)]


def close(a: float, b: float, rel: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=0.0)


def exact_loss_and_gradient(points: Dataset, w: float, b: float) -> tuple[float, float, float]:
    """Total loss and average-loss gradient in exact rational arithmetic, sample by sample."""
    samples = [points.sample(i) for i in range(points.size)]
    residuals = [
        (Fraction(w) * Fraction(x) + Fraction(b) - Fraction(y), Fraction(x)) for x, y in samples
    ]
    total = sum((r * r for r, _ in residuals), Fraction(0))
    n = len(samples)
    grad_w = sum((2 * r * x for r, x in residuals), Fraction(0)) / n
    grad_b = sum((2 * r for r, _ in residuals), Fraction(0)) / n
    return float(total), float(grad_w), float(grad_b)


@pytest.mark.parametrize(("w", "b"), PARAMS)
def test_fast_path_matches_sample_by_sample_floats(w: float, b: float) -> None:
    points = synthetic(SyntheticData(n=50, slope=1.9, intercept=1.3, noise=2.0, x_min=-3, x_max=12))
    stats = LinearStats.of(points)
    samples = list(zip(points.xs, points.ys, strict=True))
    assert close(stats.total_loss([w, b]), naive_total_loss(LINEAR, [w, b], points), 1e-9)
    fast = stats.average_gradient([w, b])
    naive = mean_gradient(LINEAR, [w, b], samples)
    scale = max(abs(g) for g in naive)
    assert all(abs(f - g) <= 1e-9 * scale for f, g in zip(fast, naive, strict=True))


@pytest.mark.parametrize(
    ("w", "b"), [(2.0, 1.0), (2.001, -5.0), (0.0, 0.0), (1.5, 5e5), (2.0, 1.7)]
)
@pytest.mark.parametrize("doublings", [0, 1, 3])
def test_fast_path_is_exact_to_1e9_far_from_the_origin(w: float, b: float, doublings: int) -> None:
    spec = SyntheticData(n=40, slope=2.0, intercept=1.0, noise=1.0, x_min=1e6, x_max=1e6 + 10)
    points = synthetic(spec)
    for _ in range(doublings):
        points = points.doubled()
    stats = LinearStats.of(points)
    total, grad_w, grad_b = exact_loss_and_gradient(points, w, b)
    assert close(stats.total_loss([w, b]), total, 1e-9)
    fast_w, fast_b = stats.average_gradient([w, b])
    # The gradient nearly vanishes at the best fit, so compare on the scale of its parts.
    scale = 2.0 * math.sqrt(total / points.size) * (1e6 + 10)
    assert abs(fast_w - grad_w) <= 1e-9 * scale
    assert abs(fast_b - grad_b) <= 1e-9 * scale / 1e6


def test_doubling_doubles_the_sums_exactly() -> None:
    points = synthetic(SyntheticData(n=33, noise=3.0, seed=4))
    once, twice = LinearStats.of(points), LinearStats.of(points.doubled())
    assert twice.n == 2 * once.n and twice.sxx == 2 * once.sxx and twice.sy == 2 * once.sy
    assert (twice.mean_x, twice.mean_y) == (once.mean_x, once.mean_y)
    for params in PARAMS:
        assert twice.total_loss(params) == 2 * once.total_loss(params)
        assert twice.average_gradient(params) == once.average_gradient(params)


def test_perfect_fit_has_zero_loss_not_below() -> None:
    points = Dataset([0.1, 0.7, 3.3], [2.0 * x + 0.3 for x in (0.1, 0.7, 3.3)], "line")
    assert 0.0 <= LinearStats.of(points).total_loss([2.0, 0.3]) < 1e-24


def test_per_sample_gradient_of_the_linear_model() -> None:
    # r = 2*3 + 1 - 4 = 3: d(r^2)/dw = 2 r x = 18, d(r^2)/db = 2 r = 6
    assert LINEAR.sample_gradient([2.0, 1.0], 3.0, 4.0) == [18.0, 6.0]
    assert LINEAR.predict([2.0, 1.0], 3.0) == 7.0


def test_model_lookup_and_initial_values() -> None:
    assert get_model("linear").parameter_names == ("w", "b")
    assert model_parameters("linear") == ("w", "b")
    with pytest.raises(ValueError, match=r'^unknown model "quadratic" \(known models: "linear"\)$'):
        get_model("quadratic")
    assert initial_params(LINEAR, {}) == [0.0, 0.0]
    assert initial_params(LINEAR, {"b": 2}) == [0.0, 2.0]
    assert initial_params(LINEAR, {"b": 2.5, "w": -1.0}) == [-1.0, 2.5]
    with pytest.raises(ValueError, match=r'^model "linear" has no parameter "c" \(it has w, b\)$'):
        initial_params(LINEAR, {"c": 1.0})
    with pytest.raises(ValueError, match="initial value of w must be a finite number"):
        initial_params(LINEAR, {"w": math.inf})
