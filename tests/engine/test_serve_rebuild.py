"""`explainer serve` rebuilds only what an edit changed, yet serves (and writes) exactly
the site a fresh build makes: checked byte for byte after each of a sequence of edits."""

from __future__ import annotations

import http.client
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.build import build
from engine.config import BuildOptions
from engine.reuse import Reuse
from engine.serve import locate
from tests.engine.conftest import Project

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60
ALPHA = """---
title: Alpha
date: 2026-01-02
summary: The first.
tags: [one]
---
Intro with maths, $w x + b$.

```demo
data:
  csv: data/points.csv
train:
  step_size: 0.01
```

After the demo.
"""
BETA = """---
title: Beta
date: 2026-01-03
summary: The second.
tags: [one, two]
---
$$
L = \\frac{1}{n}\\sum_i (w x_i + b - y_i)^2
$$

```demo
data:
  synthetic: {n: 12, seed: 3}
```
"""
GAMMA = "---\ntitle: Gamma\ndate: 2026-01-04\nsummary: New.\ntags: [three]\n---\nFresh post.\n"
POINTS = "x,y\n1,2\n2,4.1\n3,5.9\n4,8.2\n"


class Serving:
    """A running `explainer serve` and the lines it prints."""

    def __init__(self, root: Path, **environment: str) -> None:
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine", "serve", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO), **environment},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.printed: list[str] = []  # every line, also those wait_for skipped
        threading.Thread(target=self._read, daemon=True).start()
        address = self.wait_for(lambda line: line.startswith("serving "))
        self.port = int(address.split(":")[2].split("/")[0])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.printed.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, wanted: Callable[[str], bool]) -> str:
        """The first line printed from now on that is `wanted` (earlier lines are skipped)."""
        while True:
            line = self.lines.get(timeout=TIMEOUT)
            if wanted(line):
                return line

    def get(self, path: str) -> tuple[int, bytes]:
        """Status and body of GET `path`."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        """End the server."""
        self.process.terminate()
        self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def serving(project: Project) -> Iterator[Serving]:
    project.post("alpha", ALPHA)
    project.post("beta", BETA)
    project.file("content/data/points.csv", POINTS)
    fresh_site(project)  # the runtime snapshot in the cache: serve need not make it
    served = Serving(project.root)
    yield served
    served.stop()


def files_below(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by its relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fresh_site(project: Project) -> dict[str, bytes]:
    """What `explainer build` makes of the project now (with serve's reload script)."""
    out = project.root / "fresh"
    build(BuildOptions(content=Path("content"), out=out, live_reload=True))
    return files_below(out)


def assert_serves(served: Serving, project: Project, site: dict[str, bytes]) -> None:
    """The server answers every file of `site` with its bytes, and site/ holds exactly it."""
    for name, data in site.items():
        assert served.get("/" + name) == (200, data), name
    assert files_below(project.root / "site") == site


def save(project: Project, relative: str, text: str) -> None:
    """Replace a file in one step, as editors do, so the server never sees it half written."""
    scratch = project.root / "scratch"
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, project.root / relative)


def edit_and_wait(served: Serving, project: Project, relative: str, text: str) -> None:
    """Save a file and wait until the server has built and written the site."""
    save(project, relative, text)
    served.wait_for(lambda line: " rebuilt in " in line)


