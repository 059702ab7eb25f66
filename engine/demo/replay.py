"""A demo's default run recorded step by step, for the page to replay before Python is ready.

The build runs each demo's default run in CPython with the very runtime the browser runs,
so every number of it is known, bit for bit, before the page loads. The page replays the
recording when the reader presses Step, Play or Reset while Python is still starting, and
Python then takes over from the state reached (`demo:init` with `steps`, see bridge.py).

The numbers travel as little-endian float64s in base64 (`engine/static/replay.js` reads
them back): per step the total loss, the average loss, the effective step and each
parameter (in `parameters` order), and, for models the page cannot evaluate itself, the fit's predictions.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.runtime.trainer import Trainer

# Models whose fit line the page draws from the parameters itself (replay.js has the same
# formula); for the others the recording carries every step's predictions.
PAGE_MODELS = ("linear",)


@dataclass
class Recording:
    """The states of a run after each call of `step(1)`, as the page replays them."""

    model: str
    parameters: list[str]  # in the order of each step's numbers
    fit_xs: list[float]
    numbers: list[float] = field(default_factory=list)
    fits: list[float] = field(default_factory=list)
    steps: int = 0
    diverged: str | None = None  # the message, when the run diverged on its last step
    divergence: dict[str, Any] | None = None  # and why, as the trainer's state says it

    def add(self, trainer: Trainer) -> None:
        """Record the trainer's state after one more step call."""
        self.steps += 1
        self.numbers += [trainer.total_loss, trainer.average_loss, trainer.effective_step]
        self.numbers += trainer.params.values()
        if self.model not in PAGE_MODELS:
            self.fits += trainer.predictions(self.fit_xs)
        if trainer.status == "diverged":
            self.diverged, self.divergence = trainer.message, trainer.divergence

    def to_json(self) -> dict[str, Any]:
        """The recording as the page reads it."""
        return {
            "steps": self.steps,
            "parameters": self.parameters,
            "fit_xs": _packed(self.fit_xs),
            "numbers": _packed(self.numbers),
            "fits": None if self.model in PAGE_MODELS else _packed(self.fits),
            "diverged": self.diverged,
            "divergence": self.divergence,
        }


def recording(trainer: Trainer) -> Recording:
    """An empty recording of `trainer`'s run, to `add` its states to."""
    return Recording(trainer.model_name, list(trainer.params), trainer.fit_positions())


def _packed(values: Iterable[float]) -> str:
    """Float64s, little-endian, in base64 (non-finite values included: a diverging fit)."""
    values = list(values)
    return base64.b64encode(struct.pack(f"<{len(values)}d", *values)).decode("ascii")
