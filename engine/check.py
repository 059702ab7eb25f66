"""`explainer check`: validate every post and run every demo for some steps in CPython,
reporting what each run did and warning about runs that do not go downhill."""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

from engine.build import build
from engine.config import BuildOptions
from engine.demo.block import DemoBlock
from engine.demo.preview import DemoFailed, run_steps, start
from engine.errors import BuildFailed, SourceError, warning
from engine.runtime.trainer import Trainer

TAIL = 4  # the last part of a run is its last quarter
TAIL_POINTS = 8  # a shorter tail says nothing about swings
RISES = 2  # a tail with fewer rises than this does not swing
PROGRESS = 0.1  # a tail improves when its halves' means differ by this much of its range


def check(content: Path, steps: int) -> int:
    """Exit 0 when everything validates (drafts too: the site builds in memory, and its
    links lead somewhere) and no demo diverges or raises within `steps`; each demo's run
    is described, and runs that do not go downhill are warned about."""
    options = BuildOptions(content=content, drafts=True, snapshot=False)
    result = build(options, write=False)
    pages, warnings = result.pages, list(result.warnings)
    errors: list[SourceError] = []
    demos = 0
    for page in pages:
        for block in page.demos:
            demos += 1
            path = page.post.shown_path
            try:
                trainer = run_demo(block, steps)
            except DemoFailed as problem:
                errors.append(SourceError(path, block.line, f'demo "{block.id}" {problem}'))
                continue
            print(f'{path}:{block.line}: demo "{block.id}": {describe(trainer)}')
            curve = trainer.save_run()["curve"]
            trend = trend_warning(curve["iterations"], curve["losses"])
            if trend:
                warnings.append(warning(path, block.line, f'demo "{block.id}" {trend}'))
    if errors:  # a demo that failed needs no warning besides
        failed = {(error.path, error.line) for error in errors}
        raise BuildFailed([*errors, *(w for w in warnings if (w.path, w.line) not in failed)])
    for found in warnings:
        print(found, file=sys.stderr)
    outcome = "all fine" if not warnings else _count(len(warnings), "warning")
    print(f"checked {len(pages)} posts and {demos} demos ({steps} steps each): {outcome}")
    return 0


def run_demo(block: DemoBlock, steps: int) -> Trainer:
    """Run one demo from its start for `steps` steps; DemoFailed when its model raises or
    the run diverges."""
    trainer = start(block)
    run_steps(block, trainer, steps)
    if trainer.status == "diverged":
        raise DemoFailed(f"diverged within {steps} steps: {trainer.message}")
    return trainer


def describe(trainer: Trainer) -> str:
    """`200 iterations, average loss from 89.76 to 0.9963; w = 2.012, b = 2.914`."""
    losses = trainer.save_run()["curve"]["losses"]
    params = ", ".join(f"{name} = {value:.4g}" for name, value in trainer.params.items())
    return (
        f"{_count(trainer.iteration, 'iteration')}, average loss from {losses[0]:.4g} "
        f"to {trainer.average_loss:.4g}; {params}"
    )


def trend_warning(iterations: list[int], losses: list[float]) -> str:
    """What is wrong with a run's loss curve (average loss at each recorded iteration), if
    anything: a loss that ends higher than it started, or one that swings up and down over
    the last part of the run without getting lower."""
    if len(losses) < 2:
        return ""
    first, last = losses[0], losses[-1]
    if last > first:
        return f"ends with a higher average loss than it started with ({first:.4g} to {last:.4g})"
    tail = losses[-max(TAIL_POINTS, len(losses) // TAIL) :]
    if len(tail) < TAIL_POINTS:
        return ""
    rises = sum(1 for a, b in itertools.pairwise(tail) if b > a)
    low, high = min(tail), max(tail)
    half = len(tail) // 2
    earlier = math.fsum(tail[:half]) / half
    later = math.fsum(tail[half:]) / (len(tail) - half)
    if rises < RISES or high - low <= 1e-3 * high or earlier - later > PROGRESS * (high - low):
        return ""
    before = iterations[-len(tail) - 1] if len(tail) < len(losses) else iterations[0]
    span = iterations[-1] - before
    return (
        f"swings between {low:.4g} and {high:.4g} over its last {span} iterations "
        "without getting lower"
    )


def _count(n: int, noun: str) -> str:
    """'1 warning', '3 warnings'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
