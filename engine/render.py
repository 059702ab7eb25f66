"""Markdown to HTML for one post, and the Jinja environment that renders every page."""

from __future__ import annotations

import functools
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markdown

from engine.config import SiteSettings
from engine.content import PostText
from engine.demo.block import DemoBlock
from engine.demo.fence import DemoExtension
from engine.demo.post import DemoMemo, DemoSite, PostDemos
from engine.demo.view import format_count, format_real
from engine.errors import SourceError, display_path
from engine.links import LinkExtension
from engine.mathext import MathError, MathExtension
from engine.mdsafety import LinearBracketsExtension
from engine.pages import template_helpers
from engine.typeset import HeadingExtension, headline, smarten, tag_label

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MARKDOWN_EXTENSIONS: list[str | markdown.Extension] = [
    "fenced_code",
    "codehilite",
    "tables",
    "footnotes",
    "toc",
    "attr_list",
    "def_list",
    "abbr",
    "md_in_html",
    "sane_lists",
    "admonition",
    "smarty",
]
MARKDOWN_CONFIG: dict[str, dict[str, Any]] = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False},
    "toc": {
        "permalink": "#",
        "permalink_class": "headerlink",
        "permalink_title": "Link to this section",
    },
    "footnotes": {"BACKLINK_TITLE": "Back to the text"},
}


@dataclass(frozen=True)
class RenderedPost:
    """A post's body as HTML, with the demos it holds."""

    html: str
    demos: tuple[DemoBlock, ...]
    toc: str


def make_environment(settings: SiteSettings, author_templates: Path | None) -> jinja2.Environment:
    """Jinja with StrictUndefined; the author's templates/ overrides the built-in ones."""
    folders = [BUILTIN_TEMPLATES]
    if (
        author_templates is not None
        and author_templates.is_dir()
        and author_templates.resolve() != BUILTIN_TEMPLATES
    ):
        folders.insert(0, author_templates.resolve())
    return _environment(settings, tuple(folders))


@functools.lru_cache(maxsize=4)
def _environment(settings: SiteSettings, folders: tuple[Path, ...]) -> jinja2.Environment:
    """One environment per settings and folders, kept across the rebuilds of `serve`, so
    templates are compiled once (Jinja recompiles a template whose file changed)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["site"] = settings
    env.filters["real"] = format_real
    env.filters["count"] = format_count
    env.filters["smart"] = smarten
    env.filters["headline"] = headline
    env.filters["tag_label"] = tag_label
    env.globals.update(template_helpers(settings))
    return env


def template_error(exc: jinja2.TemplateError) -> SourceError:
    """A template's mistake (a syntax error, a misspelt variable, a missing include) at the
    template's file and line, as far as Jinja tells."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return SourceError(display_path(Path(exc.filename)), exc.lineno, f"{exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml")) and Path(frame.filename).is_file():
            return SourceError(display_path(Path(frame.filename)), frame.lineno or 0, str(exc))
    return SourceError("templates", 0, str(exc))


def render_post_body(
    post: PostText, site: DemoSite, memo: DemoMemo | None = None
) -> tuple[RenderedPost | None, list[SourceError]]:
    """The post's Markdown (with demos, maths and links) as HTML, or None; and its
    mistakes. `memo` offers demos rendered before and records those of this post."""
    demos = PostDemos(site, post.source, post.body_first_line, memo or DemoMemo())
    extensions = [
        DemoExtension(demos),
        MathExtension(),
        LinkExtension(site.base_url),
        LinearBracketsExtension(),
        HeadingExtension(),
    ]
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, *extensions],
        extension_configs=MARKDOWN_CONFIG,
        output_format="html",
    )
    try:
        html = md.convert(post.body)
    except MathError as exc:
        line = _line_of(post.body, exc.tex, post.body_first_line)
        return None, [*demos.errors, SourceError(display_path(post.source), line, str(exc))]
    for block in [*demos.blocks, *demos.figures]:
        problem = id_problem(block.id, html)
        if problem:
            demos.mistake(block.line, problem)
    if demos.errors:
        return None, demos.errors
    html = _CODE_BLOCK.sub('<pre tabindex="0">', html)
    return RenderedPost(html, tuple(demos.blocks), str(getattr(md, "toc", ""))), []


# A code block's <pre> (Python-Markdown's, highlighted or not): it scrolls sideways rather
# than wrap a long line, so it takes keyboard focus to be scrolled (WCAG 2.1.1).
_CODE_BLOCK = re.compile(r"<pre>(?=(?:<span></span>)?<code)")

# Ids every page has besides the post's own (templates/base.html, post.html).
PAGE_IDS = {"main": "the page's main content", "explainer-runtime": "the page's runtime settings"}
_ID = re.compile(r'\sid="([^"]*)"')
_HEADING_ID = re.compile(r'<h[1-6]\b[^>]*\sid="([^"]*)"')


def id_problem(demo_id: str, html: str) -> str:
    """Why a demo's id clashes with another id of its page (a heading's anchor, the
    page's own elements), or an empty string: two elements with one id break links to
    the demo and its labels."""
    if demo_id in PAGE_IDS:
        owner = PAGE_IDS[demo_id]
    elif demo_id in _HEADING_ID.findall(html):
        owner = "a heading's anchor"
    elif _ID.findall(html).count(demo_id) > 1:
        owner = "another element of the post"
    else:
        return ""
    default = " (a demo without an id is demo-1, demo-2, … by its place)"
    shown = default if re.fullmatch(r"demo-[0-9]+", demo_id) else ""
    return (
        f'demo id "{demo_id}"{shown} is also the id of {owner}; give this demo an id of '
        'its own ("id: …" in its block)'
    )


def _line_of(body: str, needle: str, first_line: int) -> int:
    """The file line where `needle` first appears in the body (the body's first line if nowhere)."""
    index = body.find(needle)
    return first_line + (body.count("\n", 0, index) if index >= 0 else 0)
