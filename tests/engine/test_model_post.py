"""The author-model post's claims hold for the settings it ships (run in CPython)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from engine.demo.block import DemoBlock
from engine.runtime.trainer import Trainer

from .conftest import example_demos

REPO = Path(__file__).resolve().parents[2]
POST = REPO / "content" / "posts" / "a-model-of-your-own.md"


@pytest.fixture(scope="module")
def demos() -> dict[str, DemoBlock]:
    return example_demos("a-model-of-your-own")


def trained(block: DemoBlock, steps: int, **train: Any) -> Trainer:
    trainer = Trainer(replace(block.settings, train=replace(block.settings.train, **train)))
    trainer.step(steps)
    return trainer


def test_the_post_shows_the_model_file_as_it_is() -> None:
    shown = re.search(r"```python\n(.*?)```", POST.read_text(), re.S)
    assert shown is not None
    assert shown.group(1) == (REPO / "content" / "models" / "quadratic.py").read_text()


def test_the_best_line_stays_far_above_the_parabola(demos: dict[str, DemoBlock]) -> None:
    line = trained(demos["line"], 100)
    assert 2.49 < line.average_loss < 2.51 and abs(line.params["w"]) < 0.5
    line.step(1000)
    assert line.average_loss > 2.49
    parabola = trained(demos["parabola"], 1000)
    assert parabola.average_loss < 0.016 and parabola.average_loss * 100 < line.average_loss
    assert -4.9 < parabola.params["a"] < -4.7  # gravity about 9.6 m/s²


def test_the_first_step_bends_the_wrong_way_then_an_arch(demos: dict[str, DemoBlock]) -> None:
    assert trained(demos["parabola"], 1).params["a"] > 0
    assert trained(demos["parabola"], 10).params["a"] < 0


def test_step_sizes_and_the_proportional_step(demos: dict[str, DemoBlock]) -> None:
    block = demos["parabola"]
    assert trained(demos["line"], 1000, step_size=0.3).status == "ready"
    assert trained(block, 100, step_size=0.2).status == "diverged"
    faster = trained(block, 667, step_size=0.15).average_loss
    assert faster < 1.01 * trained(block, 1000).average_loss
    assert trained(block, 1000, proportional=True).average_loss > 0.5
