"""Find posts, split their front matter from the Markdown, and validate the front matter."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from engine.errors import ErrorLog
from engine.schema import YamlReader
from engine.sources import is_scratch

FRONT_MATTER_KEYS = ("title", "date", "summary", "tags", "draft")
_TAG = re.compile(r"[a-z0-9][a-z0-9-]*")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Post:
    """One post as the author wrote it, with its front matter checked."""

    source: Path
    shown_path: str  # as printed in messages
    slug: str
    title: str
    date: dt.date
    summary: str
    tags: tuple[str, ...]
    draft: bool
    body: str
    body_first_line: int  # file line of the body's first line

    @property
    def url_path(self) -> str:
        """The post's path below the site root."""
        return f"posts/{self.slug}/"


def find_posts(content: Path) -> list[Path]:
    """Every Markdown file in `content/posts`, sorted by name; editors' scratch files
    (hidden files, lock files such as `.#post.md`, backups) are not posts."""
    folder = content / "posts"
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.md") if not is_scratch(path.name))


def read_text(path: Path) -> str:
    """File text with any newline style turned into `\\n` and a BOM removed."""
    text = path.read_text(encoding="utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class PostText:
    """A post file split into its front matter and its Markdown body."""

    source: Path
    front: str
    body: str
    body_first_line: int  # file line of the body's first line


def split_post(path: Path, log: ErrorLog) -> PostText | None:
    """Read one post file and split off its front matter; mistakes go to `log`."""
    try:
        text = read_text(path)
    except UnicodeDecodeError:
        log.add(1, "the file is not UTF-8 text")
        return None
    except OSError as exc:
        log.add(1, f"the file could not be read ({exc.strerror})")
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        log.add(1, 'a post must start with front matter: a line "---", the settings, then "---"')
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        log.add(1, 'the front matter is never closed: add a line "---" after it')
        return None
    return PostText(path, "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2)


def read_post(path: Path, log: ErrorLog) -> Post | None:
    """Read one post; mistakes go to `log` and give None."""
    text = split_post(path, log)
    return None if text is None else parse_post(text, log)


def parse_post(text: PostText, log: ErrorLog) -> Post | None:
    """Check a post's front matter and file name; mistakes go to `log` and give None."""
    reader = YamlReader(log, first_line=2, noun="front matter key")
    meta = _front_matter(reader, text.front)
    path = text.source
    slug = path.stem
    if not _SLUG.fullmatch(slug):
        log.add(1, f'the file name "{path.name}" must be lower-case letters, digits and "-" only')
    if meta is None or log.errors:
        return None
    return Post(
        source=path,
        shown_path=log.path,
        slug=slug,
        title=meta.title,
        date=meta.date,
        summary=meta.summary,
        tags=meta.tags,
        draft=meta.draft,
        body=text.body,
        body_first_line=text.body_first_line,
    )


@dataclass(frozen=True)
class FrontMatter:
    """The checked values of a post's front matter."""

    title: str
    date: dt.date
    summary: str
    tags: tuple[str, ...]
    draft: bool


def _front_matter(reader: YamlReader, text: str) -> FrontMatter | None:
    """Validate the front matter's keys and values."""
    before = len(reader.log.errors)
    root = reader.parse(text, where=1)
    if root is None:
        if len(reader.log.errors) == before:  # nothing but blank lines and comments
            reader.log.add(1, 'the front matter is empty: "title" and "date" are required')
        return None
    fields = reader.mapping(root, FRONT_MATTER_KEYS, "the front matter")
    if fields is None:
        return None
    for required in ("title", "date"):
        if required not in fields:
            reader.log.add(1, f'the front matter is missing "{required}"')
    title = reader.string(fields["title"], "title") if "title" in fields else None
    date = reader.date(fields["date"], "date") if "date" in fields else None
    summary = reader.string(fields["summary"], "summary") if "summary" in fields else ""
    draft = reader.boolean(fields["draft"], "draft") if "draft" in fields else False
    tags = _tags(reader, fields["tags"]) if "tags" in fields else ()
    if title is None or date is None or summary is None or draft is None or tags is None:
        return None
    return FrontMatter(title, date, summary, tags, draft)


def _tags(reader: YamlReader, node: yaml.Node) -> tuple[str, ...] | None:
    """Tags are short lower-case words with dashes, each listed once."""
    items = reader.items(node, "tags")
    if items is None:
        return None
    tags: list[str] = []
    for item in items:
        tag = reader.scalar(item, "tags", "a list of tags")
        if tag is None:
            return None
        if not _TAG.fullmatch(tag):
            reader.log.add(
                reader.line(item),
                f'tag "{tag}" must be lower-case letters, digits and "-" (e.g. "machine-learning")',
            )
            return None
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)
