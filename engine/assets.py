"""Files every site ships besides its pages: the page scripts and styles, the vendored
Pyodide core, and the Python runtime packed as a wheel registered in a Pyodide lockfile.
The wheel also carries the author models the site's demos use, as `explainer_models.<name>`.

Asset folders carry a content hash (or Pyodide's version) in their name, so browsers may
cache them forever and a new build never serves a stale mix.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import importlib.metadata
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import engine
from engine.codestyle import pygments_css
from engine.config import SiteSettings
from engine.demo.emit import contract_module
from engine.demo.modelfile import ModelFile
from engine.fonts import FontError, font_files
from engine.runtime.authored import PACKAGE as MODELS_PACKAGE
from engine.snapshot import SnapshotError, cache_dir, file_digest, keep, make_snapshot, node

ROOT = Path(__file__).resolve().parent.parent
STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = ROOT / "node_modules"
PYODIDE_MODULES = ("pyodide.mjs", "pyodide.asm.mjs")
WASM, STDLIB = "pyodide.asm.wasm", "python_stdlib.zip"
# The files the runtime worker fetches (rather than imports): each is checked on arrival.
FETCHED_PYODIDE_FILES = (WASM, STDLIB)
# A self-hosted site ships the WebAssembly module gzip-compressed, whatever the host does
# (the worker decompresses it), and the whole standard library only for starting Python
# without a snapshot.
PACKED = {WASM: WASM + ".gz"}
# Page scripts a post does not preload: the worker's own scripts, and boot.js (loaded first).
NOT_PRELOADED = ("worker.js", "downloads.js", "memory.js", "boot.js")
CDN = "https://cdn.jsdelivr.net/pyodide/v{version}/full/"
WHEEL_NAME = "explainer_runtime"
PACKAGE_NAME = "explainer-runtime"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SNAPSHOT_FILE = "python.snapshot.gz"
SMALL_STDLIB = "stdlib.zip"


class AssetError(Exception):
    """A vendored file the build needs is missing."""


@dataclass(frozen=True)
class Assets:
    """Every asset file by its path below the site root, and the URLs pages refer to."""

    files: dict[str, bytes | Path]
    static_dir: str  # e.g. "assets/3f2a1b9c/"
    # pyodide_url, index_url, lock_url, snapshot_url (site-relative; no snapshot: absent),
    # package, and `integrity`: the SRI hash of each file the runtime fetches, by file name
    runtime_config: dict[str, Any]
    # The SRI hash of each page script and stylesheet, by name below static_dir
    static_integrity: dict[str, str]
    # Page modules worth fetching before the page asks for them (names below static_dir)
    page_modules: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    # Makes the snapshot these assets lack (into the cache) when it was not waited for.
    pending_snapshot: Callable[[], object] | None = None


def pyodide_version() -> str:
    """The pinned Pyodide version, from the vendored npm package."""
    manifest = NODE_MODULES / "pyodide" / "package.json"
    if not manifest.is_file():
        raise AssetError(
            f"Pyodide is not installed ({manifest} is missing): run `npm ci` in {ROOT}"
        )
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def collect(
    settings: SiteSettings,
    models: Iterable[ModelFile] = (),
    *,
    snapshot: bool = True,
    wait: bool = True,
) -> Assets:
    """Plan every asset file of a site with these settings whose demos use `models`; with
    `snapshot`, include a memory snapshot of the runtime when one can be made. Without
    `wait`, a snapshot not yet in the cache is left out and offered as `pending_snapshot`."""
    version = pyodide_version()
    files: dict[str, bytes | Path] = {}
    static = _static_files()
    static_dir = f"assets/{_digest(static)}/"
    files.update({static_dir + name: data for name, data in static.items()})
    used = list(models)
    # Only the CDN has numpy; the build refuses numpy models on a self-hosted Pyodide.
    numpy = settings.pyodide == "cdn" and any(model.numpy_line for model in used)
    wheel = runtime_wheel(used, numpy=numpy)
    runtime_dir = f"assets/runtime-{hashlib.sha256(wheel).hexdigest()[:10]}/"
    wheel_file = f"{WHEEL_NAME}-{engine.__version__}-py3-none-any.whl"
    lock = kept_lockfile(wheel, wheel_file, version, CDN.format(version=version) if numpy else None)
    files[runtime_dir + wheel_file] = wheel
    files[runtime_dir + "pyodide-lock.json"] = lock
    vendored = NODE_MODULES / "pyodide"
    index_url = f"assets/pyodide-{version}/"
    # The two modules are always the site's own: a worker's imports get no integrity
    # check, so no code the page runs may come from another site. With the CDN, only the
    # data files come from there, each checked against its hash like every download.
    cdn = settings.pyodide == "cdn"
    for name in PYODIDE_MODULES:
        files[index_url + name] = vendored / name
    config: dict[str, Any] = {
        "pyodide_url": index_url + "pyodide.mjs",
        "index_url": index_url,
        "lock_url": runtime_dir + "pyodide-lock.json",
        "package": PACKAGE_NAME,
        "prefetch": list(FETCHED_PYODIDE_FILES),  # fetched at once, not one after another
    }
    if cdn:
        config["remote"] = {
            name: CDN.format(version=version) + name for name in FETCHED_PYODIDE_FILES
        }
        fetched = {name: _file_digest(vendored / name) for name in FETCHED_PYODIDE_FILES}
    else:
        packed = packed_wasm(vendored / WASM)
        files[index_url + PACKED[WASM]] = packed
        files[index_url + STDLIB] = vendored / STDLIB
        config["packed"] = PACKED
        fetched = {PACKED[WASM]: sri(packed), STDLIB: _file_digest(vendored / STDLIB)}
    fetched |= {wheel_file: sri(wheel), "pyodide-lock.json": sri(lock)}
    warnings: list[str] = []
    pending = None
    # A snapshot holds the runtime as imported from the CDN's numpy too; not made for those.
    if snapshot and not numpy:
        inputs = (vendored, wheel, wheel_file, lock, PACKAGE_NAME)
        try:
            made = make_snapshot(*inputs, cached_only=not wait)
        except SnapshotError as exc:
            warnings.append(f"{exc}; pages start Python without it (slower)")
        else:
            if made is None and not wait and node() is not None:
                pending = functools.partial(make_snapshot, *inputs)
            elif made is None:
                warnings.append(
                    "Node.js was not found, so there is no runtime snapshot and "
                    "pages start Python the slower way; install Node.js to make one"
                )
            else:
                files[runtime_dir + SNAPSHOT_FILE] = made.memory
                files[runtime_dir + SMALL_STDLIB] = made.stdlib
                config["snapshot_url"] = runtime_dir + SNAPSHOT_FILE
                config["stdlib_url"] = runtime_dir + SMALL_STDLIB
                # The whole standard library is for starting without the snapshot only.
                config["prefetch"] = [WASM]
                fetched[SNAPSHOT_FILE] = sri(made.memory)
                fetched[SMALL_STDLIB] = sri(made.stdlib)
    config["integrity"] = fetched
    integrity = {name: sri(data) for name, data in static.items() if name.endswith((".js", ".css"))}
    modules = tuple(
        name for name in integrity if name.endswith(".js") and name not in NOT_PRELOADED
    )
    return Assets(files, static_dir, config, integrity, modules, tuple(warnings), pending)


@functools.lru_cache(maxsize=2)
def packed_wasm(path: Path) -> bytes:
    """The WebAssembly module at `path`, gzip-compressed as sites ship it (made once per
    module and kept in the snapshot cache: compressing it takes a second or two)."""
    kept = cache_dir() / f"wasm-{file_digest(path).hex()[:24]}.gz"
    if kept.is_file():
        return kept.read_bytes()
    packed = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
    keep(kept, packed)
    return packed


def sri(data: bytes) -> str:
    """A subresource-integrity value for `data`."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


