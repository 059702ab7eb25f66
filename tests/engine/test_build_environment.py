"""The same commit builds the same bytes wherever and however it is built: from any
checkout path, in any time zone and locale, with an empty cache or one warmed by another
checkout; and nothing of the machine it was built on reaches a published file."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine import fonts, snapshot

REPO = Path(__file__).resolve().parents[2]
URL = "https://example.org/explainer/"

pytestmark = pytest.mark.skipif(snapshot.node() is None, reason="Node.js is not installed")


def checkout(destination: Path) -> Path:
    """A copy of the working tree (the tracked and new files) at `destination`, with its
    own copy of the pinned npm packages."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    for package in ("pyodide", "uplot", *(name for name, _ in fonts.FACES), fonts.MATH_PACKAGE):
        shutil.copytree(REPO / "node_modules" / package, destination / "node_modules" / package)
    return destination


def build_in(root: Path, cache: Path, **environment: str) -> Path:
    """`explainer build --url …` of the checkout at `root`, with the engine of that
    checkout, the cache folder `cache` and the given variables; the site's folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LC_", "LANG", "TZ", "EXPLAINER_", "PYTHON"))
    }
    env |= {"EXPLAINER_CACHE": str(cache), "PYTHONPATH": str(root), **environment}
    done = subprocess.run(
        [sys.executable, "-m", "engine", "build", "--strict", "--url", URL],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return root / "site"


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def published_text(site: Path) -> list[tuple[str, bytes]]:
    """Every published file's bytes, compressed ones (the snapshot) unpacked."""
    files = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files.append((path.name, gzip.decompress(data) if path.suffix == ".gz" else data))
    return files


def test_builds_are_byte_identical_across_paths_time_zones_locales_and_caches(
    tmp_path: Path,
) -> None:
    first = checkout(tmp_path / "a" / "explainer")
    second = checkout(tmp_path / "elsewhere" / "deeper" / "a-clone-of-explainer")
    warm, empty = tmp_path / "cache-one", tmp_path / "cache-two"
    sites = [
        build_in(first, warm, TZ="UTC", LANG="C.UTF-8"),
        build_in(second, empty, TZ="Pacific/Kiritimati", LANG="de_DE.UTF-8", LC_ALL="de_DE.UTF-8"),
    ]
    shutil.rmtree(second / "site")
    # The other checkout, another zone and locale, and the cache the first one warmed.
    sites.append(build_in(second, warm, TZ="America/St_Johns", LANG="ja_JP.UTF-8"))
    reference = digests(sites[0])
    assert any(name.endswith("python.snapshot.gz") for name in reference)
    for site in sites[1:]:
        assert digests(site) == reference
    # (Locale names such as de_DE are in Python's own locale tables: not a sign of the machine.)
    machine = [str(first), str(second), str(tmp_path), "Kiritimati", "St_Johns"]
    for name, data in published_text(sites[0]) + published_text(sites[2]):
        for needle in machine:
            assert needle.encode() not in data, (name, needle)
