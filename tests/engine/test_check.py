"""`explainer check` describes every run and warns about runs that do not go downhill."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from engine.check import trend_warning

from .conftest import FRONT


def curve(losses: list[float]) -> tuple[list[int], list[float]]:
    return list(range(len(losses))), losses


@pytest.mark.parametrize(
    ("losses", "warning"),
    [
        ([10.0 * 0.9**i for i in range(100)], ""),  # falls steadily
        ([10.0] + [2.0] * 99, ""),  # settled: flat, no swings
        ([10.0, 5.0, 12.0], "ends with a higher average loss than it started with (10 to 12)"),
        (
            [10.0] + [2.0 + (i % 2) for i in range(99)],
            "swings between 2 and 3 over its last 25 iterations without getting lower",
        ),
        # Noisy, but still falling: no warning.
        ([10.0 - 0.08 * i + 0.05 * math.sin(i) for i in range(100)], ""),
        ([1.0], ""),
    ],
)
def test_trend_warnings(losses: list[float], warning: str) -> None:
    assert trend_warning(*curve(losses)) == warning


def test_check_warns_about_a_run_that_swings(project) -> None:
    # Mini-batches of 2 and a large step: the loss falls, then jumps about in a band.
    project.post(
        "p",
        FRONT + "\n```demo\ndata:\n  synthetic: {n: 40, noise: 3}\n"
        "train:\n  step_size: 0.02\n  batch: 2\n```\n",
    )
    done = subprocess.run(
        [sys.executable, "-m", "engine", "check", "--steps", "2000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('content/posts/p.md:7: demo "demo-1": 2000 iterations')
    assert done.stdout.endswith("(2000 steps each): 1 warning\n")
    assert done.stderr.startswith('content/posts/p.md:7: warning: demo "demo-1" swings between ')
    assert done.stderr.endswith(" over its last 500 iterations without getting lower\n")