@functools.lru_cache(maxsize=16)
def _cached_digest(path: Path, size: int, mtime_ns: int) -> str:
    return sri(path.read_bytes())


def _file_digest(path: Path) -> str:
    """`sri` of a vendored file, hashed once per process unless the file changes."""
    stat = path.stat()
    return _cached_digest(path, stat.st_size, stat.st_mtime_ns)


def _static_files() -> dict[str, bytes]:
    """The page scripts and styles, the chart library, and the code-highlighting styles."""
    files = {
        p.relative_to(STATIC).as_posix(): p.read_bytes()
        for p in sorted(STATIC.rglob("*"))
        if p.is_file() and p.suffix in (".js", ".css", ".svg")
    }
    uplot = NODE_MODULES / "uplot" / "dist"
    for name in ("uPlot.esm.js", "uPlot.min.css"):
        if not (uplot / name).is_file():
            raise AssetError(f"uPlot is not installed ({uplot / name} is missing): run `npm ci`")
        files[f"uplot/{name}"] = (uplot / name).read_bytes()
    files["pygments.css"] = pygments_css().encode()
    files["contract.js"] = contract_module().encode()
    try:
        files.update(font_files(NODE_MODULES))
    except FontError as exc:
        raise AssetError(str(exc)) from None
    return files


