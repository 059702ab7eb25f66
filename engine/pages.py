"""Every page of a site: the index, posts, tag pages, the Atom feed, the sitemap and a 404."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2

from engine.config import SiteSettings


@dataclass(frozen=True)
class Tag:
    """A tag and the posts that carry it, newest first."""

    name: str
    pages: tuple[Any, ...]

    @property
    def url_path(self) -> str:
        """The tag page's path below the site root."""
        return tag_path(self.name)


def tag_path(name: str) -> str:
    """The path of a tag's page below the site root."""
    return f"tags/{name}/"


def collect_tags(pages: list[Any]) -> list[Tag]:
    """Tags by name, each with its posts in the order given (newest first)."""
    names = sorted({tag for page in pages for tag in page.post.tags})
    return [Tag(name, tuple(p for p in pages if name in p.post.tags)) for name in names]


def feed_id(settings: SiteSettings, path: str) -> str:
    """The Atom id of the page at `path`: its absolute address, or without a site URL a
    `urn:uuid:` made from the site's title and author and the path (never a relative
    reference, which would be the same on every site)."""
    if settings.url:
        return settings.absolute(path)
    name = "\0".join(("explainer", settings.title, settings.author, path))
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def template_helpers(settings: SiteSettings) -> dict[str, Callable[[str], str]]:
    """The URL helpers templates call instead of joining URLs themselves."""
    return {
        "link": settings.link,
        "absolute": settings.absolute,
        "feed_id": lambda path: feed_id(settings, path),
        "tag_path": tag_path,
    }


def render_pages(
    env: jinja2.Environment,
    settings: SiteSettings,
    pages: list[Any],
    common: dict[str, Any],
    post_context: Callable[[Any], dict[str, Any]],
    add: Callable[[str, bytes, str], None],
) -> None:
    """Render each page template and hand the result to `add(path, bytes, origin)`."""
    tags = collect_tags(pages)

    def page(
        template: str, path: str, origin: str, *, address: bool = True, **context: Any
    ) -> None:
        """`address`: the page has a canonical address (not the 404 page, the feed)."""
        canonical = settings.absolute(path) if address else ""
        html = env.get_template(template).render(canonical=canonical, **common, **context)
        add(path + ("index.html" if path.endswith("/") or not path else ""), html.encode(), origin)

    page("index.html", "", "the index page", pages=pages, tags=tags)
    for index, item in enumerate(pages):
        # Newest first: the post before this one in the list is the newer one.
        newer = pages[index - 1] if index > 0 else None
        older = pages[index + 1] if index + 1 < len(pages) else None
        context = post_context(item)
        page(
            "post.html",
            item.post.url_path,
            item.post.shown_path,
            page=item,
            newer=newer,
            older=older,
            **context,
        )
    for tag in tags:
        page("tag.html", tag.url_path, f'the tag page of "{tag.name}"', tag=tag)
    page("404.html", "404.html", "the 404 page", address=False)
    page("feed.xml", "feed.xml", "the feed", pages=pages, updated=_updated(pages))
    if settings.url:  # a sitemap lists absolute addresses only
        page("sitemap.xml", "sitemap.xml", "the sitemap", pages=pages, tags=tags)


def _updated(pages: list[Any]) -> str:
    """The feed's date: the newest post's (never the clock, so builds stay reproducible)."""
    dates = [p.post.date for p in pages]
    return f"{max(dates).isoformat()}T00:00:00Z" if dates else "1970-01-01T00:00:00Z"
