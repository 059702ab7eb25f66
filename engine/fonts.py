"""The site's text faces, self-hosted from their Fontsource packages on npm.

Source Serif 4 sets the prose, Inter the headings, demos and charts, and Source Code Pro
(Source Serif's sibling) the code; all are variable fonts, so one file per script covers
every weight. The build copies the files next to the
page styles and writes their `@font-face` rules with `font-display: optional`; pages
preload the two Latin upright files (templates/base.html), so the browser holds its first
paint for them a moment (Chromium does so for preloaded optional fonts). A page that
cannot have them in time keeps the fallback face rather than shifting its text when they
arrive: the layout never moves. (Inlining them as data URLs does not help: they are
decoded after the first paint all the same.)
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# Each package, and its stylesheets of `@font-face` rules (one rule per script subset).
FACES = (
    ("@fontsource-variable/source-serif-4", ("wght.css", "wght-italic.css")),
    ("@fontsource-variable/inter", ("wght.css",)),
    ("@fontsource-variable/source-code-pro", ("wght.css",)),
)
# Maths: Noto Sans Math, whose OpenType MATH table gives MathML its large operators,
# stretchy brackets and fraction rules. Its rule names no unicode-range (Fontsource's
# limits it to Latin letters, but the file holds every mathematical symbol), and only
# pages with maths use it (templates/post.html preloads it there). It is declared with
# `font-display: block`: a formula set in a fallback maths font on one load and in Noto
# on the next would change shape between visits.
MATH_PACKAGE = "@fontsource/noto-sans-math"
MATH_FILE = "noto-sans-math-latin-400-normal.woff2"
MATH_FONT = f"fonts/{MATH_FILE}"
# Code: preloaded by templates/post.html on pages that show code.
MONO_FONT = "fonts/source-code-pro-latin-wght-normal.woff2"
# The files every page needs at once (Latin text), preloaded by templates/base.html.
PRELOADED = (
    "fonts/source-serif-4-latin-wght-normal.woff2",
    "fonts/inter-latin-wght-normal.woff2",
)
_URL = re.compile(r"url\(\./files/([A-Za-z0-9._-]+\.woff2)\)")


class FontError(Exception):
    """A font package is missing (npm ci was not run)."""


def font_files(node_modules: Path) -> dict[str, bytes]:
    """`fonts.css` and every font file it names, by their paths below the assets folder."""
    files: dict[str, bytes] = {}
    rules: list[str] = []
    for package, sheets in FACES:
        folder = node_modules / package
        for sheet in sheets:
            path = folder / sheet
            if not path.is_file():
                raise FontError(f"the font package {package} is not installed: run `npm ci`")
            css = path.read_text(encoding="utf-8")
            css = css.replace("font-display: swap;", "font-display: optional;")
            rules.append(_URL.sub(functools.partial(_source, folder, files), css))
    math = node_modules / MATH_PACKAGE / "files" / MATH_FILE
    if not math.is_file():
        raise FontError(f"the font package {MATH_PACKAGE} is not installed: run `npm ci`")
    files[MATH_FONT] = math.read_bytes()
    rules.append(
        "@font-face {\n  font-family: 'Noto Sans Math';\n  font-style: normal;\n"
        "  font-display: block;\n  font-weight: 400;\n"
        f"  src: url({MATH_FONT}) format('woff2');\n}}\n"
    )
    licence = "/* Source Serif 4, Inter, Source Code Pro, Noto Sans Math: SIL Open Font License 1.1, from Fontsource. */\n"
    files["fonts.css"] = (licence + "\n".join(rules)).encode()
    return files


def _source(folder: Path, files: dict[str, bytes], match: re.Match[str]) -> str:
    """The `url(...)` of the font file `match` names, added to `files`."""
    files[f"fonts/{match[1]}"] = (folder / "files" / match[1]).read_bytes()
    return f"url(fonts/{match[1]})"
