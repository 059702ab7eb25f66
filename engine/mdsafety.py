"""Python-Markdown kept safe from hostile posts: link brackets matched in linear time, and
nesting too deep for it reported at a line instead of crashing the build.

Python-Markdown looks for the `]` closing each `[` by scanning the rest of the paragraph,
so a paragraph of many unclosed brackets takes quadratic time (40 KB of them, minutes).
Here every bracket of a paragraph is matched once, with a stack, and looked up.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)


def matching_brackets(data: str) -> dict[int, int]:
    """For each `[` of `data` that is closed, the position of its `]`."""
    closes: dict[int, int] = {}
    open_at: list[int] = []
    for match in re.finditer(r"[\[\]]", data):
        if match.group() == "[":
            open_at.append(match.start())
        elif open_at:
            closes[open_at.pop()] = match.start()
    return closes


class _LinearBrackets(LinkInlineProcessor):
    """`getText` answered from the paragraph's matched brackets, found once."""

    _data: str | None = None
    _closes: dict[int, int]

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        """The text between the `[` before `index` and its `]`, the index after the `]`,
        and whether there was one (as Python-Markdown's own, in linear time)."""
        if data is not self._data:
            self._data, self._closes = data, matching_brackets(data)
        close = self._closes.get(index - 1)
        if close is None:
            return data[index:], len(data), False
        return data[index:close], close + 1, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        """As Python-Markdown's, but at once "no link" when no `)` follows: otherwise each
        of many `[a](` would scan the rest of the paragraph."""
        if data.find(")", index) < 0:
            return "", None, index, False
        return super().getLink(data, index)


class _Image(_LinearBrackets, ImageInlineProcessor):
    pass


class _Reference(_LinearBrackets, ReferenceInlineProcessor):
    pass


class _ShortReference(_LinearBrackets, ShortReferenceInlineProcessor):
    pass


class _ImageReference(_LinearBrackets, ImageReferenceInlineProcessor):
    pass


class _ShortImageReference(_LinearBrackets, ShortImageReferenceInlineProcessor):
    pass


class LinearBracketsExtension(Extension):
    """Replaces Python-Markdown's link and image processors, at their own priorities."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Same names and priorities as in markdown.inlinepatterns."""
        patterns = md.inlinePatterns
        patterns.register(_Reference(REFERENCE_RE, md), "reference", 170)
        patterns.register(_LinearBrackets(LINK_RE, md), "link", 160)
        patterns.register(_Image(IMAGE_LINK_RE, md), "image_link", 150)
        patterns.register(_ImageReference(IMAGE_REFERENCE_RE, md), "image_reference", 140)
        patterns.register(_ShortReference(REFERENCE_RE, md), "short_reference", 130)
        patterns.register(_ShortImageReference(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)


TOO_DEEP = (
    "this post nests lists, quotes or HTML blocks too deeply for Markdown to read (the "
    "deepest is here); flatten it"
)
_OPEN = re.compile(r"<(div|section|article|aside|blockquote|details|ul|ol|li)\b[^>]*>", re.I)
_CLOSE = re.compile(r"</(div|section|article|aside|blockquote|details|ul|ol|li)\s*>", re.I)


def deepest_line(body: str, first_line: int) -> int:
    """The file line where the body is nested deepest: by indentation, `>` quote marks,
    or open HTML blocks, whichever is deeper."""
    best, best_line, open_blocks = -1, first_line, 0
    for number, line in enumerate(body.split("\n"), start=first_line):
        open_blocks += len(_OPEN.findall(line)) - len(_CLOSE.findall(line))
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        quotes = len(stripped) - len(stripped.lstrip("> "))
        depth = max(indent // 2, quotes, open_blocks)
        if depth > best:
            best, best_line = depth, number
    return best_line
