"""A demo's widget as HTML: `templates/demo/demo.html` and the part templates it includes,
rendered from the validated block, its default run and the contract's readouts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import jinja2

from engine.demo.block import DemoBlock
from engine.demo.preview import Preview
from engine.runtime.contract import MAX_STEP_SIZE, READOUTS

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class ReadoutView:
    """One readout as first shown: the contract's readout with its value at iteration 0."""

    name: str
    hook: str
    label: str
    value: float
    text: str


@dataclass(frozen=True)
class DemoView:
    """What the demo templates see: the block, its state at iteration 0, its readouts."""

    id: str
    show: tuple[str, ...]
    controls: tuple[str, ...]
    parameters: tuple[str, ...]
    settings: Any
    initial: dict[str, Any]
    readouts: tuple[ReadoutView, ...]  # the contract's readouts this demo shows, in order
    config_json: str
    model_description: str  # an author model's docstring; empty for a built-in model
    figures: dict[str, str]  # static SVG charts by chart name, drawn at build time
    max_step_size: float = MAX_STEP_SIZE  # the step-size box's `max`


def render_demo(
    env: jinja2.Environment, block: DemoBlock, preview: Preview, figure: bool = False
) -> str:
    """The widget's HTML; with `figure`, only the still chart of its default run
    (templates/demo/figure.html)."""
    template = "demo/figure.html" if figure else "demo/demo.html"
    return env.get_template(template).render(demo=demo_view(block, preview))


def demo_view(block: DemoBlock, preview: Preview) -> DemoView:
    """The block and its default run as the templates see them."""
    initial = preview.initial
    readouts = tuple(
        ReadoutView(
            r.name,
            r.hook,
            r.label,
            initial[r.name],
            FORMATS[r.format](initial[r.name]),
        )
        for r in READOUTS
        if r.name in block.show
    )
    config = {"settings": block.settings.to_dict(), "initial": initial, "replay": preview.replay}
    if preview.summary is not None:
        config["summary"] = preview.summary
    return DemoView(
        id=block.id,
        show=block.show,
        controls=block.controls,
        parameters=block.parameters,
        settings=block.settings,
        initial=initial,
        readouts=readouts,
        config_json=script_json(config),
        model_description=block.model_file.description if block.model_file else "",
        figures=preview.figures,
    )


def format_count(value: int) -> str:
    """A whole number with thousands separators: 12,345 (as format.js, in English)."""
    return _minus(f"{value:,}")


def format_real(value: float) -> str:
    """A measured value, four significant digits with trailing zeros: 3.100, 12,350;
    beyond 1e-3 to 1e6, 7.901 \u00d7 10¹¹ (as format.js writes it)."""
    return _written(value, trim=False)


def format_step(value: float) -> str:
    """A setting such as a step size, as short as it is: 0.05, 2 \u00d7 10⁻⁷."""
    return _written(value, trim=True)


def _written(value: float, trim: bool) -> str:
    """As format.js: rounded half away from zero on the exact value of the float, as
    `Intl.NumberFormat`, `toPrecision` and `toExponential` round; plain or with a power
    of ten as the rounded value falls; a true minus sign."""
    rounded = _round(Decimal(value)) if value else Decimal(0)
    if rounded == 0 or Decimal("1e-3") <= abs(rounded) < Decimal("1e6"):
        return _minus(_significant(rounded, trim))
    exponent = rounded.adjusted()
    mantissa = rounded.scaleb(-exponent)  # the same four digits, shifted
    power = str(exponent).translate(_SUPERSCRIPTS)
    return f"{_minus(_significant(mantissa, trim))} \u00d7 10{power}"


def _round(value: Decimal, digits: int = 4) -> Decimal:
    """`value` rounded half away from zero to `digits` significant digits (and no more:
    9.9996 is 10.00, not 10.000)."""
    rounded = value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1), ROUND_HALF_UP)
    return rounded.quantize(Decimal(1).scaleb(rounded.adjusted() - digits + 1), ROUND_HALF_UP)


def _significant(rounded: Decimal, trim: bool) -> str:
    """A rounded value grouped in thousands; `trim` drops trailing zeros."""
    if rounded == 0:
        return "0"
    text = f"{rounded:,f}"
    return text.rstrip("0").rstrip(".") if trim and "." in text else text


def _minus(text: str) -> str:
    """A leading hyphen-minus as a minus sign."""
    return "\u2212" + text[1:] if text.startswith("-") else text


def script_json(value: object) -> str:
    """JSON safe inside `<script type="application/json">`: no `<`, `>` or `&` left raw."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# How each kind of readout is written (the contract's Readout.format).
FORMATS: dict[str, Callable[[Any], str]] = {
    "count": format_count,
    "real": format_real,
    "step": format_step,
}
