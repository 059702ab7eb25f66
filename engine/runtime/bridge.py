"""The worker's entry point: `demo:*` messages from the page in as JSON, replies out as JSON.

Long work (drawing a million samples, taking over a replayed run of a slow model) is done
in slices: `handle` then answers "" and the worker calls `resume()`, one slice at a time,
until the reply comes. Between slices the worker answers other demos' messages, so a heavy
demo never keeps a light one waiting.
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

from . import protocol
from .contract import MAX_STEPS_PER_CALL
from .data import DataError, Dataset
from .spec import DemoSettings, SyntheticData
from .summary import prepared
from .trainer import LIVE_SETTINGS, Trainer

Message = dict[str, Any]
Job = Generator[None, None, Message]  # work done in slices; its value is the reply
# Samples one demo:step may visit (a second or so in the browser): a step over a million
# samples of an author's model is slow, and the worker answers nothing else meanwhile.
MAX_WORK_PER_CALL = 2_000_000
ENVELOPE = ("type", "seq", "id")  # what every message carries besides its own fields
SLICE_S = 0.02  # of work on one message before the worker answers others


class Bridge:
    """Runs the demos of one page, one `Trainer` per demo id.

    Every reply echoes the request's `seq` and `id`. Refused data (a bad CSV file, one
    doubling too many) gives a recoverable `demo:error`: the demo keeps its data and state.
    Anything else that goes wrong gives a `demo:error` that is not recoverable.
    """

    def __init__(self) -> None:
        self._trainers: dict[str, Trainer] = {}
        self._jobs: deque[tuple[Message, Job]] = deque()  # unfinished work, oldest first
        self._handlers: dict[str, Callable[[Message], Message | Job]] = {
            protocol.DEMO_INIT: self._init,
            protocol.DEMO_STEP: self._step,
            protocol.DEMO_RESET: self._reset,
            protocol.DEMO_CONFIGURE: self._configure,
            protocol.DEMO_DOUBLE: self._double,
            protocol.DEMO_UPLOAD: self._upload,
            protocol.DEMO_SAVE_RUN: self._save_run,
        }

    def handle(self, message_json: str) -> str:
        """The JSON reply (with `type`, `seq` and `id`) to one JSON message from the page,
        or "" while the work goes on in slices: `resume()` answers it later.

        It never raises: whatever arrives, even invalid JSON, gets a `demo:error`.
        """
        message: Message = {}
        try:
            message = _parse(message_json)
            if any(_same_demo(message, waiting) for waiting, _ in self._jobs):
                self._jobs.append((message, self._later(message)))  # after its demo's work
                return ""
            result = self._dispatch(message)
            if not isinstance(result, Generator):
                return _reply(message, result)
            self._jobs.append((message, result))
            return self._slice(self._jobs[-1])  # short work is answered at once
        except Exception as error:
            return _reply(message, _answer_to(message, error))

    @property
    def busy(self) -> bool:
        """Whether work is left for `resume()`."""
        return bool(self._jobs)

    def resume(self) -> str:
        """A slice of the oldest unfinished work: its JSON reply once it is done, else ""."""
        return self._slice(self._jobs[0]) if self._jobs else ""

    def _slice(self, entry: tuple[Message, Job]) -> str:
        """Work on `entry` for a slice of time: its reply once it is done, else ""."""
        message, job = entry
        deadline = time.perf_counter() + SLICE_S
        try:
            while time.perf_counter() < deadline:
                next(job)
        except StopIteration as done:
            self._jobs.remove(entry)
            return _reply(message, done.value)
        except Exception as error:
            self._jobs.remove(entry)
            return _reply(message, _answer_to(message, error))
        return ""

    def _dispatch(self, message: Message) -> Message | Job:
        kind = message.get("type")
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            raise ValueError(f"unknown message type {_shown(kind)}")
        return handler(message)

    def _later(self, message: Message) -> Job:
        """`message`, handled when the work before it is done."""
        yield
        result = self._dispatch(message)
        if isinstance(result, Generator):
            return (yield from result)
        return result

    def _trainer(self, message: Message) -> Trainer:
        """The trainer of the message's demo."""
        demo_id = _demo_id(message)
        if demo_id not in self._trainers:
            raise ValueError(f'demo "{demo_id}" has not been started (no {protocol.DEMO_INIT})')
        return self._trainers[demo_id]

    def _init(self, message: Message) -> Job:
        try:
            settings = DemoSettings.from_dict(message["settings"])
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"the demo settings are malformed ({_describe(error)})") from None
        demo_id = _demo_id(message)
        self._trainers.pop(demo_id, None)  # a failed start leaves no stale demo behind
        # Steps the page replayed from the build's recording of this very run before
        # Python was ready: taken again here, Python goes on from the same state.
        steps = message.get("steps", 0)
        if isinstance(steps, bool) or not isinstance(steps, int):
            raise ValueError(f"the steps replayed must be a whole number, not {_shown(steps)}")
        if not 0 <= steps <= MAX_STEPS_PER_CALL:
            raise ValueError(f"the steps replayed must be from 0 to {MAX_STEPS_PER_CALL}")
        return self._start(demo_id, settings, message.get("summary"), steps)

    def _start(self, demo_id: str, settings: DemoSettings, summary: object, steps: int) -> Job:
        """Prepare the demo's data (drawn in slices, or known from the build's summary),
        then take the `steps` replayed one by one."""
        data: Dataset | None = None
        if isinstance(settings.data, SyntheticData):
            samples = settings.train.batch is not None or settings.model != "linear"
            data = yield from prepared(settings.data, summary, samples=samples)
        trainer = Trainer(settings, data)
        for _ in range(steps):
            yield
            trainer.step(1)
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


def _answer_to(message: Message, error: Exception) -> Message:
    """The `demo:error` for an exception while handling `message`: refused data keeps the
    demo as it was; anything else is not recoverable (the page must always get an answer)."""
    if isinstance(error, DataError):
        return _refusal(message, error)
    return _failure(_describe(error), None, recoverable=False)


def _same_demo(message: Message, other: Message) -> bool:
    demo_id = message.get("id")
    return isinstance(demo_id, str) and demo_id == other.get("id")


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
