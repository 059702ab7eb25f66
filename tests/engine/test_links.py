"""Links in posts are checked at build time: a warning at the line, an error with --strict."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.links import link_problem, links_in

P = "content/posts/p.md"
URL = "https://example.org/blog/"
FRONT = "---\ntitle: A post\ndate: 2026-11-26\nsummary: Short.\ntags: [ml]\n---\n"  # 6 lines
BODY = (
    "See [the other post](../other/) and [the data](../../data/rent.csv).\n"  # line 7
    "\n"
    "A [missing post](../gone/), and\n"  # line 9
    "[a missing file](../../data/gone.csv).\n"  # line 10
    "[Tagged](../../tags/ml/), [home](../../), [top](#top), [out](https://example.com/x),\n"
    "[mail](mailto:a@example.com), ![chart](/data/rent.csv).\n"
)


@pytest.fixture
def linked(project):
    project.file("content/data/rent.csv", "x,y\n1,2\n")
    project.post("other", FRONT.replace("A post", "Other") + "Hi.\n")
    project.post("p", FRONT + BODY)
    return project


def test_strict_fails_with_the_line_of_each_broken_link(linked) -> None:
    assert linked.errors(strict=True, url=URL) == [
        f'{P}:9: warning: link "../gone/" leads to /blog/posts/gone/, which the site does not have',
        f'{P}:10: warning: link "../../data/gone.csv" leads to /blog/data/gone.csv, which the '
        'site does not have (did you mean "../../data/rent.csv"?)',
    ]


def test_without_strict_broken_links_are_warnings(linked) -> None:
    result = linked.build(url=URL)
    assert [(w.path, w.line, w.severity) for w in result.warnings] == [
        (P, 9, "warning"),
        (P, 10, "warning"),
    ]
    assert (linked.root / "site/posts/p/index.html").is_file()


def test_check_reports_broken_links(linked) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "engine", "check", "--steps", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert [line.split(": warning: ")[0] for line in lines] == [f"{P}:9", f"{P}:10"]


def test_a_file_linked_as_if_from_the_post_file_gets_a_hint(project) -> None:
    project.file("content/posts/rent.csv", "x,y\n1,2\n")
    project.post("p", FRONT + "[rent.csv](rent.csv)\n")
    assert project.errors(strict=True, url=URL) == [
        f'{P}:7: warning: link "rent.csv" leads to /blog/posts/p/rent.csv, which the site '
        'does not have (did you mean "../rent.csv"?)'
    ]


def test_raw_html_links_are_checked_too(project) -> None:
    project.post("p", FRONT + '<p>\n<img src="../../data/none.png" alt="">\n</p>\n')
    assert project.errors(strict=True, url=URL) == [
        f'{P}:8: warning: link "../../data/none.png" leads to /blog/data/none.png, which the '
        "site does not have"
    ]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("../other/", ""),
        ("../other", ""),  # a folder without its slash: the host redirects
        ("/blog/feed.xml", ""),
        ("?page=2", ""),
        ("https://example.com/", ""),
        ("//cdn.example.com/x.js", ""),
        ("#section", ""),
        (
            "/elsewhere/",
            'link "/elsewhere/" leads to /elsewhere/, outside the site (which is below /blog/)',
        ),
        (
            "../gone/#x",
            'link "../gone/#x" leads to /blog/posts/gone/, which the site does not have',
        ),
    ],
)
def test_link_problem(url: str, problem: str) -> None:
    files = {"index.html", "posts/p/index.html", "posts/other/index.html", "feed.xml"}
    assert link_problem(url, "posts/p/", "/blog/", files) == problem


def test_links_in_reads_unescaped_urls() -> None:
    html = '<a href="a?x=1&amp;y=2">a</a><img src="b.png"><a>none</a><link href="c.css">'
    assert links_in(html) == ["a?x=1&y=2", "b.png"]
