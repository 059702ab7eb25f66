"""Find ```demo (and ```figure) fences in a post, by the very grammar Python-Markdown uses for fenced code.

The preprocessor runs at priority 29, just after whitespace normalisation and before
fenced code (25): there the source lines still stand where the author wrote them, so each
block knows its line in the `.md` file. Fences are found with Python-Markdown's own fence
pattern, so a block is a demo exactly when Markdown would otherwise have shown it as a
code block whose language is `demo`; fences inside other fenced blocks stay code. Each
demo's widget goes into `md.htmlStash`, so that Markdown never touches its HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import Preprocessor

if TYPE_CHECKING:
    from engine.demo.post import PostDemos

FENCE = FencedBlockPreprocessor.FENCED_BLOCK_RE
# A line that opens a demo fence, possibly indented (Markdown then shows it as text).
_DEMO_OPENER = re.compile(r"^(?P<indent> {0,3})(?:`{3,}|~{3,})[ ]*\.?demo[ ]*$", re.MULTILINE)


@dataclass(frozen=True)
class Fence:
    """One ```demo block: the YAML between its fences, where it stands, its place on the page."""

    text: str
    line: int  # file line of the opening fence
    default_id: str  # demo-1, demo-2, ... by position
    figure: bool = False  # a ```figure block: the still chart of the demo's default run


class DemoPreprocessor(Preprocessor):
    """Replace each ```demo fence with a placeholder for its rendered widget."""

    def __init__(self, md: Markdown, demos: PostDemos) -> None:
        super().__init__(md)
        self.demos = demos

    def run(self, lines: list[str]) -> list[str]:
        """The lines with every demo block replaced by its widget's placeholder, alone in
        its own paragraph."""
        text = "\n".join(lines)
        out: list[str] = []
        copied = scanned = count = 0
        for match in FENCE.finditer(text):
            self._stray_openers(text, scanned, match.start())
            scanned = match.end()
            if match.group("lang") not in ("demo", "figure"):
                continue  # other code stays as it is, demo examples inside it too
            count += 1
            line = self._line(text, match.start())
            figure = match.group("lang") == "figure"
            fence = Fence(match.group("code"), line, f"demo-{count}", figure)
            placeholder = self.md.htmlStash.store(self.demos.add(fence))
            out += [text[copied : match.start()], f"\n\n{placeholder}\n\n"]
            copied = match.end()
        self._stray_openers(text, scanned, len(text))
        out.append(text[copied:])
        return "".join(out).split("\n")

    def _line(self, text: str, index: int) -> int:
        """The file line of a character of the body."""
        return self.demos.first_line + text.count("\n", 0, index)

    def _stray_openers(self, text: str, start: int, end: int) -> None:
        """Demo fences outside any block: never closed, or indented so that Markdown does
        not see a fence at all. Either would silently show the YAML as text."""
        for opener in _DEMO_OPENER.finditer(text, start, end):
            line = self._line(text, opener.start())
            if opener.group("indent"):
                self.demos.mistake(
                    line,
                    "this demo fence is indented, so Markdown shows it as text: "
                    "start its ``` at the beginning of the line",
                )
            else:
                self.demos.mistake(line, "this demo block is never closed: add a closing ``` line")


class DemoExtension(Extension):
    """Registers the demo preprocessor for one post."""

    def __init__(self, demos: PostDemos) -> None:
        super().__init__()
        self.demos = demos

    def extendMarkdown(self, md: Markdown) -> None:
        """Register at priority 29: after whitespace normalisation (30), before fences (25)."""
        md.preprocessors.register(DemoPreprocessor(md, self.demos), "explainer-demo", 29)
