"""A reader who does anything, in any order: the page keeps step with the runtime.

Random sequences of every control of a demo that has them all (play and pause, step,
reset, the step size typed, good values and bad, and nudged, the stable step size a
diverged run offers, the proportional switch, doubling, saving and clearing runs,
uploading small generated CSV files, opening links with settings) are played in Chromium
and replayed on the CPython runtime: a `Trainer` driven as the worker's bridge drives it,
with the page's part beside it (what the reader asked for, the saved runs). After every
action the page must show exactly the reference's state: status, iteration, losses,
parameters, samples, the data's name, the settings and the number of saved runs; the
message a refusal, a divergence or a link leaves; and, after every save and at the end,
the saved runs in storage, run for run. The page may raise or log no error.

Waits are on `data-status` and the readouts only. A sequence is planned from its seed
alone, so a seed replays the same actions (one that does not apply when its turn comes,
such as Step on a diverged run, is skipped on both sides; how far past its mark Play
runs before the pause lands is the one thing timing decides, and the log says where it
stopped). A failure prints the seed and the actions up to it. Other seeds:
EXPLAINER_FUZZ_SEEDS=11,12 (EXPLAINER_FUZZ_ACTIONS=200 for longer sequences).
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, ElementHandle, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from engine.runtime.bridge import MAX_WORK_PER_CALL
from engine.runtime.contract import (
    MAX_RUNS,
    MAX_SAMPLES,
    MAX_STEPS_PER_CALL,
    RUNS_KEY_PREFIX,
    RUNS_VERSION,
    Number,
)
from engine.runtime.data import DataError
from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import TRAIN_OPTIONS, Trainer

from .conftest import READY_TIMEOUT_MS

POST, DEMO = "everything", "full"  # the demo with every control and readout
SEEDS = [int(s) for s in os.environ.get("EXPLAINER_FUZZ_SEEDS", "1,2,3").split(",")]
ACTIONS = int(os.environ.get("EXPLAINER_FUZZ_ACTIONS", "25"))
ACTION_TIMEOUT_MS = 20_000
STEP_SIZE: Number = TRAIN_OPTIONS["step_size"].kind  # type: ignore[assignment]
RUNS_KEY = f"{RUNS_KEY_PREFIX}v{RUNS_VERSION}:/posts/{POST}/#{DEMO}"
# How often each action is drawn.
WEIGHTS = {
    "step": 20,
    "play": 8,
    "reset": 8,
    "type": 10,
    "nudge": 4,
    "proportional": 6,
    "double": 6,
    "save": 9,
    "clear": 3,
    "upload": 7,
    "stable": 4,
    "link": 4,
}

# What the page shows, read through the contract's hooks; null where a part is missing.
SNAPSHOT = """(section) => {
  const number = (hook) => {
    const readout = section.querySelector(`[data-readout="${hook}"]`);
    return readout && readout.dataset.value !== undefined ? Number(readout.dataset.value) : null;
  };
  const box = section.querySelector('[data-control="step-size"]');
  return {
    status: section.dataset.status,
    iteration: number("iteration"),
    samples: number("samples"),
    total_loss: number("total-loss"),
    average_loss: number("average-loss"),
    effective_step: number("effective-step"),
    w: number("w"),
    b: number("b"),
    label: section.querySelector("[data-data-label]").textContent,
    proportional: section.querySelector('[data-control="proportional"]').checked,
    step_box: Number.isNaN(box.valueAsNumber) ? null : box.valueAsNumber,
    runs: section.querySelectorAll("[data-run]").length,
    error: section.querySelector("[data-error]").textContent,
  };
}"""
# Whether the page shows `expected` (`error_prefix`: the message starts so).
SHOWS = f"""([section, expected]) => {{
  const now = ({SNAPSHOT})(section);
  return Object.entries(expected).every(([key, value]) =>
    key === "error_prefix" ? now.error.startsWith(value) : now[key] === value,
  );
}}"""
PLAYED = """([section, iteration]) =>
  Number(section.querySelector('[data-readout="iteration"]').dataset.value) >= iteration ||
  section.dataset.status === "diverged"
