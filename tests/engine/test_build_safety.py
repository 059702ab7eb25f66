"""Builds that go wrong: the previous site survives, nothing half-written is left behind,
the author's own folders are never replaced, and two files for one URL are an error."""

from __future__ import annotations

import errno
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from engine.build import build
from engine.config import BuildOptions
from engine.errors import BuildFailed
from engine.pages import render_pages

POST = "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n{body}\n"


def tree(root: Path) -> dict[str, str]:
    """Every file below `root` by relative path, with a digest of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build_to(out: str) -> None:
    """Build content/ into `out` (the project fixture's helper always uses site/)."""
    build(BuildOptions(content=Path("content"), out=Path(out)))


def errors_to(out: str) -> list[str]:
    """Build into `out`, expecting failure; the errors as printed."""
    with pytest.raises(BuildFailed) as failure:
        build_to(out)
    return [str(e) for e in failure.value.errors]


def leftovers(project: Any) -> list[str]:
    """Temporary folders a build may leave next to site/."""
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site."))


@pytest.fixture
def built(project: Any) -> dict[str, str]:
    """A project with one post, built once; the site's files."""
    project.post("p", POST.format(body="First."))
    project.file("content/data/points.csv", "x,y\n1,2\n")
    project.build()
    return tree(project.root / "site")


class Interrupted(Exception):
    """Stands for anything that stops a build midway (a crash, Ctrl+C)."""


def fail_after(monkeypatch: pytest.MonkeyPatch, calls: int, error: BaseException) -> None:
    """Make the build's file writes raise `error` after `calls` successful ones."""
    count = {"n": 0}
    write_bytes, copyfile = Path.write_bytes, shutil.copyfile

    def counted(original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            count["n"] += 1
            if count["n"] > calls:
                raise error
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(Path, "write_bytes", counted(write_bytes))
    monkeypatch.setattr(shutil, "copyfile", counted(copyfile))


@pytest.mark.parametrize("calls", [0, 1, 5, 20])
def test_an_exception_while_writing_leaves_the_previous_site(
    project: Any, built: dict[str, str], monkeypatch: pytest.MonkeyPatch, calls: int
) -> None:
    project.post("p", POST.format(body="Second."))
    fail_after(monkeypatch, calls, Interrupted("stopped midway"))
    with pytest.raises(Interrupted):
        project.build()
    monkeypatch.undo()
    assert tree(project.root / "site") == built
    assert leftovers(project) == []


def test_ctrl_c_while_writing_leaves_the_previous_site(
    project: Any, built: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.post("p", POST.format(body="Second."))
    fail_after(monkeypatch, 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        project.build()
    monkeypatch.undo()
    assert tree(project.root / "site") == built
    assert leftovers(project) == []


def test_a_full_disk_is_a_build_error_not_a_traceback(
    project: Any, built: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.post("p", POST.format(body="Second."))
    fail_after(monkeypatch, 2, OSError(errno.ENOSPC, "No space left on device"))
    assert project.errors() == ["site: could not write the site: No space left on device"]
    monkeypatch.undo()
    assert tree(project.root / "site") == built
    assert leftovers(project) == []


def test_a_failed_swap_puts_the_previous_site_back(
    project: Any, built: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.post("p", POST.format(body="Second."))
    rename = Path.rename

    def refuse_staging(self: Path, target: Any) -> Any:
        if self.name == ".site.building":
            raise Interrupted("stopped between the two renames")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_staging)
    with pytest.raises(Interrupted):
        project.build()
    monkeypatch.undo()
    assert tree(project.root / "site") == built
    assert leftovers(project) == []


def test_a_build_stopped_mid_swap_earlier_is_recovered(project: Any, built: dict[str, str]) -> None:
    (project.root / "site").rename(project.root / ".site.old")
    (project.root / ".site.building").mkdir()
    (project.root / ".site.building/half.html").write_text("half")
    project.build()
    assert tree(project.root / "site") == built
    assert leftovers(project) == []


def test_a_failed_read_leaves_the_previous_site(project: Any, built: dict[str, str]) -> None:
    project.post("q", "---\ntitle: [\n---\n")
    assert project.errors()
    assert tree(project.root / "site") == built and leftovers(project) == []


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("line\n{{ nope.x }}\n", "templates/index.html:2: 'nope' is undefined"),
        (
            "{% if %}\n",
            "templates/index.html:1: Expected an expression, got 'end of statement block'",
        ),
        ('a\n\n{% include "missing.html" %}\n', "templates/index.html:3: 'missing.html' not found"),
    ],
)
def test_a_broken_author_template_is_an_error_at_its_line(
    project: Any, built: dict[str, str], template: str, expected: str
) -> None:
    project.file("templates/index.html", template)
    errors = project.errors()
    assert len(errors) == 1 and errors[0].startswith(expected), errors
    assert tree(project.root / "site") == built


def test_a_broken_demo_template_is_an_error_at_its_line(project: Any) -> None:
    project.post("p", POST.format(body="```demo\n```"))
    project.file("templates/demo/runs.html", "<div>\n{{ demo.nope() }}\n</div>\n")
    assert project.errors() == [
        "templates/demo/runs.html:2: 'engine.demo.view.DemoView object' has no attribute 'nope'"
    ]


@pytest.mark.parametrize(
    ("out", "folder"),
    [
        ("content", "content"),
        (".", "content"),
        ("content/site", "content"),
        ("content/posts", "content"),
        ("templates", "templates"),
        ("templates/out", "templates"),
    ],
)
def test_the_output_folder_may_not_overlap_the_authors_folders(
    project: Any, out: str, folder: str
) -> None:
    project.post("p", POST.format(body="Precious."))
    project.file("templates/post.html", "{{ page.html }}\n")
    before = tree(project.root)
    errors = errors_to(out)
    shown = str(Path(out).resolve().relative_to(project.root)) if out != "." else "."
    assert errors == [
        f"{shown}: the output folder overlaps the {folder} folder ({folder}); choose another --out"
    ]
    assert tree(project.root) == before


def test_an_unrelated_folder_is_not_replaced(project: Any) -> None:
    project.post("p", POST.format(body="Hi."))
    project.file("documents/thesis.txt", "years of work")
    assert errors_to("documents") == [
        "documents: the output folder is not empty and has no .nojekyll, so it is not a site "
        "explainer built, and building would delete what it holds; empty it or choose another --out"
    ]
    assert (project.root / "documents/thesis.txt").read_text() == "years of work"
    (project.root / "a-file").write_text("not a folder")
    assert errors_to("a-file") == ["a-file: the output folder is a file; choose another --out"]
    (project.root / "empty").mkdir()
    build_to("empty")
    build_to("empty")  # now an earlier site: replaced
    assert (project.root / "empty/posts/p/index.html").is_file()


def asset_path(site: Path, suffix: str) -> str:
    """A site asset with a copied suffix, as a path below the site."""
    return (
        next(p for p in sorted(site.rglob(f"*{suffix}")) if "assets" in p.parts)
        .relative_to(site)
        .as_posix()
    )


def test_a_content_file_on_a_site_asset_is_a_collision(project: Any, built: dict[str, str]) -> None:
    taken = asset_path(project.root / "site", ".css")
    project.file(f"content/{taken}", "body { color: red }\n")
    assert project.errors() == [
        f'content/{taken}:1: "{taken}" is also written by the site\'s assets'
    ]


def test_files_that_differ_only_in_case_are_a_collision(
    project: Any, built: dict[str, str]
) -> None:
    project.file("content/data/Points.csv", "x,y\n1,2\n")
    assert project.errors() == [
        'content/data/points.csv:1: "data/points.csv" and "data/Points.csv" (from '
        "content/data/Points.csv) differ only in upper and lower case, so they would be one "
        "file on macOS and Windows; rename one"
    ]


def test_a_page_file_inside_content_does_not_replace_a_post(
    project: Any, built: dict[str, str]
) -> None:
    """Only data files are published from content/: an index.html placed where post x's
    page goes is not copied, so the post keeps its URL."""
    project.file("content/posts/p/index.html", "<p>impostor</p>\n")
    project.file("content/tags/x/index.html", "<p>impostor</p>\n")
    project.file("content/feed.xml", "<feed/>\n")
    project.build()
    site = project.root / "site"
    assert "First." in (site / "posts/p/index.html").read_text(encoding="utf-8")
    assert "impostor" not in (site / "posts/p/index.html").read_text(encoding="utf-8")
    assert "<entry>" in (site / "feed.xml").read_text(encoding="utf-8")
    assert not (site / "tags/x").exists()


def test_posts_are_lower_case_so_two_cannot_share_a_url(project: Any) -> None:
    project.post("hello", POST.format(body="One."))
    project.post("Hello", POST.format(body="Two."))
    assert project.errors() == [
        'content/posts/Hello.md:1: the file name "Hello.md" must be lower-case letters, '
        'digits and "-" only'
    ]


def test_every_output_path_is_planned_once(project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page the site writes itself (here the feed, asked for twice) is caught too."""
    project.post("p", POST.format(body="Hi."))

    def twice(*args: Any) -> None:
        render_pages(*args)
        args[-1]("feed.xml", b"again", "a second feed")

    monkeypatch.setattr("engine.build.render_pages", twice)
    with pytest.raises(BuildFailed) as failure:
        project.build()
    assert [str(e) for e in failure.value.errors] == [
        'a second feed:1: "feed.xml" is also written by the feed'
    ]


HOSTILE = '<img src=x onerror="alert(1)">'


def test_demo_options_never_become_html(project: Any) -> None:
    """An author's Markdown may hold HTML, but what a demo's options carry into the page
    (here a CSV file's name, shown as the data's label) is always text."""
    name = f"{HOSTILE}.csv"
    (project.content / "posts" / name).write_text("x,y\n1,2\n2,4\n", encoding="utf-8")
    body = f"<b>Authors' own HTML stays.</b>\n\n```demo\nid: d\ndata:\n  csv: '{name}'\n```\n"
    project.post("p", POST.format(body=body))
    project.build(snapshot=False)
    html = (project.root / "site" / "posts" / "p" / "index.html").read_text(encoding="utf-8")
    assert "<b>Authors&rsquo; own HTML stays.</b>" in html  # with its apostrophe set
    assert "<img" not in html
    assert "onerror" in html  # the name is there, as text
