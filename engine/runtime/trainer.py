"""Gradient descent on one demo's model and data, with the readouts the page shows."""

from __future__ import annotations

import dataclasses
import math
import random
from typing import Any

from .contract import (
    FIT_POINTS,
    MAX_STEP_SIZE,
    MAX_STEPS_PER_CALL,
    checked,
    options,
)
from .csvdata import CsvError, parse_csv
from .curve import LossCurve
from .data import DataError, Dataset, dataset
from .models import (
    FullBatch,
    LinearModel,
    LinearStats,
    Model,
    get_model,
    initial_params,
    mean_gradient,
    naive_total_loss,
)
from .rescale import Rescaling
from .spec import DemoSettings, TrainSettings
from .stability import hessian_by_differences, largest_eigenvalue, round_down, stable_step
from .summary import chart_points

TRAIN_OPTIONS = options(TrainSettings)
# Settings a reader may change while a run goes on, and those saved runs record.
LIVE_SETTINGS = tuple(name for name, option in TRAIN_OPTIONS.items() if option.live)
RUN_SETTINGS = tuple(name for name, option in TRAIN_OPTIONS.items() if option.run)


# A run whose average loss has grown this many times over is diverging, whatever comes next:
# stopping here spares the reader a minute of ever larger numbers before the overflow.
GROWTH_LIMIT = 1e12
# Why a run diverged, in words.
CAUSES = {
    "overflow": "the loss grew too large to compute",
    "growth": "the average loss grew over a trillion-fold since the run started",
    "infinite-step": "the next step would be infinitely large",
}


