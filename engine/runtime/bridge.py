"""The worker's entry point: `demo:*` messages from the page in as JSON, replies out as JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from . import protocol
from .data import DataError
from .spec import DemoSettings
from .trainer import LIVE_SETTINGS, Trainer

Message = dict[str, Any]
# Samples one demo:step may visit (a second or so in the browser): a step over a million
# samples of an author's model is slow, and the worker answers nothing else meanwhile.
MAX_WORK_PER_CALL = 2_000_000
ENVELOPE = ("type", "seq", "id")  # what every message carries besides its own fields


class Bridge:
    """Runs the demos of one page, one `Trainer` per demo id.

    Every reply echoes the request's `seq` and `id`. Refused data (a bad CSV file, one
    doubling too many) gives a recoverable `demo:error`: the demo keeps its data and state.
    Anything else that goes wrong gives a `demo:error` that is not recoverable.
    """

    def __init__(self) -> None:
        self._trainers: dict[str, Trainer] = {}
        self._handlers: dict[str, Callable[[Message], Message]] = {
            protocol.DEMO_INIT: self._init,
            protocol.DEMO_STEP: self._step,
            protocol.DEMO_RESET: self._reset,
            protocol.DEMO_CONFIGURE: self._configure,
            protocol.DEMO_DOUBLE: self._double,
            protocol.DEMO_UPLOAD: self._upload,
            protocol.DEMO_SAVE_RUN: self._save_run,
        }

    def handle(self, message_json: str) -> str:
        """The JSON reply (with `type`, `seq` and `id`) to one JSON message from the page.

        It never raises: whatever arrives, even invalid JSON, gets a `demo:error`.
        """
        message: Message = {}
        try:
            message = _parse(message_json)
            kind = message.get("type")
            handler = self._handlers.get(kind) if isinstance(kind, str) else None
            if handler is None:
                raise ValueError(f"unknown message type {_shown(kind)}")
            return _reply(message, handler(message))
        except DataError as error:
            return _reply(message, _refusal(message, error))
        except Exception as error:  # the page must always get an answer
            return _reply(message, _failure(_describe(error), None, recoverable=False))

    def _trainer(self, message: Message) -> Trainer:
        """The trainer of the message's demo."""
        demo_id = _demo_id(message)
        if demo_id not in self._trainers:
            raise ValueError(f'demo "{demo_id}" has not been started (no {protocol.DEMO_INIT})')
        return self._trainers[demo_id]

    def _init(self, message: Message) -> Message:
        try:
            settings = DemoSettings.from_dict(message["settings"])
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"the demo settings are malformed ({_describe(error)})") from None
        demo_id = _demo_id(message)
        self._trainers.pop(demo_id, None)  # a failed start leaves no stale demo behind
        trainer = Trainer(settings)
        # Steps the page replayed from the build's recording of this very run before
        # Python was ready: taken again here, Python goes on from the same state.
        steps = message.get("steps", 0)
        if steps:
            trainer.step(steps)
        self._trainers[demo_id] = trainer
        return _state(trainer)

    def _step(self, message: Message) -> Message:
        trainer = self._trainer(message)
        trainer.step(message.get("count", 1), max_work=MAX_WORK_PER_CALL)
        return _state(trainer)

    def _reset(self, message: Message) -> Message:
        trainer = self._trainer(message)
        trainer.reset()
        return _state(trainer)

    def _configure(self, message: Message) -> Message:
        trainer = self._trainer(message)
        changes = {key: value for key, value in message.items() if key not in ENVELOPE}
        unknown = sorted(set(changes) - set(LIVE_SETTINGS))
        if unknown:
            raise ValueError(
                f"{protocol.DEMO_CONFIGURE} changes only {' and '.join(LIVE_SETTINGS)}, "
                f"not {', '.join(_shown(key) for key in unknown)}"
            )
        trainer.configure(**changes)
        return _state(trainer)

    def _double(self, message: Message) -> Message:
        trainer = self._trainer(message)
        trainer.double_samples()
        return _state(trainer)

    def _upload(self, message: Message) -> Message:
        trainer = self._trainer(message)
        trainer.load_csv(_text(message, "text"), _text(message, "name"))
        return _state(trainer)

    def _save_run(self, message: Message) -> Message:
        return {"type": protocol.DEMO_RUN, "run": self._trainer(message).save_run()}


def _parse(message_json: str) -> Message:
    """The message as a dict."""
    try:
        message = json.loads(message_json)
    except ValueError as error:
        raise ValueError(f"the message is not valid JSON ({error})") from None
    if not isinstance(message, dict):
        raise ValueError("the message is not a JSON object")
    return message


def _reply(message: Message, body: Message) -> str:
    """`body` as JSON, with the type first and the request's seq and id echoed (as null when
    they are not what the page sends: a finite number and a string)."""
    seq, demo_id = message.get("seq"), message.get("id")
    if isinstance(seq, bool) or not isinstance(seq, int | float) or not math.isfinite(seq):
        seq = None
    head = {
        "type": body.pop("type"),
        "seq": seq,
        "id": demo_id if isinstance(demo_id, str) else None,
    }
    try:
        return json.dumps({**head, **body}, allow_nan=False)
    except ValueError:  # a number that JSON cannot carry: a bug, but still an answer
        failure = _failure("the reply held a number that is not finite", None, False)
        return json.dumps({**head, **failure, "type": protocol.DEMO_ERROR}, allow_nan=False)


def _state(trainer: Trainer) -> Message:
    return {"type": protocol.DEMO_STATE, "state": trainer.state()}


def _failure(text: str, line: int | None, recoverable: bool) -> Message:
    return {"type": protocol.DEMO_ERROR, "message": text, "line": line, "recoverable": recoverable}


def _refusal(message: Message, error: DataError) -> Message:
    """A refused file keeps the demo as it was; refused data at start is fatal."""
    if message.get("type") == protocol.DEMO_UPLOAD:
        return _failure(f"Could not load {message.get('name')}: {error}", error.line, True)
    recoverable = message.get("type") != protocol.DEMO_INIT
    return _failure(str(error), error.line, recoverable)


def _describe(error: Exception) -> str:
    """The error's own words (no traceback); the kind of error too when it is not a ValueError."""
    if isinstance(error, ValueError) and str(error):
        return str(error)
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _demo_id(message: Message) -> str:
    """The message's demo id, which must be a non-empty string."""
    demo_id = message.get("id")
    if not isinstance(demo_id, str) or not demo_id:
        raise ValueError(f"the message has no demo id (got {_shown(demo_id)})")
    return demo_id


def _shown(value: object) -> str:
    """A value from a message, for an error message: its repr, cut short when long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _text(message: Message, key: str) -> str:
    """A string field of the message."""
    value = message.get(key)
    if not isinstance(value, str):
        raise ValueError(f'{message.get("type")} needs a text "{key}", not {_shown(value)}')
    return value
