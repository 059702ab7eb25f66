"""A Pyodide memory snapshot of the demo runtime, made at build time with Node.js.

Starting Python in the browser is mostly the interpreter setting itself up and importing
modules. A snapshot is Python's memory once that is done (and the runtime is imported);
a page that has one restores it instead, which takes a fraction of the time. Making one
runs Pyodide in Node.js (the same vendored files the page uses) for a few seconds, so
snapshots are cached by everything they depend on. Pages download only the memory that
differs from what the WebAssembly module starts with (memoryimage.py), gzip-compressed,
and with it a standard library of just the modules the runtime may still import (often
none: everything it imports is in the snapshot). The same inputs give the same bytes.

Without Node.js the site still works: pages start Python the ordinary way.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from engine import memoryimage

SCRIPT = Path(__file__).resolve().parent / "snapshot.mjs"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TIMEOUT_S = 300


class SnapshotError(Exception):
    """Node.js ran but could not make the snapshot."""


@dataclass(frozen=True)
class Snapshot:
    """What pages with a snapshot download: the snapshot file (gzip-compressed, see
    memoryimage.py) and the standard library they load with it."""

    memory: bytes
    stdlib: bytes


def cache_dir() -> Path:
    """Where snapshots are kept between builds: $EXPLAINER_CACHE, else the user's cache."""
    if configured := os.environ.get("EXPLAINER_CACHE"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "explainer"


def node() -> str | None:
    """The Node.js executable, if there is one."""
    return shutil.which("node")


# Node.js runs with only these variables: nothing of the machine (its time zone, locale,
# user, paths) may reach the snapshot, which is published. PATH is kept for Node itself.
NODE_ENVIRONMENT = {"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
PYODIDE_INPUTS = (
    "package.json",
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def node_environment() -> dict[str, str]:
    """The environment Node.js makes the snapshot in."""
    kept = {name: os.environ[name] for name in ("PATH", "SYSTEMROOT") if name in os.environ}
    return {**kept, **NODE_ENVIRONMENT}


@functools.lru_cache(maxsize=4)
def node_version(executable: str) -> str:
    """`node --version` of `executable` (empty when it cannot tell)."""
    try:
        done = subprocess.run(
            [executable, "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            env=node_environment(),
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


@functools.lru_cache(maxsize=32)
def _file_digest(path: Path, size: int, mtime_ns: int) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def file_digest(path: Path) -> bytes:
    """The sha256 of a file, read once per process unless the file changes."""
    stat = path.stat()
    return _file_digest(path, stat.st_size, stat.st_mtime_ns)


def cache_key(pyodide_dir: Path, wheel: bytes, lock: bytes, package: str, executable: str) -> str:
    """Everything that goes into a snapshot: the Pyodide files, the script, the runtime
    wheel and lockfile, Node.js's version and environment. Not the checkout's path, nor
    the machine's time zone or locale, which do not reach it."""
    key = hashlib.sha256()
    for name in PYODIDE_INPUTS:
        key.update(name.encode() + file_digest(pyodide_dir / name))
    key.update(file_digest(SCRIPT))
    key.update(file_digest(Path(memoryimage.__file__)))
    for part in (wheel, lock, package.encode(), node_version(executable).encode()):
        key.update(hashlib.sha256(part).digest())
    key.update(repr(sorted(NODE_ENVIRONMENT.items())).encode())
    return key.hexdigest()[:24]


def make_snapshot(
    pyodide_dir: Path,
    wheel: bytes,
    wheel_file: str,
    lock: bytes,
    package: str,
    *,
    cached_only: bool = False,
) -> Snapshot | None:
    """The snapshot for this Pyodide and runtime wheel, from the cache when it was made
    before; None when Node.js is missing (or, `cached_only`, when it is not in the cache)."""
    executable = node()
    if executable is None:
        return None
    key = cache_key(pyodide_dir, wheel, lock, package, executable)
    cached, cached_stdlib = cache_dir() / f"snapshot-{key}.gz", cache_dir() / f"stdlib-{key}.zip"
    if cached.is_file() and cached_stdlib.is_file():
        return Snapshot(cached.read_bytes(), cached_stdlib.read_bytes())
    if cached_only:
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
                env=node_environment(),
                cwd=folder,
            )
        except subprocess.CalledProcessError as error:
            lines = [line for line in (error.stderr or "").splitlines() if line.strip()]
            last = lines[-1][:300] if lines else f"exit status {error.returncode}"
            raise SnapshotError(f"Node.js could not make the runtime snapshot: {last}") from None
        except subprocess.TimeoutExpired:
            raise SnapshotError(
                f"Node.js took over {_TIMEOUT_S} s to make the runtime snapshot"
            ) from None
        wasm = (pyodide_dir / "pyodide.asm.wasm").read_bytes()
        packed = memoryimage.pack(raw.read_bytes(), wasm)
        later = json.loads(Path(f"{raw}.json").read_text(encoding="utf-8"))
    made = Snapshot(
        gzip.compress(packed, compresslevel=9, mtime=0),
        small_stdlib((pyodide_dir / "python_stdlib.zip").read_bytes(), later),
    )
    keep(cached_stdlib, made.stdlib)
    keep(cached, made.memory)  # last: a snapshot in the cache has its standard library
    return made


def small_stdlib(full: bytes, names: list[str]) -> bytes:
    """A zip of the files `names` of the standard library `full`, byte-identical for the
    same names: what a page restoring the snapshot may still import."""
    source = zipfile.ZipFile(io.BytesIO(full))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, source.read(name))
    return buffer.getvalue()


def keep(path: Path, data: bytes) -> None:
    """Write `data` to `path` in the cache, whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(path)
