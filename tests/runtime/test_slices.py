"""Large synthetic data: known from the build's summary without drawing a sample (and with
the very numbers the samples give), and drawn in slices when samples are needed, while
other demos' messages are answered in between."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from engine.runtime import bridge as bridge_module
from engine.runtime import protocol
from engine.runtime.bridge import Bridge
from engine.runtime.data import synthetic
from engine.runtime.models import LinearStats
from engine.runtime.spec import DemoSettings, SyntheticData, TrainSettings
from engine.runtime.summary import summarize

BIG = 30_000


def settings(n: int, **train: Any) -> dict[str, Any]:
    """A line demo on `n` synthetic points, as the page sends it."""
    data = SyntheticData(n=n, seed=4)
    return DemoSettings(data=data, train=TrainSettings(step_size=0.01, **train)).to_dict()


def summary_of(n: int) -> dict[str, Any]:
    """The build's summary of the data, as it reaches the runtime: through JSON."""
    data = synthetic(SyntheticData(n=n, seed=4))
    stats = dataclasses.asdict(LinearStats.of(data))
    return json.loads(json.dumps(summarize(data, stats)))  # type: ignore[no-any-return]


def send(bridge: Bridge, kind: str, demo: str = "d", **fields: Any) -> dict[str, Any]:
    reply = bridge.handle(json.dumps({"type": kind, "id": demo, "seq": 1, **fields}))
    assert reply, f"{kind} was not answered at once"
    answer: dict[str, Any] = json.loads(reply)
    assert answer["type"] != protocol.DEMO_ERROR, answer["message"]
    return answer


def finish(bridge: Bridge) -> list[dict[str, Any]]:
    """Resume the bridge's work until it is done; the replies, in order."""
    replies = []
    while bridge.busy:
        reply = bridge.resume()
        if reply:
            replies.append(json.loads(reply))
    return replies


def session(bridge: Bridge, start: dict[str, Any]) -> list[dict[str, Any]]:
    """A reader's session with a demo started by `start`: every state it is shown."""
    message = {"type": protocol.DEMO_INIT, "id": "d", "seq": 1, **start}
    reply = bridge.handle(json.dumps(message))
    shown = [(json.loads(reply) if reply else finish(bridge)[0])["state"]]
    actions: list[tuple[str, dict[str, Any]]] = [
        (protocol.DEMO_STEP, {"count": 25}),
        (protocol.DEMO_DOUBLE, {}),
        (protocol.DEMO_STEP, {"count": 10}),
        (protocol.DEMO_CONFIGURE, {"proportional": True}),
        (protocol.DEMO_STEP, {"count": 3}),
        (protocol.DEMO_RESET, {}),
        (protocol.DEMO_STEP, {"count": 1}),
    ]
    for kind, fields in actions:
        shown.append(send(bridge, kind, **fields)["state"])
    return shown


@pytest.mark.parametrize("batch", [None, 7])
def test_the_summary_gives_the_numbers_the_samples_give(batch: int | None) -> None:
    demo = settings(BIG, batch=batch)
    drawn = session(Bridge(), {"settings": demo, "steps": 5})
    known = session(Bridge(), {"settings": demo, "steps": 5, "summary": summary_of(BIG)})
    assert known == drawn


def test_a_full_batch_line_draws_no_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(spec: SyntheticData) -> None:
        raise AssertionError("a sample was drawn")

    monkeypatch.setattr("engine.runtime.summary.synthetic_steps", never)
    bridge = Bridge()
    reply = send(bridge, protocol.DEMO_INIT, settings=settings(BIG), summary=summary_of(BIG))
    assert reply["state"]["samples"] == BIG
    assert not bridge.busy


def test_a_summary_of_other_data_is_refused() -> None:
    bridge = Bridge()
    start = {"type": protocol.DEMO_INIT, "id": "d", "seq": 1, "settings": settings(BIG)}
    wrong = summary_of(BIG)
    wrong["samples"] = BIG + 1
    for summary in (wrong, {**summary_of(BIG), "stats": {"sxx": 1.0}}, [1, 2]):
        reply = json.loads(bridge.handle(json.dumps({**start, "summary": summary})) or "{}")
        reply = reply or finish(bridge)[0]
        assert reply["type"] == protocol.DEMO_ERROR and "summary" in reply["message"]


def test_a_heavy_demo_does_not_keep_a_light_one_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bridge_module, "SLICE_S", 0.001)
    bridge = Bridge()
    heavy = settings(BIG, batch=5)  # mini-batches visit samples: they must be drawn
    first = bridge.handle(json.dumps({"type": protocol.DEMO_INIT, "id": "big", "settings": heavy}))
    assert first == "" and bridge.busy
    # The light demo starts and steps while the heavy one's samples are being drawn.
    send(bridge, protocol.DEMO_INIT, "small", settings=settings(30))
    state = send(bridge, protocol.DEMO_STEP, "small", count=20)["state"]
    assert state["iteration"] == 20 and bridge.busy
    # A message for the heavy demo waits behind its work, and is answered in order.
    queued = bridge.handle(json.dumps({"type": protocol.DEMO_STEP, "id": "big", "count": 2}))
    assert queued == ""
    started, stepped = finish(bridge)
    assert started["state"]["iteration"] == 0 and stepped["state"]["iteration"] == 2
    alone = Bridge()
    alone.handle(json.dumps({"type": protocol.DEMO_INIT, "id": "big", "settings": heavy}))
    finish(alone)
    assert stepped["state"] == send(alone, protocol.DEMO_STEP, "big", count=2)["state"]
