"""Malformed messages: the bridge answers every one with a clear demo:error and never raises.

Settings reach the worker from the page, from share links a reader can edit, and from
whatever else posts to the worker, so every number is bounded here too, and a refused
message leaves the demo exactly as it was.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.runtime import bridge as bridge_module
from engine.runtime import protocol
from engine.runtime.bridge import Bridge
from engine.runtime.spec import DemoSettings, TrainSettings

STEP_RANGE = "the number of steps must be from 1 to 100000"
STEP_WHOLE = "the number of steps must be a whole number"
STEP_SIZE = "the step size must be a number greater than 0 and at most 1000000"


@pytest.fixture
def bridge() -> Bridge:
    bridge = Bridge()
    reply = ask(bridge, type=protocol.DEMO_INIT, settings=DemoSettings().to_dict())
    assert reply["type"] == protocol.DEMO_STATE
    ask(bridge, type=protocol.DEMO_STEP, count=3)
    return bridge


def ask(bridge: Bridge, raw: str | None = None, **message: Any) -> Any:
    """Send one message (or `raw` text as it stands); the reply, which must be JSON."""
    if raw is None:
        raw = json.dumps({"seq": 7, "id": "d", **message})
    reply = json.loads(bridge.handle(raw))
    assert list(reply)[:3] == ["type", "seq", "id"]
    return reply


def state_of(bridge: Bridge) -> Any:
    """What a refused message must not change: the run as save-run reports it."""
    run = ask(bridge, type=protocol.DEMO_SAVE_RUN)["run"]
    return (run["iteration"], run["params"], run["settings"], run["samples"], run["data_label"])


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"type": protocol.DEMO_STEP, "count": 0}, f"{STEP_RANGE}, not 0"),
        ({"type": protocol.DEMO_STEP, "count": -5}, f"{STEP_RANGE}, not -5"),
        ({"type": protocol.DEMO_STEP, "count": 100_001}, f"{STEP_RANGE}, not 100001"),
        ({"type": protocol.DEMO_STEP, "count": 10**30}, f"{STEP_RANGE}, not {10**30}"),
        ({"type": protocol.DEMO_STEP, "count": "5"}, f"{STEP_WHOLE}, not '5'"),
        ({"type": protocol.DEMO_STEP, "count": 2.5}, f"{STEP_WHOLE}, not 2.5"),
        ({"type": protocol.DEMO_STEP, "count": None}, f"{STEP_WHOLE}, not None"),
        ({"type": protocol.DEMO_STEP, "count": True}, f"{STEP_WHOLE}, not True"),
        ({"type": protocol.DEMO_STEP, "count": [1]}, f"{STEP_WHOLE}, not [1]"),
        (
            {"type": protocol.DEMO_CONFIGURE, "step_size": "0.1"},
            "the step size must be a number greater than 0 and at most 1000000, not '0.1'",
        ),
        ({"type": protocol.DEMO_CONFIGURE, "step_size": 0}, f"{STEP_SIZE}, not 0"),
        ({"type": protocol.DEMO_CONFIGURE, "step_size": -0.5}, f"{STEP_SIZE}, not -0.5"),
        ({"type": protocol.DEMO_CONFIGURE, "step_size": 1e6 + 1}, f"{STEP_SIZE}, not 1000001.0"),
        ({"type": protocol.DEMO_CONFIGURE, "step_size": 10**400}, f"{STEP_SIZE}, not {10**400}"),
        (
            {"type": protocol.DEMO_CONFIGURE, "step_size": {"v": 1}},
            "the step size must be a number greater than 0 and at most 1000000, not {'v': 1}",
        ),
        (
            {"type": protocol.DEMO_CONFIGURE, "proportional": "yes"},
            "the proportional step must be true or false, not 'yes'",
        ),
        (
            {"type": protocol.DEMO_CONFIGURE, "proportional": 1},
            "the proportional step must be true or false, not 1",
        ),
        (
            {"type": protocol.DEMO_CONFIGURE, "step_size": 0.1, "proportional": "on"},
            "the proportional step must be true or false, not 'on'",
        ),
        (
            {"type": protocol.DEMO_CONFIGURE, "batch": 5, "seed": 2},
            "demo:configure changes only step_size and proportional, not 'batch', 'seed'",
        ),
        ({"type": "demo:dance"}, "unknown message type 'demo:dance'"),
        ({"type": None}, "unknown message type None"),
        ({"type": ["demo:step"]}, "unknown message type ['demo:step']"),
        ({"type": "x" * 100}, "unknown message type '" + "x" * 58 + "…"),
        ({"type": "__init__"}, "unknown message type '__init__'"),
        ({"type": protocol.DEMO_STATE}, "unknown message type 'demo:state'"),
        (
            {"type": protocol.DEMO_STEP, "id": "nope"},
            'demo "nope" has not been started (no demo:init)',
        ),
        (
            {"type": protocol.DEMO_UPLOAD, "text": "1,2"},
            'demo:upload needs a text "name", not None',
        ),
        (
            {"type": protocol.DEMO_UPLOAD, "name": "a.csv", "text": ["1,2"]},
            "demo:upload needs a text \"text\", not ['1,2']",
        ),
    ],
)
def test_malformed_messages_are_refused_and_change_nothing(
    bridge: Bridge, message: dict[str, Any], expected: str
) -> None:
    before = state_of(bridge)
    reply = ask(bridge, **message)
    demo_id = message.get("id", "d")
    assert reply == {
        "type": protocol.DEMO_ERROR,
        "seq": 7,
        "id": demo_id,
        "message": expected,
        "line": None,
        "recoverable": False,
    }
    assert state_of(bridge) == before


@pytest.mark.parametrize(
    ("raw", "seq", "demo_id", "expected"),
    [
        ("{not json", None, None, "the message is not valid JSON (Expecting"),
        ("", None, None, "the message is not valid JSON (Expecting value"),
        ("null", None, None, "the message is not a JSON object"),
        ('"demo:step"', None, None, "the message is not a JSON object"),
        ("[" * 100_000 + "]" * 100_000, None, None, "RecursionError: maximum recursion depth"),
        ('{"type":"demo:step","seq":3}', 3, None, "the message has no demo id (got None)"),
        ('{"type":"demo:step","seq":3,"id":""}', 3, "", "the message has no demo id (got '')"),
        ('{"type":"demo:step","seq":3,"id":5}', 3, None, "the message has no demo id (got 5)"),
        (
            '{"type":"demo:step","seq":3,"id":' + "[" * 500 + "]" * 500 + "}",
            3,
            None,
            "the message has no demo id (got " + "[" * 59 + "…)",
        ),
        (
            '{"type":"demo:configure","seq":3,"id":"d","step_size":NaN}',
            3,
            "d",
            f"{STEP_SIZE}, not nan",
        ),
        (
            '{"type":"demo:configure","seq":3,"id":"d","step_size":-Infinity}',
            3,
            "d",
            f"{STEP_SIZE}, not -inf",
        ),
        (
            '{"type":"demo:step","seq":3,"id":"d","count":' + "9" * 5000 + "}",
            None,
            None,
            "the message is not valid JSON (Exceeds the limit (4300 digits)",
        ),
    ],
)
def test_unreadable_messages_get_an_error(
    bridge: Bridge, raw: str, seq: int | None, demo_id: str | None, expected: str
) -> None:
    reply = ask(bridge, raw)
    assert (reply["type"], reply["seq"], reply["id"]) == (protocol.DEMO_ERROR, seq, demo_id)
    assert reply["message"].startswith(expected), reply["message"]
    assert reply["recoverable"] is False and "Traceback" not in reply["message"]
    assert ask(bridge, type=protocol.DEMO_STEP)["state"]["iteration"] == 4  # still working


@pytest.mark.parametrize("seq", ["NaN", "Infinity", "-Infinity", "1e400", '"7"', "true", "[1]"])
def test_a_seq_json_cannot_carry_back_is_answered_as_null(bridge: Bridge, seq: str) -> None:
    reply = ask(bridge, '{"type":"demo:step","id":"d","seq":' + seq + "}")
    assert (reply["type"], reply["seq"], reply["id"]) == (protocol.DEMO_STATE, None, "d")
    error = ask(bridge, '{"type":"demo:step","id":"d","count":0,"seq":' + seq + "}")
    assert (error["type"], error["seq"]) == (protocol.DEMO_ERROR, None)


def settings_with(**changes: Any) -> dict[str, Any]:
    """The default demo's settings as the page sends them, with some parts replaced."""
    raw = DemoSettings(train=TrainSettings()).to_dict()
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = raw
        for part in parents:
            target = target[part]
        target[last] = value
    return raw


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            None,
            "the demo settings are malformed (TypeError: 'NoneType' object is not subscriptable)",
        ),
        (
            "x",
            "the demo settings are malformed (TypeError: string indices must be integers, not 'str')",
        ),
        ({"model": "linear"}, "the demo settings are malformed (KeyError: 'data')"),
        (
            settings_with(data__synthetic__bogus=1),
            "the demo settings are malformed (TypeError: SyntheticData.__init__() got an "
            "unexpected keyword argument 'bogus')",
        ),
        (
            settings_with(data__synthetic__n=10**9),
            "n must be a whole number at least 1 and at most 1000000, not 1000000000",
        ),
        (
            settings_with(data__synthetic__n=0),
            "n must be a whole number at least 1 and at most 1000000, not 0",
        ),
        (
            settings_with(data__synthetic__n="20"),
            "n must be a whole number at least 1 and at most 1000000, not '20'",
        ),
        (
            settings_with(data__synthetic__noise=1e300),
            "noise must be a number at least 0 and at most 1000000000, not 1e+300",
        ),
        (
            settings_with(data__synthetic__slope=math.nan),
            "slope must be a number at least -1000000000 and at most 1000000000, not nan",
        ),
        (settings_with(train__step_size=math.inf), f"{STEP_SIZE}, not inf"),
        (
            settings_with(train__seed=-1),
            "the seed must be a whole number at least 0 and at most 4294967295, not -1",
        ),
        (
            settings_with(train__seed=1.5),
            "the seed must be a whole number at least 0 and at most 4294967295, not 1.5",
        ),
        (
            settings_with(train__seed=2**40),
            "the seed must be a whole number at least 0 and at most 4294967295",
        ),
        (
            settings_with(train__seed=math.inf),
            "the seed must be a whole number at least 0 and at most 4294967295, not inf",
        ),
        (
            settings_with(train__batch=10**11),
            'the batch must be "full" or a whole number from 1 to 1000000, not 100000000000',
        ),
        (settings_with(train__batch=0), 'the batch must be "full" or a whole number from 1'),
        (settings_with(train__batch=2.5), 'the batch must be "full" or a whole number from 1'),
        (
            settings_with(train__init={"w": math.nan}),
            "the initial value of w must be a finite number",
        ),
        (
            settings_with(train__init={"w": 1e300}),
            "the loss at the initial parameters is too large to compute",
        ),
        (
            settings_with(train__init={"zz": 1}),
            'model "linear" has no parameter "zz" (it has w, b)',
        ),
        (
            settings_with(model="models/os.py"),
            'model "models/os.py" is not part of this site (no module explainer_models.os)',
        ),
        (
            settings_with(data={"table": {"name": "t", "xs": [1, 2], "ys": [1]}}),
            "the data has 2 x values but 1 y values",
        ),
        (
            settings_with(data={"table": {"name": "t", "xs": [], "ys": []}}),
            "the data has no samples",
        ),
        (
            settings_with(data={"table": {"name": "t", "xs": [1e101], "ys": [1]}}),
            "values must be finite and within ±1e100",
        ),
    ],
)
def test_a_malformed_start_is_refused(bridge: Bridge, settings: Any, expected: str) -> None:
    reply = ask(bridge, type=protocol.DEMO_INIT, id="e", settings=settings)
    assert reply["type"] == protocol.DEMO_ERROR and reply["recoverable"] is False, reply
    assert expected in reply["message"]
    refused = ask(bridge, type=protocol.DEMO_STEP, id="e")
    assert refused["message"] == 'demo "e" has not been started (no demo:init)'
    assert ask(bridge, type=protocol.DEMO_STEP)["state"]["iteration"] == 4  # "d" is untouched


