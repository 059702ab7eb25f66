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
# A ```figure block's second drawing, shown in narrow columns (a phone): as wide as the
# column, so its 12 px labels stay 12 px rather than shrink with a wide drawing.
NARROW = (360, 260)
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 48
LOG_FLOOR = 1e-300  # as the live charts: a smaller loss is zero to every digit shown


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
            return decade_ticks(self.low, self.high)
        return nice_ticks(self.low, self.high)


def decade_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Ticks of a log axis from `low` to `high` (powers of ten), as the live charts lay
    them out: every power of ten, or every few from the top down; within one or two
    decades also 2 and 5 times them."""
    first, last = round(math.log10(low)), round(math.log10(high))
    decades = last - first
    stride = max(1, math.ceil(decades / max(1, count - 1)))
    ticks = [float(f"1e{e}") for e in range(last, first - 1, -stride)][::-1]
    if decades <= 2:
        ticks += [m * float(f"1e{e}") for e in range(first, last) for m in (2, 5)]
    return sorted(ticks)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) within [low, high]."""
    span = high - low
    if not span > 0:
        return [low]
    step = nice_step(span / count)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    # Each tick from its index, rounded to 12 significant digits (not 12 decimals, which
    # turned every tick of a 1e-15 axis into 0).
    return [float(f"{k * step:.12g}") for k in range(first, last + 1)]


def nice_step(raw: float) -> float:
    """The round number (1, 2 or 5 times a power of ten) at or just above `raw`."""
    power = 10.0 ** math.floor(math.log10(raw))
    return float(f"{next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-12)):.12g}")


MINUS, TIMES = "\N{MINUS SIGN}", "\N{MULTIPLICATION SIGN}"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def decimals_for(spacing: float) -> int:
    """The decimals a multiple of `spacing` needs: 0 for 500, 1 for 2.5, 2 for 0.05."""
    mantissa, exponent = f"{spacing:.5e}".split("e")
    significant = len(mantissa.replace(".", "").rstrip("0")) or 1
    return max(0, significant - 1 - int(exponent))


def label(value: float, step: float | None = None, scale: float | None = None) -> str:
    """A short tick label, as the live charts write it (engine/static/ticks.js): 0.05,
    1950, 12k, 1.5M, 10⁻⁸, 2.5 times 10⁻¹⁵. `step` is the spacing of the axis's ticks and
    `scale` its largest tick (which picks the unit)."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    spacing = abs(step) if step else magnitude
    scale = magnitude if scale is None else scale
    sign = MINUS if value < 0 else ""
    if scale >= 1e15 or magnitude >= 1e15 or magnitude < 1e-3:
        exponent = math.floor(math.log10(magnitude) + 1e-9)
        digits = min(6, decimals_for(spacing / 10.0**exponent))
        mantissa = float(f"{magnitude / 10.0**exponent:.{digits}f}")
        power = f"10{str(exponent).translate(_SUPERSCRIPT)}"
        return sign + (power if mantissa == 1 else f"{mantissa:g} {TIMES} {power}")
    unit, suffix = (
        next(((u, x) for u, x in _UNITS if scale >= u), (1.0, "")) if scale >= 1e4 else (1.0, "")
    )
    decimals = min(12, decimals_for(spacing / unit))
    grouping = "," if magnitude / unit >= 1e4 else ""  # 1950, not 1,950: years read as years
    return f"{sign}{magnitude / unit:{grouping}.{decimals}f}{suffix}"


def _labels(ticks: list[float]) -> list[str]:
    """Labels for the ticks of one linear axis."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else None
    scale = max((abs(t) for t in ticks), default=0.0)
    return [label(t, step, scale) for t in ticks]


def _frame(
    x: Axis, y: Axis, x_title: str, y_title: str, size: tuple[int, int] = (WIDTH, HEIGHT)
) -> list[str]:
    """Grid, tick labels and axis titles, in a drawing of `size`."""
    width, height = size
    parts = []
    x_ticks = x.ticks()
    for tick, text in zip(x_ticks, _labels(x_ticks), strict=True):
        px = x(tick)
        parts.append(
            f'<line class="grid" x1="{px:.1f}" y1="{TOP}" x2="{px:.1f}" y2="{height - BOTTOM}"/>'
        )
        parts.append(
            f'<text x="{px:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle">{text}</text>'
        )
    y_ticks = y.ticks()
    y_labels = [label(t, t) for t in y_ticks] if y.log else _labels(y_ticks)
    for tick, text in zip(y_ticks, y_labels, strict=True):
        py = y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{py:.1f}" x2="{width - RIGHT}" y2="{py:.1f}"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">{text}</text>')
    mid_y = (TOP + height - BOTTOM) / 2
    parts.append(
        f'<text class="title" x="{(LEFT + width - RIGHT) / 2:.1f}" y="{height - 8}" text-anchor="middle">{escape(x_title)}</text>'
    )
    parts.append(
        f'<text class="title" transform="translate(14 {mid_y:.1f}) rotate(-90)" text-anchor="middle">{escape(y_title)}</text>'
    )
    return parts


