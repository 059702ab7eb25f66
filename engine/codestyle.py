"""The colours of highlighted code: one restrained palette, in a light and a dark shade.

Three colours and a muted grey, no bold and no italic: keywords, the names a block
defines, and literals (strings and numbers) stand out; comments step back; everything
else, operators included, keeps the text colour. The light and dark styles give each
kind of token the same hue, so code looks like itself in both themes.
"""

from __future__ import annotations

import re

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.token import Comment, Keyword, Literal, Name, String, Text, Token, _TokenType

# Colour per role: (light, dark). Contrast against the code block's surface is at least
# 4.5:1 in both themes (WCAG AA for text).
ROLES: dict[str, tuple[str, str]] = {
    "text": ("#1f2328", "#e6e8eb"),
    "keyword": ("#a3245e", "#f49ac1"),
    "name": ("#0b5cad", "#8cc2f7"),
    "literal": ("#8a4a00", "#e8b77a"),
    "comment": ("#5c6470", "#9aa3ae"),
}
TOKENS: dict[_TokenType, str] = {
    Token: "text",
    Text: "text",
    Keyword: "keyword",
    Name.Function: "name",
    Name.Class: "name",
    Name.Decorator: "name",
    Name.Builtin: "name",
    Literal: "literal",
    String: "literal",
    String.Doc: "comment",
    Keyword.Constant: "literal",
    Comment: "comment",
}


def _style(shade: int) -> type[Style]:
    """The Pygments style of one shade (0 light, 1 dark)."""
    styles = {token: f"noinherit {ROLES[role][shade]}" for token, role in TOKENS.items()}
    styles[Token] = ROLES["text"][shade]
    return type("ExplainerCode", (Style,), {"styles": styles, "background_color": ""})


def pygments_css() -> str:
    """Code colours for light pages, and for dark ones under prefers-color-scheme. Code
    blocks keep the page's own surface colour (style.css), so the styles set none."""
    light, dark = (HtmlFormatter(style=_style(s)).get_style_defs(".codehilite") for s in (0, 1))
    light, dark = (
        re.sub(r"\n?\.codehilite \{ background: [^}]*\}", "", css) for css in (light, dark)
    )
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
