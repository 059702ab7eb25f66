"""The demo contract: what a demo is, declared once.

Its options and their bounds, the state the trainer reports, the readouts and controls and
their `data-*` hooks, the keys of a link to a demo's settings, and the saved-runs format.
The settings themselves are the dataclasses of `spec.py`, each field declared with
`option(...)`; everything else is a table here. Python reads them directly: the build
validates directives with them, the trainer and the bridge check values with them, the
templates render readouts and controls from them. The build emits the same contract for
the page scripts as `contract.js` (see `engine/demo/emit.py`), so a limit, key or hook is
written in this one place.

Adding a training setting: a field with `option(...)` in `spec.TrainSettings` (with its
control, link key and place in saved runs), a `Control` row for its control, the maths in
the trainer, and the control's markup in `templates/demo/controls.html`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

# --- limits ------------------------------------------------------------------------------

MAX_ROWS = 1_000_000  # distinct samples: synthetic n, an author's table, a reader's CSV rows
MAX_SAMPLES = 1_000_000_000  # samples after doubling (the copies cost no memory)
MAX_DOUBLINGS = MAX_SAMPLES.bit_length()  # a link may ask for no more (2**30 > MAX_SAMPLES)
MAX_DATA_VALUE = 1e100  # |x| and |y| of any sample, so that squared errors stay finite
MAX_SETTING = 1e9  # the synthetic line's numbers and starting parameters
MAX_SEED = 4_294_967_295  # 2 ** 32 - 1
MAX_STEP_SIZE = 1e6
MAX_STEPS_PER_CALL = 100_000  # one request may not freeze the page for long
MAX_CSV_CHARACTERS = 64 * 1024 * 1024  # a million long rows, with room to spare
CHART_POINTS = 5000  # data points sent to the page's fit chart
CURVE_POINTS = 2000  # loss-curve points kept per run (thinned beyond; see curve.py)
FIT_POINTS = 64  # x positions where the fitted model is drawn
MAX_COLUMN_NAME = 40  # characters of a CSV column's name shown as an axis title

# --- kinds of values ---------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A finite number within bounds; `integer` also asks for a whole number."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    integer: bool = False
    type: Literal["number"] = "number"

    def admits(self, value: object) -> bool:
        """Whether `value` (a Python number, not a bool) lies within the bounds."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if self.integer and isinstance(value, float) and not value.is_integer():
            return False
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or value <= self.high

    def words(self) -> str:
        """What is expected, e.g. "a number greater than 0 and at most 1000000"."""
        parts = []
        if self.low is not None:
            bound = _plain(self.low)
            parts.append(f"greater than {bound}" if self.low_open else f"at least {bound}")
        if self.high is not None:
            parts.append(f"at most {_plain(self.high)}")
        noun = "a whole number" if self.integer else "a number"
        return noun + (" " + " and ".join(parts) if parts else "")


@dataclass(frozen=True)
class Flag:
    """true or false."""

    type: Literal["flag"] = "flag"

    def admits(self, value: object) -> bool:
        """Whether `value` is a bool."""
        return isinstance(value, bool)

    def words(self) -> str:
        """What is expected."""
        return "true or false"


@dataclass(frozen=True)
class Batch:
    """The full batch (None; "full" in a directive) or a whole number of samples."""

    high: int = MAX_ROWS
    type: Literal["batch"] = "batch"

    def admits(self, value: object) -> bool:
        """Whether `value` is None or a whole number from 1 to `high`."""
        return value is None or Number(1, self.high, integer=True).admits(value)

    def words(self) -> str:
        """What is expected."""
        return f'"full" or a whole number from 1 to {self.high}'


Kind = Number | Flag | Batch
Settings = TypeVar("Settings")


def _plain(value: float) -> str:
    """A bound without a trailing .0: 1000000, 0.5."""
    return str(int(value)) if float(value).is_integer() else str(value)


def check(kind: Kind, value: object, name: str) -> Any:
    """`value` when `kind` admits it (whole floats as ints for whole numbers), else a
    ValueError that says what was expected."""
    if not kind.admits(value):
        raise ValueError(f"{name} must be {kind.words()}, not {value!r}")
    if isinstance(kind, Number) and not kind.integer:
        return float(value)  # type: ignore[arg-type]
    if value is not None and not isinstance(value, bool) and isinstance(kind, Number | Batch):
        return int(value)  # type: ignore[call-overload]
    return value


# --- options: the fields of the settings dataclasses --------------------------------------


@dataclass(frozen=True)
class Option:
    """What the contract says of one settings field, beside its name and default.

    `control` is the directive's `controls` item that lets a reader change it, `link` its
    key in a link to the demo's settings, `live` whether it may change while a run goes
    on. `run`: saved runs record it, since runs format version `since`; runs saved before
    then read as if it had been `assumed` (its default when None), so that a new setting
    never makes older runs unreadable.
    """

    kind: Kind
    label: str = ""
    control: str = ""
    link: str = ""
    live: bool = False
    run: bool = False
    since: int = 1
    assumed: object = None


def option(default: object, kind: Kind, **declared: Any) -> Any:
    """A dataclass field with its default and its `Option`."""
    return dataclasses.field(default=default, metadata={"option": Option(kind, **declared)})


