"""What `explainer serve` watches, and how it notices a change: content/, the author's
templates/, the built-in templates, the page scripts and pyproject.toml.

The truth is a snapshot of every watched file's modification time, size and inode,
compared with the last one. On Linux the watcher sleeps until inotify says a file there
was written and closed, moved, created or removed, so a save is seen at once and never
half written; elsewhere (or when inotify is unavailable) it polls every 50 ms. Editors'
scratch files (swap files, backups, hidden files) are not watched.
"""

from __future__ import annotations

import ctypes
import errno
import os
import select
import time
from collections.abc import Iterator
from pathlib import Path

from engine import sources
from engine.config import BuildOptions

POLL_SECONDS = 0.05  # without inotify
SAFETY_SECONDS = 1.0  # with inotify, a look anyway now and then (a file never closed)
QUIET_SECONDS = 0.005  # events closer than this are one change (a temporary file renamed)
# IN_ATTRIB, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE,
# IN_DELETE_SELF, IN_MOVE_SELF: not IN_MODIFY, which fires while a file is half written
_EVENTS = 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800

Snapshot = dict[Path, tuple[int, int, int]]


def is_scratch(name: str) -> bool:
    """Whether a file name is an editor's scratch file rather than something a build reads
    (vim also probes a folder with files named 4913, 4914, …)."""
    return sources.is_scratch(name) or name.isdigit()


class Watcher:
    """Yields the set of changed paths each time watched files change."""

    def __init__(self, options: BuildOptions) -> None:
        from engine.render import BUILTIN_TEMPLATES

        static = Path(__file__).resolve().parent / "static"
        self.roots = [options.content, options.project / "templates", BUILTIN_TEMPLATES, static]
        self.files = [options.project / "pyproject.toml"]
        self.inotify = Inotify.open()
        if self.inotify is not None:
            try:  # for pyproject.toml, and a templates/ folder appearing
                self.inotify.watch(options.project)
            except OSError:
                self.inotify = None
        self.seen = self.scan()

    def changes(self) -> Iterator[set[Path]]:
        """Wait for a change; the paths added, removed or changed since the last one."""
        while True:
            self.wait(SAFETY_SECONDS if self.inotify else POLL_SECONDS)
            now = self.scan()
            if now != self.seen:
                last, self.seen = self.seen, now
                yield {path for path in last.keys() | now.keys() if last.get(path) != now.get(path)}

    def settled(self) -> bool:
        """Whether the files stay as last seen for a moment (a failed build of a file still
        being written is not worth reporting: it is about to be built again)."""
        self.wait(POLL_SECONDS)
        return self.scan() == self.seen

    def wait(self, seconds: float) -> None:
        """Sleep until inotify reports an event (and then a quiet moment), or `seconds`."""
        if self.inotify is None:
            time.sleep(seconds)
        elif self.inotify.wait(seconds):
            while self.inotify.wait(QUIET_SECONDS):
                pass

    def scan(self) -> Snapshot:
        """The snapshot of every watched file (and inotify on every watched folder)."""
        files = list(self.files)
        folders: list[Path] = []
        for root in self.roots:
            if root.is_dir():
                folders.append(root)
                for path in root.rglob("*"):
                    if path.is_dir():
                        folders.append(path)
                    elif not is_scratch(path.name):
                        files.append(path)
        if self.inotify is not None:
            try:
                for folder in folders:
                    self.inotify.watch(folder)
            except OSError:  # out of watches, say: poll instead
                self.inotify = None
        snapshot: Snapshot = {}
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            snapshot[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return snapshot


class Inotify:
    """Linux's inotify through the C library: a descriptor that becomes readable when
    something happens in a watched folder."""

    def __init__(self, libc: ctypes.CDLL, fd: int) -> None:
        self.libc = libc
        self.fd = fd

    @classmethod
    def open(cls) -> Inotify | None:
        """An inotify instance, or None where there is none (not Linux, no libc, no room)."""
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (AttributeError, OSError):
            return None
        return cls(libc, fd) if fd >= 0 else None

    def watch(self, folder: Path) -> None:
        """Report events in `folder` (the same folder twice is watched once); a folder that
        went away meanwhile is no error."""
        if self.libc.inotify_add_watch(self.fd, os.fsencode(folder), _EVENTS) < 0:
            code = ctypes.get_errno()
            if code not in (errno.ENOENT, errno.ENOTDIR):
                raise OSError(code, os.strerror(code), str(folder))

    def wait(self, seconds: float) -> bool:
        """Whether events came within `seconds`; they are read and dropped."""
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return False
        try:
            while os.read(self.fd, 65536):
                pass
        except BlockingIOError:
            pass
        return True
