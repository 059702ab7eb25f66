"""Step sizes that are stable: the curvature of the average loss, exact for the line, and
readers' files rescaled so that the demo's step size suits them."""

from __future__ import annotations

import math
import random
import sys
import types

import numpy as np
import pytest

from engine.runtime.authored import PACKAGE
from engine.runtime.data import Dataset
from engine.runtime.models import LinearStats
from engine.runtime.rescale import Rescaling
from engine.runtime.spec import DemoSettings, SyntheticData, TableData, TrainSettings
from engine.runtime.stability import (
    EDGE_SHARE,
    hessian_by_differences,
    largest_eigenvalue,
    round_down,
    stable_step,
)
from engine.runtime.trainer import Trainer


def data(xs: list[float], ys: list[float]) -> Dataset:
    return Dataset(xs, ys, "test")


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("seed", range(6))
def test_the_largest_eigenvalue_of_symmetric_matrices(size: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    scale = 10.0 ** rng.integers(-200, 200)
    raw = rng.normal(size=(size, size))
    matrix = (raw + raw.T) * scale  # often indefinite
    if seed % 2:
        matrix = raw @ raw.T * scale  # positive semi-definite, as a Hessian near a minimum
    expected = float(np.linalg.eigvalsh(matrix)[-1])
    ours = largest_eigenvalue(matrix.tolist())
    assert ours == pytest.approx(expected, rel=1e-6, abs=1e-9 * scale)


def test_the_lines_hessian_comes_from_its_statistics() -> None:
    rng = random.Random(3)
    xs = [1e6 + rng.random() * 10 for _ in range(50)]
    ys = [rng.random() for _ in range(50)]
    design = np.array([xs, [1.0] * 50]).T
    expected = 2 * design.T @ design / 50
    stats = LinearStats.of(data(xs, ys))
    assert np.allclose(stats.hessian(), expected, rtol=1e-12, atol=0)


def test_differences_measure_a_quadratic_loss_exactly() -> None:
    stats = LinearStats.of(data([0.0, 1.0, 2.0, 5.0], [1.0, 2.0, 2.5, 7.0]))
    measured = hessian_by_differences(stats.average_gradient, [0.3, -2.0])
    assert np.allclose(measured, stats.hessian(), rtol=1e-9)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(0.0617, 0.05), (0.05, 0.05), (0.0499, 0.02), (1.9, 1.0), (7e-300, 5e-300), (3e300, 2e300)],
)
def test_round_down(value: float, rounded: float) -> None:
    assert round_down(value) == rounded


def test_no_curvature_no_step() -> None:
    assert stable_step(0.0, 1e6) is None
    assert stable_step(math.inf, 1e6) is None
    assert stable_step(1e-12, 1e6) == 1e6  # never past the largest step size


@pytest.mark.parametrize("seed", range(8))
def test_the_suggested_step_is_stable_and_twice_the_edge_is_not(seed: int) -> None:
    rng = random.Random(seed)
    offset, spread = rng.choice([0.0, 3.0, -50.0, 1e4]), rng.choice([0.01, 1.0, 300.0])
    xs = tuple(offset + spread * rng.random() for _ in range(30))
    ys = tuple(2.0 * x + rng.random() for x in xs)
    settings = DemoSettings(data=TableData("t.csv", xs, ys), train=TrainSettings(step_size=1e6))
    diverging = Trainer(settings)
    diverging.step(2000)
    assert diverging.status == "diverged"
    facts = diverging.divergence
    assert facts is not None
    curvature = largest_eigenvalue(LinearStats.of(diverging.data).hessian())
    edge = 2 / curvature  # beyond it every step grows
    assert facts["stable_step"] <= EDGE_SHARE * edge < 2.5 * facts["stable_step"]
    stable = Trainer(settings)
    stable.configure(step_size=facts["stable_step"])
    stable.step(3000)
    assert stable.status == "ready" and stable.average_loss < stable.state()["curve"]["losses"][0]
    beyond = Trainer(settings)
    beyond.configure(step_size=2.05 / curvature)  # past the edge: every step grows
    beyond.step(5000)
    assert beyond.status == "diverged"


