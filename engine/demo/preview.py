"""A demo's default run, computed at build time in CPython with the runtime the browser runs.

Its state at iteration 0 fills the readouts and the live charts' first frame; its first
PREVIEW_STEPS steps become static figures, in the HTML before any script runs, and a
recording the page replays until Python is ready (replay.py). `explainer check` runs
demos the same way, for longer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from engine.demo import figures
from engine.demo.block import DemoBlock
from engine.demo.modelfile import AUTHOR_ERRORS, traceback_line
from engine.demo.replay import recording
from engine.errors import display_path
from engine.runtime.models import LinearStats
from engine.runtime.spec import SyntheticData
from engine.runtime.summary import SUMMARY_FROM, summarize
from engine.runtime.trainer import Trainer

PREVIEW_STEPS = 200  # length of the default run drawn into the page
FIGURE_STEPS = 2000  # a ```figure block's run: long enough to show where a run ends up
FIGURE_TREND = 100  # a figure's loss chart also draws the mean of each this many steps
FIGURE_POINTS = 400  # at most this many data points in a static chart
T = TypeVar("T")


class DemoFailed(Exception):
    """A demo's model raised while it was run in CPython."""


@dataclass(frozen=True)
class Preview:
    """The demo at iteration 0, its default run drawn as SVG by chart name, and the same
    run recorded step by step for the page (see replay.py)."""

    initial: dict[str, Any]
    figures: dict[str, str]
    replay: dict[str, Any]
    warning: str = ""  # what the build warns about the run: that it diverges, if it does
    summary: dict[str, Any] | None = None  # of large synthetic data, see runtime/summary.py


def preview(block: DemoBlock, figure: bool = False) -> Preview:
    """Run the demo's default run (FIGURE_STEPS long for a ```figure block, which also
    gets its loss chart drawn for narrow columns); DemoFailed (naming the demo) if its
    model raises."""
    try:
        trainer = start(block)
        initial = model_call(block, trainer.state)
    except DemoFailed as exc:
        raise DemoFailed(f'demo "{block.id}" {exc}') from None
    summary = data_summary(block, trainer)
    steps = FIGURE_STEPS if figure else PREVIEW_STEPS
    drawn, replay = default_run(block, trainer, initial, steps, narrow=figure)
    return Preview(initial, drawn, replay, default_run_warning(trainer, steps), summary)


def data_summary(block: DemoBlock, trainer: Trainer) -> dict[str, Any] | None:
    """What the browser needs to know of a line demo's large synthetic data instead of
    drawing it (see engine/runtime/summary.py); None for other demos."""
    spec, stats = block.settings.data, trainer.full_batch
    if not isinstance(spec, SyntheticData) or spec.n < SUMMARY_FROM:
        return None
    if not isinstance(stats, LinearStats):
        return None
    return summarize(trainer.data, dataclasses.asdict(stats))


def default_run_warning(trainer: Trainer, steps: int = PREVIEW_STEPS) -> str:
    """What to warn about a demo after its default run: that it diverged, if it did."""
    facts = trainer.divergence
    if facts is None:
        return ""
    return (
        f"diverges after {facts['iteration']} steps of its default run of {steps}; "
        f"on its data a step size of {facts['stable_step']:g} or less is stable, "
        f"not {facts['step_size']:g}"
    )


def start(block: DemoBlock) -> Trainer:
    """A trainer for the demo; DemoFailed if its model raises."""
    return model_call(block, lambda: Trainer(block.settings))


def run_steps(block: DemoBlock, trainer: Trainer, steps: int) -> None:
    """Step `trainer`; DemoFailed if its model raises (a diverged run is not a failure)."""
    model_call(block, lambda: trainer.step(steps))


def model_call(block: DemoBlock, call: Callable[[], T]) -> T:
    """`call()`, which runs the demo's model; DemoFailed if that raises."""
    try:
        return call()
    except AUTHOR_ERRORS as exc:  # an author's model may raise anything, even SystemExit
        raise DemoFailed(raised(block, exc)) from None


def raised(block: DemoBlock, error: BaseException) -> str:
    """`raised ValueError: … (at content/models/m.py:7)`."""
    return f"raised {type(error).__name__}: {error}{model_line(block, error)}"


def model_line(block: DemoBlock, error: BaseException) -> str:
    """` (at content/models/m.py:7)` when the error came from the demo's author model."""
    model = block.model_file
    line = traceback_line(error, model.filename) if model else 0
    return f" (at {display_path(Path(model.filename))}:{line})" if model and line else ""


def default_run(
    block: DemoBlock,
    trainer: Trainer,
    initial: dict[str, Any],
    steps: int = PREVIEW_STEPS,
    narrow: bool = False,
) -> tuple[dict[str, str], dict[str, Any]]:
    """SVG charts of the data with the starting fit and of the default run's loss curve
    (with `narrow`, the loss chart also drawn for a narrow column as "loss-narrow"), and
    the run's recording, taken one step call at a time as the step button sends them."""
    points = initial["points"]
    stride = max(1, len(points["xs"]) // FIGURE_POINTS)
    shown = (points["xs"][::stride], points["ys"][::stride])
    params = ", ".join(f"{name} = {value:g}" for name, value in initial["params"].items())
    columns = initial.get("columns") or {}
    fit = figures.fit_chart(
        shown,
        (initial["fit"]["xs"], initial["fit"]["ys"]),
        f"{initial['data_label']}, with the model's starting fit ({params}).",
        names=(columns.get("x", "x"), columns.get("y", "y")),
        chart_id=f"{block.id}-fit",
    )
    start = trainer.average_loss
    record = recording(trainer)
    try:
        while record.steps < steps and trainer.status == "ready":
            run_steps(block, trainer, 1)
            record.add(trainer)
    except DemoFailed as exc:
        raise DemoFailed(
            f'demo "{block.id}" {exc} during its default run of {steps} steps'
        ) from None
    run = trainer.save_run()
    outcome = (
        f"diverges after {trainer.iteration} steps"
        if trainer.status == "diverged"
        else f"falls from {start:.4g} to {trainer.average_loss:.4g} over {trainer.iteration} steps"
    )
    curve = run["curve"]["iterations"], run["curve"]["losses"]
    description = f"With the default settings the average loss {outcome}."
    drawn = {"fit": fit, "loss": figures.loss_chart(*curve, description, f"{block.id}-loss")}
    if narrow:  # a figure: its long run, with the mean of each 100 steps over it
        # The curve keeps every `stride`-th step of a long run (runtime/curve.py).
        stride = curve[0][1] - curve[0][0] if len(curve[0]) > 1 else 1
        window = max(1, FIGURE_TREND // stride)
        trend = window if len(curve[0]) >= 2 * window else 0
        mean = f" The thicker line is the mean of each {FIGURE_TREND} steps." if trend else ""
        drawn["loss"] = figures.loss_chart(
            *curve, description + mean, f"{block.id}-loss", trend=trend
        )
        drawn["loss-narrow"] = figures.loss_chart(
            *curve, description + mean, f"{block.id}-loss-narrow", figures.NARROW, trend
        )
    return drawn, record.to_json()
