"""The bridge: every message type in, its reply out, as the worker passes them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.runtime import protocol
from engine.runtime.bridge import Bridge
from engine.runtime.spec import DemoSettings, TrainSettings


def send(bridge: Bridge, kind: str, seq: int, demo: str = "doubling", **fields: Any) -> Any:
    reply = json.loads(bridge.handle(json.dumps({"type": kind, "seq": seq, "id": demo, **fields})))
    assert list(reply)[:3] == ["type", "seq", "id"]
    assert (reply["seq"], reply["id"]) == (seq, demo)
    return reply


@pytest.fixture
def bridge() -> Bridge:
    bridge = Bridge()
    settings = DemoSettings(train=TrainSettings(step_size=0.01)).to_dict()
    reply = send(bridge, protocol.DEMO_INIT, 1, settings=settings)
    assert reply["type"] == protocol.DEMO_STATE
    assert reply["state"]["iteration"] == 0 and reply["state"]["points"] is not None
    return bridge


def test_step_reset_configure_double(bridge: Bridge) -> None:
    state = send(bridge, protocol.DEMO_STEP, 2, count=5)["state"]
    assert (state["iteration"], state["curve"]["iterations"]) == (5, [1, 2, 3, 4, 5])
    state = send(bridge, protocol.DEMO_CONFIGURE, 3, step_size=0.02, proportional=True)["state"]
    assert state["settings"] == {"step_size": 0.02, "proportional": True, "batch": None}
    state = send(bridge, protocol.DEMO_CONFIGURE, 4, proportional=False)["state"]
    assert state["settings"]["step_size"] == 0.02 and state["effective_step"] == 0.02
    state = send(bridge, protocol.DEMO_DOUBLE, 5)["state"]
    assert state["samples"] == 40 and state["points"] is not None
    state = send(bridge, protocol.DEMO_RESET, 6)["state"]
    assert (state["iteration"], state["samples"], state["curve"]["full"]) == (0, 40, True)


def test_save_run(bridge: Bridge) -> None:
    send(bridge, protocol.DEMO_STEP, 2, count=3)
    reply = send(bridge, protocol.DEMO_SAVE_RUN, 3)
    assert reply["type"] == protocol.DEMO_RUN
    assert reply["run"]["iteration"] == 3 and reply["run"]["curve"]["iterations"] == [0, 1, 2, 3]


def test_upload_good_and_bad(bridge: Bridge) -> None:
    send(bridge, protocol.DEMO_STEP, 2, count=3)
    bad = send(bridge, protocol.DEMO_UPLOAD, 3, name="bad.csv", text="x,y\n1,2\n3,abc\n")
    assert bad == {
        "type": protocol.DEMO_ERROR,
        "seq": 3,
        "id": "doubling",
        "message": 'Could not load bad.csv: line 3: "abc" is not a number; '
        "write numbers such as 2, -0.5 or 1e3",
        "line": 3,
        "recoverable": True,
    }
    state = send(bridge, protocol.DEMO_STEP, 4)["state"]
    assert state["iteration"] == 4  # the demo went on with its old data
    state = send(bridge, protocol.DEMO_UPLOAD, 5, name="good.csv", text="1,2\r\n3,4\r\n")["state"]
    assert (state["iteration"], state["data_label"]) == (0, "good.csv (2 rows)")
    empty = send(bridge, protocol.DEMO_UPLOAD, 6, name="empty.csv", text="")
    assert empty["line"] is None and empty["recoverable"] is True


def test_demos_are_kept_apart(bridge: Bridge) -> None:
    send(bridge, protocol.DEMO_INIT, 2, demo="other", settings=DemoSettings().to_dict())
    send(bridge, protocol.DEMO_STEP, 3, count=4)
    assert send(bridge, protocol.DEMO_STEP, 4, demo="other")["state"]["iteration"] == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"type": protocol.DEMO_STEP, "count": 0},
            "the number of steps must be from 1 to 100000, not 0",
        ),
        (
            {"type": protocol.DEMO_CONFIGURE, "step_size": -1},
            "the step size must be a number greater than 0 and at most 1000000, not -1",
        ),
        (
            {"type": protocol.DEMO_STEP, "id": "nope"},
            'demo "nope" has not been started (no demo:init)',
        ),
        ({"type": "demo:dance"}, "unknown message type 'demo:dance'"),
        (
            {"type": protocol.DEMO_UPLOAD, "name": "a.csv"},
            'demo:upload needs a text "text", not None',
        ),
        (
            {"type": protocol.DEMO_INIT, "settings": {"model": "linear"}},
            "the demo settings are malformed (KeyError: 'data')",
        ),
    ],
)
def test_other_failures_are_not_recoverable(
    bridge: Bridge, fields: dict[str, Any], message: str
) -> None:
    request = {"seq": 9, "id": "doubling", **fields}
    reply = json.loads(bridge.handle(json.dumps(request)))
    assert reply == {
        "type": protocol.DEMO_ERROR,
        "seq": 9,
        "id": request["id"],
        "message": message,
        "line": None,
        "recoverable": False,
    }
    assert "Traceback" not in reply["message"]


def test_unreadable_messages_still_get_a_reply() -> None:
    reply = json.loads(Bridge().handle("{not json"))
    assert reply["type"] == protocol.DEMO_ERROR and reply["recoverable"] is False
    assert (reply["seq"], reply["id"]) == (None, None)
    assert reply["message"].startswith("the message is not valid JSON")
    assert json.loads(Bridge().handle("[1]"))["message"] == "the message is not a JSON object"


def test_diverged_state_crosses_as_plain_json(bridge: Bridge) -> None:
    send(bridge, protocol.DEMO_CONFIGURE, 2, step_size=10.0)
    state = send(bridge, protocol.DEMO_STEP, 3, count=500)["state"]
    assert state["status"] == "diverged" and state["message"].startswith("Diverged after")
