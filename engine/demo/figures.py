"""Static SVG charts of a demo's default run, drawn at build time.

They are in the HTML before any script runs: the reader sees the data, the fit and the
loss curve at first paint, and a reader without JavaScript or WebAssembly still sees
what the demo does. The page controller replaces them with live charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
LOWEST_DECADE, HIGHEST_DECADE = -307, 307  # log axes: powers of ten that are normal floats


@dataclass(frozen=True)
class Axis:
    """A linear or log-10 mapping from data values to pixels."""

    low: float
    high: float
    start: float  # pixel of `low`
    end: float  # pixel of `high`
    log: bool = False

    def __call__(self, value: float) -> float:
        """The pixel of `value`."""
        low, high, v = self.low, self.high, value
        if self.log:
            low, high, v = math.log10(low), math.log10(high), math.log10(max(value, self.low))
        share = (v - low) / (high - low) if high > low else 0.5
        return self.start + share * (self.end - self.start)

    def ticks(self) -> list[float]:
        """About five round values across the axis."""
        if self.log:
            first, last = math.floor(math.log10(self.low)), math.ceil(math.log10(self.high))
            stride = max(1, (last - first) // 5)
            return [
                10.0**e for e in range(first, last + 1, stride) if self.low <= 10.0**e <= self.high
            ]
        return nice_ticks(self.low, self.high)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) within [low, high], at any
    magnitude a float holds (1e-300 as well as 1e300)."""
    span = high - low
    if not span > 0 or not math.isfinite(span):
        return [low] if span == 0 else []
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else span
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step)
    last = math.floor(high / step)
    # k * step for whole k: no rounding to a fixed number of decimals, which would turn
    # ticks of 1e-15 into 0
    return [k * step for k in range(first, last + 1) if low <= k * step <= high]


def label(value: float, step: float = 0.0) -> str:
    """A short tick label: 0.001, 25, 1e6, 1.5e-15; with the ticks' `step`, enough digits
    to tell neighbouring ticks apart (1000000.0002 beside 1000000.0004)."""
    if value == 0:
        return "0"
    digits = 4
    if step > 0:
        digits = max(digits, math.floor(math.log10(abs(value))) - math.floor(math.log10(step)) + 1)
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:.{digits}g}"
    mantissa, _, exponent = f"{value:.{digits - 1}e}".partition("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def _frame(x: Axis, y: Axis, x_title: str, y_title: str) -> list[str]:
    """Grid, tick labels and axis titles."""
    parts = []
    x_ticks, y_ticks = x.ticks(), y.ticks()
    x_step = _spacing(x_ticks) if not x.log else 0.0
    y_step = _spacing(y_ticks) if not y.log else 0.0
    for tick in x_ticks:
        px = x(tick)
        parts.append(
            f'<line class="grid" x1="{px:.1f}" y1="{TOP}" x2="{px:.1f}" y2="{HEIGHT - BOTTOM}"/>'
        )
        parts.append(
            f'<text x="{px:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{label(tick, x_step)}</text>'
        )
    for tick in y_ticks:
        py = y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{py:.1f}" x2="{WIDTH - RIGHT}" y2="{py:.1f}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">{label(tick, y_step)}</text>'
        )
    mid_y = (TOP + HEIGHT - BOTTOM) / 2
    parts.append(
        f'<text class="title" x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{escape(x_title)}</text>'
    )
    parts.append(
        f'<text class="title" transform="translate(14 {mid_y:.1f}) rotate(-90)" text-anchor="middle">{escape(y_title)}</text>'
    )
    return parts


def _spacing(ticks: list[float]) -> float:
    """The distance between neighbouring ticks (0 for fewer than two)."""
    return ticks[1] - ticks[0] if len(ticks) > 1 else 0.0


def _svg(parts: list[str], title: str, description: str) -> str:
    """Wrap drawing parts in an accessible, scalable SVG element."""
    return (
        f'<svg class="static-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>" + "".join(parts) + "</svg>"
    )


def _span(values: Sequence[float]) -> tuple[float, float]:
    """The range of `values`, padded a little, never empty."""
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or abs(low) * 0.05 or 1.0
    return low - pad, high + pad


def fit_chart(
    points: tuple[Sequence[float], Sequence[float]],
    fit: tuple[Sequence[float], Sequence[float]],
    description: str,
    columns: tuple[str, str] = ("x", "y"),
) -> str:
    """The data as dots and the fitted curve as a line; `columns` name the axes."""
    xs, ys = points
    fx, fy = fit
    x = Axis(*_span([*xs, *fx]), LEFT, WIDTH - RIGHT)
    y = Axis(*_span([*ys, *fy]), HEIGHT - BOTTOM, TOP)
    parts = _frame(x, y, *columns)
    parts += [
        f'<circle class="point" cx="{x(a):.1f}" cy="{y(b):.1f}" r="3"/>'
        for a, b in zip(xs, ys, strict=True)
    ]
    path = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(fx, fy, strict=True))
    parts.append(f'<polyline class="fit" points="{path}"/>')
    return _svg(parts, "The data and the model's fit", description)


def loss_chart(iterations: Sequence[int], losses: Sequence[float], description: str) -> str:
    """Average loss per iteration on a log scale."""
    positive = [v for v in losses if v > 0] or [1.0]
    # Whole decades from below the lowest loss to above the highest, at least one apart,
    # within the range of normal floats (a loss of 5e-324 is drawn at 1e-307).
    bottom = max(math.floor(math.log10(min(positive))), LOWEST_DECADE)
    top = min(math.ceil(math.log10(max(positive))), HIGHEST_DECADE)
    if top - bottom < 1:
        bottom, top = max(bottom - 1, LOWEST_DECADE), min(top + 1, HIGHEST_DECADE)
    x = Axis(0, max(max(iterations, default=1), 1), LEFT, WIDTH - RIGHT)
    y = Axis(10.0**bottom, 10.0**top, HEIGHT - BOTTOM, TOP, log=True)
    parts = _frame(x, y, "Iteration", "Average loss (log scale)")
    path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in zip(iterations, losses, strict=True))
    parts.append(f'<polyline class="loss" points="{path}"/>')
    return _svg(parts, "Average loss at each iteration of the default run", description)
