"""Hostile front matter and demo blocks: the build succeeds or fails with `path:line:` errors.

Property-based: hypothesis throws random YAML-ish text, random structures with real and
random keys, and known troublemakers (aliases, tags, merge keys, tabs, control characters,
huge numbers, deep nesting) at a whole build. Whatever comes in, the build either works or
raises BuildFailed whose every error is one line, `path:line: message`, naming a file of
the project and a line inside it; never another exception.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.build import build
from engine.config import BuildOptions
from engine.content import FRONT_MATTER_KEYS
from engine.demo.block import DATA_KEYS, DEMO_KEYS, SYNTHETIC_KEYS, TRAIN_KEYS
from engine.errors import BuildFailed
from engine.runtime.contract import CONTROL_ITEMS, SHOW_ITEMS

FRONT = "---\ntitle: A post\ndate: 2026-11-26\nsummary: Short.\n---\n"
ERROR = re.compile(r"(?P<path>[^:]+):(?P<line>[0-9]+): (?P<message>.+)")
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Lines that have broken YAML readers before: aliases, tags, merge keys, directives,
# flow and block markers in odd places, tabs, odd numbers and dates.
HOSTILE_LINES = [
    "title: T",
    "date: 2026-11-26",
    "a: &a [x, x, x]",
    "b: *a",
    "<<: *a",
    "<<: {title: T}",
    "? [a, b]",
    "? {a: 1}",
    ": x",
    "1: x",
    "null: x",
    "~: x",
    "[a]: x",
    "{a: 1}: x",
    "true: yes",
    "!!python/object/apply:os.system [echo hi]: x",
    "title: !!python/object/apply:os.system [echo hi]",
    "date: !!timestamp 2026-11-26T10:00:00Z",
    "date: !!binary aGVsbG8=",
    "date: 2026-02-30",
    "date: 99999-01-01",
    "title: !!int 12",
    "tags: !!set {a, b}",
    "tags: [a, [b, [c]]]",
    'title: "\\ud800"',
    'title: "\\0\\x01\\x1b"',
    'title: "a\\u2028b\\x85c"',
    "title: |\n  line\n  line",
    "title: >-\n  folded",
    "title: 'unclosed",
    '"unclosed: x',
    "\ttitle: x",
    "title:\tx",
    "  - a",
    "- b",
    "%YAML 1.1",
    "%TAG ! tag:example.com,2000:",
    "...",
    "--- !x",
    "&anchor",
    "*undefined",
    "n: 1e999",
    "n: -.inf",
    "n: .nan",
    "n: 0x1F",
    "n: 0o17",
    "n: 1_000",
    "n: 123456789012345678901234567890",
    "n: " + "9" * 5000,
    "n: ²",
    "n: ٣",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{a: {b: {c: {d: {e: {f: {g: {h: {i: {j: {k: {l: {m: {n: {o: {p: {q: {r: {s: {t: {u: 1}}}}}}}}}}}}}}}}}}}}}",
    "```",
    "$x^{$",
    "x" * 3000 + ": 1",
]

KEY_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
PRINTABLE = st.characters(exclude_categories=["Cs", "Cc"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=1000),
    st.integers(min_value=10**6 + 1, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(ANY_CHARACTER, max_size=20),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
)
KEYS = st.one_of(
    st.text(KEY_ALPHABET, max_size=12),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def dump(value: object, flow: bool) -> str:
    """YAML for `value`; PyYAML writes non-string keys, dates and big numbers as they are."""
    return yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True, sort_keys=False)


def yamlish() -> st.SearchStrategy[str]:
    """Text that is, or is close to, YAML: random characters, hostile lines, dumped values."""
    return st.one_of(
        st.text(ANY_CHARACTER, max_size=200),
        st.text(st.sampled_from(list(":-[]{}?!&*|>'\"#%@`,\t\n ab1.")), max_size=80),
        st.lists(
            st.sampled_from(HOSTILE_LINES) | st.text(KEY_ALPHABET, max_size=30), max_size=10
        ).map("\n".join),
        st.builds(dump, VALUES, st.booleans()),
    )


def front_matters() -> st.SearchStrategy[str]:
    """Random front matter; the real keys with random values; and the real keys with values
    of the right shape (any text for the title and summary, so odd text reaches the pages)."""
    text = st.text(PRINTABLE, min_size=1, max_size=40)
    tags = st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True), max_size=3)
    shaped = st.fixed_dictionaries(
        {"title": text, "date": st.dates()},
        optional={"summary": text, "tags": tags, "draft": st.booleans()},
    )
    random = st.dictionaries(st.sampled_from(FRONT_MATTER_KEYS) | KEYS, VALUES, max_size=6)
    return yamlish() | st.builds(dump, shaped | random, st.booleans())


def demo_settings() -> st.SearchStrategy[dict[Any, Any]]:
    """Real demo keys with random values, or with values of the right shape."""
    synthetic = st.dictionaries(st.sampled_from(SYNTHETIC_KEYS) | KEYS, SCALARS, max_size=8)
    data = st.dictionaries(
        st.sampled_from(DATA_KEYS) | KEYS,
        synthetic | SCALARS | st.sampled_from(["data/points.csv", "points.csv", "../../x.csv"]),
        max_size=2,
    )
    init = st.dictionaries(st.sampled_from(["w", "b", "a"]) | KEYS, SCALARS, max_size=3)
    train = st.dictionaries(
        st.sampled_from(TRAIN_KEYS) | KEYS,
        SCALARS | init | st.sampled_from(["full", 1, 7]),
        max_size=6,
    )
    words = st.lists(st.sampled_from(SHOW_ITEMS + CONTROL_ITEMS) | SCALARS, max_size=6)
    models = st.sampled_from(["linear", "models/line.py", "models/missing.py", "quadratic"])
    value = {
        "id": SCALARS | st.sampled_from(["a", "demo-1", "x y"]),
        "model": SCALARS | models,
        "data": data | VALUES,
        "train": train | VALUES,
        "show": words | VALUES,
        "controls": words | VALUES,
    }
    return st.fixed_dictionaries({}, optional={**{k: value[k] for k in DEMO_KEYS}, "extra": VALUES})


def demo_bodies() -> st.SearchStrategy[str]:
    """Random YAML, and real keys with random values."""
    return yamlish() | st.builds(dump, demo_settings(), st.booleans())


LINE_MODEL = '''"""A line."""

PARAMETERS = {"w": 0.0, "b": 0.0}


def predict(params, x):
    return params["w"] * x + params["b"]


def gradient(params, x, y):
    error = predict(params, x) - y
    return {"w": 2 * error * x, "b": 2 * error}
'''


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with a CSV file and a model for demos to name; pages come from the CDN so
    that a successful build does not copy Pyodide every time."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "content/posts").mkdir(parents=True)
    (root / "content/data").mkdir()
    (root / "content/models").mkdir()
    (root / "content/data/points.csv").write_text("x,y\n1,2\n2,4\n3,7\n", encoding="utf-8")
    (root / "content/models/line.py").write_text(LINE_MODEL, encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.explainer]\npyodide = "cdn"\n', encoding="utf-8")
    return root


@contextlib.contextmanager
def post(root: Path, text: str) -> Iterator[Path]:
    """`text` as the project's only post, with the project root as the current directory."""
    path = root / "content/posts/p.md"
    path.write_text(text, encoding="utf-8")
    with contextlib.chdir(root):
        yield path
    path.unlink()


