"""The page scripts, as a built site ships them: their unit tests under Node's own test
runner (`node --test`, the *.test.mjs files here), the number formats and value checks
they share with Python compared side by side, and no limit, key or hook of the contract
written anywhere but in the contract."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from engine import assets
from engine.demo.emit import contract_data
from engine.demo.view import format_count, format_real, format_step
from engine.runtime import contract
from engine.runtime.spec import TrainSettings
from tests.static.nodejs import HERE, evaluate, needs_node, node

STATIC = Path(assets.__file__).parent / "static"
pytestmark = needs_node


def test_unit_tests_of_the_page_scripts(scripts: Path) -> None:
    files = sorted(p.name for p in HERE.glob("*.test.mjs"))
    result = node(scripts, "--test", "--test-reporter=tap", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^# pass [1-9]", result.stdout, re.M) and "\n# fail 0\n" in result.stdout


NUMBERS = [
    0.0,
    1.0,
    -1.0,
    0.5,
    12.3456,
    12345.6,
    9999.95,
    999999.9,
    1e6,
    1234567.0,
    0.001,
    0.00099995,
    1e-5,
    -2.5e-300,
    5e-324,
    1e300,
    1.0625,
    2.675,
    0.1 + 0.2,
    123.45,
    1 / 3,
]


def test_readouts_are_written_alike_in_the_html_and_by_the_page(scripts: Path) -> None:
    expression = f"{json.dumps(NUMBERS)}.map((v) => m.formatReal(v))"
    assert evaluate(scripts, "format.js", expression) == [format_real(v) for v in NUMBERS]
    expression = f"{json.dumps(NUMBERS)}.map((v) => m.formatStep(v))"
    assert evaluate(scripts, "format.js", expression) == [format_step(v) for v in NUMBERS]
    counts = [0, 7, 1234, 1000000, 999999999]
    page = evaluate(scripts, "format.js", f"{json.dumps(counts)}.map((v) => m.formatCount(v))")
    assert page == [format_count(v) for v in counts]


def test_the_page_admits_exactly_what_the_runtime_admits(scripts: Path) -> None:
    kinds = {name: option.kind for name, option in contract.options(TrainSettings).items()}
    values: list[object] = [0, 1, -1, 0.5, 2.5, 1e6, 1e6 + 1, 4, 2**32, True, False, None, "1"]
    values += [contract.MAX_ROWS, contract.MAX_ROWS + 1, 4_294_967_295, 4_294_967_296]
    data = {name: setting["kind"] for name, setting in contract_data()["settings"].items()}
    expression = (
        f"Object.fromEntries(Object.entries({json.dumps(data)}).map(([n, k]) =>"
        f" [n, {json.dumps(values)}.map((v) => m.admits(k, v))]))"
    )
    page = evaluate(scripts, "kinds.js", expression)
    assert page == {name: [kind.admits(v) for v in values] for name, kind in kinds.items()}


def contract_values() -> tuple[set[float], set[str]]:
    """The limits the page reads (numbers of 10 and more) and its keys and hooks (text)."""
    data = contract_data()
    numbers = {
        float(v)
        for v in [*data["limits"].values(), *data["runs"].values()]
        if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) >= 10
    }
    for setting in data["settings"].values():
        numbers |= {
            float(v)
            for v in setting["kind"].values()
            if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) >= 10
        }
    texts = {data["runs"]["format"], data["runs"]["key_prefix"]}
    texts |= {c["hook"] for c in data["controls"].values() if "-" in c["hook"]}
    texts |= {r["hook"] for r in data["readouts"] if "-" in r["hook"]}
    texts |= set(data["links"]) | set(data["messages"].values())
    return numbers, texts


# Numbers in the page scripts that equal a limit of the contract without being one
# (besides durations and sizes: constants named ..._MS or ..._PX).
NOT_LIMITS = {
    ("format.js", "1e6"): "where a readout switches to powers of ten",
    ("runs.js", "50"): "the last steps a saved run's end loss is the mean of",
    ("parts.js", "50"): "how far outside the viewport a demo counts as near (50%)",
}
UNITS = re.compile(r"^\s*const \w+_(?:MS|PX) = .*$", re.M)
NUMBER = re.compile(
    r"(?<![\w.])(\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?)(?:\s*\*\s*(\d+))?(?:\s*\*\s*(\d+))?", re.I
)
STRING = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'|`([^`$\n]*)`")


@pytest.mark.parametrize(
    "path",
    sorted(p for p in STATIC.glob("*.js")),
    ids=lambda p: p.name,
)
def test_no_limit_key_or_hook_is_written_outside_the_contract(path: Path) -> None:
    numbers, texts = contract_values()
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", path.read_text(), flags=re.S)
    for match in NUMBER.finditer(UNITS.sub("", code)):
        value = math.prod(float(g.replace("_", "")) for g in match.groups() if g)
        if (path.name, match.group(0)) in NOT_LIMITS:
            continue
        assert value not in numbers, f"{path.name}: {match.group(0)} is a limit of the contract"
    for match in STRING.finditer(code):
        text = next(g for g in match.groups() if g is not None)
        found = [t for t in texts if t == text or f'="{t}"' in text or text.startswith(f"{t}:")]
        assert not found, f"{path.name}: {match.group(0)} is written in the contract"