"""
SETTLED = "([section]) => ['paused', 'diverged'].includes(section.dataset.status)"
STARTED = "([section]) => section.dataset.status !== 'loading'"


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One thing the reader does; `arg` is what it needs (a typed text, a file, a link)."""

    kind: str
    arg: Any = None

    def __str__(self) -> str:
        if self.kind == "upload":
            name, text = self.arg
            return f"upload {name}: {text!r}"
        return self.kind if self.arg is None else f"{self.kind} {self.arg!r}"


def plan(seed: int, count: int) -> list[Action]:
    """`count` actions drawn from `seed` alone."""
    rng = random.Random(seed)
    kinds = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=count)
    return [draw(rng, kind, index) for index, kind in enumerate(kinds)]


def draw(rng: random.Random, kind: str, index: int) -> Action:
    """An action of `kind` with its argument drawn from `rng`."""
    if kind == "play":
        return Action(kind, rng.randint(1, 20))
    if kind == "type":
        return Action(kind, step_text(rng))
    if kind == "nudge":
        return Action(kind, rng.choice([-1, 1]))
    if kind == "upload":
        return Action(kind, (f"data-{index}.csv", csv_text(rng)))
    if kind == "link":
        return Action(kind, link(rng))
    return Action(kind)


def step_text(rng: random.Random) -> str:
    """A step size as a reader types it: mostly good, sometimes out of bounds or no number."""
    if rng.random() < 0.2:
        return rng.choice(["0", "-0.5", "2000000", "1e400", "", "1e-400"])
    # Mostly steps that train; now and then one large enough to diverge.
    return f"{10 ** rng.uniform(-4, -1) if rng.random() < 0.65 else 10 ** rng.uniform(-0.5, 1):.3g}"


def csv_text(rng: random.Random) -> str:
    """A small CSV file of a noisy line at some scale; now and then with a bad row."""
    scale = rng.choice([1e-3, 1.0, 1e3, 1e6])
    slope, intercept = rng.uniform(-3, 3), rng.uniform(-5, 5) * scale
    rows = [
        f"{x!r},{slope * x + intercept + rng.gauss(0, scale)!r}"
        for x in (rng.uniform(-10, 10) * scale for _ in range(rng.randint(1, 30)))
    ]
    if rng.random() < 0.2:
        rows.insert(rng.randrange(len(rows) + 1), rng.choice(["1,two", "nan,1", "7", "1,2,3"]))
    return rng.choice(["", "x,y\n", "hours,score\n"]) + "\n".join(rows) + "\n"


def link(rng: random.Random) -> tuple[str, int]:
    """A link to the demo with some settings, some of them bad; and with `play=1`, the
    iterations to let it play for."""
    parts = [f"demo={DEMO}"]
    if rng.random() < 0.6:
        parts.append(f"step={step_text(rng) or 'abc'}")
    if rng.random() < 0.5:
        parts.append(f"prop={rng.choice(['0', '1', 'yes'])}")
    if rng.random() < 0.5:
        parts.append(f"double={rng.choice([0, 1, 2, 3, 30])}")
    if rng.random() < 0.3:
        parts.append("play=1")
    return "&".join(parts), rng.randint(1, 20)


# --- the reference: the runtime in CPython, and the page's part ---------------------------


@dataclass
class Reference:
    """The demo as the CPython runtime runs it, with what the page keeps beside it: the
    status the reader asked for and the saved runs."""

    settings: dict[str, Any]
    runs: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.start()

    def start(self) -> None:
        """The demo as a freshly opened page has it."""
        self.trainer = Trainer(DemoSettings.from_dict(self.settings))
        self.state = self.trainer.state()
        self.intent = "ready"

    @property
    def diverged(self) -> bool:
        return self.trainer.status == "diverged"

    def apply(self, request: str, **fields: Any) -> str:
        """Apply one request as the bridge does; the refusal message of refused data."""
        trainer = self.trainer
        try:
            if request == "step":
                count = fields["count"]
                while count > 0 and not self.diverged:
                    trainer.step(min(count, MAX_STEPS_PER_CALL), max_work=MAX_WORK_PER_CALL)
                    count -= MAX_STEPS_PER_CALL
            elif request == "reset":
                trainer.reset()
            elif request == "configure":
                trainer.configure(**fields)
            elif request == "double":
                trainer.double_samples()
            elif request == "upload":
                trainer.load_csv(fields["text"], fields["name"])
        except DataError as refused:
            return str(refused)
        self.state = trainer.state()
        if self.diverged:
            self.intent = "ready"  # the page stops playing a diverged run
        return ""

    def shown(self) -> dict[str, Any]:
        """What the page must show now."""
        state = self.state
        shown = {
            "status": "diverged" if self.diverged else self.intent,
            "iteration": state["iteration"],
            "samples": state["samples"],
            "total_loss": state["total_loss"],
            "average_loss": state["average_loss"],
            "effective_step": state["effective_step"],
            **state["params"],
            "label": state["data_label"],
            "proportional": state["settings"]["proportional"],
            "step_box": state["settings"]["step_size"],
            "runs": len(self.runs),
        }
        return shown


