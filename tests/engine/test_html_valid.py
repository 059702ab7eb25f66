"""Every page the example site and the browser tests' site build is valid HTML, by the
W3C Nu HTML checker (the npm package vnu-jar, run with Java)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.build import build
from engine.config import BuildOptions

REPO = Path(__file__).resolve().parents[2]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(files: list[Path]) -> list[str]:
    """The checker's errors in `files`, one line each."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML checker: apt-get install default-jre-headless"
    assert VNU.is_file(), "vnu.jar is missing: run npm ci"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [f"{m['url'].rsplit('/', 3)[-2:]}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_the_checker_finds_an_error(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>t</title><figure><p>chart</p>'
        "<figcaption>caption</figcaption><p>a table after the caption</p></figure></html>",
        encoding="utf-8",
    )
    assert len(nu_errors([page])) == 1


@pytest.mark.parametrize("content", ["content", "tests/browser/content"])
def test_every_page_is_valid_html(tmp_path: Path, content: str) -> None:
    out = tmp_path / "site"
    build(BuildOptions(content=REPO / content, out=out))
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 5
    assert nu_errors(pages) == []
