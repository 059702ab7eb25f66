"""The page's replay of a demo's default run equals Python's run, number for number, and
Python takes over from any replayed state as if it had run the demo all along."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from engine.build import build
from engine.config import BuildOptions
from engine.runtime import protocol
from engine.runtime.bridge import Bridge
from tests.static.nodejs import evaluate, needs_node

pytestmark = needs_node
REPO = Path(__file__).resolve().parents[2]
# Beside the example site's demos (a line, mini-batches, a table, an author model): a run
# that diverges within the recording, and one with the proportional step.
MORE = """---
title: More runs
date: 2026-01-02
summary: Runs that diverge or take proportional steps.
---

```demo
id: diverging
data:
  synthetic: {n: 25, seed: 3}
train:
  step_size: 0.2
```

```demo
id: proportional
data:
  synthetic: {n: 12, seed: 5, noise: 0}
train:
  step_size: 0.02
  proportional: true
  batch: 3
  seed: 9
```
"""
CONFIG = re.compile(r'<script type="application/json" data-demo-config>(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def configs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The configuration of every demo of the example site and of MORE, as built, by id."""
    root = tmp_path_factory.mktemp("replay")
    shutil.copytree(REPO / "content", root / "content")
    (root / "content" / "posts" / "more.md").write_text(MORE, encoding="utf-8")
    build(BuildOptions(content=root / "content", out=root / "site", snapshot=False))
    found = {}
    for page in sorted((root / "site" / "posts").glob("*/index.html")):
        for text in CONFIG.findall(page.read_text(encoding="utf-8")):
            config = json.loads(html.unescape(text))
            found[f"{page.parent.name}/{config['initial']['data_label']}"] = config
    return found


def replayed(scripts: Path, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Every state of the page's replay of `config`, each with its whole curve."""
    expression = (
        f"((c) => {{ const r = new m.Replay(c.initial, c.replay, c.settings.model);"
        f" return Array.from({{ length: r.steps + 1 }}, (_, j) => r.state(j)); }})"
        f"({json.dumps(config)})"
    )
    states = evaluate(scripts, "replay.js", expression)
    assert isinstance(states, list)
    return states


def python_after(config: dict[str, Any], steps: int, *, one_by_one: bool) -> dict[str, Any]:
    """Python's state after `steps` step calls: taken over at `steps` (`demo:init` with
    `steps`), or started at 0 and stepped `one_by_one` as the step button does."""
    bridge = Bridge()
    init = {"type": protocol.DEMO_INIT, "id": "d", "settings": config["settings"]}
    if not one_by_one:
        init["steps"] = steps
    reply = bridge.handle(json.dumps(init))
    while not reply:  # a long start is worked on in slices
        reply = bridge.resume()
    state: dict[str, Any] = json.loads(reply)["state"]
    curve = state["curve"]
    for _ in range(steps if one_by_one else 0):
        step = {"type": protocol.DEMO_STEP, "id": "d", "count": 1}
        state = json.loads(bridge.handle(json.dumps(step)))["state"]
        curve = merged(curve, state["curve"])
    state["curve"] = curve
    return state


def merged(curve: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """A curve with an update applied, as the page's curves.js applies it."""
    if update["full"]:
        return update
    return {
        "full": True,
        "iterations": curve["iterations"] + update["iterations"],
        "losses": curve["losses"] + update["losses"],
    }


def test_the_recordings_cover_the_runs_the_site_has(configs: dict[str, Any]) -> None:
    models = {config["settings"]["model"] for config in configs.values()}
    assert models == {"linear", "models/quadratic.py"}
    ends = {config["replay"]["diverged"] is not None for config in configs.values()}
    assert ends == {True, False}
    assert all(config["replay"]["steps"] > 0 for config in configs.values())


def test_every_replayed_state_is_pythons_and_python_takes_over_from_it(
    scripts: Path, configs: dict[str, Any]
) -> None:
    for name, config in configs.items():
        states = replayed(scripts, config)
        assert len(states) == config["replay"]["steps"] + 1, name
        for steps, page in enumerate(states):
            python = python_after(config, steps, one_by_one=False)
            python.pop("points")  # sent once; the page keeps the build's
            assert page.pop("points") is None
            assert page == python, f"{name}: step {steps}"


def test_taking_over_equals_an_uninterrupted_python_run(configs: dict[str, Any]) -> None:
    for name, config in configs.items():
        for steps in sorted({1, 7, config["replay"]["steps"]}):
            taken_over = python_after(config, steps, one_by_one=False)
            uninterrupted = python_after(config, steps, one_by_one=True)
            # The data points come with the first reply after a start only.
            assert taken_over.pop("points") is not None and uninterrupted.pop("points") is None
            assert taken_over == uninterrupted, f"{name}: step {steps}"
