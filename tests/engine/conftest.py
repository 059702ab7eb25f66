"""Helpers for building small sites inside a temporary project folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.build import BuildResult, build
from engine.config import BuildOptions, load_settings
from engine.demo.block import DemoBlock
from engine.errors import BuildFailed
from engine.reading import read_pages
from engine.render import make_environment

FRONT = "---\ntitle: A post\ndate: 2026-11-26\nsummary: Short.\n---\n"


class Project:
    """A throw-away project: content/ and site/ inside tmp_path, which is the cwd."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        (self.content / "posts").mkdir(parents=True)

    def post(self, name: str, text: str) -> Path:
        """Write content/posts/<name>.md (text is dedented)."""
        path = self.content / "posts" / f"{name}.md"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def file(self, relative: str, text: str) -> Path:
        """Write any file below the project root."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def build(self, **options: object) -> BuildResult:
        """Build content/ into site/."""
        return build(BuildOptions(content=Path("content"), out=Path("site"), **options))  # type: ignore[arg-type]

    def errors(self, **options: object) -> list[str]:
        """Build, expecting failure; the error lines as printed."""
        with pytest.raises(BuildFailed) as failure:
            self.build(**options)
        return [str(e) for e in failure.value.errors]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An empty project with the current directory set to its root."""
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


@pytest.fixture
def demo_errors(project: Project) -> Callable[[str], list[str]]:
    """Build a post whose body is FRONT + one demo block with this YAML; its errors."""

    def run(yaml_body: str) -> list[str]:
        body = textwrap.dedent(yaml_body).strip("\n")
        project.post("p", FRONT + "\nIntro.\n\n```demo\n" + body + "\n```\n")
        return project.errors()

    return run


REPO = Path(__file__).resolve().parents[2]


def example_demos(slug: str) -> dict[str, DemoBlock]:
    """The demos of one post of the example site in content/, by id (no warnings allowed)."""
    options = BuildOptions(content=REPO / "content")
    env = make_environment(load_settings(REPO), REPO / "templates")
    pages, warnings = read_pages(options, load_settings(REPO), env)
    assert warnings == []
    post = next(p for p in pages if p.post.slug == slug)
    return {d.id: d for d in post.demos}
