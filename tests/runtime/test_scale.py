"""A million samples: full-batch steps agree with the per-sample sums and never visit a sample."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, SupportsIndex

import numpy as np
import pytest

from engine.runtime import trainer as trainer_module
from engine.runtime.data import Dataset, dataset
from engine.runtime.spec import DemoSettings, SyntheticData, TableData, TrainSettings
from engine.runtime.trainer import Trainer

MILLION = 1_000_000
STEPS = 20
STEP_SIZE = 0.01  # stable: below 2 / (2 mean x^2), the largest curvature, for x in [0, 10]
REL = 1e-9


class CountingList(list[float]):
    """A list that counts every pass over it and every lookup in it."""

    def __init__(self, values: list[float]) -> None:
        super().__init__(values)
        self.visits = 0

    def __iter__(self) -> Iterator[float]:
        self.visits += 1
        return super().__iter__()

    def __reversed__(self) -> Iterator[float]:
        self.visits += 1
        return super().__reversed__()

    def __getitem__(self, index: Any) -> Any:
        self.visits += 1
        return super().__getitem__(index)

    def __contains__(self, value: object) -> bool:
        self.visits += 1
        return super().__contains__(value)

    def index(self, value: float, *args: SupportsIndex) -> int:
        self.visits += 1
        return super().index(value, *args)

    def count(self, value: float) -> int:
        self.visits += 1
        return super().count(value)


def counted(spec: SyntheticData | TableData) -> Dataset:
    """The data `spec` describes, held in lists that count their visits."""
    data = dataset(spec)
    return replace(data, xs=CountingList(data.xs), ys=CountingList(data.ys))


def visits(trainer: Trainer) -> int:
    """How often the trainer's sample lists have been visited so far."""
    xs, ys = trainer.data.xs, trainer.data.ys
    assert isinstance(xs, CountingList) and isinstance(ys, CountingList)
    return xs.visits + ys.visits


def settings(n: int) -> DemoSettings:
    """A line demo on `n` synthetic points with the default step size of the bench."""
    return DemoSettings(data=SyntheticData(n=n), train=TrainSettings(step_size=STEP_SIZE))


@pytest.fixture(scope="module")
def million() -> Trainer:
    """A demo on 1,000,000 distinct synthetic points, in lists that count their visits."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trainer_module, "dataset", counted)
        trainer = Trainer(settings(MILLION))
    assert trainer.samples == MILLION
    return trainer


def doubled_to_a_million() -> Trainer:
    """15,625 synthetic points doubled six times: 1,000,000 samples."""
    trainer = Trainer(settings(15_625))
    for _ in range(6):
        trainer.double_samples()
    assert trainer.samples == MILLION
    return trainer


@dataclass(frozen=True)
class Points:
    """One route's samples, every copy spelt out, for the reference; a reader's file is
    trained on x' = (x - mean) * scale (engine/runtime/rescale.py), with w and b shown in
    the file's units."""

    xs: np.ndarray[Any, np.dtype[np.float64]]
    ys: np.ndarray[Any, np.dtype[np.float64]]
    mean: float = 0.0
    scale: float = 1.0


def every_sample(data: Dataset) -> Points:
    """The samples of `data` with the copies made by doubling written out."""
    xs, ys = np.array(data.xs, dtype=np.float64), np.array(data.ys, dtype=np.float64)
    return Points(np.tile(xs, data.copies), np.tile(ys, data.copies))


def a_million_row_csv() -> tuple[str, Points]:
    """CSV text of 1,000,000 rows near y = 2x + 3, and the numbers written into it.

    Each value is a whole number of thousandths, written as such ("1234e-3"): quick to
    write, and k / 1000 is exactly the float a reader of "{k}e-3" gets (both round the
    same rational number correctly).
    """
    rng = np.random.default_rng(11)
    xs = rng.integers(-5000, 5000, MILLION)
    ys = 2 * xs + 3000 + rng.integers(-1500, 1500, MILLION)
    rows = map("{}e-3,{}e-3\n".format, xs.tolist(), ys.tolist())
    return "x,y\n" + "".join(rows), Points(xs / 1000, ys / 1000)


@dataclass(frozen=True)
class Readout:
    """What the page shows after a step."""

    total: float
    average: float
    effective_step: float
    w: float
    b: float