# --- the reader ------------------------------------------------------------------------------


class Reader:
    """Plays a plan on the page and on the reference, comparing after every action."""

    def __init__(self, page: Page, origin: str, folder: Path, seed: int) -> None:
        self.page = page
        self.origin = origin
        self.folder = folder
        self.seed = seed
        self.log: list[str] = []
        self.page.goto(f"{origin}/404.html")  # the site's origin, without a demo: no runs
        self.page.evaluate("() => localStorage.clear()")
        self.open(f"{origin}/posts/{POST}/")
        config = self.section.query_selector("script[data-demo-config]")
        assert config is not None
        self.reference = Reference(json.loads(config.text_content() or "")["settings"])

    @property
    def section(self) -> ElementHandle:
        section = self.page.query_selector(f'section[data-demo="{DEMO}"]')
        assert section is not None
        return section

    def open(self, url: str) -> None:
        """Open `url` afresh (a link read from the address bar, not a jump within the page)."""
        self.page.goto("about:blank")
        self.page.goto(url)

    def play(self, plan: list[Action]) -> None:
        for action in plan:
            self.log.append(str(action))
            skipped = self.act(action)
            if skipped:
                self.log[-1] += f"  (skipped: {skipped})"
        if len(self.reference.runs) < MAX_RUNS:  # a last save: the whole run, curve and all
            self.log.append("save (the last action of every sequence)")
            self.act(Action("save"))

    def act(self, action: Action) -> str:
        """Do `action` on both sides and compare; why it was skipped, if it was."""
        reference, page = self.reference, self.page
        kind, arg = action.kind, action.arg
        expected: dict[str, Any] = {}
        before = reference.diverged
        if kind in ("step", "play") and reference.diverged:
            return "the run has diverged; only Reset helps"
        if kind == "step":
            page.click(f'section[data-demo="{DEMO}"] [data-action="step"]')
            reference.apply("step", count=1)
        elif kind == "play":
            self.play_for(arg)
        elif kind == "reset":
            if reference.state["iteration"] == 0 and reference.shown()["status"] == "ready":
                return "nothing to reset"
            page.click(f'section[data-demo="{DEMO}"] [data-action="reset"]')
            reference.intent = "ready"
            reference.apply("reset")
        elif kind in ("type", "nudge"):
            expected = self.change_step_size(kind, arg)
        elif kind == "proportional":
            page.click(f'section[data-demo="{DEMO}"] [data-control="proportional"]')
            reference.apply(
                "configure", proportional=not reference.state["settings"]["proportional"]
            )
        elif kind == "double":
            refusal = self.refusal_of_doubling()
            if refusal and self.now()["error"] == refusal:
                return "refused, and already said so"
            page.click(f'section[data-demo="{DEMO}"] [data-action="double-samples"]')
            refused = reference.apply("double")
            if refused:
                expected["error"] = refused
        elif kind == "save":
            if len(reference.runs) >= MAX_RUNS:
                return "the demo holds as many runs as it keeps"
            page.click(f'section[data-demo="{DEMO}"] [data-action="save-run"]')
            reference.runs.append(json.loads(json.dumps(reference.trainer.save_run())))
        elif kind == "clear":
            if not reference.runs:
                return "no runs to clear"
            page.click(f'section[data-demo="{DEMO}"] [data-action="clear-runs"]')
            reference.runs.clear()
        elif kind == "stable":
            facts = reference.trainer.divergence
            if facts is None:
                return "no diverged run to offer a stable step size for"
            page.click(f'section[data-demo="{DEMO}"] [data-action="use-stable-step"]')
            reference.apply("configure", step_size=facts["stable_step"])
            reference.intent = "ready"
            reference.apply("reset")
        elif kind == "upload":
            expected = self.upload(*arg)
        elif kind == "link":
            expected = self.follow(*arg)
        if reference.diverged and not before:
            expected["error_prefix"] = divergence_words(reference.trainer)
        self.expect({**reference.shown(), **expected})
        if kind == "save":
            self.expect_stored_runs()
        return ""

    def play_for(self, steps: int, *, pressed: bool = False) -> None:
        """Play (unless a link already did) until `steps` more iterations or a divergence,
        then pause; the reference takes the steps the page took."""
        reference = self.reference
        start = reference.state["iteration"]
        play = f'section[data-demo="{DEMO}"] [data-action="play"]'
        if not pressed:
            self.page.click(play)
        self.wait(PLAYED, start + steps, f"playing to iteration {start + steps}")
        if self.page.get_attribute(play, "aria-pressed") == "true":
            self.page.click(play)
        self.wait(SETTLED, None, "the pause")
        now = self.now()
        self.log[-1] += f"  (stopped at iteration {now['iteration']})"
        reference.intent = "paused"
        reference.apply("step", count=int(now["iteration"]) - start)
        if now["status"] == "diverged" and not reference.diverged:
            reference.apply("step", count=1)  # the step that diverged took no iteration

    def change_step_size(self, kind: str, arg: Any) -> dict[str, Any]:
        """Type a step size and commit it (Tab), or nudge it along 1, 2, 5. A value out of
        bounds is flagged, and the box gives way to the step size in use."""
        box = self.section.query_selector('[data-control="step-size"]')
        assert box is not None
        if kind == "type":
            box.fill(arg)
            box.press("Tab")
            value = _number(arg)
        else:
            self.page.click(f'section[data-demo="{DEMO}"] [data-step-nudge="{arg}"]')
            value = box.evaluate("(box) => box.valueAsNumber")  # where the nudge took it
        if value is not None and STEP_SIZE.admits(value):
            self.reference.apply("configure", step_size=value)
            return {}
        return {"error_prefix": "The step size must be"}

    def refusal_of_doubling(self) -> str:
        """The reason doubling is refused now, or ""."""
        try:
            copy.deepcopy(self.reference.trainer).double_samples()
        except DataError as refused:
            return str(refused)
        return ""

    def upload(self, name: str, text: str) -> dict[str, Any]:
        """Load a CSV file through the upload control."""
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        self.section.query_selector('[data-control="upload-csv"]').set_input_files(path)  # type: ignore[union-attr]
        refused = self.reference.apply("upload", text=text, name=name)
        return {"error_prefix": f"Could not load {name}: "} if refused else {}

    def follow(self, fragment: str, steps: int) -> dict[str, Any]:
        """Open the page at a link to the demo's settings, as a reader who was sent it."""
        reference = self.reference
        self.open(f"{self.origin}/posts/{POST}/#{fragment}")
        reference.start()
        wanted = dict(part.split("=", 1) for part in fragment.split("&")[1:])
        change: dict[str, Any] = {}
        step = _number(wanted.get("step", ""))
        if step is not None and STEP_SIZE.admits(step):
            change["step_size"] = step
        if wanted.get("prop") in ("0", "1"):
            change["proportional"] = wanted["prop"] == "1"
        if change:
            reference.apply("configure", **change)
        # A link asking for more doublings than fit takes those that do.
        room = int(math.log2(MAX_SAMPLES / reference.state["samples"]))
        for _ in range(min(int(wanted.get("double", 0)), room)):
            reference.apply("double")
        if "play" in wanted:
            self.wait(STARTED, None, "the demo's start", READY_TIMEOUT_MS)
            self.play_for(steps, pressed=True)
        else:
            self.expect(reference.shown(), timeout=READY_TIMEOUT_MS)
        # A link leaves no message the reader did not cause.
        return {} if reference.diverged else {"error": ""}

    def now(self) -> dict[str, Any]:
        shown: dict[str, Any] = self.section.evaluate(SNAPSHOT)
        return shown

    def wait(self, predicate: str, arg: Any, what: str, timeout: int = ACTION_TIMEOUT_MS) -> None:
        """Wait until `predicate([section, arg])` holds; else fail, saying `what` was awaited."""
        try:
            self.page.wait_for_function(predicate, arg=[self.section, arg], timeout=timeout)
        except PlaywrightTimeout:
            self.fail(
                f"{what} did not come within {timeout / 1000:g} s: the page shows {self.now()}"
            )

    def expect(self, expected: dict[str, Any], timeout: int = ACTION_TIMEOUT_MS) -> None:
        """Wait until the page shows `expected`; else fail with the seed and the actions."""
        try:
            self.page.wait_for_function(SHOWS, arg=[self.section, expected], timeout=timeout)
        except PlaywrightTimeout:
            now = self.now()
            shown = {**now, "error_prefix": now["error"][: len(expected.get("error_prefix", ""))]}
            differences = {
                key: {"page": shown.get(key), "cpython": value}
                for key, value in expected.items()
                if shown.get(key) != value
            }
            self.fail(f"the page and CPython differ: {differences}")

    def expect_stored_runs(self) -> None:
        """The saved runs in storage are the reference's, each listed in its own colour."""
        stored = self.page.evaluate(f"() => localStorage.getItem({json.dumps(RUNS_KEY)})")
        # JavaScript writes a whole float without its point (4.7e16 as 47328917755873790):
        # read every number as the float it is.
        runs = json.loads(stored, parse_int=float)["runs"] if stored else []
        colors = [run.pop("color") for run in runs]
        if runs != self.reference.runs:
            differences = [
                {
                    key: {"page": ours.get(key), "cpython": theirs.get(key)}
                    for key in theirs
                    if ours.get(key) != theirs.get(key)
                }
                for ours, theirs in zip(runs, self.reference.runs, strict=False)
            ]
            self.fail(
                f"the saved runs differ ({len(runs)} on the page, {len(self.reference.runs)} in CPython): {differences}"
            )
        listed = self.page.eval_on_selector_all(
            f'section[data-demo="{DEMO}"] [data-run]',
            "(runs) => runs.map((run) => run.dataset.color)",
        )
        if listed != colors or len(set(colors[:7])) != len(colors[:7]):
            self.fail(f"the saved runs' colours: listed {listed}, stored {colors}")

    def fail(self, problem: str) -> None:
        actions = "\n".join(f"  {i + 1}. {line}" for i, line in enumerate(self.log))
        pytest.fail(f"seed {self.seed}, after action {len(self.log)}: {problem}\n{actions}")


