"""Typed settings of one demo, shared by the build (which validates them) and the runtime.

Each field is declared with `option(...)`: its default, the kind of value it takes and, for
training settings, its control, link key and place in saved runs (see contract.py). The
build's validation, the trainer's checks and the bridge's configurable fields all follow
these declarations.

These classes are also the wire format: the build serialises a `DemoSettings` with
`to_dict()` into the page, and the runtime in the browser reads it back with
`DemoSettings.from_dict()`. Only plain JSON types cross that boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .contract import MAX_ROWS, MAX_SEED, MAX_SETTING, MAX_STEP_SIZE, Batch, Flag, Number, option

SETTING = Number(-MAX_SETTING, MAX_SETTING)
SEED = Number(0, MAX_SEED, integer=True)
STEP_SIZE = Number(0, MAX_STEP_SIZE, low_open=True)


@dataclass(frozen=True)
class SyntheticData:
    """Points on a noisy line, drawn from a seeded generator."""

    n: int = option(20, Number(1, MAX_ROWS, integer=True))
    slope: float = option(2.0, SETTING)
    intercept: float = option(1.0, SETTING)
    noise: float = option(1.0, Number(0, MAX_SETTING))
    x_min: float = option(0.0, SETTING)
    x_max: float = option(10.0, SETTING)
    seed: int = option(7, SEED)


@dataclass(frozen=True)
class TableData:
    """Points given by the author (a CSV file read at build time)."""

    name: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    columns: tuple[str, str] = ("x", "y")  # the names of x and y in the file's header


@dataclass(frozen=True)
class TrainSettings:
    """How gradient descent runs: step size, proportional step, batch, seed, start."""

    step_size: float = option(
        0.01, STEP_SIZE, label="Step size", control="step_size", link="step", run=True, live=True
    )
    proportional: bool = option(
        False,
        Flag(),
        label="Proportional step",
        control="proportional",
        link="prop",
        run=True,
        live=True,
    )
    batch: int | None = option(None, Batch(MAX_ROWS), label="Batch", run=True)  # None: full
    seed: int = option(1, SEED, label="Seed")
    init: dict[str, float] = field(default_factory=dict)  # parameter name -> SETTING


@dataclass(frozen=True)
class DemoSettings:
    """Everything the runtime needs to run one demo."""

    model: str = "linear"
    data: SyntheticData | TableData = field(default_factory=SyntheticData)
    train: TrainSettings = field(default_factory=TrainSettings)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form embedded in the page."""
        if isinstance(self.data, TableData):
            data: dict[str, Any] = {
                "table": {
                    "name": self.data.name,
                    "xs": list(self.data.xs),
                    "ys": list(self.data.ys),
                    "columns": list(self.data.columns),
                }
            }
        else:
            data = {"synthetic": _fields(self.data)}
        train = _fields(self.train)
        return {"model": self.model, "data": data, "train": train}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> DemoSettings:
        """Read back what `to_dict` wrote."""
        data_raw = raw["data"]
        data: SyntheticData | TableData
        if "table" in data_raw:
            table = data_raw["table"]
            x_name, y_name = table.get("columns", ("x", "y"))
            data = TableData(
                name=str(table["name"]),
                xs=tuple(float(x) for x in table["xs"]),
                ys=tuple(float(y) for y in table["ys"]),
                columns=(str(x_name), str(y_name)),
            )
        else:
            data = SyntheticData(**data_raw["synthetic"])
        train_raw = dict(raw["train"])
        train_raw["init"] = {str(k): float(v) for k, v in train_raw.get("init", {}).items()}
        return cls(model=str(raw["model"]), data=data, train=TrainSettings(**train_raw))


def _fields(obj: SyntheticData | TrainSettings) -> dict[str, Any]:
    """The dataclass's fields as a dict, in declaration order."""
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}
