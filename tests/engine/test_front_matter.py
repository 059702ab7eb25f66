"""Front matter: required keys, types, and every message word for word at its line."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.yamlhelp import INDENTATION

P = "content/posts/p.md"


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "title: T\ndate: 2026-01-02\ntitel: x",
            f'{P}:4: unknown front matter key "titel" (did you mean "title"?)',
        ),
        (
            "title: T\ndate: 2026-13-02",
            f'{P}:3: front matter key "date" is 2026-13-02, a date that does not exist: '
            "months go from 01 to 12",
        ),
        (
            "title: T\ndate: 2026-11-31",
            f'{P}:3: front matter key "date" is 2026-11-31, a day that does not exist: '
            "November 2026 has 30 days",
        ),
        (
            "title: T\ndate: 2027-02-29",
            f'{P}:3: front matter key "date" is 2027-02-29, a day that does not exist: '
            "February 2027 has 28 days",
        ),
        (
            "title: T\ndate: 2026-1-2",
            f'{P}:3: front matter key "date" must be a date written YYYY-MM-DD, got "2026-1-2"',
        ),
        (
            "title: T\ndate: yesterday",
            f'{P}:3: front matter key "date" must be a date written YYYY-MM-DD, got "yesterday"',
        ),
        ("date: 2026-01-02", f'{P}:1: the front matter is missing "title"'),
        ("title: T", f'{P}:1: the front matter is missing "date"'),
        (
            "title: T\ndate: 2026-01-02\ndraft: perhaps",
            f'{P}:4: front matter key "draft" must be true or false, got "perhaps"',
        ),
        (
            "title: T\ndate: 2026-01-02\ntags: [Machine Learning]",
            f'{P}:4: tag "Machine Learning" must be lower-case letters, digits and "-" (e.g. "machine-learning")',
        ),
        (
            "title: [a, b]\ndate: 2026-01-02",
            f'{P}:2: front matter key "title" must be text, got a list',
        ),
        (
            "title: T\n  date: 2026-01-02",
            f"{P}:3: invalid YAML: {INDENTATION}",
        ),
        (
            "title: T\n\tdate: 2026-01-02",
            f"{P}:3: invalid YAML: a tab is not allowed here: YAML indents with spaces only, "
            "and a colon needs a space (not a tab) after it",
        ),
        (
            "title:Loss\ndate: 2026-01-02",
            f'{P}:2: invalid YAML: a space is needed after the colon: write "title: Loss"',
        ),
        (
            "title: Loss: a story\ndate: 2026-01-02",
            f'{P}:2: invalid YAML: this value holds ": ", which YAML reads as another key: '
            'put the value in quotes, e.g. title: "Loss: a story"',
        ),
        (
            "title: 'it's'\ndate: 2026-01-02",
            f"{P}:2: invalid YAML: a quoted value ends at its closing quote: to put a quote "
            "inside, use the other kind around it (\"it's\") or double it ('it''s')",
        ),
        (
            "title: T\ndate: 2026-01-02\ntags: [a, b",
            f'{P}:4: invalid YAML: this list or mapping is never closed: add the missing "]"',
        ),
    ],
)
def test_message_and_line(project, front: str, expected: str) -> None:
    project.post("p", f"---\n{front}\n---\nBody.\n")
    assert project.errors() == [expected]


def test_no_front_matter(project) -> None:
    project.post("p", "# Just a heading\n")
    assert project.errors() == [
        f'{P}:1: a post must start with front matter: a line "---", the settings, then "---"'
    ]


def test_unclosed_front_matter(project) -> None:
    project.post("p", "---\ntitle: T\n")
    assert project.errors() == [
        f'{P}:1: the front matter is never closed: add a line "---" after it'
    ]


def test_errors_of_all_posts_are_reported_together(project) -> None:
    project.post("a", "---\ntitle: A\n---\n")
    project.post("b", "---\ntitl: B\ndate: 2026-01-02\n---\n")
    assert project.errors() == [
        'content/posts/a.md:1: the front matter is missing "date"',
        'content/posts/b.md:1: the front matter is missing "title"',
        'content/posts/b.md:2: unknown front matter key "titl" (did you mean "title"?)',
    ]


def test_values_are_read(project) -> None:
    project.post(
        "p",
        "---\ntitle: 'Loss: a story'\ndate: 2026-01-02\nsummary: Why.\ntags: [ml, maths]\n---\nHi\n",
    )
    post = project.build().pages[0].post
    assert (post.title, post.date, post.summary, post.tags) == (
        "Loss: a story",
        dt.date(2026, 1, 2),
        "Why.",
        ("ml", "maths"),
    )
    assert post.body_first_line == 7


def test_drafts_are_left_out_unless_asked(project) -> None:
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\ndraft: true\n---\nHi\n")
    assert project.build().pages == []
    assert [p.post.slug for p in project.build(drafts=True).pages] == ["p"]


def test_missing_summary_is_a_warning_and_strict_makes_it_an_error(project) -> None:
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\n---\nHi\n")
    warnings = project.build(url="https://example.org/").warnings
    message = f'{P}:1: warning: no "summary" in the front matter; the index and link previews will show none'
    assert [str(w) for w in warnings] == [message]
    assert project.errors(strict=True, url="https://example.org/") == [message]
