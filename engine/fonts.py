"""The site's text faces, self-hosted from their Fontsource packages on npm.

Source Serif 4 sets the prose and Inter the headings, demos and charts; both are variable
fonts, so one file per script covers every weight. The build copies the files next to the
page styles and writes their `@font-face` rules with `font-display: optional`: a page
that preloads them shows them at once, and a page that could not have them in time keeps
the fallback face rather than shifting its text when they arrive.
"""

from __future__ import annotations

import re
from pathlib import Path

# Each package, and its stylesheets of `@font-face` rules (one rule per script subset).
FACES = (
    ("@fontsource-variable/source-serif-4", ("wght.css", "wght-italic.css")),
    ("@fontsource-variable/inter", ("wght.css",)),
)
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
            for name in _URL.findall(css):
                files[f"fonts/{name}"] = (folder / "files" / name).read_bytes()
            css = _URL.sub(r"url(fonts/\1)", css)
            rules.append(css.replace("font-display: swap;", "font-display: optional;"))
    licence = "/* Source Serif 4 and Inter: SIL Open Font License 1.1, from Fontsource. */\n"
    files["fonts.css"] = (licence + "\n".join(rules)).encode()
    return files
