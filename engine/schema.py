"""Read typed values out of YAML while keeping the source line of every key and value.

PyYAML's `compose` gives a node tree with marks; reading from nodes rather than from
`safe_load`'s plain dicts is what lets every mistake point at its own line.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import yaml

from engine.errors import ErrorLog, did_you_mean, quoted
from engine.runtime.contract import Batch, Flag, Kind, Number
from engine.yamlhelp import explain

_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Characters that have no place in a setting, which only YAML escapes such as "\0" can
# produce: C0/C1 controls and U+FFFE/U+FFFF (which the feed's XML may not hold) and
# lone surrogates (which cannot be written out as UTF-8).
_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_DEPTH = 20  # nesting levels; every real setting is at most four deep


class _Loader(yaml.SafeLoader):
    """PyYAML's safe composer, refusing aliases and deep nesting.

    Settings never need an alias, and refusing them outright rules out alias bombs
    ("billion laughs") and self-containing values before anything walks the tree;
    the depth limit keeps `[[[[...]]]]` from exhausting Python's recursion limit.
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """One node, refused when it is an alias or nested too deeply."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            problem = f'aliases such as "*{event.anchor}" are not supported; write the value out'
        elif self._depth >= MAX_DEPTH:
            problem = f"values are nested more than {MAX_DEPTH} levels deep"
        else:
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        raise yaml.composer.ComposerError(None, None, problem, event.start_mark)


@dataclass
class YamlReader:
    """Reads one YAML text whose first line is line `first_line` of the file."""

    log: ErrorLog
    first_line: int
    noun: str  # how a key is called in messages: "demo option", "front matter key"
    text: str = ""  # the YAML text last parsed

    def parse(self, text: str, *, where: int) -> yaml.Node | None:
        """Compose `text` into nodes; a syntax error is logged at its line (or at `where`)."""
        self.text = text
        try:
            return yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            if exc.problem_mark is None and exc.context_mark is None:
                self.log.add(where, f"invalid YAML: {exc.problem or exc.context}")
            else:
                index, message = explain(exc, text)
                self.log.add(self.line(index), f"invalid YAML: {message}")
        except yaml.reader.ReaderError as exc:
            self.log.add(
                self.line(exc.position),
                f"invalid YAML: the character {quoted(chr(exc.character))} is not allowed here",
            )
        except yaml.YAMLError as exc:
            self.log.add(where, f"invalid YAML: {quoted(str(exc))}")
        return None

    def line(self, node_or_index: yaml.Node | int) -> int:
        """The file line of a node, or of a character position in the YAML text.

        Lines are counted by "\n" alone, as the file was split, never by YAML's own
        count, which also takes NEL and U+2028 for line breaks.
        """
        if isinstance(node_or_index, yaml.Node):
            node_or_index = node_or_index.start_mark.index
        return self.first_line + self.text.count("\n", 0, node_or_index)

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
            if not isinstance(key_node, yaml.ScalarNode):
                self.log.add(
                    self.line(key_node), f"a {self.noun} must be a word, got {_kind(key_node)}"
                )
                continue
            key = key_node.value
            if choices is not None and key not in choices:
                hint = did_you_mean(key, choices)
                self.log.add(self.line(key_node), f"unknown {self.noun} {quoted(key)}{hint}")
            elif key in found:
                first = self.line(found[key])
                self.log.add(
                    self.line(key_node), f"{quoted(key)} is given twice (first on line {first})"
                )
            else:
                found[key] = value_node
        return found

    def scalar(self, node: yaml.Node, name: str, expected: str) -> str | None:
        """The text of a plain scalar, or None (logged) for a list, mapping or empty value."""
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            self.log.add(
                self.line(node), f'{self.noun} "{name}" must be {expected}, got {_kind(node)}'
            )
            return None
        bad = _BAD_CHARACTER.search(node.value)
        if bad:
            self.log.add(
                self.line(node),
                f'{self.noun} "{name}" holds the unprintable character {quoted(bad.group())}; remove it',
            )
            return None
        return str(node.value)

    def value(self, node: yaml.Node, name: str, kind: Kind) -> object:
        """A value of the contract's `kind` (None, logged, when it is not one; the full
        batch is "full" in YAML and None in the settings, so it is returned as "full")."""
        if isinstance(kind, Flag):
            return self.boolean(node, name)
        if isinstance(kind, Batch):
            if isinstance(node, yaml.ScalarNode) and node.value == "full":
                return "full"
            number = self.number(node, name, Number(1, kind.high, integer=True), kind.words())
            return None if number is None else int(number)
        return self.number(node, name, kind)

    def number(self, node: yaml.Node, name: str, kind: Number, expected: str = "") -> float | None:
        """A number `kind` admits (written as a number, not in quotes), else None (logged)."""
        expected = expected or kind.words()
        text = self.scalar(node, name, expected)
        if text is None:
            return None
        try:
            value: float | None = int(text) if kind.integer else float(text)
        except ValueError:
            value = None
        in_quotes = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
        if value is None or in_quotes or not kind.admits(value):
            self.log.add(
                self.line(node), f'{self.noun} "{name}" must be {expected}, got {quoted(text)}'
            )
            return None
        return value

    def boolean(self, node: yaml.Node, name: str) -> bool | None:
        """true/false (also yes/no, on/off)."""
        text = self.scalar(node, name, "true or false")
        if text is None:
            return None
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        self.log.add(
            self.line(node), f'{self.noun} "{name}" must be true or false, got {quoted(text)}'
        )
        return None

    def string(self, node: yaml.Node, name: str) -> str | None:
        """Non-empty text."""
        return self.scalar(node, name, "text")

    def date(self, node: yaml.Node, name: str) -> dt.date | None:
        """A calendar date written YYYY-MM-DD."""
        text = self.scalar(node, name, "a date written YYYY-MM-DD")
        if text is None:
            return None
        if not _DATE.fullmatch(text):
            self.log.add(
                self.line(node),
                f'{self.noun} "{name}" must be a date written YYYY-MM-DD, got {quoted(text)}',
            )
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.log.add(self.line(node), f'{self.noun} "{name}" is {impossible_date(text)}')
        return None

    def items(self, node: yaml.Node, name: str) -> list[yaml.Node] | None:
        """The items of a list (a single scalar counts as a one-item list)."""
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.ScalarNode) and node.value != "":
            return [node]
        self.log.add(self.line(node), f'{self.noun} "{name}" must be a list, got {_kind(node)}')
        return None

    def choices(
        self,
        node: yaml.Node,
        name: str,
        allowed: Iterable[str],
        notes: Mapping[str, str] | None = None,
    ) -> tuple[str, ...] | None:
        """A list of words, each one of `allowed`, none repeated; an unknown word's message
        lists the allowed ones (and its note in `notes`, if it has one)."""
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
                note = (notes or {}).get(word, "")
                listed = f"; {name} lists any of {', '.join(options)}"
                self.log.add(
                    self.line(item),
                    f"unknown {self.noun} {quoted(word)}{hint}{listed}{note and '; ' + note}",
                )
                ok = False
            elif word in picked:
                self.log.add(self.line(item), f'"{word}" is listed twice in {name}')
            else:
                picked.append(word)
        return tuple(picked) if ok else None


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def impossible_date(text: str) -> str:
    """Why a YYYY-MM-DD date does not exist, e.g. "2026-11-31, a day that does not exist:
    November 2026 has 30 days"."""
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"{text}, a date that does not exist: months go from 01 to 12"
    if year == 0:
        return f"{text}, a date that does not exist: years start at 0001"
    days = calendar.monthrange(year, month)[1]
    if day == 0:
        return f"{text}, a date that does not exist: days start at 01"
    return f"{text}, a day that does not exist: {MONTHS[month - 1]} {year} has {days} days"


def _kind(node: yaml.Node) -> str:
    """How a node's shape is described in a message."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "nothing" if node.value == "" else quoted(node.value)