def _plot(parts: list[str], size: tuple[int, int] = (WIDTH, HEIGHT)) -> str:
    """Drawing `parts` clipped to the plot area: nothing reaches the axes or the edges."""
    width, height = size
    box = f'x="{LEFT}" y="{TOP}" width="{width - LEFT - RIGHT}" height="{height - TOP - BOTTOM}"'
    clip = f'<clipPath id="{{id}}"><rect {box}/></clipPath>'
    return clip + '<g clip-path="url(#{id})">' + "".join(parts) + "</g>"


def _svg(
    parts: list[str],
    title: str,
    description: str,
    clip_id: str,
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> str:
    """Wrap drawing parts in an accessible, scalable SVG element."""
    return (
        f'<svg class="static-chart" viewBox="0 0 {size[0]} {size[1]}" role="img" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>" + "".join(parts).replace("{id}", clip_id) + "</svg>"
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
    names: tuple[str, str] = ("x", "y"),
    chart_id: str = "fit",
) -> str:
    """The data as dots and the fitted curve as a line; `chart_id` is unique on the page."""
    xs, ys = points
    fx, fy = fit
    x = Axis(*_span([*xs, *fx]), LEFT, WIDTH - RIGHT)
    y = Axis(*_span([*ys, *fy]), HEIGHT - BOTTOM, TOP)
    parts = _frame(x, y, *names)
    drawn = [
        f'<circle class="point" cx="{x(a):.1f}" cy="{y(b):.1f}" r="3"/>'
        for a, b in zip(xs, ys, strict=True)
    ]
    path = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(fx, fy, strict=True))
    drawn.append(f'<polyline class="fit" points="{path}"/>')
    parts.append(_plot(drawn))
    return _svg(parts, "The data and the model's fit", description, f"{chart_id}-clip")


def loss_chart(
    iterations: Sequence[int],
    losses: Sequence[float],
    description: str,
    chart_id: str = "loss",
    size: tuple[int, int] = (WIDTH, HEIGHT),
    trend: int = 0,
) -> str:
    """Average loss per iteration on a log scale, in a drawing of `size`; `chart_id` is
    unique on the page. With a `trend` window, the mean of each `trend` steps is drawn
    over the curve, so a loss that jumps about shows whether it still falls."""
    width, height = size
    positive = [v for v in losses if v >= LOG_FLOOR] or [1.0]
    # Whole decades around the curve, at least one (as the live chart's logRange).
    low = max(-300, math.floor(math.log10(min(positive)) + 1e-9))
    high = min(307, math.ceil(math.log10(max(positive)) - 1e-9))
    x = Axis(0, max(max(iterations, default=1), 1), LEFT, width - RIGHT)
    y = Axis(float(f"1e{low}"), float(f"1e{max(high, low + 1)}"), height - BOTTOM, TOP, log=True)
    parts = _frame(x, y, "Iteration", "Average loss (log scale)", size)
    path = " ".join(
        f"{x(i):.1f},{y(v):.1f}" for i, v in zip(iterations, losses, strict=True) if v >= LOG_FLOOR
    )
    drawn = [f'<polyline class="loss" points="{path}"/>']
    if trend:
        means = moving_mean(losses, trend)
        line = " ".join(
            f"{x(i):.1f},{y(v):.1f}"
            for i, v in zip(iterations[trend - 1 :], means, strict=True)
            if v >= LOG_FLOOR
        )
        drawn.append(f'<polyline class="trend" points="{line}"/>')
    parts.append(_plot(drawn, size))
    return _svg(
        parts,
        "Average loss at each iteration of the default run",
        description,
        f"{chart_id}-clip",
        size,
    )


def moving_mean(values: Sequence[float], window: int) -> list[float]:
    """The mean of each `window` consecutive values (one per full window)."""
    if window < 1 or len(values) < window:
        return []
    total = math.fsum(values[:window])
    means = [total / window]
    for old, new in zip(values, values[window:], strict=False):
        total += new - old
        means.append(total / window)
    return means
