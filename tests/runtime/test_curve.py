"""The loss curve keeps at most 2000 points and hands out what the page has not seen."""

from __future__ import annotations

from engine.runtime.contract import CURVE_POINTS
from engine.runtime.curve import LossCurve


def test_thinning_keeps_multiples_of_the_stride() -> None:
    curve = LossCurve()
    curve.restart(100.0)
    for iteration in range(1, 50_001):
        curve.record(iteration, 100.0 / (iteration + 1))
        assert len(curve.iterations) <= CURVE_POINTS
    assert curve.stride == 32
    assert curve.iterations == list(range(0, 50_001, 32))
    assert curve.losses[1] == 100.0 / 33


def test_take_is_full_after_restart_and_thinning_else_incremental() -> None:
    curve = LossCurve()
    curve.restart(1.0)
    assert curve.take() == {"full": True, "iterations": [0], "losses": [1.0]}
    for iteration in range(1, 2000):
        curve.record(iteration, 1.0)
    assert curve.take()["iterations"] == list(range(1, 2000))
    curve.record(2000, 1.0)  # 2001 points: every other one goes
    update = curve.take()
    assert update["full"] is True and update["iterations"] == list(range(0, 2001, 2))
    curve.record(2001, 0.5)  # off the stride: not kept
    curve.record(2002, 0.5)
    assert curve.take() == {"full": False, "iterations": [2002], "losses": [0.5]}


def test_snapshot_ends_at_the_current_iteration() -> None:
    curve = LossCurve()
    curve.restart(4.0)
    for iteration in range(1, 2002):
        curve.record(iteration, 1.0)
    snapshot = curve.snapshot(2001, 1.0)
    assert snapshot["iterations"][-2:] == [2000, 2001]
    assert curve.iterations[-1] == 2000  # the curve itself is unchanged
