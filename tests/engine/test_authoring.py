"""An author's mistakes: every one of a build reported in one run, each at its line, and
paths in posts that can only lead to files inside content/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.errors import BuildFailed, SourceError, count_line, warning

P = "content/posts/p.md"
FRONT = "---\ntitle: A post\ndate: 2026-11-26\nsummary: Short.\n---\n"
URL = "https://example.org/"


def csv_demo(path: str) -> str:
    return f"```demo\ndata:\n  csv: {path}\n```\n"


def test_every_mistake_of_a_post_in_one_run(project) -> None:
    """Front matter and body alike: a typo in a key, a missing CSV file, a missing model
    file and a duplicate demo id, all in one build."""
    project.post(
        "p",
        "---\ntitel: A post\ndate: 2026-11-26\n---\n\n"  # lines 1-5
        "```demo\ndata:\n  csv: data/none.csv\n```\n\n"  # 6-10
        "```demo\nmodel: models/none.py\n```\n\n"  # 11-14
        "```demo\nid: twice\n```\n\n"  # 15-18
        "```demo\nid: twice\n```\n",  # 19-21
    )
    assert project.errors() == [
        f'{P}:1: the front matter is missing "title"',
        f'{P}:2: unknown front matter key "titel" (did you mean "title"?)',
        f'{P}:8: CSV file "data/none.csv" not found (looked for content/posts/data/none.csv '
        "and content/data/none.csv)",
        f'{P}:12: model file "models/none.py" not found (looked for content/models/none.py)',
        f'{P}:19: duplicate demo id "twice" (first used on line 15)',
    ]


def test_a_duplicate_id_is_found_even_when_the_first_demo_is_wrong(project) -> None:
    project.post(
        "p",
        FRONT + "```demo\nid: d\ndata:\n  csv: none.csv\n```\n```demo\nid: d\n```\n",
    )
    errors = project.errors()
    assert errors[-1] == f'{P}:11: duplicate demo id "d" (first used on line 6)'
    assert len(errors) == 2


def test_the_command_line_counts_errors_and_warnings(project) -> None:
    project.post("p", "---\ntitle: T\ndate: 2026-11-26\n---\n[gone](../gone/)\n")
    done = subprocess.run(
        [sys.executable, "-m", "engine", "build", "--strict", "--url", URL],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f'{P}:1: warning: no "summary" in the front matter; the index and link previews '
        "will show none",
        f'{P}:5: warning: link "../gone/" leads to /posts/gone/, which the site does not have',
        "2 warnings treated as errors",
    ]
    assert not (project.root / "site").exists()


def test_severity_is_a_field_not_a_prefix() -> None:
    error = SourceError("a.md", 3, "broken")
    note = warning("a.md", 4, "odd")
    assert (error.severity, note.severity) == ("error", "warning")
    assert (str(error), str(note)) == ("a.md:3: broken", "a.md:4: warning: odd")
    assert note.message == "odd"
    assert count_line([error]) == "1 error"
    assert count_line([error, note, note]) == "1 error, 2 warnings"
    assert count_line([note], strict=True) == "1 warning treated as errors"
    assert BuildFailed([error, note], strict=True).summary() == (
        "1 error, 1 warning treated as errors"
    )


@pytest.mark.parametrize(
    "path", ["../../../../etc/hostname", "../../outside.csv", "/../outside.csv"]
)
def test_a_csv_path_leaving_content_is_refused_at_its_line(project, path: str) -> None:
    project.file("outside.csv", "x,y\n1,2\n2,4\n")
    project.post("p", FRONT + "\n" + csv_demo(path))
    assert project.errors() == [
        f'{P}:9: CSV file "{path}" leads outside the content folder, which a build never reads'
    ]


def test_an_absolute_path_is_a_path_of_the_site_not_of_the_machine(project) -> None:
    project.post("p", FRONT + "\n" + csv_demo("/etc/hostname"))
    assert project.errors() == [
        f'{P}:9: CSV file "/etc/hostname" not found (looked for content/etc/hostname)'
    ]


def test_a_csv_path_through_a_symbolic_link_is_refused_and_never_read(project) -> None:
    secret = project.file("secret/numbers.csv", "x,y\n1,12345\n2,67890\nthree,oops\n")
    os.symlink(secret.parent, project.content / "data")
    project.post("p", FRONT + "\n" + csv_demo("data/numbers.csv"))
    errors = project.errors()
    assert errors == [
        f'{P}:9: CSV file "data/numbers.csv" leads outside the content folder, which a '
        "build never reads"
    ]
    assert "oops" not in "".join(errors)


def test_a_model_folder_outside_content_is_refused(project) -> None:
    project.file(
        "elsewhere/m.py", 'PARAMETERS = {"a": 0.0}\n\n\ndef predict(p, x):\n    return p["a"]\n'
    )
    os.symlink(project.root / "elsewhere", project.content / "models")
    project.post("p", FRONT + "\n```demo\nmodel: models/m.py\n```\n")
    assert project.errors() == [
        f'{P}:8: model file "models/m.py" leads outside the content folder, which a build '
        "never reads"
    ]


def test_a_site_path_finds_the_file_in_content(project) -> None:
    project.file("content/data/points.csv", "x,y\n1,2\n2,4\n3,6\n")
    project.post("p", FRONT + "\n" + csv_demo("/data/points.csv"))
    result = project.build(url=URL)
    assert result.pages[0].demos[0].settings.data.name == "points.csv"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "data/Rent.csv",
            'CSV file "data/Rent.csv" not found (looked for content/posts/data/Rent.csv and '
            'content/data/Rent.csv; did you mean "data/rent.csv"?)',
        ),
        (
            "/data/rents.csv",
            'CSV file "/data/rents.csv" not found (looked for content/data/rents.csv; '
            'did you mean "/data/rent.csv"?)',
        ),
        (
            "rent.csv",
            'CSV file "rent.csv" not found (looked for content/posts/rent.csv and '
            'content/rent.csv; did you mean "data/rent.csv"?)',
        ),
        (
            "data/.hidden.csv",
            'CSV file "data/.hidden.csv" is a hidden or scratch file, which a build never reads',
        ),
    ],
)
def test_near_misses_are_suggested(project, path: str, expected: str) -> None:
    project.file("content/data/rent.csv", "x,y\n1,2\n2,4\n")
    project.file("content/data/.hidden.csv", "x,y\n1,2\n2,4\n")
    project.post("p", FRONT + "\n" + csv_demo(path))
    assert project.errors() == [f"{P}:9: {expected}"]


def test_hidden_scratch_and_outside_files_are_not_published(project) -> None:
    project.post("p", FRONT + "Hi.\n")
    project.file("content/data/ok.csv", "x,y\n1,2\n")
    for name in (
        ".vscode/settings.json",
        ".obsidian/workspace.json",
        ".git/config.txt",
        "data/.secret.csv",
        "data/ok.csv~",
        "data/#ok.csv#",
        "data/ok.csv.swp",
        "posts/.p.md.swp",
    ):
        project.file(f"content/{name}", "x,y\n1,2\n")
    os.symlink("/etc/passwd", project.content / "leak.txt")
    # An editor's lock file: a dangling symbolic link named like a post.
    os.symlink("root@host.1234:1700000000", project.content / "posts" / ".#p.md")
    result = project.build(url=URL)
    published = {
        p.relative_to(project.root / "site").as_posix() for p in (project.root / "site").rglob("*")
    }
    assert "data/ok.csv" in published
    assert not {"leak.txt", ".vscode", ".obsidian", ".git", "data/.secret.csv"} & published
    assert not [p for p in published if p.endswith(("~", "#", ".swp"))]
    assert [str(w) for w in result.warnings] == [
        "content/leak.txt: warning: is a link to a file outside the content folder, so it is "
        "not published"
    ]


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        (
            "https://x.github.io/repo/",
            '--base-url: the base URL is a path such as /my-repo/, got "https://x.github.io/repo/"; '
            "give the site's full address with --url (or url in [tool.explainer]) instead",
        ),
        ("/a/../b/", '--base-url: the base URL is a path such as /my-repo/, got "/a/../b/"'),
    ],
)
def test_base_url_must_be_a_path(project, base_url: str, message: str) -> None:
    project.post("p", FRONT + "Hi.\n")
    assert project.errors(base_url=base_url) == [message]


def test_base_url_is_percent_encoded(project) -> None:
    project.post("p", FRONT + "Hi.\n")
    project.build(base_url="/a b/", url=None)
    html = (project.root / "site/index.html").read_text(encoding="utf-8")
    assert 'href="/a%20b/posts/p/"' in html and "/a b/" not in html


def test_site_paths_in_posts_get_the_base_url(project) -> None:
    project.file("content/data/rent.csv", "x,y\n1,2\n")
    project.post("p", FRONT + "[rent](/data/rent.csv) ![plot](/data/rent.csv)\n")
    result = project.build(url="https://me.github.io/repo/")
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    assert '<a href="/repo/data/rent.csv">' in html and 'src="/repo/data/rent.csv"' in html
    assert result.warnings == []


def test_an_impossible_date_is_called_impossible(project) -> None:
    project.post("p", "---\ntitle: T\ndate: 2026-02-30\n---\n")
    assert project.errors() == [
        f'{P}:3: front matter key "date" is 2026-02-30, a day that does not exist: '
        "February 2026 has 28 days"
    ]


def test_scratch_files_are_not_posts(project, tmp_path: Path) -> None:
    project.post("p", FRONT + "Hi.\n")
    (project.content / "posts" / "#p.md#").write_text("garbage", encoding="utf-8")
    (project.content / "posts" / ".draft.md").write_text("garbage", encoding="utf-8")
    assert [page.post.slug for page in project.build(url=URL).pages] == ["p"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "```demo\nid: main\n```\n",
            'demo id "main" is also the id of the page\'s main content; give this demo an id '
            'of its own ("id: …" in its block)',
        ),
        (
            "```demo\nid: explainer-runtime\n```\n",
            'demo id "explainer-runtime" is also the id of the page\'s runtime settings; give '
            'this demo an id of its own ("id: …" in its block)',
        ),
        (
            "```demo\nid: intro\n```\n\n## Intro\n",
            'demo id "intro" is also the id of a heading\'s anchor; give this demo an id of '
            'its own ("id: …" in its block)',
        ),
        (
            "```demo\n```\n\n## Demo 1\n",
            'demo id "demo-1" (a demo without an id is demo-1, demo-2, … by its place) is also '
            'the id of a heading\'s anchor; give this demo an id of its own ("id: …" in its '
            "block)",
        ),
        (
            '```demo\nid: chart\n```\n\n<p id="chart">Mine.</p>\n',
            'demo id "chart" is also the id of another element of the post; give this demo an '
            'id of its own ("id: …" in its block)',
        ),
    ],
)
def test_a_demo_id_that_clashes_with_another_id_of_the_page(
    project, body: str, message: str
) -> None:
    project.post("p", FRONT + "\n" + body)
    assert project.errors() == [f"{P}:7: {message}"]


def test_headings_and_demos_with_different_ids_build(project) -> None:
    project.post("p", FRONT + "\n## Demo 1\n\n```demo\nid: first\n```\n\n## First steps\n")
    assert len(project.build(url=URL).pages[0].demos) == 1
