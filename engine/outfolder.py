"""The output folder of `explainer serve`, kept equal to the site it serves: the first
build writes it whole, as `explainer build` does; later builds rewrite only the files
that changed (each replaced in one step) and remove those that went away, so a saved post
costs a few small writes instead of a copy of the whole site with its Pyodide files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from engine.build import MARKER, write_atomically
from engine.errors import BuildFailed, SourceError, display_path


class OutputFolder:
    """A folder holding the files of the last build written into it."""

    def __init__(self, out: Path) -> None:
        self.out = out
        # What each file holds: its bytes, or (source, size, mtime) for a copied file
        self._written: dict[str, object] = {}

    def update(self, files: Mapping[str, bytes | Path]) -> None:
        """Make the folder hold exactly `files`; BuildFailed when it cannot be written."""
        wanted = {name: _identity(data) for name, data in files.items()}
        if not self._written or not (self.out / MARKER).is_file():
            self._written = {}
            write_atomically(dict(files), self.out)
        else:
            try:
                self._patch(files, wanted)
            except OSError as exc:
                self._written = {}  # start again from a whole folder next time
                message = f"could not write the site: {exc.strerror or exc}"
                raise BuildFailed([SourceError(display_path(self.out), 0, message)]) from None
        self._written = wanted

    def _patch(self, files: Mapping[str, bytes | Path], wanted: Mapping[str, object]) -> None:
        """Remove what went away, then write what is new or changed."""
        out = self.out.resolve()
        for name in sorted(self._written.keys() - wanted.keys()):
            target = out / name
            target.unlink(missing_ok=True)
            _remove_empty_folders(target.parent, out)
        for name in sorted(wanted):
            if self._written.get(name) != wanted[name]:
                _replace(out / name, files[name])


def _identity(data: bytes | Path) -> object:
    """What tells whether a file must be written again: its bytes, or for a file copied
    as it is, the source's path, size and modification time."""
    if isinstance(data, bytes):
        return data
    try:
        stat = data.stat()
    except OSError:
        return (data, -1, -1)
    return (data, stat.st_size, stat.st_mtime_ns)


def _replace(target: Path, data: bytes | Path) -> None:
    """Write `target` through a temporary sibling, so no reader sees it half written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new")
    if isinstance(data, Path):
        shutil.copyfile(data, temporary)
    else:
        temporary.write_bytes(data)
    os.replace(temporary, target)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents below `root` while they are empty."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone)
            return
        folder = folder.parent
