"""The samples a demo trains on: seeded synthetic points or an author's table, and doubling."""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .contract import MAX_COLUMN_NAME, MAX_DATA_VALUE, MAX_ROWS, MAX_SAMPLES, checked
from .spec import SyntheticData, TableData

DEFAULT_COLUMNS = ("x", "y")  # the names of x and y without a header


class DataError(ValueError):
    """Data the runtime refuses; `line` is the file line at fault, when there is one."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message if line is None else f"line {line}: {message}")


@dataclass(frozen=True)
class Dataset:
    """Samples (x, y): the distinct ones in `xs` and `ys`, each present `copies` times.

    Doubling appends a copy of every sample. The copies are not stored: sample `i` of the
    data is distinct sample `i % len(xs)`, exactly as if the lists had been appended to
    themselves, and `copies` (a power of two) counts how often that happened. So doubling
    costs no memory and the trainer's sums over the data scale by exactly 2.

    Every value is finite with magnitude at most MAX_DATA_VALUE, so that squared errors stay finite.
    """

    xs: list[float]
    ys: list[float]
    source: str  # e.g. "20 synthetic points (seed 7)" or "points.csv (40 rows)"
    copies: int = 1
    columns: tuple[str, str] = DEFAULT_COLUMNS  # the names of x and y, e.g. from a CSV header
    # What the build found of synthetic data (summary.py): with it, the samples need not
    # be drawn (`xs` and `ys` may be empty) nor checked again.
    summary: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    # (lowest x, highest x), found once: the fit chart needs it after every step
    x_range: tuple[float, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.summary is not None:
            object.__setattr__(self, "x_range", tuple(self.summary["x_range"]))
            return
        _check_values(self.xs, self.ys)
        object.__setattr__(self, "x_range", (min(self.xs), max(self.xs)))

    @property
    def size(self) -> int:
        """The number of samples, copies included."""
        distinct = len(self.xs) if self.summary is None else int(self.summary["samples"])
        return distinct * self.copies

    @property
    def label(self) -> str:
        """What the data is, for people: its source, and how often it was doubled."""
        if self.copies == 1:
            return self.source
        times = self.copies.bit_length() - 1
        doubled = {1: "doubled", 2: "doubled twice"}.get(times, f"doubled {times} times")
        return f"{self.source}, {doubled} ({self.size} samples)"

    def sample(self, index: int) -> tuple[float, float]:
        """Sample number `index` (0 <= index < size) of the data, copies included."""
        distinct = index % len(self.xs)
        return self.xs[distinct], self.ys[distinct]

    def doubled(self) -> Dataset:
        """The same data with a copy of every sample appended."""
        if self.size * 2 > MAX_SAMPLES:
            raise DataError(
                None,
                f"doubling again would make {self.size * 2} samples, "
                f"more than the {MAX_SAMPLES} a demo can hold",
            )
        twice = copy.copy(self)  # the same samples: nothing to check or scan again
        object.__setattr__(twice, "copies", self.copies * 2)
        return twice


def synthetic(spec: SyntheticData) -> Dataset:
    """The points `synthetic_steps` draws, drawn at once."""
    return finish(synthetic_steps(spec))


# Points drawn between two yields of `synthetic_steps`: a few milliseconds in the browser.
POINTS_PER_YIELD = 1000
T = TypeVar("T")


def finish(steps: Generator[None, None, T]) -> T:
    """The value of work done in steps (see bridge.py), with no pause between them."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            value: T = done.value
            return value


def synthetic_steps(spec: SyntheticData) -> Generator[None, None, Dataset]:
    """Points near the line y = slope * x + intercept, drawn from `random.Random(seed)`.

    For each point in turn, one uniform u gives x = x_min + (x_max - x_min) * u, then twelve
    more uniforms u1..u12 give the noise (u1 + ... + u12 - 6) * noise. That is the
    Irwin-Hall construction: the sum of 12 uniforms has mean 6 and variance 1, so the noise
    is nearly normal with standard deviation `noise`. Finally y = slope * x + intercept + noise.

    Only `Random.random()` is used (its sequence for an integer seed is the same in every
    Python version), the twelve are added with `math.fsum`, and no libm function is involved,
    so the points are bit-identical in CPython and in Pyodide.
    """
    spec = checked(spec)
    n, seed, noise = spec.n, spec.seed, spec.noise
    slope, intercept, x_min, x_max = spec.slope, spec.intercept, spec.x_min, spec.x_max
    rng = random.Random(seed)
    xs: list[float] = []
    ys: list[float] = []
    for i in range(n):
        x = x_min + (x_max - x_min) * rng.random()
        error = (math.fsum([rng.random() for _ in range(12)]) - 6.0) * noise
        xs.append(x)
        ys.append(slope * x + intercept + error)
        if i % POINTS_PER_YIELD == POINTS_PER_YIELD - 1:
            yield
    return Dataset(xs, ys, synthetic_label(spec))


def synthetic_label(spec: SyntheticData) -> str:
    """What synthetic data is, for people: "20 synthetic points (seed 7)"."""
    return f"{_count(spec.n, 'synthetic point')} (seed {spec.seed})"


def table(spec: TableData) -> Dataset:
    """The author's points, as read at build time from a CSV file."""
    if len(spec.xs) > MAX_ROWS:
        raise ValueError(f"a table may hold at most {MAX_ROWS} rows, not {len(spec.xs)}")
    rows = len(spec.xs)
    columns = (column_name(spec.columns[0], "x"), column_name(spec.columns[1], "y"))
    return Dataset(
        [float(x) for x in spec.xs],
        [float(y) for y in spec.ys],
        table_label(spec.name, rows),
        columns=columns,
    )


def dataset(spec: SyntheticData | TableData) -> Dataset:
    """The data a demo's settings describe."""
    return table(spec) if isinstance(spec, TableData) else synthetic(spec)


def table_label(name: str, rows: int) -> str:
    """The label of data read from a file, e.g. "points.csv (40 rows)"."""
    return f"{name} ({_count(rows, 'row')})"


def column_name(text: str, default: str) -> str:
    """A column's name as axis titles and table headings show it: spaces collapsed, control
    characters dropped, at most MAX_COLUMN_NAME characters; `default` when nothing is left."""
    name = " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())
    if len(name) > MAX_COLUMN_NAME:
        name = name[: MAX_COLUMN_NAME - 1].rstrip() + "…"
    return name or default


def _count(n: int, noun: str) -> str:
    """'1 row', '40 rows'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_values(xs: list[float], ys: list[float]) -> None:
    """Refuse data the trainer cannot work with: empty, uneven, non-finite or huge."""
    if len(xs) != len(ys):
        raise ValueError(f"the data has {len(xs)} x values but {len(ys)} y values")
    if not xs:
        raise ValueError("the data has no samples")
    for values in (xs, ys):  # min, max and map run in C: a million values take milliseconds
        if (
            not all(map(math.isfinite, values))
            or min(values) < -MAX_DATA_VALUE
            or max(values) > MAX_DATA_VALUE
        ):
            bad = next(v for v in values if not (math.isfinite(v) and abs(v) <= MAX_DATA_VALUE))
            raise ValueError(f"the data holds {bad!r}; values must be finite and within ±1e100")
