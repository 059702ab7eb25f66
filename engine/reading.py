"""Phase one of a build: read, validate and render every post, all errors together.

A site of many posts is read by several forked processes at once (on Linux, where that
is safe and cheap); the pages and the errors are the same as when read one by one.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from engine.config import BuildOptions, SiteSettings
from engine.content import Post, find_posts, parse_post, split_post
from engine.demo.block import DemoBlock
from engine.demo.post import DemoSite
from engine.errors import BuildFailed, ErrorLog, SourceError, describe, display_path
from engine.mdsafety import TOO_DEEP, deepest_line
from engine.render import render_post_body, template_error

if TYPE_CHECKING:
    from engine.reuse import Reuse


@dataclass(frozen=True)
class Page:
    """A rendered post, ready to be placed in a template."""

    post: Post
    html: str
    toc: str
    demos: tuple[DemoBlock, ...]


def read_pages(
    options: BuildOptions,
    settings: SiteSettings,
    env: jinja2.Environment,
    reuse: Reuse | None = None,
) -> tuple[list[Page], list[SourceError]]:
    """Read, validate and render every post; all errors are raised together. Large sites
    are read by several processes at once (see `_read_in_parallel`)."""
    paths = find_posts(options.content)
    site = DemoSite(options.content, settings.pyodide, env, settings.base_url)
    jobs = _parallel_jobs(len(paths), reuse)
    if jobs > 1:
        results = _read_in_parallel(paths, options, site, jobs)
    else:
        results = [_read_one(path, options, site, reuse) for path in paths]
    errors = [error for _, page_errors, _ in results for error in page_errors]
    warnings = [warning for _, _, page_warnings in results for warning in page_warnings]
    if errors:
        raise BuildFailed(errors + warnings)
    pages = [page for page, _, _ in results if page is not None]
    pages.sort(key=lambda p: (p.post.date, p.post.slug), reverse=True)
    return pages, warnings


# One post read: its page (None when it has errors or is a draft left out), its errors,
# its warnings.
_Read = tuple[Page | None, list[SourceError], list[SourceError]]


def _read_one(
    path: Path, options: BuildOptions, site: DemoSite, reuse: Reuse | None = None
) -> _Read:
    """Read, validate and render the post at `path`. The body is read even when the front
    matter is wrong, so that every mistake of the post is reported at once."""
    log = ErrorLog(display_path(path))
    errors: list[SourceError] = []
    page = None
    text = split_post(path, log)
    post = parse_post(text, log) if text is not None else None
    if text is not None and (post is None or options.drafts or not post.draft):
        rendered = None
        try:
            if reuse is not None:
                rendered, errors = reuse.render_body(text, site)
            else:
                rendered, errors = render_post_body(text, site)
        except jinja2.TemplateError as exc:  # in a demo template
            raise BuildFailed([template_error(exc)]) from None
        except RecursionError:
            log.add(deepest_line(text.body, text.body_first_line), TOO_DEEP)
        except (Exception, SystemExit) as exc:  # one post must never stop the others, nor serve
            log.add(text.body_first_line, f"this post could not be read: {describe(exc)}")
        if post is not None and rendered is not None and not log.errors:
            page = Page(post, rendered.html, rendered.toc, rendered.demos)
            for demo in rendered.demos:
                if demo.warning:  # e.g. its default run diverges
                    log.warn(demo.line, f'demo "{demo.id}" {demo.warning}')
        if post is not None and not post.summary:
            log.warn(
                1, 'no "summary" in the front matter; the index and link previews will show none'
            )
    return page, errors + log.errors, log.warnings


# Below this many posts a second process costs more than it saves.
PARALLEL_FROM_POSTS = 16


def _parallel_jobs(posts: int, reuse: Reuse | None) -> int:
    """How many processes should read `posts` posts: one unless the site is large, the
    machine has cores to spare, and processes can be forked safely (on Linux, from a
    process running no other thread). `explainer serve` reuses work in its own process."""
    if reuse is not None or posts < PARALLEL_FROM_POSTS:
        return 1
    if sys.platform != "linux":
        return 1
    if threading.active_count() > 1:
        return 1
    return min(os.cpu_count() or 1, 8, posts // (PARALLEL_FROM_POSTS // 2))


# What forked readers need, set just before they are forked: they inherit it in memory.
_shared: tuple[BuildOptions, DemoSite] | None = None


def _read_shared(path: Path) -> _Read:
    assert _shared is not None
    options, site = _shared
    try:
        return _read_one(path, options, site)
    except BuildFailed as failed:  # a broken demo template: fails the whole build
        return None, failed.errors, []


def _read_in_parallel(
    paths: list[Path], options: BuildOptions, site: DemoSite, jobs: int
) -> list[_Read]:
    """`_read_one` for every path, in `jobs` forked processes; results in `paths` order,
    so the build is the same as when read one by one."""
    global _shared
    _shared = (options, site)
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
            chunk = max(1, len(paths) // (jobs * 4))
            return list(pool.map(_read_shared, paths, chunksize=chunk))
    finally:
        _shared = None
