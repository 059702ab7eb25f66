"""The runtime snapshot (engine/snapshot.py) and the integrity hashes of what pages load."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from engine import memoryimage, snapshot
from engine.assets import NODE_MODULES, PACKAGE_NAME, runtime_lockfile, runtime_wheel

from .conftest import Project

needs_node = pytest.mark.skipif(snapshot.node() is None, reason="Node.js is not installed")


POST = "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\nid: d\n```\n"


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def runtime_settings(page: Path) -> dict[str, object]:
    html = page.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="explainer-runtime">(.*?)</script>', html
    )
    assert found is not None
    settings = json.loads(found.group(1))
    assert isinstance(settings, dict)
    return settings


@needs_node
def test_the_same_inputs_make_the_same_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel_file = "explainer_runtime-0.1.0-py3-none-any.whl"
    wheel = runtime_wheel()
    lock = runtime_lockfile(wheel, wheel_file, "314.0.7")
    made = []
    for name in ("one", "two"):  # two empty caches: each snapshot is made from scratch
        monkeypatch.setenv("EXPLAINER_CACHE", str(tmp_path / name))
        data = snapshot.make_snapshot(
            NODE_MODULES / "pyodide", wheel, wheel_file, lock, PACKAGE_NAME
        )
        assert data is not None
        made.append(data)
        assert len(list((tmp_path / name).glob("snapshot-*.gz"))) == 1
    assert made[0] == made[1]
    wasm = (NODE_MODULES / "pyodide" / "pyodide.asm.wasm").read_bytes()
    memory = memoryimage.unpack(gzip.decompress(made[0].memory), wasm)
    assert len(memory) > 10_000_000  # Python's whole memory, runtime imported
    # Everything the runtime imports is in memory: no module is left for the page to load.
    assert zipfile.ZipFile(io.BytesIO(made[0].stdlib)).namelist() == []


def test_pages_name_the_hash_of_every_file_they_load(project: Project) -> None:
    project.post("p", POST)
    project.build()
    site = project.root / "site"
    page = site / "posts" / "p" / "index.html"
    html = page.read_text(encoding="utf-8")
    tags = re.findall(r'(?:href|src)="/([^"]+)" integrity="([^"]+)"', html)
    assert {Path(path).name for path, _ in tags} >= {
        "style.css",
        "demo.js",
        "boot.js",
        "runtime.js",
    }
    for path, integrity in tags:
        assert integrity == sri((site / path).read_bytes()), path
    settings = runtime_settings(page)
    integrity = settings["integrity"]
    assert isinstance(integrity, dict)
    files = {p.name: p for p in site.glob("assets/**/*") if p.is_file()}
    assert set(integrity) >= {"pyodide.asm.wasm.gz", "python_stdlib.zip", "pyodide-lock.json"}
    for name, value in integrity.items():
        assert value == sri(files[name].read_bytes()), name


def test_without_node_the_site_builds_without_a_snapshot(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPLAINER_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    project.post("p", POST)
    result = project.build(url="https://example.org/")
    assert [str(w) for w in result.warnings] == [
        "explainer: warning: Node.js was not found, so there is no runtime snapshot and pages "
        "start Python the slower way; install Node.js to make one"
    ]
    settings = runtime_settings(project.root / "site" / "posts" / "p" / "index.html")
    assert "snapshot_url" not in settings
    assert not list((project.root / "site").glob("assets/runtime-*/python.snapshot.gz"))


def test_no_snapshot_when_asked_for_none(project: Project) -> None:
    project.post("p", POST)
    result = project.build(snapshot=False, url="https://example.org/")
    assert result.warnings == []
    settings = runtime_settings(project.root / "site" / "posts" / "p" / "index.html")
    assert "snapshot_url" not in settings


def test_the_cache_key_holds_nodes_version_and_not_the_machines_zone_or_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another Node.js may make another snapshot: it gets its own key. The author's time
    zone and locale never reach Node.js (it runs in UTC and C.UTF-8), so they are no part
    of it."""
    wheel = runtime_wheel()
    lock = runtime_lockfile(wheel, "explainer_runtime-0.1.0-py3-none-any.whl", "314.0.7")

    def key(version: str) -> str:
        executable = tmp_path / version / "node"  # a stand-in that only tells its version
        executable.parent.mkdir(exist_ok=True)
        executable.write_text(f"#!/bin/sh\necho {version}\n")
        executable.chmod(0o755)
        return snapshot.cache_key(
            NODE_MODULES / "pyodide", wheel, lock, PACKAGE_NAME, str(executable)
        )

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("LANG", "C.UTF-8")
    reference = key("v20.19.2")
    assert key("v22.12.0") != reference
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert key("v20.19.2") == reference
