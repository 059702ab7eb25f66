"""`explainer test`: an author's own site driven in Chromium, each failing demo reported
at its post and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POST = "---\ntitle: T\ndate: 2026-01-02\nsummary: S.\n---\n\nIntro.\n\n{body}\n"  # body: line 9


def explainer_test(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", "test"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content/posts").mkdir(parents=True)
    return tmp_path


def test_the_example_site_passes(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    done = explainer_test(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("tested ") and done.stdout.endswith(": all fine\n")


def test_a_theme_that_hides_play_fails_at_the_demos_line(site: Path) -> None:
    (site / "content/theme.css").write_text('[data-action="play"] { display: none; }\n')
    body = "```demo\nid: first\ncontrols: [step, reset]\n```\n\nMore.\n\n```demo\nid: second\n```"
    (site / "content/posts/p.md").write_text(POST.format(body=body), encoding="utf-8")
    done = explainer_test(site)
    assert done.returncode == 1
    assert done.stderr == (
        'content/posts/p.md:16: demo "second": its play control is not visible\n1 error\n'
    )


def test_a_csp_violation_fails_the_page(site: Path) -> None:
    body = '<img src="https://example.com/tracker.png" alt="">\n\n```demo\nid: d\n```'
    (site / "content/posts/p.md").write_text(POST.format(body=body), encoding="utf-8")
    done = explainer_test(site)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith(
        "content/posts/p.md:1: console error: Loading the image "
        "'https://example.com/tracker.png' violates the following Content Security Policy"
    )
    assert lines[-1] == "1 error"
