"""PyYAML's syntax errors retold in words an author knows (indentation, tabs, a missing
space after a colon, quotes), each with where it is in the YAML text."""

from __future__ import annotations

import re

import yaml

from engine.errors import quoted

_KEY_WITHOUT_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):([^\s/].*)$")
INDENTATION = (
    "this line's indentation does not fit the lines above: keys of one mapping start in "
    "the same column, and the keys inside a value are indented further (with spaces)"
)
_START = re.compile(r"found character '(.)' that cannot start any token")


def explain(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The character position in `text` the author should look at, and what is wrong."""
    problem = error.problem or error.context or ""
    mark = error.problem_mark or error.context_mark
    at = mark.index if mark is not None else 0
    opened = error.context_mark.index if error.context_mark is not None else at
    line = _line_at(text, at)
    if "'\\t'" in problem:
        return at, (
            "a tab is not allowed here: YAML indents with spaces only, and a colon needs a "
            "space (not a tab) after it"
        )
    if problem == "mapping values are not allowed here":
        return _colon_here(text, at)
    if problem.startswith("expected <block end>"):
        if _has_quote(line):
            return at, (
                "a quoted value ends at its closing quote: to put a quote inside, use the "
                "other kind around it (\"it's\") or double it ('it''s')"
            )
        return at, INDENTATION
    if problem == "could not find expected ':'":
        return opened, (
            'this line is not "key: value": a colon followed by a space is missing, or the '
            "line above is not finished"
        )
    if problem.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        bracket = "]" if "']'" in problem else "}"
        return opened, f'this list or mapping is never closed: add the missing "{bracket}"'
    if problem == "found unexpected end of stream" and "quoted scalar" in (error.context or ""):
        return opened, "this quoted value is never closed: add the closing quote"
    start = _START.search(problem)
    if start or "while scanning an alias" in (error.context or ""):
        character = start.group(1) if start else "*"
        return at, (
            f"a value cannot start with {quoted(character)} unless it is in quotes, "
            f'e.g. "{character}…"'
        )
    return at, problem


def _colon_here(text: str, at: int) -> tuple[int, str]:
    """ "mapping values are not allowed here": a colon YAML did not expect."""
    line = _line_at(text, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    before = line[:column]
    if ": " in before.lstrip("- "):
        return at, (
            'this value holds ": ", which YAML reads as another key: put the value in '
            f"quotes, e.g. {_quoted_example(line)}"
        )
    previous_end = text.rfind("\n", 0, at - column) if at - column > 0 else -1
    above = [row for row in text[: max(previous_end, 0)].split("\n") if row.strip()]
    glued = _KEY_WITHOUT_SPACE.match(above[-1]) if above else None
    if glued:
        key, value = glued.groups()
        return text.rfind(above[-1], 0, at), (
            f'a space is needed after the colon: write "{key}: {value.strip()}"'
        )
    return at, INDENTATION


def _quoted_example(line: str) -> str:
    key, _, value = line.strip().partition(": ")
    value = value.strip().replace('"', '\\"')
    return f'{key}: "{value}"'


def _line_at(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start : end if end >= 0 else len(text)]


def _has_quote(line: str) -> bool:
    return "'" in line or '"' in line
