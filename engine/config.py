"""Site settings from `[tool.explainer]` in pyproject.toml, validated with line numbers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from engine.errors import BuildFailed, ErrorLog, did_you_mean, display_path

PYODIDE_SOURCES = ("self", "cdn")


@dataclass(frozen=True)
class SiteSettings:
    """What an author sets for the whole site."""

    title: str = "explainer"
    author: str = ""
    description: str = ""
    base_url: str = "/"
    url: str = ""  # the site's address without the base path, e.g. https://me.github.io
    pyodide: str = "self"


@dataclass(frozen=True)
class BuildOptions:
    """One build: where to read and write, and how strictly."""

    content: Path = Path("content")
    out: Path = Path("site")
    base_url: str | None = None
    strict: bool = False
    drafts: bool = False
    live_reload: bool = False
    snapshot: bool = True  # make (or reuse) a memory snapshot of the runtime, see snapshot.py
    templates: tuple[Path, ...] = field(default=())

    @property
    def project(self) -> Path:
        """The folder holding pyproject.toml and the author's templates/: the content's parent."""
        return self.content.resolve().parent


def normalise_base_url(value: str) -> str:
    """`my-repo` or `/my-repo` become `/my-repo/`; `/` stays."""
    inner = value.strip().strip("/")
    return f"/{inner}/" if inner else "/"


def load_settings(project: Path, base_url: str | None = None) -> SiteSettings:
    """Read `[tool.explainer]` from `project/pyproject.toml` (defaults when absent)."""
    path = project / "pyproject.toml"
    settings = SiteSettings()
    if path.is_file():
        settings = _parse(path)
    if base_url is not None:
        settings = replace(settings, base_url=base_url)
    return replace(settings, base_url=normalise_base_url(settings.base_url))


def _parse(path: Path) -> SiteSettings:
    """Validate the table; every mistake is collected before failing."""
    text = path.read_text(encoding="utf-8")
    log = ErrorLog(display_path(path))
    try:
        table = tomllib.loads(text).get("tool", {}).get("explainer", {})
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        log.add(int(match.group(1)) if match else 1, f"invalid TOML: {exc}")
        raise BuildFailed(log.errors) from None
    names = [f.name for f in fields(SiteSettings)]
    values: dict[str, str] = {}
    for key, value in table.items():
        line = _key_line(text, key)
        if key not in names:
            log.add(line, f'unknown site setting "{key}"{did_you_mean(key, names)}')
        elif not isinstance(value, str):
            log.add(line, f'site setting "{key}" must be a string')
        elif key == "url" and value and not re.fullmatch(r"https?://[^/\s]+/?", value):
            log.add(
                line, f'site setting "url" must look like "https://me.github.io", got "{value}"'
            )
        elif key == "pyodide" and value not in PYODIDE_SOURCES:
            log.add(line, f'site setting "pyodide" must be "self" or "cdn", got "{value}"')
        else:
            values[key] = value
    if log.errors:
        raise BuildFailed(log.errors)
    return SiteSettings(**values)


def _key_line(text: str, key: str) -> int:
    """The line where `key` is set inside [tool.explainer] (1 when it cannot be found)."""
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped == "[tool.explainer]"
        elif in_table and re.match(rf'"?{re.escape(key)}"?\s*=', stripped):
            return number
    return 1
