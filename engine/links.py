"""Links in posts: site paths (`/data/x.csv`) made to work under any base URL, and every
link to a page or file of the site checked at build time.

A link the site cannot answer (a missing post, tag or data file) is a warning at its line
of the post, and an error with `--strict`. Links to other sites are not followed.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from engine.config import SiteSettings
from engine.errors import SourceError, quoted, warning

if TYPE_CHECKING:
    from engine.reading import Page

# The attributes that load or lead to a page or file, by element.
LINKING = {"a": "href", "img": "src", "source": "src", "video": "src", "audio": "src"}
_ORIGIN = "http://site.invalid"  # stands for the site's own origin when resolving


class SitePaths(Treeprocessor):
    """Rewrite links written as site paths (`/data/x.csv`) to carry the base URL, so a
    project site under `/my-repo/` finds them too."""

    def __init__(self, md: Markdown, base_url: str) -> None:
        super().__init__(md)
        self.base_url = base_url

    def run(self, root: etree.Element) -> None:
        """Prefix the base URL to every root-relative link that does not have it yet."""
        if self.base_url == "/":
            return
        for element in root.iter():
            attribute = LINKING.get(element.tag)
            value = element.get(attribute) if attribute else None
            if attribute and value and _is_site_path(value, self.base_url):
                element.set(attribute, self.base_url + value[1:])


def _is_site_path(value: str, base_url: str) -> bool:
    return value.startswith("/") and not value.startswith(("//", base_url))


class LinkExtension(Extension):
    """Registers the site-path rewriting for one conversion."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def extendMarkdown(self, md: Markdown) -> None:
        """After inline patterns (20) have made the links."""
        md.treeprocessors.register(SitePaths(md, self.base_url), "explainer-site-paths", 5)


class _LinkParser(HTMLParser):
    """Collects the URLs of a page's links and images, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attribute = LINKING.get(tag)
        for name, value in attrs:
            if name == attribute and value:
                self.urls.append(value.strip())


# What can hold a link: the start tags of LINKING (quoted values may hold ">"), outside
# comments, scripts and styles. Only those few tags are parsed: a post's HTML is mostly
# text, figures and demo settings, which a full parse would read character by character.
_NOT_MARKUP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAGS = "|".join(LINKING)
_LINKING_TAG = re.compile(rf"<(?:{_TAGS})\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)


def links_in(html: str) -> list[str]:
    """The link and image URLs of an HTML fragment."""
    parser = _LinkParser()
    for tag in _LINKING_TAG.finditer(_NOT_MARKUP.sub("", html)):
        parser.feed(tag.group(0))
    parser.close()
    return parser.urls


def check_links(
    pages: Iterable[Page], settings: SiteSettings, files: set[str]
) -> list[SourceError]:
    """A warning for every link of a post to a page or file of the site it does not have;
    `files` are the site's files by path below the site root."""
    problems = []
    for page in pages:
        post = page.post
        lines = _Lines(post.body, post.body_first_line)
        for url in links_in(page.html):
            problem = link_problem(url, post.url_path, settings.base_url, files)
            if problem:
                written = _as_written(url, settings.base_url)
                problems.append(warning(post.shown_path, lines.find(written), problem))
    return problems


def link_problem(url: str, page_path: str, base_url: str, files: set[str]) -> str:
    """Why the site cannot answer `url` on the page at `page_path`, or an empty string."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:  # another site, mailto:, or "#x"
        return ""
    target = unquote(urlsplit(urljoin(f"{_ORIGIN}{base_url}{page_path}", url)).path)
    base = unquote(base_url)
    if not target.startswith(base):
        return f"link {quoted(url)} leads to {target}, outside the site (which is below {base})"
    name = target[len(base) :]
    if _answers(name, files):
        return ""
    hint = _suggestion(name, page_path, files)
    return f"link {quoted(url)} leads to {target}, which the site does not have{hint}"


def _answers(name: str, files: set[str]) -> bool:
    """Whether the site has a file at `name`, or a page there (a folder's index.html)."""
    if name == "" or name.endswith("/"):
        return name + "index.html" in files
    return name in files or f"{name}/index.html" in files


def _suggestion(name: str, page_path: str, files: set[str]) -> str:
    """` (did you mean "../x/"?)` with a page or file of the site of the same name
    elsewhere, or of a close name in the same folder, written relative to the page; an
    empty string when there is none."""
    published = sorted(
        path.removesuffix("index.html")
        for path in files
        if not path.startswith("assets/") and path != page_path + "index.html"
    )
    folder, leaf = _split(name)
    same_name = [p for p in published if leaf and _split(p)[1] == leaf]
    neighbours = {_split(p)[1]: p for p in published if _split(p)[0] == folder}
    close = difflib.get_close_matches(leaf, sorted(neighbours), n=1, cutoff=0.6)
    choice = same_name[0] if same_name else neighbours[close[0]] if close else None
    if choice is None:
        return ""
    relative = posixpath.relpath("/" + choice, "/" + page_path)
    return f' (did you mean "{relative}{"/" if choice.endswith("/") or not choice else ""}"?)'


def _split(path: str) -> tuple[str, str]:
    """`posts/x/` → (`posts/`, `x/`); `data/a.csv` → (`data/`, `a.csv`)."""
    stripped = path.rstrip("/")
    folder, _, leaf = stripped.rpartition("/")
    return (folder + "/" if folder else ""), leaf + path[len(stripped) :]


def _as_written(url: str, base_url: str) -> str:
    """The URL as the post wrote it, before a site path got the base URL."""
    return "/" + url[len(base_url) :] if base_url != "/" and url.startswith(base_url) else url


class _Lines:
    """Finds each occurrence of a URL in a post's body in turn, as a file line."""

    def __init__(self, body: str, first_line: int) -> None:
        self.body = body
        self.first_line = first_line
        self.after: dict[str, int] = {}

    def find(self, text: str) -> int:
        """The line of the next occurrence of `text` (the body's first line if none)."""
        for needle in _forms(text):
            index = self.body.find(needle, self.after.get(needle, 0))
            if index >= 0:
                self.after[needle] = index + 1
                return self.first_line + self.body.count("\n", 0, index)
        return self.first_line


def _forms(url: str) -> Iterator[str]:
    """How a URL may stand in Markdown: as it is, then with its escapes undone."""
    yield url
    if unquote(url) != url:
        yield unquote(url)
