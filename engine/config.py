"""Site settings from `[tool.explainer]` in pyproject.toml, validated with line numbers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import quote, urlsplit

from engine.errors import BuildFailed, ErrorLog, SourceError, did_you_mean, display_path, quoted

PYODIDE_SOURCES = ("self", "cdn")


@dataclass(frozen=True)
class SiteSettings:
    """What an author sets for the whole site."""

    title: str = "explainer"
    author: str = ""
    description: str = ""
    base_url: str = "/"  # the path of every page below the host, percent-encoded
    url: str = ""  # the site's absolute address, with base_url: https://me.github.io/repo/
    pyodide: str = "self"

    def link(self, path: str) -> str:
        """A site path (`posts/x/`) as pages link to it: below the base URL."""
        return self.base_url + path

    def absolute(self, path: str) -> str:
        """A site path as an absolute address (empty without a site URL)."""
        return self.url + path if self.url else ""


@dataclass(frozen=True)
class BuildOptions:
    """One build: where to read and write, and how strictly."""

    content: Path = Path("content")
    out: Path = Path("site")
    base_url: str | None = None
    url: str | None = None
    strict: bool = False
    drafts: bool = False
    live_reload: bool = False
    snapshot: bool = True  # make (or reuse) a memory snapshot of the runtime, see snapshot.py

    @property
    def project(self) -> Path:
        """The folder holding pyproject.toml and the author's templates/: the content's parent."""
        return self.content.resolve().parent


def normalise_base_url(value: str) -> str:
    """`my-repo` or `/my-repo` become `/my-repo/`; `/` stays; spaces and other characters
    a URL cannot hold are percent-encoded."""
    inner = value.strip().strip("/")
    return quote(f"/{inner}/" if inner else "/", safe="/%-._~!$&'()*+,;=:@")


def base_url_problem(value: str) -> str:
    """Why `value` cannot be a base URL (a path), or an empty string."""
    if "://" in value or value.startswith("//"):
        return (
            f"the base URL is a path such as /my-repo/, got {quoted(value)}; give the "
            f"site's full address with --url (or url in [tool.explainer]) instead"
        )
    if any(c in value for c in "?#\\") or ".." in value.split("/"):
        return f"the base URL is a path such as /my-repo/, got {quoted(value)}"
    return ""


def url_problem(value: str) -> str:
    """Why `value` cannot be the site's address, or an empty string."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in value)
    ):
        return (
            "the site URL must be an absolute address such as "
            f'"https://me.github.io/my-repo/", got {quoted(value)}'
        )
    return ""


def load_settings(
    project: Path, base_url: str | None = None, url: str | None = None
) -> SiteSettings:
    """Read `[tool.explainer]` from `project/pyproject.toml` (defaults when absent), with
    the command line's `--base-url` and `--url` over it. A URL with a path (the address
    of a project site) gives the base URL; one without (`https://me.github.io`) is the
    host, and the base URL is added to it."""
    path = project / "pyproject.toml"
    settings = SiteSettings()
    if path.is_file():
        settings = _parse(path)
    for option, value, problem in (
        ("--base-url", base_url, base_url_problem),
        ("--url", url, url_problem),
    ):
        if value is not None and problem(value):
            raise BuildFailed([SourceError(option, 0, problem(value))])
    if url is not None:
        settings = replace(settings, url=url)
    url_path = normalise_base_url(urlsplit(settings.url).path) if settings.url else "/"
    if base_url is not None:
        if url is not None and url_path not in ("/", normalise_base_url(base_url)):
            message = (
                f"--base-url {base_url} does not match the path of --url {url}; "
                "give one of them, or the same path in both"
            )
            raise BuildFailed([SourceError("--base-url", 0, message)])
        settings = replace(settings, base_url=base_url)
    elif url_path != "/":
        settings = replace(settings, base_url=url_path)
    base = normalise_base_url(settings.base_url)
    site_url = ""
    if settings.url:
        parts = urlsplit(settings.url)
        site_url = f"{parts.scheme}://{parts.netloc}{base}"
    return replace(settings, base_url=base, url=site_url)


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
        elif key == "url" and value and url_problem(value):
            log.add(line, url_problem(value))
        elif key == "base_url" and base_url_problem(value):
            log.add(line, base_url_problem(value))
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
