"""A Pyodide memory snapshot of the demo runtime, made at build time with Node.js.

Starting Python in the browser is mostly the interpreter setting itself up and importing
modules. A snapshot is Python's memory once that is done (and the runtime is imported);
a page that has one restores it instead, which takes a fraction of the time. Making one
runs Pyodide in Node.js (the same vendored files the page uses) for a few seconds, so
snapshots are cached by everything they depend on. The bytes are gzip-compressed, and the
same inputs give the same bytes.

Without Node.js the site still works: pages start Python the ordinary way.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "snapshot.mjs"
_TIMEOUT_S = 300


class SnapshotError(Exception):
    """Node.js ran but could not make the snapshot."""


def cache_dir() -> Path:
    """Where snapshots are kept between builds: $EXPLAINER_CACHE, else the user's cache."""
    if configured := os.environ.get("EXPLAINER_CACHE"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "explainer"


def node() -> str | None:
    """The Node.js executable, if there is one."""
    return shutil.which("node")


def make_snapshot(
    pyodide_dir: Path, wheel: bytes, wheel_file: str, lock: bytes, package: str
) -> bytes | None:
    """The gzip-compressed snapshot for this Pyodide and runtime wheel, from the cache when
    it was made before; None when Node.js is missing."""
    key = hashlib.sha256()
    for part in (
        (pyodide_dir / "package.json").read_bytes(),
        (pyodide_dir / "pyodide.asm.wasm").stat().st_size.to_bytes(8, "little"),
        SCRIPT.read_bytes(),
        wheel,
        lock,
        package.encode(),
    ):
        key.update(hashlib.sha256(part).digest())
    cached = cache_dir() / f"snapshot-{key.hexdigest()[:24]}.gz"
    if cached.is_file():
        return cached.read_bytes()
    executable = node()
    if executable is None:
        return None
    with tempfile.TemporaryDirectory(prefix="explainer-snapshot-") as tmp:
        folder = Path(tmp)
        (folder / wheel_file).write_bytes(wheel)
        (folder / "pyodide-lock.json").write_bytes(lock)
        raw = folder / "snapshot.bin"
        command = [executable, str(SCRIPT), str(pyodide_dir / "pyodide.mjs"), str(folder)]
        try:
            subprocess.run(
                [*command, package, str(raw)],
                check=True,
                capture_output=True,
                text=True,
                timeout=_TIMEOUT_S,
            )
        except subprocess.CalledProcessError as error:
            lines = [line for line in (error.stderr or "").splitlines() if line.strip()]
            last = lines[-1][:300] if lines else f"exit status {error.returncode}"
            raise SnapshotError(f"Node.js could not make the runtime snapshot: {last}") from None
        except subprocess.TimeoutExpired:
            raise SnapshotError(
                f"Node.js took over {_TIMEOUT_S} s to make the runtime snapshot"
            ) from None
        data = gzip.compress(raw.read_bytes(), compresslevel=6, mtime=0)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(cached)
    return data
