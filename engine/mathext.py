"""TeX maths in posts: `$...$` inline and `$$...$$` blocks, rendered to MathML at build time.

Browsers render MathML natively, so maths needs no script and no CDN.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

# An opening $ is followed by a non-space, a closing $ follows a non-space and is not
# followed by a digit, so "costs $5 and $10" stays text.
INLINE = r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)\$(?!\d)"
# Inline maths with an opening bracket just before it and punctuation just after it: the
# three are set as one unbreakable span, so no line starts with "." or ends with "(".
INLINE_JOINED = r"(?P<open>\(?)" + INLINE.replace("([^", "(?P<tex>[^") + r"(?P<close>[.,;:!?)]*)"
# A number followed by a TeX unit ("2ex", "3em") is read as one dimension token
# (latex2mathml emits <mn>2ex</mn>, even for "2 ex"); in maths it means 2·e·x, so the
# letters are parted from the number and from each other.
_DIMENSION = re.compile(r"(?<![{\w.\\])(\d+(?:\.\d+)?)\s*(em|ex|pt|pc|cm|mm|in|bp|dd|cc|sp|mu)")


class MathError(Exception):
    """TeX that could not be turned into MathML."""

    def __init__(self, tex: str, reason: str) -> None:
        super().__init__(f'cannot typeset "{tex}": {reason}')
        self.tex = tex


@functools.lru_cache(maxsize=4096)
def to_mathml(tex: str, display: str) -> str:
    """MathML for `tex`; `display` is "inline" or "block". Kept per process: `serve`
    re-renders an edited post, and its formulas have mostly not changed."""
    # Imported here: most builds have posts without maths, and importing it takes time.
    from latex2mathml.converter import convert

    try:
        return str(convert(_DIMENSION.sub(_part, tex.strip()), display=display))
    except Exception as exc:  # latex2mathml raises many unrelated types
        raise MathError(tex, str(exc) or type(exc).__name__) from None


def _part(match: re.Match[str]) -> str:
    """`2ex` as `2 e x`: a number times two variables."""
    return f"{match[1]} {match[2][0]} {match[2][1]}"


class InlineMath(InlineProcessor):
    """`$x^2$` inside a paragraph."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        """Stash the MathML so Markdown leaves it alone."""
        html = to_mathml(m.group("tex"), "inline")
        if m.group("open") or m.group("close"):
            html = f'<span class="nowrap">{m.group("open")}{html}{m.group("close")}</span>'
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


class BlockMath(BlockProcessor):
    """A paragraph that starts with `$$` and (maybe some paragraphs later) ends with `$$`."""

    def __init__(self, parser: BlockParser, md: Markdown) -> None:
        super().__init__(parser)
        self.md = md

    def test(self, parent: etree.Element, block: str) -> bool:
        """Only blocks opening with `$$`."""
        return block.lstrip().startswith("$$")

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        """Gather blocks up to the closing `$$` and render them as one display formula."""
        parts = []
        while blocks:
            parts.append(blocks.pop(0))
            text = "\n\n".join(parts).strip()
            if len(text) > 2 and text.endswith("$$"):
                div = etree.SubElement(parent, "div", {"class": "math-display"})
                div.text = self.md.htmlStash.store(to_mathml(text[2:-2], "block"))
                return True
        blocks[:0] = parts  # unclosed: leave it as text
        return False


class MathExtension(Extension):
    """Registers inline and block maths."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Inline maths after code spans (190) so `$` in code stays code."""
        md.ESCAPED_CHARS.append("$")
        md.inlinePatterns.register(InlineMath(INLINE_JOINED, md), "explainer-math", 185)
        md.parser.blockprocessors.register(BlockMath(md.parser, md), "explainer-math-block", 75)
