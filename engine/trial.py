"""Run a demo for some steps in CPython and describe what went wrong, if anything."""

from __future__ import annotations

from pathlib import Path

from engine.demos import DemoBlock
from engine.errors import display_path
from engine.modelfiles import traceback_line
from engine.runtime.trainer import Trainer


class DemoFailed(Exception):
    """A demo's model raised while the build ran its default run."""


def trial_run(block: DemoBlock, trainer: Trainer, steps: int) -> str:
    """Step `trainer`; an empty string, or what happened (raised, or diverged)."""
    try:
        trainer.step(steps)
    except Exception as exc:  # an author's model may raise anything
        return f"raised {type(exc).__name__}: {exc}{model_line(block, exc)}"
    if trainer.status == "diverged":
        return f"diverged within {steps} steps: {trainer.message}"
    return ""


def model_line(block: DemoBlock, error: Exception) -> str:
    """` (at content/models/m.py:7)` when the error came from the demo's author model."""
    model = block.model_file
    line = traceback_line(error, model.filename) if model else 0
    return f" (at {display_path(Path(model.filename))}:{line})" if model and line else ""
