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
from engine.content import Post, find_posts, read_post
from engine.demos import DemoBlock, DemoReader
from engine.errors import BuildFailed, ErrorLog, SourceError, display_path
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
    options: BuildOptions, env: jinja2.Environment, reuse: Reuse | None = None
) -> tuple[list[Page], list[SourceError]]:
    """Read, validate and render every post; all errors are raised together. Large sites
    are read by several processes at once (see `_read_in_parallel`)."""
    paths = find_posts(options.content)
    jobs = _parallel_jobs(len(paths), reuse)
    if jobs > 1:
        results = _read_in_parallel(paths, options, env, jobs)
    else:
        results = [_read_one(path, options, env, reuse) for path in paths]
    errors = [error for _, page_errors, _ in results for error in page_errors]
    if errors:
        raise BuildFailed(errors)
    warnings = [warning for _, _, page_warnings in results for warning in page_warnings]
    pages = [page for page, _, _ in results if page is not None]
    pages.sort(key=lambda p: (p.post.date, p.post.slug), reverse=True)
    return pages, warnings


# One post read: its page (None when it has errors or is a draft left out), its errors,
# its warnings.
_Read = tuple[Page | None, list[SourceError], list[SourceError]]


def _read_one(
    path: Path, options: BuildOptions, env: jinja2.Environment, reuse: Reuse | None = None
) -> _Read:
    """Read, validate and render the post at `path`."""
    site = env.globals["site"]  # make_environment puts the site settings there
    assert isinstance(site, SiteSettings)
    log = ErrorLog(display_path(path))
    elsewhere: list[ErrorLog] = []
    warnings: list[SourceError] = []
    page = None
    post = read_post(path, log)
    if post is not None and (options.drafts or not post.draft):
        reader = DemoReader(log, path, options.content, elsewhere, pyodide=site.pyodide)
        try:
            if reuse is not None:
                rendered = reuse.render_body(post, reader, env)
            else:
                rendered = render_post_body(post.body, post.body_first_line, reader, env)
        except jinja2.TemplateError as exc:  # in a demo template
            raise BuildFailed([template_error(exc)]) from None
        if rendered is not None and not log.errors:
            page = Page(post, rendered.html, rendered.toc, rendered.demos)
            warnings += [
                SourceError(log.path, demo.line, f'warning: demo "{demo.id}" {demo.warning}')
                for demo in rendered.demos
                if demo.warning
            ]
        if not post.summary:
            warnings.append(
                SourceError(
                    log.path,
                    1,
                    'warning: no "summary" in the front matter; '
                    "the index and link previews will show none",
                )
            )
    errors = [error for extra in elsewhere for error in extra.errors] + log.errors
    return page, errors, warnings


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
_shared: tuple[BuildOptions, jinja2.Environment] | None = None


def _read_shared(path: Path) -> _Read:
    assert _shared is not None
    options, env = _shared
    try:
        return _read_one(path, options, env)
    except BuildFailed as failed:  # a broken demo template: fails the whole build
        return None, failed.errors, []


def _read_in_parallel(
    paths: list[Path], options: BuildOptions, env: jinja2.Environment, jobs: int
) -> list[_Read]:
    """`_read_one` for every path, in `jobs` forked processes; results in `paths` order,
    so the build is the same as when read one by one."""
    global _shared
    _shared = (options, env)
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
            chunk = max(1, len(paths) // (jobs * 4))
            return list(pool.map(_read_shared, paths, chunksize=chunk))
    finally:
        _shared = None
