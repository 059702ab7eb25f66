"""The site's absolute address (--url): a schema-valid sitemap, a feed of absolute IRIs,
canonical links and og:url; without one, a warning and nothing relative where an
address is due."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema

from engine.config import load_settings

SCHEMA = Path(__file__).parent / "schemas" / "sitemap.xsd"
ATOM = "{http://www.w3.org/2005/Atom}"
URL = "https://example.org/blog/"


def post(project, name: str, tags: str = "[ml]") -> None:
    project.post(
        name, f"---\ntitle: {name}\ndate: 2026-11-26\nsummary: S.\ntags: {tags}\n---\nHi.\n"
    )


@pytest.fixture
def site(project) -> Path:
    post(project, "first")
    post(project, "second", "[ml, maths]")
    done = subprocess.run(
        [sys.executable, "-m", "engine", "build", "--url", URL, "--no-snapshot"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return Path(project.root) / "site"


def test_the_sitemap_validates_against_the_sitemaps_org_schema(site: Path) -> None:
    xmlschema.XMLSchema(SCHEMA).validate(site / "sitemap.xml")
    locs = [e.text for e in ElementTree.parse(site / "sitemap.xml").iter() if e.tag.endswith("loc")]
    assert locs == [
        URL,
        URL + "posts/second/",
        URL + "posts/first/",
        URL + "tags/maths/",
        URL + "tags/ml/",
    ]


def test_a_relative_sitemap_would_not_validate(tmp_path: Path) -> None:
    """The schema test can fail: the sitemap explainer wrote before --url existed."""
    relative = tmp_path / "sitemap.xml"
    relative.write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>/</loc></url></urlset>",
        encoding="utf-8",
    )
    assert not xmlschema.XMLSchema(SCHEMA).is_valid(relative)


def test_the_feed_has_absolute_ids_and_links(site: Path) -> None:
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == URL
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert links == [URL + "feed.xml", URL, URL + "posts/second/", URL + "posts/first/"]
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
    assert ids == [URL + "posts/second/", URL + "posts/first/"]


def test_every_post_has_a_canonical_link_and_og_url(site: Path) -> None:
    for name in ("first", "second"):
        html = (site / "posts" / name / "index.html").read_text(encoding="utf-8")
        address = f"{URL}posts/{name}/"
        assert f'<link rel="canonical" href="{address}">' in html
        assert f'<meta property="og:url" content="{address}">' in html
        assert 'href="/blog/feed.xml"' in html  # links stay below the base path
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "canonical" not in not_found


def test_without_a_url_the_build_warns_and_writes_nothing_relative(project) -> None:
    post(project, "first")
    result = project.build(snapshot=False)
    assert [str(w) for w in result.warnings] == [
        "explainer: warning: no site URL, so there is no sitemap.xml, no canonical links, and "
        'the feed has no absolute addresses: give --url https://… or url = "https://…" in '
        "[tool.explainer]"
    ]
    site = project.root / "site"
    assert not (site / "sitemap.xml").exists()
    feed = ElementTree.parse(site / "feed.xml").getroot()
    ids = [feed.findtext(f"{ATOM}id")] + [
        e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")
    ]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i or "") for i in ids), ids
    assert len(set(ids)) == 2
    assert "canonical" not in (site / "posts/first/index.html").read_text(encoding="utf-8")


def test_feed_ids_without_a_url_differ_between_sites(project) -> None:
    post(project, "first")
    project.build(snapshot=False)
    one = (project.root / "site/feed.xml").read_text(encoding="utf-8")
    project.file("pyproject.toml", '[tool.explainer]\ntitle = "Another site"\n')
    project.build(snapshot=False)
    other = (project.root / "site/feed.xml").read_text(encoding="utf-8")
    ids = re.compile(r"<id>(.*?)</id>")
    assert not set(ids.findall(one)) & set(ids.findall(other))


@pytest.mark.parametrize(
    ("url", "base_url", "site_url", "base"),
    [
        ("https://example.org/blog/", None, "https://example.org/blog/", "/blog/"),
        ("https://example.org/blog", None, "https://example.org/blog/", "/blog/"),
        ("https://me.github.io", "/repo/", "https://me.github.io/repo/", "/repo/"),
        ("https://me.github.io/", None, "https://me.github.io/", "/"),
        ("https://example.org/a%20b/", None, "https://example.org/a%20b/", "/a%20b/"),
    ],
)
def test_the_url_gives_the_base_path(
    tmp_path: Path, url: str, base_url: str | None, site_url: str, base: str
) -> None:
    settings = load_settings(tmp_path, base_url, url)
    assert (settings.url, settings.base_url) == (site_url, base)


def test_a_base_url_that_contradicts_the_url_is_refused(project) -> None:
    post(project, "first")
    assert project.errors(url=URL, base_url="/other/") == [
        f"--base-url: --base-url /other/ does not match the path of --url {URL}; give one "
        "of them, or the same path in both"
    ]


def test_a_url_in_the_settings_file(project) -> None:
    project.file("pyproject.toml", f'[tool.explainer]\nurl = "{URL}"\n')
    post(project, "first")
    result = project.build(snapshot=False)
    assert result.warnings == []
    xmlschema.XMLSchema(SCHEMA).validate(project.root / "site" / "sitemap.xml")
    html = (project.root / "site/posts/first/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{URL}posts/first/">' in html
