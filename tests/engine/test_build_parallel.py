"""Large sites are read by several processes at once: the site, and the errors, are the
same as when the posts are read one by one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from engine import reading as build_module

from .conftest import Project

POSTS = 24
POST = """\
---
title: Post {n}
date: 2026-01-{day:02d}
summary: Post {n}.
---
Some text with $x^2$ and `code`.

```demo
id: d{n}
data:
  synthetic: {{n: 30, seed: {n}}}
```
"""


def site_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write_posts(project: Project) -> None:
    for n in range(1, POSTS + 1):
        project.post(f"post-{n:02d}", POST.format(n=n, day=1 + n % 28))


def build_with(project: Project, monkeypatch: pytest.MonkeyPatch, jobs: int) -> dict[str, str]:
    monkeypatch.setattr(build_module, "_parallel_jobs", lambda posts, reuse: jobs)
    project.build(snapshot=False)
    return site_digest(project.root / "site")


def test_a_site_read_in_parallel_is_the_site_read_one_by_one(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_posts(project)
    read_alone = build_with(project, monkeypatch, 1)
    assert build_with(project, monkeypatch, 2) == read_alone
    assert sum(name.endswith("index.html") for name in read_alone) >= POSTS


def test_errors_found_in_parallel_are_those_found_one_by_one(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_posts(project)
    project.post("broken-a", "---\ntitle: A\n---\n")
    project.post("broken-b", POST.format(n=99, day=3).replace("n: 30", "n: -1"))
    found = {}
    for jobs in (1, 2):
        monkeypatch.setattr(build_module, "_parallel_jobs", lambda posts, reuse, j=jobs: j)
        found[jobs] = project.errors(snapshot=False)
    assert found[1] == found[2]
    assert any("broken-a.md" in line for line in found[1])
    assert any("broken-b.md" in line for line in found[1])


def test_small_sites_and_the_dev_server_read_one_by_one() -> None:
    assert build_module._parallel_jobs(build_module.PARALLEL_FROM_POSTS - 1, None) == 1
    assert build_module._parallel_jobs(500, reuse=object()) == 1  # type: ignore[arg-type]
