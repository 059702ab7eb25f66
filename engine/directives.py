"""The Python-Markdown extension that turns ```demo blocks into demo widgets.

It runs as a preprocessor at priority 29, just after whitespace normalisation and before
fenced code: there the source lines still stand where the author wrote them, so each
block knows its line in the `.md` file. The rendered widget goes into `md.htmlStash` so
that Markdown never touches its HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from engine.demos import DemoBlock, DemoReader
from engine.trial import DemoFailed

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")

DemoKey = tuple[str, str]  # a demo's YAML text and its default id (its place on the page)


@dataclass
class DemoMemo:
    """Demos of one post rendered before (`known`) and those this conversion produced
    (`used`): re-rendering an edited post runs only the demos whose block changed. The
    block's line is not in the key, so text added above a demo does not re-run it."""

    known: dict[DemoKey, tuple[DemoBlock, str]] = field(default_factory=dict)
    used: dict[DemoKey, tuple[DemoBlock, str]] = field(default_factory=dict)


@dataclass
class DemoCollector:
    """What one post's conversion found: its demos, in page order."""

    reader: DemoReader
    first_line: int  # file line of the Markdown body's first line
    render: Callable[[DemoBlock], tuple[str, str]]  # the widget's HTML, and a warning
    blocks: list[DemoBlock] = field(default_factory=list)
    count: int = 0
    memo: DemoMemo = field(default_factory=DemoMemo)

    def add(self, text: str, fence_line: int) -> str:
        """Validate and render one block; the HTML (empty if it was wrong)."""
        self.count += 1
        key = (text, f"demo-{self.count}")
        known = self.memo.known.get(key)
        if known is not None:
            block: DemoBlock | None = replace(known[0], line=fence_line)
        else:
            block = self.reader.read(text, fence_line, default_id=key[1])
        if block is None:
            return ""
        first = next((b for b in self.blocks if b.id == block.id), None)
        if first is not None:
            self.reader.log.add(
                fence_line, f'duplicate demo id "{block.id}" (first used on line {first.line})'
            )
            return ""
        self.blocks.append(block)
        if known is not None:
            self.memo.used[key] = (block, known[1])
            return known[1]
        try:
            html, warning = self.render(block)
        except DemoFailed as exc:
            self.reader.log.add(fence_line, str(exc))
        except ValueError as exc:  # the runtime refused settings the build let through
            self.reader.log.add(fence_line, f'demo "{block.id}" cannot start: {exc}')
        else:
            self.blocks[-1] = block = replace(block, warning=warning)
            self.memo.used[key] = (block, html)
            return html
        return ""


class DemoPreprocessor(Preprocessor):
    """Replace each ```demo fence with a placeholder for its rendered widget."""

    def __init__(self, md: Markdown, collector: DemoCollector) -> None:
        super().__init__(md)
        self.collector = collector

    def run(self, lines: list[str]) -> list[str]:
        """Walk the lines, skipping other fenced blocks so that examples of demos stay code."""
        out: list[str] = []
        index = 0
        while index < len(lines):
            match = _FENCE.match(lines[index])
            if match is None:
                out.append(lines[index])
                index += 1
                continue
            end = _closing(lines, index, match.group("fence"))
            if match.group("info").split()[:1] == ["demo"]:
                out.extend(self._demo(lines, index, end))
            else:
                out.extend(lines[index : end + 1])
            index = end + 1
        return out

    def _demo(self, lines: list[str], start: int, end: int) -> list[str]:
        """The placeholder lines standing for the block between `start` and `end`."""
        fence_line = self.collector.first_line + start
        last = end
        if end == len(lines):
            self.collector.reader.log.add(
                fence_line, "this demo block is never closed: add a closing ``` line"
            )
            # Markdown appended blank lines to the file; a YAML error at the end of the
            # block must not point past the file's end.
            while last > start + 1 and not lines[last - 1].strip():
                last -= 1
        body = "\n".join(lines[start + 1 : last])
        html = self.collector.add(body, fence_line)
        return ["", self.md.htmlStash.store(html), ""]


def _closing(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the fence opened at `start` (len(lines) when unclosed)."""
    closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(start + 1, len(lines)):
        if closer.match(lines[index]):
            return index
    return len(lines)


class DemoExtension(Extension):
    """Registers the demo preprocessor for one post."""

    def __init__(self, collector: DemoCollector) -> None:
        super().__init__()
        self.collector = collector

    def extendMarkdown(self, md: Markdown) -> None:
        """Register at priority 29: after whitespace normalisation (30), before fences (25)."""
        md.preprocessors.register(DemoPreprocessor(md, self.collector), "explainer-demo", 29)
