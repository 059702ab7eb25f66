"""Typesetting for plain text the page shows: curly quotes and dashes in front-matter
titles and summaries (the post body gets them from Python-Markdown's `smarty`), and
headings that never end a line on a one-letter word."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

NBSP = "\N{NO-BREAK SPACE}"
# An opening quote follows the start, a space, an opening bracket or a dash.
_OPENS = r"(^|[\s(\[{\u2013\u2014-])"
_REPLACEMENTS = (
    (re.compile(r"\.\.\."), "\N{HORIZONTAL ELLIPSIS}"),
    (re.compile(r"---"), "\N{EM DASH}"),
    (re.compile(r"(?<=\s)--(?=\s)"), "\N{EN DASH}"),
    (re.compile(r"(?<=\d)--(?=\d)"), "\N{EN DASH}"),
    (re.compile(_OPENS + '"'), "\\1\N{LEFT DOUBLE QUOTATION MARK}"),
    (re.compile('"'), "\N{RIGHT DOUBLE QUOTATION MARK}"),
    (re.compile(_OPENS + "'"), "\\1\N{LEFT SINGLE QUOTATION MARK}"),
    (re.compile("'"), "\N{RIGHT SINGLE QUOTATION MARK}"),
)
# A one-letter word ("a", "I", "x") and the space after it; the word must stand alone.
_ONE_LETTER = re.compile(r"(?<![\w'\u2019.-])(\w) (?=\S)")


def smarten(text: str) -> str:
    """`text` with typographer's quotes, apostrophes, dashes and ellipses, as `smarty`
    sets the body: the apostrophe of "won't" curls, "--" between words is an en dash."""
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text


def keep_together(text: str) -> str:
    """`text` with a no-break space after each one-letter word, so no line ends on one."""
    return _ONE_LETTER.sub(lambda m: m[1] + NBSP, text)


def headline(text: str) -> str:
    """A title as headings show it: smart quotes, no line ending on a one-letter word."""
    return keep_together(smarten(text))


class _Headings(Treeprocessor):
    """Joins one-letter words of each heading to the word after them."""

    def run(self, root: etree.Element) -> None:
        """Every h1 to h6 of the body, its own text and that of its inline children."""
        for heading in root.iter():
            if heading.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
                continue
            for node in heading.iter():
                if node.text:
                    node.text = keep_together(node.text)
                if node is not heading and node.tail:
                    node.tail = keep_together(node.tail)


class HeadingExtension(Extension):
    """Registers the heading pass after inline patterns (and `smarty`) have run."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Priority 15: after `inline` (20), before `toc` (5) adds its permalinks."""
        md.treeprocessors.register(_Headings(md), "explainer-headings", 15)


def tag_label(tag: str) -> str:
    """A tag as words: `machine-learning` is shown as "Machine learning"."""
    words = tag.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]