class Trainer:
    """One demo's run: its data, parameters, settings, loss curve and status."""

    def __init__(self, settings: DemoSettings, data: Dataset | None = None) -> None:
        """A run of `settings`, on `data` when it is given (the data the settings describe,
        prepared already: see summary.py), else on the data drawn or read now."""
        self._model = get_model(settings.model)
        self._train = checked(settings.train)
        self._init = initial_params(self._model, self._train.init)
        self._data = dataset(settings.data) if data is None else data
        self._fast = self._model.full_batch(self._data)
        # The demo's own data, which a reader's file is rescaled to match (see rescale.py);
        # the author's data itself is trained on as it is.
        self._own = self._fast if isinstance(self._fast, LinearStats) else None
        self._rescaling: Rescaling | None = None
        self._start = self._init  # the starting parameters, in the units training uses
        self._points_changed = True
        self._curve = LossCurve()
        self._rng = random.Random(self._train.seed)
        self._params: list[float] = []
        self._total = self._start_average = 0.0
        self._iteration = 0
        self._status = "ready"
        self._divergence: dict[str, Any] | None = None
        if not math.isfinite(_finite_total(self._model, self._fast, self._init, self._data)):
            raise ValueError("the loss at the initial parameters is too large to compute")
        self.reset()

    # Readouts

    @property
    def iteration(self) -> int:
        """Steps taken since the last reset or data load."""
        return self._iteration

    @property
    def params(self) -> dict[str, float]:
        """Parameter name -> value, in the model's order (in the data's own units)."""
        return dict(zip(self._model.parameter_names, self._shown_params(), strict=True))

    @property
    def total_loss(self) -> float:
        """The sum of the per-sample losses (squared errors unless the model says otherwise)."""
        return self._total

    @property
    def average_loss(self) -> float:
        """The mean loss: total loss / samples."""
        return self._total / self._data.size

    @property
    def effective_step(self) -> float:
        """The step size the next step will take (see `_step_for`)."""
        return self._step_for(self.average_loss)

    @property
    def samples(self) -> int:
        """How many samples the data holds, copies included."""
        return self._data.size

    @property
    def status(self) -> str:
        """Either "ready", or "diverged" once a step overflowed (until reset)."""
        return self._status

    @property
    def message(self) -> str:
        """Why the run diverged and which step size is stable, for people; empty while it
        has not diverged."""
        facts = self._divergence
        if facts is None:
            return ""
        return (
            f"Diverged after {facts['iteration']} steps: {facts['cause']}. "
            f"With step size {facts['step_size']:g} each step overshoots the minimum by more "
            f"than the last; on this data a step size of {facts['stable_step']:g} or less is "
            "stable."
        )

    @property
    def divergence(self) -> dict[str, Any] | None:
        """Why the run diverged, as facts for the page to word: the iteration, the cause
        (one of CAUSES), the step size, and a step size that is stable for this data."""
        return None if self._divergence is None else dict(self._divergence)

    @property
    def work_per_step(self) -> int:
        """About how many samples one step visits: the batch, plus the whole data for the
        loss unless the model's fast path needs none (the line's costs nothing per sample)."""
        batch = self._train.batch or 0
        full = self._fast.work if self._fast is not None else len(self._data.xs)
        return max(1, batch + full)

    @property
    def full_batch(self) -> FullBatch | None:
        """The model's fast whole-data loss and gradient (e.g. the line's sums), if it has one."""
        return self._fast

    @property
    def model_name(self) -> str:
        """The name of the model being fitted, as demos name it."""
        return self._model.name

    @property
    def data(self) -> Dataset:
        """The data being fitted."""
        return self._data

    # Actions

    def step(self, count: int = 1, *, max_work: int | None = None) -> None:
        """Take `count` gradient-descent steps, stopping early if the run diverges, or once
        the steps taken have visited `max_work` samples (always after at least one step)."""
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValueError(f"the number of steps must be a whole number, not {count!r}")
        if not 1 <= count <= MAX_STEPS_PER_CALL:
            raise ValueError(
                f"the number of steps must be from 1 to {MAX_STEPS_PER_CALL}, not {count}"
            )
        if max_work is not None:
            count = min(count, max(1, max_work // self.work_per_step))
        for _ in range(count):
            if self._status != "ready":
                return
            self._step_once()

    def reset(self) -> None:
        """Back to the initial parameters at iteration 0, keeping data and settings."""
        self._params = list(self._start)
        self._iteration = 0
        self._status = "ready"
        self._divergence = None
        self._rng = random.Random(self._train.seed)
        self._total = self._total_loss(self._params)
        self._start_average = self.average_loss
        self._curve.restart(self.average_loss)

    def configure(self, **changes: Any) -> None:
        """Change settings a reader may change while the run goes on (LIVE_SETTINGS)."""
        refused = [name for name in changes if name not in LIVE_SETTINGS]
        if refused:
            raise ValueError(
                f"only {', '.join(LIVE_SETTINGS)} can change during a run, not {', '.join(refused)}"
            )
        self._train = checked(dataclasses.replace(self._train, **changes))
        if self._status == "ready" and not math.isfinite(self.effective_step):
            self._diverge("infinite-step")

    def double_samples(self) -> None:
        """Append a copy of every sample: total loss doubles, average loss and steps do not.
        Refused (DataError) when the doubled total loss would be too large to compute."""
        data = self._data.doubled()
        fast = self._full_batch(data, self._rescaling)
        total = _finite_total(self._model, fast, self._params, data)
        if not math.isfinite(total):  # a run near the largest float: twice its loss is not
            raise DataError(
                None, "doubling now would make the total loss too large to compute; reset first"
            )
        self._data, self._fast, self._total = data, fast, total
        self._points_changed = True

    def load_csv(self, text: str, name: str) -> None:
        """Replace the data with CSV `text` and start a new run; a refused file changes nothing.

        The built-in line trains on the file rescaled to the demo's own data (rescale.py),
        so that the demo's step size works on it as it does there.
        """
        data = parse_csv(text, name)
        rescaling = None
        if isinstance(self._model, LinearModel) and self._own is not None:
            rescaling = Rescaling.between(self._own, LinearStats.of(data))
        fast = self._full_batch(data, rescaling)
        start = rescaling.from_file(self._init) if rescaling is not None else self._init
        if not math.isfinite(_finite_total(self._model, fast, start, data)):
            raise CsvError(None, "the numbers are too large to fit a model to; scale them down")
        self._data, self._fast, self._rescaling, self._start = data, fast, rescaling, start
        self._points_changed = True
        self.reset()

    # What the page receives

    def state(self) -> dict[str, Any]:
        """Everything the page shows, as plain JSON values (see the design's `state`)."""
        points = self._points() if self._points_changed else None
        self._points_changed = False
        return {
            "status": self._status,
            "message": self.message,
            "divergence": self.divergence,
            "iteration": self._iteration,
            "samples": self.samples,
            "total_loss": self.total_loss,
            "average_loss": self.average_loss,
            "effective_step": self.effective_step,
            "params": self.params,
            "settings": self._settings(),
            "data_label": self._data.label,
            "columns": {"x": self._data.columns[0], "y": self._data.columns[1]},
            "rescaled": self._rescaling.facts() if self._rescaling is not None else None,
            "curve": self._curve.take(),
            "fit": self._fit(),
            "points": points,
        }

    def save_run(self) -> dict[str, Any]:
        """The current run, to keep and draw beside later ones."""
        return {
            "model": self._model.name,
            "settings": self._settings(),
            "data_label": self._data.label,
            "samples": self.samples,
            "iteration": self._iteration,
            "params": self.params,
            "average_loss": self.average_loss,
            "curve": self._curve.snapshot(self._iteration, self.average_loss),
        }

    # Inside

    def _step_for(self, average: float) -> float:
        """step_size, or with the proportional step step_size * average / start average.

        The ratio is taken first so that the first step of a run is exactly step_size.
        A run that starts at zero loss keeps step_size.
        """
        if not self._train.proportional or self._start_average == 0.0:
            return self._train.step_size
        return self._train.step_size * (average / self._start_average)

    def _step_once(self) -> None:
        """One step; on overflow keep the last finite parameters and mark the run diverged."""
        try:
            step = self.effective_step
            gradient = self._gradient()
            params = [p - step * g for p, g in zip(self._params, gradient, strict=True)]
            total = self._total_loss(params)
            finite = all(math.isfinite(p) for p in params) and math.isfinite(total)
            finite = finite and math.isfinite(self._step_for(total / self._data.size))
        except (ArithmeticError, ValueError):
            finite = False
        if not finite:
            self._diverge("overflow")
            return
        if self._start_average > 0 and total / self._data.size > GROWTH_LIMIT * self._start_average:
            self._diverge("growth")
            return
        self._params, self._total = params, total
        self._iteration += 1
        self._curve.record(self._iteration, self.average_loss)

    def _full_gradient(self, params: list[float]) -> list[float]:
        """The gradient of the average loss over the whole data at `params`."""
        if self._fast is not None:
            return self._fast.average_gradient(params)
        samples = zip(self._data.xs, self._data.ys, strict=True)
        return mean_gradient(self._model, params, samples)

    def _shown_params(self) -> list[float]:
        """The parameters in the data's own units (training may use rescaled ones)."""
        if self._rescaling is None:
            return self._params
        return self._rescaling.to_file(self._params)

    def _full_batch(self, data: Dataset, rescaling: Rescaling | None) -> FullBatch | None:
        """The model's fast path for `data`, rescaled when training uses rescaled units."""
        fast = self._model.full_batch(data)
        if rescaling is not None and isinstance(fast, LinearStats):
            return rescaling.stats(fast)
        return fast

    def _gradient(self) -> list[float]:
        """The gradient of the average loss over the whole data, or over a sampled batch."""
        if self._train.batch is None:
            return self._full_gradient(self._params)
        size = self._data.size
        batch = [
            self._data.sample(int(self._rng.random() * size)) for _ in range(self._train.batch)
        ]
        if self._rescaling is not None:
            batch = [(self._rescaling.x(x), y) for x, y in batch]
        return mean_gradient(self._model, self._params, batch)

    def _total_loss(self, params: list[float]) -> float:
        """The total loss of `params` on the current data."""
        return _total_loss(self._model, self._fast, params, self._data)

    def _diverge(self, cause: str) -> None:
        """Stop the run, noting why and which step size is stable for this data."""
        self._status = "diverged"
        self._divergence = {
            "iteration": self._iteration,
            "cause": CAUSES[cause],
            "step_size": self._train.step_size,
            "stable_step": self._stable_step(),
        }

    def _stable_step(self) -> float:
        """A round step size that is stable on this data from the starting parameters: at
        most 1 / (the largest curvature of the average loss), see stability.py. When that
        is no smaller than the step size in use (a curved model's loss is steeper
        elsewhere), or cannot be measured, a tenth of the step size."""
        try:
            if self._fast is not None:
                hessian = self._fast.hessian(self._start)
            else:
                hessian = hessian_by_differences(self._full_gradient, self._start)
            suggested = stable_step(largest_eigenvalue(hessian), MAX_STEP_SIZE)
        except Exception:  # an author's model may raise anything; the advice must not
            suggested = None
        if suggested is None or suggested >= self._train.step_size:
            suggested = round_down(self._train.step_size / 10) or self._train.step_size
        return suggested

    def _settings(self) -> dict[str, Any]:
        """The settings saved runs record (RUN_SETTINGS)."""
        return {name: getattr(self._train, name) for name in RUN_SETTINGS}

    def fit_positions(self) -> list[float]:
        """FIT_POINTS evenly spaced x over the data's range, where the fit is drawn."""
        low, high = self._data.x_range
        if low == high:  # one x value: draw the model around it
            pad = abs(low) / 2 or 1.0
            low, high = low - pad, high + pad
        last = FIT_POINTS - 1
        return [low + (high - low) * (i / last) for i in range(last)] + [high]

    def predictions(self, xs: list[float]) -> list[float]:
        """The model's predictions at `xs` with the current parameters (data's units)."""
        params = self._shown_params()
        return [self._model.predict(params, x) for x in xs]

    def _fit(self) -> dict[str, list[float]]:
        """The model's finite predictions at `fit_positions()`."""
        xs = self.fit_positions()
        kept = [(x, y) for x, y in zip(xs, self.predictions(xs), strict=True) if math.isfinite(y)]
        return {"xs": [x for x, _ in kept], "ys": [y for _, y in kept]}

    def _points(self) -> dict[str, list[float]]:
        """The distinct samples the fit chart shows (see `summary.chart_points`)."""
        return chart_points(self._data)


def _total_loss(model: Model, fast: FullBatch | None, params: list[float], data: Dataset) -> float:
    """The total loss via the model's fast path when it has one."""
    return fast.total_loss(params) if fast is not None else naive_total_loss(model, params, data)


def _finite_total(
    model: Model, fast: FullBatch | None, params: list[float], data: Dataset
) -> float:
    """The total loss, or inf when the line's sums overflow (their fsum raises rather than
    return inf); an author model's own errors are left to speak for themselves."""
    try:
        return _total_loss(model, fast, params, data)
    except (ArithmeticError, ValueError):
        if not isinstance(fast, LinearStats):
            raise
        return math.inf
