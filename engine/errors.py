"""Errors that point at a place in the author's files, collected and reported together."""

from __future__ import annotations

import difflib
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
        return f"{where}: {self.message}"


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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean "x"?)` suffix when a close match exists, else an empty string."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""
