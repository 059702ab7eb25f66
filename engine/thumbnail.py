"""A post's thumbnail for the index: its first demo's data and the fit its default run
reaches, drawn at build time as a small SVG without text (the card's title says what it
is, so the picture is decorative to screen readers)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.demo.block import DemoBlock
from engine.demo.preview import PREVIEW_STEPS, DemoFailed, model_call, run_steps, start

WIDTH, HEIGHT, PAD = 160, 100, 8
# As far into the default run as the page's own still charts go: the fit has found its
# shape by then, and the thumbnail costs no more than the demo's preview did.
STEPS = PREVIEW_STEPS
MOST_POINTS = 80


def thumbnail(demos: Sequence[DemoBlock]) -> str:
    """The SVG of the first demo's data and fitted curve; empty without a demo, or when
    its run fails or diverges (a thumbnail is no place to show that)."""
    if not demos:
        return ""
    block = demos[0]
    try:
        trainer = start(block)
        points = model_call(block, trainer.state)["points"]
        run_steps(block, trainer, STEPS)
        state = model_call(block, trainer.state)
    except DemoFailed:
        return ""
    if state["status"] != "ready" or not points or not points["xs"]:
        return ""
    stride = max(1, len(points["xs"]) // MOST_POINTS)
    xs, ys = points["xs"][::stride], points["ys"][::stride]
    fx, fy = state["fit"]["xs"], state["fit"]["ys"]
    low_x, high_x = min(xs), max(xs)
    low_y, high_y = min(ys), max(ys)

    def at(x: float, y: float) -> tuple[float, float]:
        """The pixel of a data point; the fit may leave the picture (the SVG clips it)."""
        px = PAD + (x - low_x) / ((high_x - low_x) or 1.0) * (WIDTH - 2 * PAD)
        py = HEIGHT - PAD - (y - low_y) / ((high_y - low_y) or 1.0) * (HEIGHT - 2 * PAD)
        return px, py

    dots = "".join(
        f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="2.2"/>'
        for px, py in (at(x, y) for x, y in zip(xs, ys, strict=True))
    )
    line = " ".join(
        f"{px:.1f},{py:.1f}" for px, py in (at(x, y) for x, y in zip(fx, fy, strict=True))
    )
    return (
        f'<svg class="post-thumb" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true">'
        f'{dots}<polyline class="fit" points="{line}"/></svg>'
    )
