"""The example post's claims hold for the settings it ships (run in CPython)."""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path

import pytest

from engine.demo.block import DemoBlock
from engine.runtime.trainer import Trainer

from .conftest import example_demos

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demos() -> dict[str, DemoBlock]:
    return example_demos("iterating-on-a-model")


def losses(block: DemoBlock, proportional: bool, steps: int) -> list[float]:
    train = replace(block.settings.train, proportional=proportional)
    trainer = Trainer(replace(block.settings, train=train))
    out = []
    for _ in range(steps):
        trainer.step(1)
        out.append(trainer.average_loss)
    assert trainer.status == "ready"
    return out


def test_the_story_has_five_demos(demos: dict[str, DemoBlock]) -> None:
    """Five live demos; the figure between them is a still picture, not a demo."""
    assert list(demos) == ["first-model", "doubling", "step-size", "compare-runs", "your-data"]


def test_fixed_step_keeps_dancing_while_proportional_settles(demos: dict[str, DemoBlock]) -> None:
    block = demos["step-size"]
    fixed = losses(block, False, 1000)[300:]
    settled = losses(block, True, 1000)[300:]
    assert statistics.fmean(settled) < statistics.fmean(fixed)
    assert statistics.pstdev(settled) * 5 < statistics.pstdev(fixed)


def test_the_first_demo_converges_within_a_few_hundred_steps(demos: dict[str, DemoBlock]) -> None:
    curve = losses(demos["first-model"], False, 300)
    best = curve[-1]
    assert curve[0] > 10 * best
    assert curve[149] < 1.01 * best