def test_a_seed_sent_as_a_float_is_a_whole_number(bridge: Bridge) -> None:
    reply = ask(bridge, type=protocol.DEMO_INIT, id="e", settings=settings_with(train__seed=7.0))
    assert reply["type"] == protocol.DEMO_STATE


def test_one_step_call_does_a_bounded_amount_of_work(
    bridge: Bridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hundred thousand steps over a big batch would hold the worker for hours: the call
    stops once it has visited MAX_WORK_PER_CALL samples, and the page asks again."""
    monkeypatch.setattr(bridge_module, "MAX_WORK_PER_CALL", 5_000)
    sgd = settings_with(data__synthetic__n=2_000, train__batch=1_000)
    assert (
        ask(bridge, type=protocol.DEMO_INIT, id="sgd", settings=sgd)["type"] == protocol.DEMO_STATE
    )
    state = ask(bridge, type=protocol.DEMO_STEP, id="sgd", count=100_000)["state"]
    assert state["iteration"] == 5
    state = ask(bridge, type=protocol.DEMO_STEP, id="sgd", count=1)["state"]
    assert state["iteration"] == 6
    # The line's full batch costs one unit a step, whatever the data: 4,000 steps fit.
    state = ask(bridge, type=protocol.DEMO_STEP, count=4_000)["state"]
    assert state["iteration"] == 4_003


def test_every_bounded_setting_is_refused_past_its_bound() -> None:
    """The bounds the page's controls rely on, at and just past each one."""
    bridge = Bridge()
    ask(bridge, type=protocol.DEMO_INIT, settings=DemoSettings().to_dict())
    for accepted, refused in [(1e6, 1e6 * (1 + 1e-15)), (5e-324, 0.0)]:
        assert ask(bridge, type=protocol.DEMO_CONFIGURE, step_size=accepted)["type"] == "demo:state"
        assert ask(bridge, type=protocol.DEMO_CONFIGURE, step_size=refused)["type"] == "demo:error"
    assert ask(bridge, type=protocol.DEMO_STEP, count=100_000)["type"] == "demo:state"
    assert ask(bridge, type=protocol.DEMO_STEP, count=100_001)["type"] == "demo:error"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
MESSAGE_TYPES = [
    protocol.DEMO_INIT,
    protocol.DEMO_STEP,
    protocol.DEMO_RESET,
    protocol.DEMO_CONFIGURE,
    protocol.DEMO_DOUBLE,
    protocol.DEMO_UPLOAD,
    protocol.DEMO_SAVE_RUN,
]
MESSAGES = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(MESSAGE_TYPES) | JSON,
        "seq": JSON,
        "id": st.sampled_from(["d", "e", ""]) | JSON,
        "count": st.integers(-5, 20) | JSON,
        "step_size": st.floats() | JSON,
        "proportional": st.booleans() | JSON,
        "settings": JSON,
        "name": st.text(max_size=10) | JSON,
        "text": st.text(max_size=60) | JSON,
    },
)


@settings(max_examples=150, deadline=None, database=None)
@given(messages=st.lists(MESSAGES | JSON, min_size=1, max_size=6))
def test_any_message_gets_a_json_reply(messages: list[Any]) -> None:
    bridge = Bridge()
    ask(bridge, type=protocol.DEMO_INIT, settings=DemoSettings().to_dict())
    for message in messages:
        reply = json.loads(bridge.handle(json.dumps(message)))
        assert reply["type"] in (protocol.DEMO_STATE, protocol.DEMO_ERROR, protocol.DEMO_RUN)
        if reply["type"] == protocol.DEMO_ERROR:
            assert isinstance(reply["message"], str) and reply["message"]
            assert "Traceback" not in reply["message"]
