"""The command line: exit codes, messages, no tracebacks; `new` and `check`."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from engine.cli import main
from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer
from engine.scaffold import new_post, slugify


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args], capture_output=True, text=True, check=False
    )


def test_build_failure_lists_errors_and_exits_1(project) -> None:
    project.post(
        "p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\nshow: [sampels]\n```\n"
    )
    done = run("build")
    assert done.returncode == 1
    assert done.stderr == (
        'content/posts/p.md:7: unknown demo option "sampels" (did you mean "samples"?); '
        "show lists any of samples, iteration, total_loss, average_loss, effective_step, "
        "parameters, fit_chart, loss_chart, runs\n1 error\n"
    )
    assert "Traceback" not in done.stderr and not (project.root / "site").exists()


def test_build_success(project) -> None:
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\nHello\n")
    done = run("build", "--out", "public")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built 1 post into public/ (")
    assert (project.root / "public/posts/p/index.html").is_file()


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["bild"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'bild'" in capsys.readouterr().err


def test_new_writes_a_post_that_builds(project, capsys: pytest.CaptureFixture[str]) -> None:
    assert new_post("Why the Loss Goes Down: a tour!", project.content, dt.date(2026, 11, 26)) == 0
    path = project.content / "posts/why-the-loss-goes-down-a-tour.md"
    assert capsys.readouterr().out == "wrote content/posts/why-the-loss-goes-down-a-tour.md\n"
    assert "date: 2026-11-26" in path.read_text()
    result = project.build(strict=True, url="https://example.org/")
    assert result.pages[0].post.title == "Why the Loss Goes Down: a tour!"
    assert len(result.pages[0].demos) == 1
    assert new_post("Why the loss goes down: a tour", project.content) == 1
    assert "already exists" in capsys.readouterr().err


def test_slugify() -> None:
    assert slugify("Ça marche — 2 fois!") == "ca-marche-2-fois"


def test_check_runs_demos(project) -> None:
    project.post("ok", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n```demo\n```\n")
    done = run("check")
    assert done.returncode == 0, done.stderr
    trainer = Trainer(DemoSettings())
    start = trainer.average_loss
    trainer.step(50)
    w, b = trainer.params.values()
    assert done.stdout == (
        f'content/posts/ok.md:6: demo "demo-1": 50 iterations, average loss from {start:.4g} '
        f"to {trainer.average_loss:.4g}; w = {w:.4g}, b = {b:.4g}\n"
        "checked 1 posts and 1 demos (50 steps each): all fine\n"
    )
    project.post(
        "bad",
        "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\n\n```demo\ntrain:\n  step_size: 1000\n```\n",
    )
    done = run("check")
    assert done.returncode == 1
    assert done.stderr.startswith(
        'content/posts/bad.md:7: demo "demo-1" diverged within 50 steps: '
    )
    assert done.stderr.endswith("on this data a step size of 0.01 or less is stable.\n1 error\n")


def test_missing_content_folder(project) -> None:
    done = run("build", "--content", "nowhere")
    assert (done.returncode, done.stderr) == (
        1,
        "nowhere: the content folder does not exist\n1 error\n",
    )


def test_explainer_test_without_chromium_says_how_to_get_it(
    project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\nHi\n")
    monkeypatch.setattr("engine.browsertest.chromium_path", lambda: None)
    assert main(["test"]) == 1
    assert capsys.readouterr().err == (
        "explainer: explainer test needs Playwright and Chromium: run scripts/setup --test "
        "(it installs the test tools and Debian's chromium)\n1 error\n"
    )


def test_explainer_test_without_playwright_says_how_to_get_it(
    project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.post("p", "---\ntitle: T\ndate: 2026-01-02\nsummary: S\n---\nHi\n")
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    assert main(["test"]) == 1
    assert "scripts/setup --test" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("title", "slug", "shown"),
    [
        ("Straße und Weg", "strasse-und-weg", "Straße und Weg"),
        ("機械学習入門", "ji-xie-xue-xi-ru-men", "機械学習入門"),
        ("Tabs\tand\x01controls\nhere", "tabs-and-controls-here", "Tabs and controls here"),
        ("Loss: a story #1", "loss-a-story-1", "Loss: a story #1"),
        ("yes", "yes", "yes"),
        ("'quoted' \"twice\" \\ back", "quoted-twice-back", "'quoted' \"twice\" \\ back"),
        ("!!!", "post-e84c538e", "!!!"),
        ("\u2028line\u2029separators\x85", "line-separators", "line separators"),
    ],
)
def test_new_makes_a_post_that_builds_from_any_title(
    project, title: str, slug: str, shown: str
) -> None:
    assert new_post(title, project.content, dt.date(2026, 11, 26)) == 0
    assert (project.content / "posts" / f"{slug}.md").is_file()
    result = project.build(strict=True, url="https://example.org/")
    assert [page.post.title for page in result.pages] == [shown]


def test_new_refuses_a_title_with_nothing_in_it(project, capsys) -> None:
    assert new_post(" \t\x01\n", project.content) == 1
    assert capsys.readouterr().err == 'the title is empty, e.g. explainer new "My post"\n'
