"""What a rebuild may take from the builds before it, in a process that builds again and
again (`explainer serve`): each post's rendered body and demos, by the post's own text,
and the site's assets, by the settings and models they pack.

Only the posts' text is in the keys. Whoever keeps a `Reuse` calls `forget()` whenever
anything else a build reads may have changed: templates, data files, models, settings or
the page scripts. A saved post then costs the rendering of that post (and only of its
demos whose block changed) instead of the whole site.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from engine import assets as asset_module
from engine.config import SiteSettings
from engine.content import PostText
from engine.demo.block import DemoBlock
from engine.demo.modelfile import ModelFile
from engine.demo.post import DemoKey, DemoMemo, DemoSite
from engine.errors import SourceError
from engine.render import RenderedPost, render_post_body


@dataclass(frozen=True)
class KnownPost:
    """A post's body as last rendered (None when it had errors), and its rendered demos."""

    source: tuple[str, int, str]  # the body, its first line, the site's Pyodide
    rendered: RenderedPost | None
    demos: dict[DemoKey, tuple[DemoBlock, str]]


class Reuse:
    """Rendered posts and the assets of the last build, for the next one."""

    def __init__(self) -> None:
        self._posts: dict[Path, KnownPost] = {}
        self._assets: tuple[tuple[object, ...], asset_module.Assets] | None = None

    def forget(self) -> None:
        """Drop everything: an input besides the posts' own text changed."""
        self._posts.clear()
        self._assets = None

    def render_body(
        self, post: PostText, site: DemoSite
    ) -> tuple[RenderedPost | None, list[SourceError]]:
        """`render_post_body` of `post`, taken from before when its text did not change."""
        source = (post.body, post.body_first_line, site.pyodide)
        known = self._posts.get(post.source)
        if known is not None and known.source == source and known.rendered is not None:
            return known.rendered, []
        memo = DemoMemo(known=known.demos if known is not None else {})
        rendered, errors = render_post_body(post, site, memo)
        if rendered is not None:
            self._posts[post.source] = KnownPost(source, rendered, memo.used)
        else:  # keep every demo that did render, for when the mistake is fixed
            self._posts[post.source] = KnownPost(source, None, {**memo.known, **memo.used})
        return rendered, errors

    def assets(
        self, settings: SiteSettings, models: Sequence[ModelFile], snapshot: bool
    ) -> asset_module.Assets:
        """`assets.collect`, made again only when the settings or the models differ; a
        snapshot that is not in the cache yet is not waited for (see `pending_snapshot`)."""
        key = (settings, tuple(models), snapshot)
        if self._assets is None or self._assets[0] != key:
            made = asset_module.collect(settings, models, snapshot=snapshot, wait=False)
            self._assets = (key, made)
        return self._assets[1]

    def pending_snapshot(self) -> Callable[[], object] | None:
        """What makes the snapshot the last assets lack, if they lack one."""
        return self._assets[1].pending_snapshot if self._assets is not None else None

    def forget_assets(self) -> None:
        """Drop the assets (a snapshot they lacked is now in the cache)."""
        self._assets = None