def file_lines(path: Path) -> int:
    """How many lines an editor shows for the file (any newline style)."""
    text = path.read_bytes().decode("utf-8", "replace")
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def assert_builds_or_reports(root: Path) -> None:
    """Build; on failure every error must be one line `path:line: message` inside a file."""
    try:
        build(BuildOptions(content=Path("content"), out=Path("site"), url="https://example.org/"))
        event("built")
        for xml in ("feed.xml", "sitemap.xml"):  # text from the post must keep them well-formed
            ElementTree.parse(root / "site" / xml)
    except BuildFailed as failure:
        event("refused")
        assert failure.errors
        for error in failure.errors:
            text = str(error)
            assert len(text.splitlines()) == 1, text
            match = ERROR.fullmatch(text)
            assert match, text
            path = root / match["path"]
            assert path.is_file(), text
            assert 1 <= int(match["line"]) <= file_lines(path), text


@PROPERTY
@given(front=front_matters())
def test_any_front_matter(root: Path, front: str) -> None:
    with post(root, f"---\n{front}\n---\nBody.\n"):
        assert_builds_or_reports(root)


@PROPERTY
@given(body=demo_bodies())
def test_any_demo_block(root: Path, body: str) -> None:
    with post(root, f"{FRONT}\nIntro.\n\n```demo\n{body}\n```\n\nAfter.\n"):
        assert_builds_or_reports(root)


