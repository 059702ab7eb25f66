"""The site's text faces, self-hosted from their Fontsource packages on npm.

Source Serif 4 sets the prose and Inter the headings, demos and charts; both are variable
fonts, so one file per script covers every weight. The Latin files of the two upright
faces (about 100 KB) are written into the stylesheet itself: the text is laid out once, in
its own face, and never shifts when a font arrives. The other scripts and the italic are
files beside it, with `font-display: optional`: a page that cannot have them in time keeps
the fallback face rather than moving its text.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

# Each package, and its stylesheets of `@font-face` rules (one rule per script subset).
FACES = (
    ("@fontsource-variable/source-serif-4", ("wght.css", "wght-italic.css")),
    ("@fontsource-variable/inter", ("wght.css",)),
)
# The files every page needs at once (Latin text), inlined into fonts.css.
INLINED = ("source-serif-4-latin-wght-normal.woff2", "inter-latin-wght-normal.woff2")
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
    licence = "/* Source Serif 4 and Inter: SIL Open Font License 1.1, from Fontsource. */\n"
    files["fonts.css"] = (licence + "\n".join(rules)).encode()
    return files


def _source(folder: Path, files: dict[str, bytes], match: re.Match[str]) -> str:
    """The `url(...)` of the font file `match` names: inlined, or a file added to `files`."""
    name = match[1]
    data = (folder / "files" / name).read_bytes()
    if name in INLINED:
        return f"url(data:font/woff2;base64,{base64.b64encode(data).decode()})"
    files[f"fonts/{name}"] = data
    return f"url(fonts/{name})"
