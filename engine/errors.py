"""Errors that point at a place in the author's files, collected and reported together."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class SourceError:
    """One mistake at `path:line`, worded for the author."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        """`path:line: message` (`path:line: warning: message` for a warning), or without
        the line for a whole file or folder (line 0)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.severity == "warning" else ""
        return one_line(f"{where}: {kind}{self.message}")


def warning(path: str, line: int, message: str) -> SourceError:
    """A problem that does not stop the build (unless it is built with --strict)."""
    return SourceError(path, line, message, "warning")


class BuildFailed(Exception):
    """Raised once, at the end of a phase, with every error the phase found (and the
    warnings found so far; with `strict`, warnings alone can fail a build)."""

    def __init__(self, errors: Iterable[SourceError], *, strict: bool = False) -> None:
        self.errors = sorted(set(errors))
        self.strict = strict
        super().__init__("\n".join(str(e) for e in self.errors))

    def summary(self) -> str:
        """`2 errors`, `1 error, 1 warning`, or `3 warnings treated as errors` (--strict)."""
        return count_line(self.errors, strict=self.strict)


def count_line(problems: Iterable[SourceError], *, strict: bool = False) -> str:
    """How many errors and warnings, for the last line of a report."""
    listed = list(problems)
    errors = sum(1 for p in listed if p.severity == "error")
    warnings = len(listed) - errors
    parts = [_count(errors, "error")] if errors or not warnings else []
    if warnings:
        parts.append(_count(warnings, "warning") + (" treated as errors" if strict else ""))
    return ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


@dataclass
class ErrorLog:
    """Collects errors for one file so that every mistake is reported, not just the first."""

    path: str
    errors: list[SourceError] = field(default_factory=list)

    warnings: list[SourceError] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        """Record a mistake at `line` of this file."""
        self.errors.append(SourceError(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        """Record a warning at `line` of this file."""
        self.warnings.append(warning(self.path, line, message))


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


def describe(error: BaseException) -> str:
    """`ZeroDivisionError: division by zero`, or just the type when there is no message."""
    text = str(error)
    return one_line(f"{type(error).__name__}: {text}" if text else type(error).__name__)
