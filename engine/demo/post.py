"""The demos of one post, each along one path: its fence is found (fence.py), its block
read and validated (block.py), its default run computed (preview.py) and its templates
rendered (view.py). Errors are kept with the results, not logged on the side."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from engine.demo.block import BlockReader, DemoBlock
from engine.demo.fence import Fence
from engine.demo.preview import DemoFailed, preview
from engine.demo.view import render_demo
from engine.errors import SourceError, display_path

DemoKey = tuple[str, str]  # a demo's YAML text and its default id (its place on the page)


@dataclass(frozen=True)
class DemoSite:
    """What a post's body needs of the site being built: its content folder, its
    Pyodide, its templates, and its base URL (for site paths in links)."""

    content: Path
    pyodide: str
    env: jinja2.Environment
    base_url: str = "/"


@dataclass
class DemoMemo:
    """Demos of one post rendered before (`known`) and those this conversion produced
    (`used`): re-rendering an edited post runs only the demos whose block changed. The
    block's line is not in the key, so text added above a demo does not re-run it."""

    known: dict[DemoKey, tuple[DemoBlock, str]] = field(default_factory=dict)
    used: dict[DemoKey, tuple[DemoBlock, str]] = field(default_factory=dict)


@dataclass
class PostDemos:
    """Turns the demo fences of one post into widgets; `blocks` and `errors` hold what
    was found."""

    site: DemoSite
    post: Path
    first_line: int  # file line of the Markdown body's first line
    memo: DemoMemo = field(default_factory=DemoMemo)
    blocks: list[DemoBlock] = field(default_factory=list)
    figures: list[DemoBlock] = field(default_factory=list)  # ```figure blocks: no live demo
    errors: list[SourceError] = field(default_factory=list)
    # Each demo id's first line, blocks with mistakes included: a duplicate is found
    # while a block is being fixed.
    ids: dict[str, int] = field(default_factory=dict)
    reader: BlockReader = field(init=False)

    def __post_init__(self) -> None:
        self.reader = BlockReader(self.post, self.site.content, self.site.pyodide)

    def add(self, fence: Fence) -> str:
        """The widget of one fence; empty, with its errors kept, when the block is wrong."""
        key = (("figure\n" if fence.figure else "") + fence.text, fence.default_id)
        known = self.memo.known.get(key)
        if known is not None:
            known = (replace(known[0], line=fence.line), known[1])
            block: DemoBlock | None = known[0]
        else:
            block, errors = self.reader.read(fence.text, fence.line, fence.default_id)
            self.errors += errors
        demo_id = block.id if block is not None else self.reader.last_id
        if (demo_id and not self._unique(demo_id, fence.line)) or block is None:
            return ""
        block, html = known if known is not None else self._render(block, fence.figure)
        (self.figures if fence.figure else self.blocks).append(block)
        if html:
            self.memo.used[key] = (block, html)
        return html

    def mistake(self, line: int, message: str) -> None:
        """A mistake in the fences themselves."""
        self.errors.append(SourceError(display_path(self.post), line, message))

    def _unique(self, demo_id: str, line: int) -> bool:
        """Whether no earlier demo of the post has this id (else a mistake)."""
        first = self.ids.setdefault(demo_id, line)
        if first != line:
            self.mistake(line, f'duplicate demo id "{demo_id}" (first used on line {first})')
        return first == line

    def _render(self, block: DemoBlock, figure: bool) -> tuple[DemoBlock, str]:
        """Run the block's default run and render its templates (a figure's, for a
        ```figure block): the block, with what the build should warn about its run (that
        it diverges), and its HTML (empty when it failed; the mistake is kept)."""
        try:
            shown = preview(block, figure)
            html = render_demo(self.site.env, block, shown, figure)
            return replace(block, warning=shown.warning), html
        except DemoFailed as exc:
            self.mistake(block.line, str(exc))
        except ValueError as exc:  # the runtime refused settings the build let through
            self.mistake(block.line, f'demo "{block.id}" cannot start: {exc}')
        return block, ""