def test_served_site_equals_a_fresh_build_after_each_edit(
    serving: Serving, project: Project
) -> None:
    assert_serves(serving, project, fresh_site(project))

    # Text above a demo: the demo is reused at its new line.
    edit_and_wait(serving, project, "content/posts/alpha.md", ALPHA.replace("Intro", "A\n\nIntro"))
    assert_serves(serving, project, fresh_site(project))

    # A demo's settings.
    changed = ALPHA.replace("step_size: 0.01", "step_size: 0.2")
    edit_and_wait(serving, project, "content/posts/alpha.md", changed)
    assert_serves(serving, project, fresh_site(project))

    # A new post: the index, the tag pages, the feed and the sitemap list it.
    edit_and_wait(serving, project, "content/posts/gamma.md", GAMMA)
    site = fresh_site(project)
    assert "tags/three/index.html" in site
    assert_serves(serving, project, site)

    # Data a demo reads (not a post): its demo is drawn again from the new data.
    edit_and_wait(serving, project, "content/data/points.csv", POINTS + "5,9.9\n")
    site = fresh_site(project)
    assert_serves(serving, project, site)

    # A broken edit: the error is printed and the last good site stays, on disk too.
    save(project, "content/posts/beta.md", BETA.replace("seed: 3", "sed: 3"))
    error = 'content/posts/beta.md:13: unknown demo option "sed" (did you mean "seed"?)'
    serving.wait_for(lambda line: line == error)
    assert_serves(serving, project, site)

    # The fix, then a post removed: its pages are gone from the server and from site/.
    edit_and_wait(serving, project, "content/posts/beta.md", BETA + "\nFixed.\n")
    assert_serves(serving, project, fresh_site(project))
    (project.content / "posts/gamma.md").unlink()
    serving.wait_for(lambda line: " rebuilt in " in line)
    site = fresh_site(project)
    assert "tags/three/index.html" not in site
    assert serving.get("/posts/gamma/")[0] == 404
    assert_serves(serving, project, site)

    # An author stylesheet changes the head of every page.
    edit_and_wait(serving, project, "content/theme.css", "body { color: teal; }\n")
    assert_serves(serving, project, fresh_site(project))


def test_each_response_names_its_build(serving: Serving, project: Project) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", serving.port, timeout=TIMEOUT)
    connection.request("GET", "/posts/alpha/")
    first = connection.getresponse()
    first.read()
    assert first.getheader("Server-Timing") == (
        'explainer-build;desc="1", explainer-reload;desc="1"'
    )
    edit_and_wait(serving, project, "content/posts/alpha.md", ALPHA + "\nMore.\n")
    connection.request("GET", "/posts/alpha/")
    second = connection.getresponse()
    second.read()
    # Only a post's text changed: pages of build 1 may take build 2's content in place.
    assert second.getheader("Server-Timing") == (
        'explainer-build;desc="2", explainer-reload;desc="1"'
    )
    connection.close()


def test_reused_rebuilds_equal_fresh_builds(project: Project) -> None:
    project.post("alpha", ALPHA)
    project.post("beta", BETA)
    project.file("content/data/points.csv", POINTS)
    options = BuildOptions(content=Path("content"), out=Path("site"), live_reload=True)
    reuse = Reuse()
    for text in (ALPHA, ALPHA.replace("After", "Then,\n\nafter"), ALPHA.replace("0.01", "0.3")):
        project.post("alpha", text)
        reused = build(options, reuse, write=False).output
        assert reused == build(options, write=False).output


@pytest.mark.parametrize(
    ("path", "answer"),
    [
        ("/", (200, "index.html")),
        ("/posts/a/", (200, "posts/a/index.html")),
        ("/posts/a/index.html", (200, "posts/a/index.html")),
        ("/posts/a", (301, "/posts/a/")),
        ("/feed.xml", (200, "feed.xml")),
        ("/posts/", (404, "")),
        ("/posts/../feed.xml", (404, "")),
        ("//feed.xml", (404, "")),
        ("/feed.xml\x00", (404, "")),
    ],
)
def test_locate(path: str, answer: tuple[int, str]) -> None:
    files = {"index.html": b"", "posts/a/index.html": b"", "feed.xml": b""}
    assert locate(files, "/", path) == answer


def test_locate_below_a_base_url() -> None:
    files = {"index.html": b"", "feed.xml": b""}
    assert locate(files, "/blog/", "/blog/") == (200, "index.html")
    assert locate(files, "/blog/", "/feed.xml") == (404, "")
