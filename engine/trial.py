"""Run a demo for some steps in CPython and describe what went wrong, if anything."""

from __future__ import annotations

from pathlib import Path

from engine.demos import DemoBlock
from engine.errors import display_path
from engine.modelfiles import traceback_line
from engine.runtime.trainer import Trainer


class DemoFailed(Exception):
    """A demo's model raised while it was run in CPython."""


def start(block: DemoBlock) -> Trainer:
    """A trainer for the demo; DemoFailed if its model raises."""
    try:
        return Trainer(block.settings)
    except Exception as exc:  # an author's model may raise anything
        raise DemoFailed(raised(block, exc)) from None


def run_steps(block: DemoBlock, trainer: Trainer, steps: int) -> None:
    """Step `trainer`; DemoFailed if its model raises (a diverged run is not a failure)."""
    try:
        trainer.step(steps)
    except Exception as exc:  # an author's model may raise anything
        raise DemoFailed(raised(block, exc)) from None


def raised(block: DemoBlock, error: Exception) -> str:
    """`raised ValueError: … (at content/models/m.py:7)`."""
    return f"raised {type(error).__name__}: {error}{model_line(block, error)}"


def model_line(block: DemoBlock, error: Exception) -> str:
    """` (at content/models/m.py:7)` when the error came from the demo's author model."""
    model = block.model_file
    line = traceback_line(error, model.filename) if model else 0
    return f" (at {display_path(Path(model.filename))}:{line})" if model and line else ""