@PROPERTY
@given(body=yamlish(), tail=st.sampled_from(["", "\n", "\n\n\n", "\u2028\u2028\n"]))
def test_any_unclosed_demo_block(root: Path, body: str, tail: str) -> None:
    with post(root, f"{FRONT}\n```demo\n{body}{tail}"):
        assert_builds_or_reports(root)


def alias_bomb(levels: int = 12) -> str:
    """The "billion laughs": each anchor holds nine aliases of the one before (9**12 leaves)."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "text",
    [
        f"---\n{alias_bomb()}\ntitle: *a11\ndate: 2026-01-02\n---\n",
        "---\ntitle: T\ndate: 2026-01-02\ntags: &t [a, *t]\n---\n",
        "---\n? &k [*k]\n: x\n---\n",
        FRONT + f"```demo\n{alias_bomb()}\nshow: *a11\n```\n",
        FRONT + f"```demo\n{alias_bomb()}\n? *a11\n: x\n```\n",
        FRONT + "```demo\ntrain: &t {init: *t}\n```\n",
    ],
    ids=[
        "front-bomb",
        "front-self-tags",
        "front-self-key",
        "demo-bomb",
        "demo-bomb-key",
        "demo-self",
    ],
)
def test_aliases_are_refused_quickly(project, text: str) -> None:
    project.post("p", text)
    started = time.perf_counter()
    errors = project.errors()
    # Not a speed claim: expanding one of these would take minutes and gigabytes; refused
    # at the first alias it takes milliseconds. The bound only has to tell the two apart,
    # on a busy machine too.
    assert time.perf_counter() - started < 10.0
    assert any("aliases such as" in e and "are not supported" in e for e in errors), errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: T\ndate: 2026-01-02\ntags: *nope\n---\n",
            'content/posts/p.md:4: invalid YAML: aliases such as "*nope" are not supported; '
            "write the value out",
        ),
        (
            "---\ntitle: " + "[" * 40 + "]" * 40 + "\ndate: 2026-01-02\n---\n",
            "content/posts/p.md:2: invalid YAML: values are nested more than 20 levels deep",
        ),
        (
            "---\ntitle: T\n? [a]\n: x\ndate: 2026-01-02\n---\n",
            "content/posts/p.md:3: a front matter key must be a word, got a list",
        ),
        (
            '---\ntitle: "\\ud800"\ndate: 2026-01-02\n---\n',
            'content/posts/p.md:2: front matter key "title" holds the unprintable character '
            '"\\ud800"; remove it',
        ),
        (
            '---\ntitle: "bell\\a"\ndate: 2026-01-02\n---\n',
            'content/posts/p.md:2: front matter key "title" holds the unprintable character '
            '"\\u0007"; remove it',
        ),
        (
            '---\ntitle: T\ndate: 2026-01-02\nsummary: "\\uffff"\n---\n',
            'content/posts/p.md:4: front matter key "summary" holds the unprintable character '
            '"\uffff"; remove it',
        ),
        (
            "---\ntitle: T\ndate: 2026-01-02\nsummary: a\x01b\n---\n",
            'content/posts/p.md:4: invalid YAML: the character "\\u0001" is not allowed here',
        ),
        (
            '---\ntitle: T\ndate: "2026\\n01-02"\n---\n',
            'content/posts/p.md:3: front matter key "date" must be a date written YYYY-MM-DD, '
            'got "2026\\n01-02"',
        ),
        (
            "---\ntitle: T\ndate: \u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0662\n---\n",
            'content/posts/p.md:3: front matter key "date" must be a date written YYYY-MM-DD, '
            'got "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0662"',
        ),
        (
            "---\n# only a comment\n---\nBody.\n",
            'content/posts/p.md:1: the front matter is empty: "title" and "date" are required',
        ),
        (
            "---\ntitle: T\ndate: 2026-01-02\n\u2028\u2028\u2028tags: [\n---\n",
            "content/posts/p.md:4: invalid YAML: expected the node content, but found '<stream end>'",
        ),
    ],
    ids=[
        "undefined-alias",
        "deep",
        "list-key",
        "surrogate",
        "bell",
        "not-a-character",
        "raw-control",
        "newline-in-value",
        "arabic-digits",
        "comment-only",
        "unicode-line-separators",
    ],
)
def test_front_matter_edge_cases(project, text: str, expected: str) -> None:
    project.post("p", text)
    assert project.errors() == [expected]


D = "content/posts/p.md"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "data:\n  synthetic: {noise: 1e300}",
            f'{D}:8: demo option "noise" must be a number at least 0 and at most 1000000000, '
            'got "1e300"',
        ),
        (
            "train:\n  batch: ²",
            f'{D}:8: demo option "batch" must be "full" or a whole number from 1 to 1000000, '
            'got "²"',
        ),
        (
            "train:\n  batch: " + "9" * 5000,
            f'{D}:8: demo option "batch" must be "full" or a whole number from 1 to 1000000, '
            f'got "{"9" * 59}…"',
        ),
        (
            "data:\n  csv: " + "a" * 5000 + ".csv",
            f'{D}:8: CSV file "{"a" * 59}…" not found (looked for content/posts/{"a" * 5000}.csv '
            f"and content/{'a' * 5000}.csv)",
        ),
        (
            "train:\n  init: {[w]: 1}",
            f"{D}:8: a demo option must be a word, got a list",
        ),
        (
            "id: !!python/object/apply:os.system [echo hi]",
            f'{D}:7: demo option "id" must be text, got a list',
        ),
        (
            'id: "a\\nb"',
            f'{D}:7: demo id "a\\nb" must start with a letter and use only letters, digits, "-" '
            'and "_"',
        ),
        ("train:\n  <<: {seed: 3}", f'{D}:8: unknown demo option "<<"'),
    ],
    ids=[
        "noise",
        "superscript-batch",
        "huge-batch",
        "long-csv-name",
        "list-key",
        "tag",
        "id",
        "merge",
    ],
)
def test_demo_edge_cases(project, body: str, expected: str) -> None:
    project.post("p", f"{FRONT}```demo\n{body}\n```\n")
    assert project.errors() == [expected]


def test_an_unclosed_block_points_inside_the_file(project) -> None:
    project.post("p", f"{FRONT}```demo\ntrain: [\n\n\n")
    assert project.errors() == [
        f"{D}:6: this demo block is never closed: add a closing ``` line",
    ]


def test_a_post_that_is_not_utf8(project) -> None:
    (project.content / "posts/p.md").write_bytes(FRONT.encode() + b"\xff\xfe\x00")
    assert project.errors() == [f"{D}:1: the file is not UTF-8 text"]
