"""Numbers at the edges: 0, denormals and magnitudes up to the data's bound train, double,
upload and report without an exception or a number JSON cannot carry."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.runtime.csvdata import CsvError
from engine.runtime.data import DataError
from engine.runtime.spec import DemoSettings, TableData, TrainSettings
from engine.runtime.trainer import Trainer

EDGES = st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 2.2e-162, 1e-300, 1e-15, 1e100, -1e100])
VALUES = st.one_of(EDGES, st.floats(min_value=-1e100, max_value=1e100, allow_nan=False))
ROWS = st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=6)
STEPS = st.sampled_from([1e-300, 0.01, 1.0, 1e6])


def reported(trainer: Trainer) -> None:
    """The state is plain JSON; a diverged run names a stable step size."""
    json.dumps(trainer.state(), allow_nan=False)
    if trainer.status == "diverged":
        facts = trainer.divergence
        assert facts is not None and facts["stable_step"] > 0


def trained_and_doubled(trainer: Trainer) -> None:
    """Report, train, double, train again and report: every state plain JSON. Doubling a
    run whose total loss is near the largest float is refused, and changes nothing."""
    reported(trainer)
    trainer.step(20)
    before = trainer.state()
    try:
        trainer.double_samples()
    except DataError as refused:
        assert str(refused) == (
            "doubling now would make the total loss too large to compute; reset first"
        )
        assert trainer.state() == {**before, "curve": trainer.state()["curve"], "points": None}
    trainer.step(3)
    reported(trainer)


# A diverged run whose total loss is within a factor of two of the largest float: doubling
# it once gave an infinite total (not JSON), or an OverflowError from the line's sums.
NEAR_THE_TOP = [(0.0, 0.0), (4.781805720562195e16, 2.2e-162), (4.781805720562196e16, 0.0)]
OVERFLOWING = [(0.0, 0.0), (0.0, 1e-300), (4.7818057205621944e16, 0.0)]


@settings(max_examples=200, deadline=None)
@given(ROWS, STEPS)
@example(NEAR_THE_TOP, 1e6)
@example(OVERFLOWING, 1e6)
def test_an_authors_table_at_the_edges(rows: list[tuple[float, float]], step: float) -> None:
    xs, ys = (tuple(column) for column in zip(*rows, strict=True))
    settings_ = DemoSettings(data=TableData("t.csv", xs, ys), train=TrainSettings(step_size=step))
    try:
        trainer = Trainer(settings_)
    except ValueError as refused:  # squares past the largest float
        assert str(refused) == "the loss at the initial parameters is too large to compute"
        return
    trained_and_doubled(trainer)


@settings(max_examples=200, deadline=None)
@given(ROWS, STEPS)
def test_a_readers_file_at_the_edges(rows: list[tuple[float, float]], step: float) -> None:
    trainer = Trainer(DemoSettings(train=TrainSettings(step_size=step)))
    text = "x,y\n" + "".join(f"{x!r},{y!r}\n" for x, y in rows)
    try:
        trainer.load_csv(text, "f.csv")
    except CsvError as refused:
        assert refused.message == "the numbers are too large to fit a model to; scale them down"
        return
    trained_and_doubled(trainer)