def divergence_words(trainer: Trainer) -> str:
    """How the page's message of a diverged run begins (advice.js words the rest)."""
    facts = trainer.divergence
    assert facts is not None
    steps = "1 step" if facts["iteration"] == 1 else f"{facts['iteration']} steps"
    return f"Diverged after {steps}: {facts['cause']}."


def _number(text: str) -> float | None:
    """A step size as the page reads it from a box or a link: a decimal, else None."""
    try:
        return float(text)
    except ValueError:
        return None


@pytest.fixture
def problems(page: Page) -> Iterator[list[str]]:
    """Errors the page raised or logged: there must be none."""
    seen: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: seen.append(str(error)))
    yield seen


@pytest.mark.parametrize("seed", SEEDS)
def test_any_sequence_of_actions_matches_cpython(
    guarded_page: Page, contract_site: str, tmp_path: Path, problems: list[str], seed: int
) -> None:
    reader = Reader(guarded_page, contract_site, tmp_path, seed)
    reader.play(plan(seed, ACTIONS))
    print(f"seed {seed}:", *reader.log, sep="\n  ")  # shown with pytest -s
    assert problems == [], f"seed {seed}: {problems}"


def test_a_plan_is_its_seeds_alone() -> None:
    assert [str(a) for a in plan(5, 50)] == [str(a) for a in plan(5, 50)]
    assert {a.kind for a in plan(5, 400)} == set(WEIGHTS)
