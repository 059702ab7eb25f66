"""Gradient descent as the page drives it: steps, settings, doubling, divergence, readouts."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import numpy as np
import pytest

from engine.runtime.csvdata import CsvError
from engine.runtime.data import synthetic
from engine.runtime.models import LinearModel, LinearStats, mean_gradient
from engine.runtime.spec import DemoSettings, SyntheticData, TableData, TrainSettings
from engine.runtime.trainer import Trainer


def make(
    step_size: float = 0.01,
    proportional: bool = False,
    batch: int | None = None,
    seed: int = 1,
    data: SyntheticData | TableData | None = None,
    init: dict[str, float] | None = None,
) -> Trainer:
    train = TrainSettings(step_size, proportional, batch, seed, init or {})
    return Trainer(DemoSettings(data=data or SyntheticData(), train=train))


def numbers(trainer: Trainer) -> tuple[Any, ...]:
    return (trainer.iteration, trainer.params, trainer.total_loss, trainer.effective_step)


def test_full_batch_converges_to_least_squares() -> None:
    data = SyntheticData(n=20, slope=2.0, intercept=1.0, noise=1.0, seed=7)
    points = synthetic(data)
    slope, intercept = np.polyfit(points.xs, points.ys, 1)
    trainer = make(step_size=0.02, data=data)  # stable below 2 / 80, the largest curvature
    trainer.step(5000)
    assert trainer.params["w"] == pytest.approx(slope, abs=1e-6)
    assert trainer.params["b"] == pytest.approx(intercept, abs=1e-6)
    residuals = np.polyval([slope, intercept], points.xs) - np.array(points.ys)
    assert trainer.total_loss == pytest.approx(float(residuals @ residuals), rel=1e-9)
    assert trainer.average_loss == trainer.total_loss / 20


def test_initial_state_uses_the_init_values() -> None:
    trainer = make(init={"b": 3.0})
    assert trainer.params == {"w": 0.0, "b": 3.0}
    assert (trainer.iteration, trainer.samples, trainer.status) == (0, 20, "ready")
    points = synthetic(SyntheticData())
    expected = math.fsum((3.0 - y) * (3.0 - y) for y in points.ys)
    assert trainer.total_loss == pytest.approx(expected, rel=1e-12)


def test_fixed_step_moves_along_the_average_gradient() -> None:
    trainer = make(step_size=0.003)
    stats = LinearStats.of(trainer.data)
    grad = stats.average_gradient([0.0, 0.0])
    trainer.step()
    assert trainer.params == {"w": -0.003 * grad[0], "b": -0.003 * grad[1]}
    assert trainer.effective_step == 0.003
    trainer.step(50)
    assert trainer.effective_step == 0.003


def test_proportional_step_follows_the_loss() -> None:
    trainer = make(step_size=0.01, proportional=True)
    start = trainer.average_loss
    assert trainer.effective_step == 0.01
    previous = trainer.effective_step
    for _ in range(20):
        trainer.step()
        assert trainer.effective_step == 0.01 * (trainer.average_loss / start)
        assert trainer.effective_step < previous
        previous = trainer.effective_step
    trainer.configure(proportional=False)
    assert trainer.effective_step == 0.01
    trainer.configure(proportional=True, step_size=0.02)
    assert trainer.effective_step == 0.02 * (trainer.average_loss / start)
    trainer.reset()
    assert trainer.effective_step == 0.02


def test_proportional_step_when_the_start_loss_is_zero() -> None:
    line = TableData(name="line.csv", xs=(0.0, 1.0, 2.0), ys=(1.0, 3.0, 5.0))
    trainer = make(step_size=0.1, proportional=True, data=line, init={"w": 2.0, "b": 1.0})
    assert trainer.average_loss == 0.0
    trainer.step(3)
    assert trainer.effective_step == 0.1
    assert trainer.params == {"w": 2.0, "b": 1.0}


def test_doubling_doubles_total_keeps_average_and_the_path() -> None:
    plain, doubled = make(), make()
    plain.step(10)
    doubled.step(10)
    total, average = doubled.total_loss, doubled.average_loss
    doubled.double_samples()
    assert doubled.samples == 40
    assert doubled.total_loss == pytest.approx(2 * total, rel=1e-12)
    assert doubled.average_loss == pytest.approx(average, rel=1e-12)
    assert doubled.iteration == 10
    plain.step(100)
    doubled.step(100)
    assert doubled.params == plain.params  # the gradient of the average does not change
    assert doubled.state()["data_label"] == "20 synthetic points (seed 7), doubled (40 samples)"


def test_mini_batches_follow_the_seeded_indices() -> None:
    trainer = make(step_size=0.01, batch=4, seed=3)
    trainer.step(3)
    points, model = synthetic(SyntheticData()), LinearModel()
    rng, params = random.Random(3), [0.0, 0.0]
    for _ in range(3):
        batch = [points.sample(int(rng.random() * 20)) for _ in range(4)]
        gradient = mean_gradient(model, params, batch)
        params = [p - 0.01 * g for p, g in zip(params, gradient, strict=True)]
    assert trainer.params == {"w": params[0], "b": params[1]}


def test_mini_batches_repeat_exactly() -> None:
    first, second = make(batch=3, seed=9), make(batch=3, seed=9)
    runs = []
    for trainer in (first, second):
        trainer.step(40)
        runs.append(numbers(trainer))
    assert runs[0] == runs[1]
    first.reset()
    first.step(40)
    assert numbers(first) == runs[0]
    other = make(batch=3, seed=10)
    other.step(40)
    assert other.params != first.params


def test_a_huge_step_diverges_and_reset_recovers() -> None:
    trainer = make(step_size=5.0)
    trainer.step(1000)
    assert trainer.status == "diverged"
    state = trainer.state()
    json.dumps(state, allow_nan=False)  # every number is finite
    assert 0 < state["iteration"] < 1000
    assert state["message"] == (
        f"Diverged after {state['iteration']} steps: the average loss grew over a trillion-fold since the run started. "
        "With step size 5 each step overshoots the minimum by more than the last; "
        "on this data a step size of 0.01 or less is stable."
    )
    assert state["divergence"] == {
        "iteration": state["iteration"],
        "cause": "the average loss grew over a trillion-fold since the run started",
        "step_size": 5.0,
        "stable_step": 0.01,
    }
    frozen = numbers(trainer)
    trainer.step(10)
    assert numbers(trainer) == frozen
    trainer.reset()
    assert (trainer.status, trainer.message, trainer.iteration) == ("ready", "", 0)
    assert trainer.state()["divergence"] is None
    trainer.configure(step_size=0.01)
    trainer.step(10)
    assert trainer.status == "ready"


def test_proportional_divergence_advises_a_stable_step() -> None:
    trainer = make(step_size=0.2, proportional=True)
    trainer.step(1000)
    assert trainer.status == "diverged"
    assert trainer.message.endswith("on this data a step size of 0.01 or less is stable.")
    json.dumps(trainer.state(), allow_nan=False)
    trainer.configure(step_size=0.01)
    trainer.reset()
    trainer.step(1000)
    assert trainer.status == "ready"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "the step size must be a number greater than 0 and at most 1000000, not 0"),
        (-0.5, "the step size must be a number greater than 0 and at most 1000000, not -0.5"),
        (math.nan, "the step size must be a number greater than 0 and at most 1000000, not nan"),
        (math.inf, "the step size must be a number greater than 0 and at most 1000000, not inf"),
        (2e6, "the step size must be a number greater than 0 and at most 1000000, not 2000000.0"),
        ("0.1", "the step size must be a number greater than 0 and at most 1000000, not '0.1'"),
        (True, "the step size must be a number greater than 0 and at most 1000000, not True"),
    ],
)
def test_configure_refuses_bad_step_sizes(value: Any, message: str) -> None:
    trainer = make()
    with pytest.raises(ValueError) as refused:
        trainer.configure(step_size=value)
    assert str(refused.value) == message
    assert trainer.effective_step == 0.01


def test_configure_and_step_refuse_bad_values() -> None:
    trainer = make()
    trainer.configure(step_size=1e6)
    assert trainer.effective_step == 1e6
    with pytest.raises(ValueError, match=r"^the proportional step must be true or false, not 1$"):
        trainer.configure(proportional=1)
    with pytest.raises(ValueError, match=r"^the number of steps must be from 1 to 100000, not 0$"):
        trainer.step(0)
    with pytest.raises(ValueError, match=r"^the number of steps must be a whole number, not 2\.5$"):
        trainer.step(2.5)  # type: ignore[arg-type]


def test_state_sends_points_only_when_the_data_changed() -> None:
    trainer = make()
    first = trainer.state()
    assert first["points"] == {"xs": trainer.data.xs, "ys": trainer.data.ys}
    trainer.step()
    assert trainer.state()["points"] is None
    trainer.reset()
    assert trainer.state()["points"] is None
    trainer.double_samples()
    assert len(trainer.state()["points"]["xs"]) == 20  # copies lie on their originals
    assert trainer.state()["points"] is None


def test_state_has_every_field_of_the_design() -> None:
    state = make(batch=5).state()
    assert list(state) == [
        "status", "message", "divergence", "iteration", "samples", "total_loss",
        "average_loss", "effective_step", "params", "settings", "data_label", "columns",
        "rescaled", "curve", "fit", "points",
    ]  # fmt: skip
    assert state["columns"] == {"x": "x", "y": "y"}
    assert state["rescaled"] is None and state["divergence"] is None
    assert state["settings"] == {"step_size": 0.01, "proportional": False, "batch": 5}
    assert state["curve"] == {"full": True, "iterations": [0], "losses": [state["average_loss"]]}


def test_points_are_a_stride_subsample_of_at_most_5000() -> None:
    xs = tuple(float(i) for i in range(12001))
    trainer = make(data=TableData(name="big.csv", xs=xs, ys=xs))
    points = trainer.state()["points"]
    assert len(points["xs"]) == 4001 and points["xs"][:3] == [0.0, 3.0, 6.0]
    assert points == make(data=TableData(name="big.csv", xs=xs, ys=xs)).state()["points"]


def test_fit_spans_the_data() -> None:
    trainer = make(init={"w": 2.0, "b": 1.0})
    fit = trainer.state()["fit"]
    assert len(fit["xs"]) == 64 and fit["xs"] == sorted(fit["xs"])
    assert (fit["xs"][0], fit["xs"][-1]) == (min(trainer.data.xs), max(trainer.data.xs))
    assert all(y == 2.0 * x + 1.0 for x, y in zip(fit["xs"], fit["ys"], strict=True))


@pytest.mark.parametrize(
    ("x", "low", "high"), [(4.0, 2.0, 6.0), (0.0, -1.0, 1.0), (-1e6, -1.5e6, -5e5)]
)
def test_fit_around_a_single_x(x: float, low: float, high: float) -> None:
    trainer = make(data=TableData(name="one.csv", xs=(x, x), ys=(1.0, 2.0)))
    fit = trainer.state()["fit"]
    assert len(set(fit["xs"])) == 64 and (fit["xs"][0], fit["xs"][-1]) == (low, high)


def test_curve_updates_are_incremental() -> None:
    trainer = make()
    assert trainer.state()["curve"]["full"] is True
    trainer.step(3)
    curve = trainer.state()["curve"]
    assert (curve["full"], curve["iterations"]) == (False, [1, 2, 3])
    assert trainer.state()["curve"] == {"full": False, "iterations": [], "losses": []}
    trainer.reset()
    assert trainer.state()["curve"]["full"] is True


def test_curve_stays_bounded_over_a_long_run() -> None:
    trainer = make(step_size=0.001)
    page: dict[str, list[Any]] = {"iterations": [], "losses": []}
    for _ in range(10):
        trainer.step(10_000)
        curve = trainer.state()["curve"]
        if curve["full"]:
            page = {"iterations": [], "losses": []}
        page["iterations"] += curve["iterations"]
        page["losses"] += curve["losses"]
    assert 1000 < len(page["iterations"]) <= 2000
    stride = page["iterations"][1]
    assert page["iterations"] == list(range(0, 100_001, stride))[: len(page["iterations"])]
    assert page["iterations"][-1] > 100_000 - stride


def test_save_run_describes_the_run() -> None:
    trainer = make(step_size=0.02)
    trainer.step(7)
    run = trainer.save_run()
    assert run == {
        "model": "linear",
        "settings": {"step_size": 0.02, "proportional": False, "batch": None},
        "data_label": "20 synthetic points (seed 7)",
        "samples": 20,
        "iteration": 7,
        "params": trainer.params,
        "average_loss": trainer.average_loss,
        "curve": {"iterations": list(range(8)), "losses": run["curve"]["losses"]},
    }
    assert run["curve"]["losses"][-1] == trainer.average_loss
    json.dumps(run, allow_nan=False)


def test_load_csv_replaces_the_data_and_restarts() -> None:
    trainer = make()
    trainer.step(5)
    trainer.configure(step_size=0.02)
    trainer.state()
    trainer.load_csv("x,y\n0,1\n1,3\n2,5\n", "line.csv")
    state = trainer.state()
    assert (state["iteration"], state["samples"], state["data_label"]) == (
        0,
        3,
        "line.csv (3 rows)",
    )
    assert state["points"] == {"xs": [0.0, 1.0, 2.0], "ys": [1.0, 3.0, 5.0]}
    assert state["curve"]["full"] is True and state["effective_step"] == 0.02


def test_a_refused_csv_changes_nothing() -> None:
    trainer = make()
    trainer.step(5)
    trainer.state()
    before = numbers(trainer), trainer.data
    with pytest.raises(CsvError, match=r'^line 2: "oops" is not a number; write numbers such'):
        trainer.load_csv("x,y\noops,1\n", "bad.csv")
    assert (numbers(trainer), trainer.data) == before
    assert trainer.state()["points"] is None


def test_unknown_model_and_bad_batch_are_refused() -> None:
    with pytest.raises(ValueError, match='unknown model "cubic"'):
        Trainer(DemoSettings(model="cubic"))
    with pytest.raises(ValueError, match='the batch must be "full"'):
        make(batch=0)


@pytest.mark.parametrize(
    ("train", "w", "b", "average"),
    [
        (TrainSettings(0.02), 2.040809620701127, 0.4415721883299324, 1.409466003430311),
        (TrainSettings(0.01, True), 2.060869562290612, 0.29743834693675275, 1.4142211384293422),
        (
            TrainSettings(0.01, False, 3, 5),
            1.918151350937448,
            0.3696493920849669,
            2.102114724139496,
        ),
    ],
)
def test_numbers_are_pinned_to_the_last_bit(
    train: TrainSettings, w: float, b: float, average: float
) -> None:
    # The same numbers must come out in the browser: a change here changes every page.
    trainer = Trainer(DemoSettings(train=train))
    trainer.step(1000)
    assert (trainer.params, trainer.average_loss) == ({"w": w, "b": b}, average)
