"""`explainer build`: read every post, render every page, then write the site in one swap.

Two phases, as in Pelican: first everything is read and rendered in memory (so all errors
of the build are known before anything is written), then the files are written to a
temporary folder that replaces the output folder only when complete.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from engine import assets as asset_module
from engine.config import BuildOptions, SiteSettings, load_settings
from engine.demo.view import script_json
from engine.errors import BuildFailed, SourceError, display_path, warning
from engine.fonts import MATH_FONT, MONO_FONT
from engine.fonts import PRELOADED as PRELOADED_FONTS
from engine.links import check_links
from engine.pages import render_pages
from engine.reading import Page, read_pages
from engine.render import make_environment, template_error
from engine.sources import is_file, is_inside, published_files
from engine.thumbnail import thumbnail

if TYPE_CHECKING:
    from engine.reuse import Reuse

COPIED_SUFFIXES = {
    ".csv",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".webp",
    ".pdf",
    ".json",
    ".txt",
    ".css",
}
THEME = "theme.css"  # an author's stylesheet in content/, linked after the built-in one
MARKER = ".nojekyll"  # every build writes it: a folder holding it is a site we may replace


@dataclass
class BuildResult:
    """What a build produced."""

    out: Path
    pages: list[Page]
    files: int
    warnings: list[SourceError] = field(default_factory=list)
    output: dict[str, bytes | Path] = field(default_factory=dict)  # the files, by path


def build(options: BuildOptions, reuse: Reuse | None = None, *, write: bool = True) -> BuildResult:
    """Build the site described by `options`; raise BuildFailed with every error found.
    `reuse` lends what earlier builds in this process rendered; without `write` the
    files are only returned (in `output`), not written."""
    if not options.content.is_dir():
        shown = display_path(options.content)
        raise BuildFailed([SourceError(shown, 0, "the content folder does not exist")])
    check_output_folder(options)
    settings = load_settings(options.project, options.base_url, options.url)
    env = make_environment(settings, options.project / "templates")
    pages, warnings = read_pages(options, settings, env, reuse)
    models = [demo.model_file for page in pages for demo in page.demos if demo.model_file]
    try:
        if reuse is not None:
            assets = reuse.assets(settings, models, options.snapshot)
        else:
            assets = asset_module.collect(settings, models, snapshot=options.snapshot)
    except asset_module.AssetError as exc:
        raise BuildFailed([SourceError("package.json", 0, str(exc))]) from None
    warnings += [warning("explainer", 0, text) for text in assets.warnings]
    outputs = Outputs()
    try:
        render_site(env, settings, pages, assets, options, outputs)
    except jinja2.TemplateError as exc:
        raise BuildFailed([template_error(exc)]) from None
    warnings += copy_content_files(options.content, outputs)
    warnings += check_links(pages, settings, set(outputs.files))
    if not settings.url and write:  # only published files need the site's address
        warnings.append(_no_url_warning(options))
    if options.strict and warnings:
        raise BuildFailed(warnings, strict=True)
    if write:
        write_atomically(outputs.files, options.out)
    return BuildResult(options.out, pages, len(outputs.files), warnings, outputs.files)


def _no_url_warning(options: BuildOptions) -> SourceError:
    """Said when the site's address is unknown: the files that need it go without."""
    settings_file = options.project / "pyproject.toml"
    where = display_path(settings_file) if settings_file.is_file() else "explainer"
    return warning(
        where,
        0,
        "no site URL, so there is no sitemap.xml, no canonical links, and the feed has no "
        'absolute addresses: give --url https://… or url = "https://…" in [tool.explainer]',
    )


