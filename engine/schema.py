"""Read typed values out of YAML while keeping the source line of every key and value.

PyYAML's `compose` gives a node tree with marks; reading from nodes rather than from
`safe_load`'s plain dicts is what lets every mistake point at its own line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from engine.errors import ErrorLog, did_you_mean

_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class YamlReader:
    """Reads one YAML text whose first line is line `first_line` of the file."""

    log: ErrorLog
    first_line: int
    noun: str  # how a key is called in messages: "demo option", "front matter key"

    def parse(self, text: str, *, where: int) -> yaml.Node | None:
        """Compose `text` into nodes; a syntax error is logged at its line (or at `where`)."""
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = self.line(mark.line) if mark else where
            self.log.add(line, f"invalid YAML: {exc.problem or exc.context}")
        except yaml.YAMLError as exc:
            self.log.add(where, f"invalid YAML: {exc}")
        return None

    def line(self, node_or_line: yaml.Node | int) -> int:
        """The file line of a node (or of a 0-based line in the YAML text)."""
        index = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line
        return self.first_line + index

    def mapping(
        self, node: yaml.Node, allowed: Iterable[str] | None, name: str
    ) -> dict[str, yaml.Node] | None:
        """The mapping's values by key; unknown (unless `allowed` is None) and repeated keys
        are logged and left out."""
        if not isinstance(node, yaml.MappingNode):
            self.log.add(self.line(node), f"{name} must be a mapping of options")
            return None
        choices = list(allowed) if allowed is not None else None
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if choices is not None and key not in choices:
                hint = did_you_mean(key, choices)
                self.log.add(self.line(key_node), f'unknown {self.noun} "{key}"{hint}')
            elif key in found:
                first = self.line(found[key])
                self.log.add(self.line(key_node), f'"{key}" is given twice (first on line {first})')
            else:
                found[key] = value_node
        return found

    def scalar(self, node: yaml.Node, name: str, expected: str) -> str | None:
        """The text of a plain scalar, or None (logged) for a list, mapping or empty value."""
        if isinstance(node, yaml.ScalarNode) and node.value != "":
            return str(node.value)
        self.log.add(self.line(node), f'{self.noun} "{name}" must be {expected}, got {_kind(node)}')
        return None

    def number(
        self,
        node: yaml.Node,
        name: str,
        *,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        integer: bool = False,
    ) -> float | None:
        """A finite number within bounds; `integer` also requires a whole number."""
        expected = _number_words(low, high, low_open, integer)
        text = self.scalar(node, name, expected)
        if text is None:
            return None
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            value = None
        quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
        if (
            value is None
            or quoted
            or not math.isfinite(value)
            or not _within(value, low, high, low_open)
        ):
            self.log.add(self.line(node), f'{self.noun} "{name}" must be {expected}, got "{text}"')
            return None
        return value

    def integer(self, node: yaml.Node, name: str, *, low: int, high: int) -> int | None:
        """A whole number within [low, high]."""
        value = self.number(node, name, low=low, high=high, integer=True)
        return None if value is None else int(value)

    def boolean(self, node: yaml.Node, name: str) -> bool | None:
        """true/false (also yes/no, on/off)."""
        text = self.scalar(node, name, "true or false")
        if text is None:
            return None
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        self.log.add(self.line(node), f'{self.noun} "{name}" must be true or false, got "{text}"')
        return None

    def string(self, node: yaml.Node, name: str) -> str | None:
        """Non-empty text."""
        return self.scalar(node, name, "text")

    def date(self, node: yaml.Node, name: str) -> dt.date | None:
        """A calendar date written YYYY-MM-DD."""
        text = self.scalar(node, name, "a date written YYYY-MM-DD")
        if text is None:
            return None
        try:
            if _DATE.fullmatch(text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        self.log.add(
            self.line(node), f'{self.noun} "{name}" must be a date written YYYY-MM-DD, got "{text}"'
        )
        return None

    def items(self, node: yaml.Node, name: str) -> list[yaml.Node] | None:
        """The items of a list (a single scalar counts as a one-item list)."""
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.ScalarNode) and node.value != "":
            return [node]
        self.log.add(self.line(node), f'{self.noun} "{name}" must be a list, got {_kind(node)}')
        return None

    def choices(self, node: yaml.Node, name: str, allowed: Iterable[str]) -> tuple[str, ...] | None:
        """A list of words, each one of `allowed`, none repeated."""
        items = self.items(node, name)
        if items is None:
            return None
        options = list(allowed)
        picked: list[str] = []
        ok = True
        for item in items:
            word = self.scalar(item, name, "a list of words")
            if word is None:
                ok = False
            elif word not in options:
                hint = did_you_mean(word, options)
                self.log.add(self.line(item), f'unknown {self.noun} "{word}"{hint}')
                ok = False
            elif word in picked:
                self.log.add(self.line(item), f'"{word}" is listed twice in {name}')
            else:
                picked.append(word)
        return tuple(picked) if ok else None


def _kind(node: yaml.Node) -> str:
    """How a node's shape is described in a message."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "nothing" if node.value == "" else f'"{node.value}"'


def _within(value: float, low: float | None, high: float | None, low_open: bool) -> bool:
    """Whether `value` lies within the bounds."""
    if low is not None and (value <= low if low_open else value < low):
        return False
    return high is None or value <= high


def _number_words(low: float | None, high: float | None, low_open: bool, integer: bool) -> str:
    """Describe the expected number, e.g. "a number greater than 0 and at most 1000000"."""
    noun = "a whole number" if integer else "a number"
    parts = []
    if low is not None:
        parts.append(f"greater than {_fmt(low)}" if low_open else f"at least {_fmt(low)}")
    if high is not None:
        parts.append(f"at most {_fmt(high)}")
    return noun + (" " + " and ".join(parts) if parts else "")


def _fmt(value: float) -> str:
    """A bound without a trailing .0."""
    return str(int(value)) if float(value).is_integer() else str(value)
