"""Errors that point at a place in the author's files, collected and reported together."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class SourceError:
    """One mistake at `path:line`, worded for the author."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        """`path:line: message`, or `path: message` for a whole file or folder (line 0)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return one_line(f"{where}: {self.message}")


class BuildFailed(Exception):
    """Raised once, at the end of a phase, with every error the phase found."""

    def __init__(self, errors: Iterable[SourceError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ErrorLog:
    """Collects errors for one file so that every mistake is reported, not just the first."""

    path: str
    errors: list[SourceError] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        """Record a mistake at `line` of this file."""
        self.errors.append(SourceError(self.path, line, message))


def display_path(path: Path) -> str:
    """The path as the author should see it: relative to the current directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_UNSEEN = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")  # left raw by json.dumps
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines() breaks
QUOTE_LIMIT = 60  # characters of a quoted value shown in a message


def one_line(text: str) -> str:
    """`text` with any line break escaped, so that one message stays one line."""
    return _LINE_BREAK.sub(lambda m: json.dumps(m.group()).strip('"'), text)


def quoted(text: str) -> str:
    """`text` in double quotes for a one-line message: line breaks and other unprintable
    characters escaped as in JSON, and cut short when long."""
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1] + "…"
    shown = json.dumps(text, ensure_ascii=False)
    return _UNSEEN.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean "x"?)` suffix when a close match exists, else an empty string."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""