def naive_run(points: Points, proportional: bool, steps: int) -> list[Readout]:
    """Least-squares gradient descent the long way: every step visits every sample.

    Each sample's residual r = w x + b - y; total loss sum r^2, average loss total / n;
    the step moves against the gradient of the average, (2 sum r x / n, 2 sum r / n), by
    step_size, or with the proportional step by step_size * average now / average at start.
    """
    n = len(points.xs)
    xs = (points.xs - points.mean) * points.scale
    w = b = 0.0

    def losses() -> tuple[float, float]:
        residuals = w * xs + b - points.ys
        total = float(np.sum(residuals * residuals))
        return total, total / n

    def shown(w: float, b: float) -> tuple[float, float]:
        return w * points.scale, b - w * points.scale * points.mean

    def step_size(average: float) -> float:
        return STEP_SIZE * (average / start) if proportional else STEP_SIZE

    total, start = losses()
    readouts = [Readout(total, start, STEP_SIZE, *shown(w, b))]
    for _ in range(steps):
        step = step_size(total / n)
        residuals = w * xs + b - points.ys
        grad_w = 2.0 * float(np.sum(residuals * xs)) / n
        grad_b = 2.0 * float(np.sum(residuals)) / n
        w, b = w - step * grad_w, b - step * grad_b
        total, average = losses()
        readouts.append(Readout(total, average, step_size(average), *shown(w, b)))
    return readouts


def trainer_run(trainer: Trainer, proportional: bool, steps: int) -> list[Readout]:
    """The trainer's readouts at the start of a fresh run and after each of `steps` steps."""
    trainer.configure(step_size=STEP_SIZE, proportional=proportional)
    trainer.reset()

    def readout() -> Readout:
        params = trainer.params
        return Readout(
            trainer.total_loss,
            trainer.average_loss,
            trainer.effective_step,
            params["w"],
            params["b"],
        )

    readouts = [readout()]
    for _ in range(steps):
        trainer.step()
        readouts.append(readout())
    return readouts


def assert_same_runs(ours: list[Readout], naive: list[Readout]) -> None:
    """Every readout of every step within REL of the naive one."""
    assert len(ours) == len(naive)
    for step, (got, expected) in enumerate(zip(ours, naive, strict=True)):
        for name in Readout.__dataclass_fields__:
            value, reference = getattr(got, name), getattr(expected, name)
            assert value == pytest.approx(reference, rel=REL, abs=0.0), f"{name} after {step}"
    assert naive[-1].average < naive[0].average / 2  # the run went somewhere


@pytest.fixture(params=["generated", "doubled", "uploaded"])
def a_million(request: pytest.FixtureRequest, million: Trainer) -> tuple[Trainer, Points]:
    """A demo at 1,000,000 samples reached one of three ways, and its samples spelt out."""
    if request.param == "generated":
        return million, every_sample(million.data)
    if request.param == "doubled":
        trainer = doubled_to_a_million()
        return trainer, every_sample(trainer.data)
    text, points = a_million_row_csv()
    trainer = Trainer(settings(30))
    trainer.load_csv(text, "million.csv")
    assert trainer.samples == MILLION and trainer.data.label == "million.csv (1000000 rows)"
    rescaled = trainer.state()["rescaled"]
    assert rescaled["mean"] == pytest.approx(float(np.mean(points.xs)), rel=1e-12)
    spread = float(np.std(Trainer(settings(30)).data.xs)) / float(np.std(points.xs))
    assert rescaled["scale"] == pytest.approx(spread, rel=1e-12)
    return trainer, replace(points, mean=rescaled["mean"], scale=rescaled["scale"])


def test_a_million_samples_train_as_the_per_sample_sums(a_million: tuple[Trainer, Points]) -> None:
    trainer, points = a_million
    for proportional in (False, True):
        ours = trainer_run(trainer, proportional, STEPS)
        assert_same_runs(ours, naive_run(points, proportional, STEPS))


def test_a_step_at_a_million_samples_visits_no_sample(million: Trainer) -> None:
    million.configure(proportional=False)
    million.reset()
    before = visits(million)
    million.step(STEPS)
    million.configure(proportional=True, step_size=0.02)
    million.step(STEPS)
    million.reset()
    start = million.average_loss
    million.step()
    assert (million.iteration, million.samples) == (1, MILLION)
    assert 0 < million.average_loss < start and million.effective_step < 0.02
    assert visits(million) == before


def test_a_step_at_a_million_samples_made_by_doubling_visits_none() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trainer_module, "dataset", counted)
        trainer = doubled_to_a_million()
    before = visits(trainer)
    trainer.step(STEPS)
    assert visits(trainer) == before
    trainer.double_samples()  # unlike a step, doubling may sum the distinct samples again
    after_doubling = visits(trainer)
    trainer.step(STEPS)
    assert trainer.samples == 2 * MILLION and trainer.iteration == 2 * STEPS
    assert visits(trainer) == after_doubling


def test_the_state_a_step_replies_with_visits_no_sample(million: Trainer) -> None:
    million.reset()
    million.state()  # the first state after a data change samples the points for the chart
    before = visits(million)
    million.step()
    state = million.state()
    assert state["iteration"] == 1 and state["points"] is None
    assert visits(million) == before