class Outputs:
    """The files of the site by path; refuses to write one path twice (a URL collision),
    or two paths that differ only in case (one file on macOS and Windows)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes | Path] = {}
        self.planned: dict[str, tuple[str, str]] = {}  # casefolded path -> (path, origin)

    def add(self, path: str, data: bytes | Path, origin: str) -> None:
        """Plan one file; `origin` names what wants it, for the collision message."""
        first = self.planned.get(path.casefold())
        if first is not None and first[0] == path:
            raise BuildFailed([SourceError(origin, 1, f'"{path}" is also written by {first[1]}')])
        if first is not None:
            raise BuildFailed(
                [
                    SourceError(
                        origin,
                        1,
                        f'"{path}" and "{first[0]}" (from {first[1]}) differ only in '
                        "upper and lower case, so they would be one file on macOS and "
                        "Windows; rename one",
                    )
                ]
            )
        self.files[path] = data
        self.planned[path.casefold()] = (path, origin)


def render_site(
    env: jinja2.Environment,
    settings: SiteSettings,
    pages: list[Page],
    assets: asset_module.Assets,
    options: BuildOptions,
    outputs: Outputs,
) -> None:
    """Phase two, in memory: every page and asset of the site."""
    common: dict[str, Any] = {
        "base": settings.base_url,
        "static": settings.base_url + assets.static_dir,
        "sri": assets.static_integrity,
        "page_modules": assets.page_modules,
        "fonts": PRELOADED_FONTS,
        "math_font": MATH_FONT,
        "mono_font": MONO_FONT,
        "live_reload": options.live_reload,
        "theme": "",
        "theme_integrity": "",
    }
    theme = options.content / THEME
    if is_file(theme) and is_inside(theme, options.content):
        common["theme"] = settings.link(THEME)
        common["theme_integrity"] = asset_module.sri(theme.read_bytes())
    runtime = {
        key: _site_url(settings, value) if key.endswith("_url") else value
        for key, value in assets.runtime_config.items()
    }
    runtime_json = script_json(runtime)
    common["thumbnails"] = {page.post.url_path: thumbnail(page.demos) for page in pages}
    for name, data in assets.files.items():
        outputs.add(name, data, "the site's assets")
    render_pages(
        env,
        settings,
        pages,
        common,
        lambda page: {"runtime_json": runtime_json} if page.demos else {},
        outputs.add,
    )
    outputs.add(".nojekyll", b"", "the site")


def _site_url(settings: SiteSettings, url: str) -> str:
    """Site-relative asset URLs get the base URL; absolute ones (a CDN) stay as they are."""
    return url if "://" in url else settings.base_url + url


def copy_content_files(content: Path, outputs: Outputs) -> list[SourceError]:
    """Data files and images under content/ are published at the same path below the
    site; a file whose real place is outside content/ (a symbolic link) is not, with a
    warning. Hidden files and folders and editors' scratch files are left out."""
    warnings = []
    for path, relative in published_files(content):
        if path.suffix.lower() not in COPIED_SUFFIXES:
            continue
        if not is_inside(path, content):
            message = "is a link to a file outside the content folder, so it is not published"
            warnings.append(warning(display_path(path), 0, message))
            continue
        outputs.add(relative, path, display_path(path))
    return warnings


def check_output_folder(options: BuildOptions) -> None:
    """Refuse an output folder whose replacement would destroy the author's files: one that
    holds or lies inside content/ or templates/, or a folder that is not an earlier site."""
    out = options.out.resolve()
    shown = display_path(options.out)
    for folder, name in (
        (options.content, "content"),
        (options.project / "templates", "templates"),
    ):
        inside = folder.resolve()
        if out == inside or out in inside.parents or inside in out.parents:
            problem = f"the output folder overlaps the {name} folder ({display_path(folder)})"
            raise BuildFailed([SourceError(shown, 0, f"{problem}; choose another --out")])
    if out.exists() and not out.is_dir():
        message = "the output folder is a file; choose another --out"
        raise BuildFailed([SourceError(shown, 0, message)])
    if out.exists() and not (out / MARKER).exists() and any(out.iterdir()):
        raise BuildFailed(
            [
                SourceError(
                    shown,
                    0,
                    f"the output folder is not empty and has no {MARKER}, so it is not a site "
                    "explainer built, and building would delete what it holds; "
                    "empty it or choose another --out",
                )
            ]
        )


def write_atomically(files: dict[str, bytes | Path], out: Path) -> None:
    """Write into a sibling temporary folder, then swap it in for `out`.

    Whatever happens, `out` is either the previous site or the new one, complete: a
    failure while writing removes the half-written folder and leaves `out` untouched.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.building")
    old = out.with_name(f".{out.name}.old")
    if old.exists() and not out.exists():  # an earlier build stopped mid-swap
        old.rename(out)
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    try:
        _write_files(files, staging)
        if out.exists():
            out.rename(old)
        staging.rename(out)
    except BaseException as exc:
        if old.exists() and not out.exists():
            old.rename(out)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            message = f"could not write the site: {exc.strerror or exc}"
            raise BuildFailed([SourceError(display_path(out), 0, message)]) from None
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write_files(files: dict[str, bytes | Path], folder: Path) -> None:
    """Every file of the site, below `folder`."""
    for name in sorted(files):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = files[name]
        if isinstance(data, Path):
            shutil.copyfile(data, target)
        else:
            target.write_bytes(data)
