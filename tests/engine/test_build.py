"""Whole builds: the golden site, determinism, atomic writes, settings, base URL."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from engine.assets import sri
from engine.build import build
from engine.config import BuildOptions

GOLDEN = Path(__file__).parent / "golden"
THEME_CSS = b":root { --accent: rebeccapurple; }\n"
PAGES = ("index.html", "posts/hello/index.html", "posts/second/index.html")


def normalise(html: str) -> str:
    """Asset folders are named by content hashes, and integrity values are hashes; the golden
    files should not churn with them."""
    html = re.sub(r"(assets/(?:runtime-)?)[0-9a-f]{10}/", r"\1HASH/", html)
    return re.sub(r"sha384-[A-Za-z0-9+/]{64}", "sha384-HASH", html)


@pytest.fixture
def golden_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(GOLDEN / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    build(BuildOptions(content=Path("content"), out=Path("site")))
    return tmp_path / "site"


@pytest.mark.parametrize("page", PAGES)
def test_golden_pages(golden_site: Path, page: str) -> None:
    actual = normalise((golden_site / page).read_text(encoding="utf-8"))
    expected_path = GOLDEN / "expected" / page
    if os.environ.get("UPDATE_GOLDEN"):
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_markdown_features(golden_site: Path) -> None:
    html = (golden_site / "posts/hello/index.html").read_text(encoding="utf-8")
    assert 'display="block"><mrow>' in html and 'display="inline"><mrow>' in html  # MathML
    assert "<table>" in html and 'class="footnote"' in html
    assert (
        '<div class="codehilite"><pre tabindex="0">' in html
        and '<span class="k">def</span>' in html
    )
    # A one-letter word holds on to the next one (a no-break space), the anchor is as before.
    assert '<h2 id="a-table">A\u00a0table<a class="headerlink" href="#a-table"' in html
    second = (golden_site / "posts/second/index.html").read_text(encoding="utf-8")
    assert "Costs $5 and $10 stay dollars." in second and "<math" not in second


def test_index_lists_posts_newest_first(golden_site: Path) -> None:
    index = (golden_site / "index.html").read_text(encoding="utf-8")
    assert index.index("Hello, gradient descent") < index.index("An older post")


def test_site_ships_runtime_and_data(golden_site: Path) -> None:
    names = {p.relative_to(golden_site).as_posix() for p in golden_site.rglob("*") if p.is_file()}
    assert "data/points.csv" in names and ".nojekyll" in names
    assert "assets/pyodide-314.0.7/pyodide.asm.wasm.gz" in names
    assert any(
        re.fullmatch(r"assets/runtime-[0-9a-f]{10}/explainer_runtime-.*\.whl", n) for n in names
    )
    assert any(re.fullmatch(r"assets/[0-9a-f]{10}/demo\.js", n) for n in names)


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(golden_site: Path, tmp_path: Path) -> None:
    first = tree_digest(golden_site)
    build(BuildOptions(content=Path("content"), out=Path("again")))
    assert tree_digest(tmp_path / "again") == first


def test_failed_build_leaves_previous_site_intact(golden_site: Path, tmp_path: Path) -> None:
    before = tree_digest(golden_site)
    (tmp_path / "content/posts/broken.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    with pytest.raises(Exception, match="missing"):
        build(BuildOptions(content=Path("content"), out=Path("site")))
    assert tree_digest(golden_site) == before
    assert not any(p.name.startswith(".site.") for p in tmp_path.iterdir())


def test_base_url_prefixes_every_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(GOLDEN / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    build(BuildOptions(content=Path("content"), out=Path("site"), base_url="my-repo"))
    for page in PAGES:
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        urls = re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
        assert urls, page
        assert all(u.startswith("/my-repo/") for u in urls), (page, urls)
    post = (tmp_path / "site/posts/hello/index.html").read_text(encoding="utf-8")
    assert '"lock_url":"/my-repo/assets/runtime-' in post


def test_unknown_site_setting(project) -> None:
    project.file(
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.explainer]\ntitle = "T"\nbase_ulr = "/x/"\n',
    )
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n")
    assert project.errors() == [
        'pyproject.toml:6: unknown site setting "base_ulr" (did you mean "base_url"?)'
    ]


def test_bad_pyodide_source(project) -> None:
    project.file("pyproject.toml", '[tool.explainer]\npyodide = "local"\n')
    assert project.errors() == [
        'pyproject.toml:2: site setting "pyodide" must be "self" or "cdn", got "local"'
    ]


def test_site_settings_reach_the_pages(project) -> None:
    project.file(
        "pyproject.toml", '[tool.explainer]\ntitle = "Gradients"\nauthor = "Ada"\npyodide = "cdn"\n'
    )
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\n```\n")
    project.build()
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    assert "<title>T · Gradients</title>" in html and '<meta name="author" content="Ada">' in html
    # With the CDN, the page's own folder keeps the two modules (no code from another
    # site); the interpreter's data files come from the CDN, each checked by its hash.
    assert '"pyodide_url":"/assets/pyodide-314.0.7/pyodide.mjs"' in html
    cdn = "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/"
    assert (
        f'"remote":{{"pyodide.asm.wasm":"{cdn}pyodide.asm.wasm","python_stdlib.zip":"{cdn}python_stdlib.zip"}}'
        in html
    )
    vendored = sorted(p.name for p in (project.root / "site/assets/pyodide-314.0.7").iterdir())
    assert vendored == ["pyodide.asm.mjs", "pyodide.mjs"]
    assert '"pyodide.asm.wasm":"sha384-' in html  # the integrity the worker checks it against


def test_author_template_overrides_builtin(project) -> None:
    project.file("templates/index.html", "custom index for {{ site.title }}\n")
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n")
    project.build()
    assert (project.root / "site/index.html").read_text() == "custom index for explainer\n"


def test_tag_pages_feed_sitemap_and_404(golden_site: Path) -> None:
    tag = (golden_site / "tags/basics/index.html").read_text(encoding="utf-8")
    assert "Posts tagged “Basics”" in tag and "Hello, gradient descent" in tag
    assert "An older post" not in tag
    feed = (golden_site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 and "<updated>2026-11-20T00:00:00Z</updated>" in feed
    assert "Page not found" in (golden_site / "404.html").read_text(encoding="utf-8")


def test_open_graph_and_absolute_urls_with_a_site_url(project) -> None:
    project.file(
        "pyproject.toml", '[tool.explainer]\nurl = "https://me.github.io"\nbase_url = "/repo/"\n'
    )
    project.post(
        "p", "---\ntitle: T & U\ndate: 2026-01-02\nsummary: Why <this>.\ntags: [ml]\n---\nHi\n"
    )
    project.build()
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="T &amp; U · explainer">' in html
    assert '<meta property="og:description" content="Why &lt;this&gt;.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<link rel="canonical" href="https://me.github.io/repo/posts/p/">' in html
    sitemap = (project.root / "site/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://me.github.io/repo/tags/ml/</loc>" in sitemap


def test_bad_site_url(project) -> None:
    project.file("pyproject.toml", '[tool.explainer]\nurl = "me.github.io/repo"\n')
    assert project.errors() == [
        "pyproject.toml:2: the site URL must be an absolute address such as "
        '"https://me.github.io/my-repo/", got "me.github.io/repo"'
    ]


def test_a_theme_stylesheet_is_linked_after_the_built_in_one(project) -> None:
    project.file("content/theme.css", THEME_CSS.decode())
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\nHi\n")
    project.build(base_url="/x/")
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    link = f'<link rel="stylesheet" href="/x/theme.css" integrity="{sri(THEME_CSS)}">'
    assert html.index("style.css") < html.index(link)
    assert (project.root / "site/theme.css").read_bytes() == THEME_CSS
