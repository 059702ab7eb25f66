"""What the build knows of a demo's synthetic data, so the browser need not draw the samples.

Synthetic data is deterministic: the build draws it in CPython with this very runtime and
keeps what a full-batch line needs (the data's range, its centred sums, the points the
chart shows). The page sends that summary with `demo:init`, and a demo of a million
samples starts in the browser without drawing a million points: its numbers are the ones
the samples would give, bit for bit, because they are the ones the samples gave. Only a
demo that visits samples (mini-batches, an author's model) draws them, in slices (see
bridge.py).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from .contract import CHART_POINTS, MAX_DATA_VALUE
from .data import Dataset, synthetic_label, synthetic_steps
from .spec import SyntheticData

SUMMARY_FROM = 10_000  # samples: fewer are drawn in the browser in no time worth saving
STATS = ("mean_x", "mean_y", "sxx", "sxy", "syy", "sx", "sy")  # LinearStats of one copy


def chart_points(data: Dataset) -> dict[str, list[float]]:
    """The distinct samples the fit chart shows: at most CHART_POINTS, by a fixed stride.
    (Copies made by doubling lie exactly on their originals, so they are not sent again.)"""
    if data.summary is not None:
        return data.summary["points"]  # type: ignore[no-any-return]
    stride = -(-len(data.xs) // CHART_POINTS)
    return {"xs": data.xs[::stride], "ys": data.ys[::stride]}


def summarize(data: Dataset, stats: dict[str, float]) -> dict[str, Any]:
    """The summary of drawn synthetic `data` (one copy) whose LinearStats are `stats`."""
    return {
        "samples": len(data.xs),
        "x_range": list(data.x_range),
        "stats": {name: stats[name] for name in STATS},
        "points": chart_points(data),
    }


def summarized(spec: SyntheticData, summary: object) -> Dataset:
    """The data `spec` describes, known by its summary alone (no samples drawn)."""
    checked = _checked(spec, summary)
    return Dataset([], [], synthetic_label(spec), summary=checked)


def prepared(
    spec: SyntheticData, summary: object, *, samples: bool
) -> Generator[None, None, Dataset]:
    """The data `spec` describes: from its summary when the trainer visits no samples
    (`samples` false), else drawn, yielding now and then so the work can be sliced."""
    if summary is not None and not samples:
        return summarized(spec, summary)
    data = yield from synthetic_steps(spec)
    if summary is not None:  # the sums need not be taken again
        data = Dataset(data.xs, data.ys, data.source, summary=_checked(spec, summary))
    return data


def _checked(spec: SyntheticData, summary: object) -> dict[str, Any]:
    """`summary` if it has the shape `summarize` gives, for `spec`'s number of samples."""
    if not isinstance(summary, dict) or summary.get("samples") != spec.n:
        raise ValueError(f"the data summary does not describe {spec.n} samples")
    x_range, stats, points = summary.get("x_range"), summary.get("stats"), summary.get("points")
    numbers = [*(x_range or []), *(stats or {}).values()]
    shaped = isinstance(x_range, list) and len(x_range) == 2 and isinstance(stats, dict)
    shaped = shaped and set(stats or {}) == set(STATS) and isinstance(points, dict)
    finite = all(_finite(v) for v in numbers)
    if not (shaped and finite and _points(points)):
        raise ValueError("the data summary is malformed")
    return {"samples": spec.n, "x_range": tuple(x_range or ()), "stats": stats, "points": points}


def _finite(value: object) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value)


def _points(points: Any) -> bool:
    xs, ys = points.get("xs"), points.get("ys")
    if not (isinstance(xs, list) and isinstance(ys, list) and len(xs) == len(ys) > 0):
        return False
    return all(_finite(v) and abs(v) <= MAX_DATA_VALUE for v in [*xs, *ys])