def _digest(files: dict[str, bytes]) -> str:
    """A short hash over names and contents."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    return h.hexdigest()[:10]


def runtime_sources() -> dict[str, bytes]:
    """The Python files that run in the browser: the `engine.runtime` package."""
    package = Path(__file__).resolve().parent
    files = {"engine/__init__.py": (package / "__init__.py").read_bytes()}
    for path in sorted((package / "runtime").rglob("*.py")):
        files[path.relative_to(package.parent).as_posix()] = path.read_bytes()
    return files


def model_sources(models: Iterable[ModelFile]) -> dict[str, bytes]:
    """The `explainer_models` package: one module per author model (none without models)."""
    by_path = {model.wheel_path: model.source for model in models}
    if not by_path:
        return {}
    files = {f"{MODELS_PACKAGE}/__init__.py": b'"""The author models of this site."""\n'}
    files.update({path: by_path[path] for path in sorted(by_path)})
    return files


def runtime_wheel(models: Iterable[ModelFile] = (), *, numpy: bool = False) -> bytes:
    """A pure-Python wheel of the runtime and the site's author models, byte-identical for
    identical sources; `numpy` makes it depend on numpy."""
    dist_info = f"{WHEEL_NAME}-{engine.__version__}.dist-info"
    files = runtime_sources()
    authored = model_sources(models)
    files.update(authored)
    requires = "Requires-Dist: numpy\n" if numpy else ""
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {PACKAGE_NAME}\nVersion: {engine.__version__}\n"
        f"Summary: The explainer demo runtime (trainer, data, models)\n{requires}"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: explainer\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    top_level = "engine\n" + (f"{MODELS_PACKAGE}\n" if authored else "")
    files[f"{dist_info}/top_level.txt"] = top_level.encode()
    record = [f"{name},sha256={_b64_digest(data)},{len(data)}" for name, data in files.items()]
    files[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _b64_digest(data: bytes) -> str:
    """The urlsafe, unpadded sha256 a wheel RECORD uses."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def kept_lockfile(
    wheel: bytes, wheel_file: str, version: str, cdn_packages: str | None = None
) -> bytes:
    """`runtime_lockfile`, kept in the snapshot cache: making it imports pydantic, which
    takes longer than the rest of a small build."""
    key = hashlib.sha256()
    npm_lock = NODE_MODULES / "pyodide" / "pyodide-lock.json"
    for part in (wheel, wheel_file.encode(), version.encode(), (cdn_packages or "").encode()):
        key.update(hashlib.sha256(part).digest())
    key.update(file_digest(npm_lock) + importlib.metadata.version("pyodide-lock").encode())
    kept = cache_dir() / f"lock-{key.hexdigest()[:24]}.json"
    if kept.is_file():
        return kept.read_bytes()
    lock = runtime_lockfile(wheel, wheel_file, version, cdn_packages)
    keep(kept, lock)
    return lock


def runtime_lockfile(
    wheel: bytes, wheel_file: str, version: str, cdn_packages: str | None = None
) -> bytes:
    """A Pyodide lockfile that holds the runtime wheel, made with `pyodide-lock`.

    Pyodide's own lockfile lists hundreds of packages that are not vendored; ours lists
    exactly what the page can load from its own origin. With `cdn_packages` (the CDN's
    URL, for a runtime that needs numpy) it also lists Pyodide's own packages, each at its
    absolute URL there.
    """
    import tempfile

    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.spec import InfoSpec, PackageSpec
    from pyodide_lock.utils import add_wheels_to_spec

    npm_lock = json.loads((NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    info = InfoSpec(version=version, **npm_lock["info"])
    packages: dict[str, PackageSpec] = {}
    if cdn_packages is not None:
        for name, entry in npm_lock["packages"].items():
            # Pyodide's lockfile has fields (an empty "tool") this pyodide-lock does not know.
            known = {key: value for key, value in entry.items() if key in PackageSpec.model_fields}
            packages[name] = PackageSpec(
                **{**known, "file_name": cdn_packages + known["file_name"]}
            )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / wheel_file
        path.write_bytes(wheel)
        lock = PyodideLockSpec(info=info, packages=packages)
        spec = add_wheels_to_spec(lock, [path])
    return json.dumps(spec.model_dump(), indent=1, sort_keys=True).encode() + b"\n"
