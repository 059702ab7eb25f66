"""Synthetic and table data, doubling, and the checks on values."""

from __future__ import annotations

import math
import random

import pytest

from engine.runtime import data
from engine.runtime.data import DataError, Dataset, synthetic, table
from engine.runtime.spec import SyntheticData, TableData


def test_synthetic_values_for_seed_7_are_pinned() -> None:
    points = synthetic(SyntheticData())  # n=20, slope 2, intercept 1, noise 1, x in [0, 10]
    assert points.size == 20
    assert (points.xs[0], points.ys[0]) == (3.238327648331624, 4.874109777643916)
    assert (points.xs[1], points.ys[1]) == (8.26852124672038, 16.865971860355135)
    assert (points.xs[19], points.ys[19]) == (9.042967745420398, 18.072145579591687)
    assert points.label == "20 synthetic points (seed 7)"


def test_synthetic_follows_the_documented_recipe() -> None:
    spec = SyntheticData(n=30, slope=-1.5, intercept=3.0, noise=0.5, x_min=-2, x_max=4, seed=11)
    rng = random.Random(11)
    expected_x, expected_y = [], []
    for _ in range(30):
        x = -2.0 + 6.0 * rng.random()
        noise = (math.fsum(rng.random() for _ in range(12)) - 6.0) * 0.5
        expected_x.append(x)
        expected_y.append(-1.5 * x + 3.0 + noise)
    points = synthetic(spec)
    assert points.xs == expected_x
    assert points.ys == expected_y


def test_synthetic_without_noise_lies_on_the_line() -> None:
    points = synthetic(SyntheticData(n=5, slope=-1.5, intercept=3, noise=0.0, seed=123))
    assert all(y == -1.5 * x + 3.0 for x, y in zip(points.xs, points.ys, strict=True))


def test_same_seed_same_points_other_seed_other_points() -> None:
    assert synthetic(SyntheticData(seed=5)) == synthetic(SyntheticData(seed=5))
    assert synthetic(SyntheticData(seed=5)).xs != synthetic(SyntheticData(seed=6)).xs


def test_one_synthetic_point_is_singular() -> None:
    assert synthetic(SyntheticData(n=1)).label == "1 synthetic point (seed 7)"


def test_synthetic_refuses_bad_counts_and_seeds() -> None:
    with pytest.raises(
        ValueError, match=r"^n must be a whole number at least 1 and at most 1000000, not 0$"
    ):
        synthetic(SyntheticData(n=0))
    with pytest.raises(ValueError, match="seed must be a whole number"):
        synthetic(SyntheticData(seed=1.5))  # type: ignore[arg-type]
    assert synthetic(SyntheticData(seed=7.0)).xs == synthetic(SyntheticData()).xs  # type: ignore[arg-type]


def test_table_keeps_the_authors_points() -> None:
    points = table(TableData(name="points.csv", xs=(1.0, 2.0), ys=(3.0, 5.0)))
    assert (points.xs, points.ys, points.label) == ([1.0, 2.0], [3.0, 5.0], "points.csv (2 rows)")
    assert table(TableData(name="one.csv", xs=(1.0,), ys=(2.0,))).label == "one.csv (1 row)"


def test_doubling_appends_a_copy_of_every_sample() -> None:
    points = Dataset([1.0, 2.0, 3.0], [4.0, 5.0, 6.0], "3 points")
    twice = points.doubled()
    assert twice.size == 6
    assert [twice.sample(i) for i in range(6)] == [(1.0, 4.0), (2.0, 5.0), (3.0, 6.0)] * 2
    assert twice.label == "3 points, doubled (6 samples)"
    assert twice.doubled().label == "3 points, doubled twice (12 samples)"
    assert twice.doubled().doubled().label == "3 points, doubled 3 times (24 samples)"
    assert points.size == 3  # the original is untouched


def test_doubling_stops_at_the_sample_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "MAX_SAMPLES", 10)
    points = Dataset([1.0, 2.0, 3.0], [4.0, 5.0, 6.0], "3 points").doubled()
    with pytest.raises(DataError) as refused:
        points.doubled()
    assert (
        str(refused.value)
        == "doubling again would make 12 samples, more than the 10 a demo can hold"
    )
    assert refused.value.line is None


@pytest.mark.parametrize(
    ("xs", "ys", "message"),
    [
        ([], [], "the data has no samples"),
        ([1.0], [1.0, 2.0], "the data has 1 x values but 2 y values"),
        ([math.nan], [1.0], "the data holds nan; values must be finite and within ±1e100"),
        ([1.0], [1e101], "the data holds 1e+101; values must be finite and within ±1e100"),
    ],
)
def test_datasets_refuse_unusable_values(xs: list[float], ys: list[float], message: str) -> None:
    with pytest.raises(ValueError) as refused:
        Dataset(xs, ys, "bad")
    assert str(refused.value) == message