def options(settings: type) -> dict[str, Option]:
    """The `Option` of each declared field of a settings dataclass, in declaration order."""
    return {
        f.name: f.metadata["option"] for f in dataclasses.fields(settings) if "option" in f.metadata
    }


def describe(name: str, option: Option) -> str:
    """How messages call a setting: "the step size", or its field's name."""
    return f"the {option.label.lower()}" if option.label else name


def checked(settings: Settings) -> Settings:
    """`settings` (a settings dataclass) with each declared field checked as declared:
    whole numbers from JSON (7.0) become ints."""
    values = {
        name: check(option.kind, getattr(settings, name), describe(name, option))
        for name, option in options(type(settings)).items()
    }
    return dataclasses.replace(settings, **values)  # type: ignore[type-var]


# --- what the widget shows and offers ------------------------------------------------------

Hook = tuple[Literal["action", "control", "readout", "chart"], str]  # data-<attribute>="<value>"


@dataclass(frozen=True)
class Readout:
    """A number the demo shows: a `show` item, the state field it reads, and its hook."""

    name: str  # the show item and the state field
    hook: str  # data-readout="<hook>"
    label: str
    format: Literal["count", "real"]


READOUTS = (
    Readout("samples", "samples", "Samples", "count"),
    Readout("iteration", "iteration", "Iteration", "count"),
    Readout("total_loss", "total-loss", "Total loss", "real"),
    Readout("average_loss", "average-loss", "Average loss", "real"),
    Readout("effective_step", "effective-step", "Effective step", "real"),
)
CHARTS = {"fit_chart": "fit", "loss_chart": "loss"}  # show item -> data-chart
SHOW_ITEMS = (*(r.name for r in READOUTS), "parameters", *CHARTS, "runs")
RESERVED_PARAMETERS = tuple(r.name for r in READOUTS[:2])  # a parameter's readout shares the hooks


@dataclass(frozen=True)
class Control:
    """Something a reader does: a `controls` item, its hook and its accessible name."""

    name: str  # the controls item
    attribute: Literal["action", "control"]  # data-action (a button) or data-control (an input)
    hook: str
    label: str


CONTROLS = (
    Control("play", "action", "play", "Play"),
    Control("step", "action", "step", "Step"),
    Control("reset", "action", "reset", "Reset"),
    Control("step_size", "control", "step-size", "Step size"),
    Control("proportional", "control", "proportional", "Proportional step"),
    Control("double_samples", "action", "double-samples", "Double samples"),
    Control("save_run", "action", "save-run", "Save run"),
    Control("upload_csv", "control", "upload-csv", "Use your own data"),
)
CONTROL_ITEMS = tuple(c.name for c in CONTROLS)
# Parts every demo with saved runs or a link has, whatever its `controls`.
PAGE_CONTROLS = (
    Control("clear_runs", "action", "clear-runs", "Clear runs"),
    Control("export_csv", "action", "export-csv", "Export runs as CSV"),
    Control("export_json", "action", "export-json", "Export runs as JSON"),
    Control("import_runs", "control", "import-runs", "Import runs"),
    Control("copy_link", "action", "copy-link", "Copy link"),
    Control("retry", "action", "retry", "Retry"),
    # Shown with the message of a diverged run, in a demo with a step-size control.
    Control("use_stable_step", "action", "use-stable-step", "Use a stable step size"),
)

# data-status of a demo section.
STATUSES = ("loading", "ready", "running", "paused", "diverged", "error")
# The trainer's own status, within the page's: ready, or diverged until reset.
RUN_STATUSES = ("ready", "diverged")


@dataclass(frozen=True)
class LinkKey:
    """A key of a link to a demo's settings (`#demo=ID&step=0.02&double=1`): set only on a
    demo that has `control`. Settings with a `link` are keys too (see `link_keys`)."""

    key: str
    control: str
    kind: Kind


ACTION_LINKS = (
    LinkKey("double", "double_samples", Number(0, MAX_DOUBLINGS, integer=True)),
    LinkKey("play", "play", Flag()),
)

# --- saved runs -------------------------------------------------------------------------

RUNS_FORMAT = "explainer-runs"
# 1: the first release (runs stored per page address, `explainer:runs:v1:<path>#<id>`).
# 2: stored per page whatever its address form (`…/` and `…/index.html` are one page);
#    parameter names are any Python names; `model` is always present.
RUNS_VERSION = 2
RUNS_KEY_PREFIX = "explainer:runs:"  # + "v<version>:<page path>#<demo id>"
MAX_RUNS = 50  # per demo
# An imported file: at least any export of the runs a browser's storage holds (some 5 M
# characters there; the export is indented, and UTF-8 takes up to 3 bytes a character).
MAX_RUNS_FILE_BYTES = 16 * 1024 * 1024
MAX_RUN_TEXT = 500  # characters of a run's model name and data label
MAX_PARAMETERS = 1000
# A stored curve holds at most CURVE_POINTS + 1 points; runs read back may hold more, so
# that runs saved by a page that kept longer curves still read.
MAX_RUN_CURVE = 10_000
MAX_RUN_ITERATION = 1_000_000_000_000
