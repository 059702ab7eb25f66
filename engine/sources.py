"""Which files under content/ a build may read and publish: files inside content/ (also
after following symbolic links), not hidden (no dotfiles, no dot-folders such as `.git`
or `.obsidian`), and not an editor's scratch file (lock files, swap files, backups)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Emacs lock files are `.#name` (hidden anyway); its autosaves `#name#`; vim, JetBrains
# and others leave the endings below.
SCRATCH_ENDINGS = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", "___jb_tmp___", "___jb_old___")


def is_scratch(name: str) -> bool:
    """Whether a file or folder name is hidden or an editor's scratch file rather than
    something a build reads."""
    return name.startswith((".", "#")) or name.endswith(SCRATCH_ENDINGS)


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symbolic link followed, lies inside `folder`."""
    try:
        resolved = path.resolve()
        root = folder.resolve()
    except (OSError, RuntimeError):  # a link loop
        return False
    return resolved == root or root in resolved.parents


def is_file(path: Path) -> bool:
    """Whether `path` is a file; False too for names the system cannot even look up
    (too long, say)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class Found:
    """Where a path written in a post leads: the file, or why there is none."""

    path: Path | None
    problem: str = ""


def find_in_content(name: str, folders: list[Path], content: Path) -> Found:
    """The file `name` (as written in a post) in the first of `folders` that has it.

    `/data/x.csv` is the site's path, so it is looked up from content/. A path that
    leads outside content/ (with `..`, from the file system's root, or through a
    symbolic link) and a hidden or scratch file are refused, never read.
    """
    written = PurePosixPath(name.replace("\\", "/"))
    if written.is_absolute():
        written = written.relative_to("/")
        folders = [content]
    if any(part.startswith(".") and part not in (".", "..") for part in written.parts) or (
        written.name and is_scratch(written.name)
    ):
        return Found(None, "is a hidden or scratch file, which a build never reads")
    for folder in folders:
        candidate = folder / written
        if not is_inside(candidate, content):
            return Found(None, "leads outside the content folder, which a build never reads")
        if is_file(candidate):
            return Found(candidate)
    return Found(None)


def near_miss(name: str, folders: list[Path], content: Path) -> str:
    """The closest file to `name` (written as in a post): another case or a typo in the
    folder it points into, else a file of that name elsewhere in content/; written as
    the post would write it, or an empty string."""
    written = PurePosixPath(name.replace("\\", "/").lstrip("/"))
    for folder in folders:
        parent = folder / written.parent
        if not is_inside(parent, content) or not parent.is_dir():
            continue
        names = sorted(p.name for p in parent.iterdir() if is_file(p) and not is_scratch(p.name))
        same_case = [n for n in names if n.casefold() == written.name.casefold()]
        close = same_case or difflib.get_close_matches(written.name, names, n=1, cutoff=0.6)
        if close:
            return ("/" if name.startswith("/") else "") + (written.parent / close[0]).as_posix()
    elsewhere = [
        relative
        for _, relative in published_files(content)
        if PurePosixPath(relative).name.casefold() == written.name.casefold()
    ]
    return ("/" if name.startswith("/") else "") + elsewhere[0] if elsewhere else ""


def published_files(content: Path) -> Iterator[tuple[Path, str]]:
    """Every file below `content` a build may publish (by suffix, the caller decides),
    with its path below content/, sorted; hidden and scratch files and folders are left
    out. Files whose real place is outside content/ are yielded too: the caller warns."""
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content)
        if any(is_scratch(part) for part in relative.parts):
            continue
        if path.is_file():
            yield path, relative.as_posix()