def test_the_advice_on_the_example_posts_first_demo_is_what_the_post_says() -> None:
    """The post tells readers 0.05 trains well and 0.3 diverges: a run at 0.3 names 0.05,
    the largest round step that keeps a margin from the edge of stability (0.099 here)."""
    data = SyntheticData(n=30, slope=2.0, intercept=3.0, noise=1.5, x_min=-5, x_max=5, seed=7)
    diverging = Trainer(DemoSettings(data=data, train=TrainSettings(step_size=0.3)))
    diverging.step(200)
    assert diverging.divergence is not None and diverging.divergence["stable_step"] == 0.05
    advised = Trainer(DemoSettings(data=data, train=TrainSettings(step_size=0.05)))
    advised.step(200)
    assert advised.status == "ready" and advised.average_loss < 3.1


def test_an_author_models_stable_step_is_measured() -> None:
    source = 'PARAMETERS = {"a": 0.0, "b": 0.0}\ndef predict(params, x):\n    return params["a"] * x * x + params["b"]\n'
    made = types.ModuleType(f"{PACKAGE}.curve")
    exec(source, made.__dict__)
    sys.modules[f"{PACKAGE}.curve"] = made
    try:
        settings = DemoSettings(
            model="models/curve.py",
            data=SyntheticData(n=20, x_min=0, x_max=3, seed=2),
            train=TrainSettings(step_size=1.0),
        )
        trainer = Trainer(settings)
        trainer.step(1000)
        facts = trainer.divergence
        assert facts is not None
        xs = np.array(trainer.data.xs)
        design = np.array([xs * xs, np.ones_like(xs)]).T
        curvature = float(np.linalg.eigvalsh(2 * design.T @ design / len(xs))[-1])
        assert facts["stable_step"] == round_down(EDGE_SHARE * 2 / curvature)
        calm = Trainer(settings)
        calm.configure(step_size=facts["stable_step"])
        calm.step(1000)
        assert calm.status == "ready"
    finally:
        sys.modules.pop(f"{PACKAGE}.curve", None)


# --- readers' files -------------------------------------------------------------------


def own() -> LinearStats:
    """The demo's own data: 30 points with x in [-5, 5]."""
    return LinearStats.of(Trainer(DemoSettings(data=SyntheticData(n=30, x_min=-5, x_max=5))).data)


@pytest.mark.parametrize(
    ("offset", "spread"), [(0.0, 1e-3), (2000.0, 1.0), (1e6, 1e6), (-3.0, 40.0)]
)
def test_a_file_is_centred_and_given_the_demos_spread(offset: float, spread: float) -> None:
    rng = random.Random(1)
    xs = [offset + spread * rng.random() for _ in range(40)]
    ys = [rng.random() for _ in range(40)]
    file = LinearStats.of(data(xs, ys))
    rescaling = Rescaling.between(own(), file)
    assert rescaling is not None
    moved = [rescaling.x(x) for x in xs]
    assert abs(np.mean(moved)) < 1e-9 * np.std(moved)
    assert np.std(moved) == pytest.approx(math.sqrt(own().sxx / own().n), rel=1e-12)
    # The statistics of the rescaled file, in O(1), are those of the rescaled samples.
    direct = LinearStats.of(data(moved, ys))
    scaled = rescaling.stats(file)
    for name in ("n", "mean_y", "sxx", "sxy", "syy"):
        assert getattr(scaled, name) == pytest.approx(getattr(direct, name), rel=1e-9), name
    # The line is the same line in either units.
    line = [1.7, -0.4]
    w_, b_ = rescaling.from_file(line)
    assert rescaling.to_file([w_, b_]) == pytest.approx(line, rel=1e-12, abs=1e-9)
    for x in xs[:5]:
        assert w_ * rescaling.x(x) + b_ == pytest.approx(line[0] * x + line[1], rel=1e-9)
    assert rescaling.to_file(rescaling.from_file([0.0, 0.0])) == [0.0, 0.0]


def test_a_file_without_spread_is_only_moved_and_one_like_the_demo_is_left() -> None:
    flat = LinearStats.of(data([7.0, 7.0, 7.0], [1.0, 2.0, 3.0]))
    moved = Rescaling.between(own(), flat)
    assert moved == Rescaling(7.0, 1.0)
    same = LinearStats.of(data([-1.0, 1.0], [0.0, 0.0]))
    unit = LinearStats.of(data([-1.0, 1.0], [5.0, 6.0]))
    assert Rescaling.between(same, unit) is None
