"""`explainer serve` as an author lives with it: a timestamped line per rebuild, a build
that fails keeps the last good site, any exception in one post is that post's error and
the watcher keeps watching, rebuild storms with failing posts, and a runtime snapshot
made in the background while the page's text updates at once."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import snapshot
from engine.config import BuildOptions
from engine.content import PostText
from engine.render import render_post_body
from engine.serve import Builder, SiteState, _watch, emit
from tests.engine.conftest import Project
from tests.engine.test_serve_rebuild import Serving, fresh_site, save

STAMP = r"\d\d:\d\d:\d\d "
POST = "---\ntitle: Served\ndate: 2026-01-02\nsummary: S.\n---\n{body}\n"
DEEP = "".join("    " * i + "- item\n" for i in range(300))


@pytest.fixture
def serving(project: Project) -> Iterator[Serving]:
    project.post("served", POST.format(body="Version 0."))
    fresh_site(project)  # the runtime snapshot in the cache
    served = Serving(project.root)
    yield served
    served.stop()


def page_text(served: Serving) -> str:
    status, body = served.get("/posts/served/")
    assert status == 200
    return body.decode()


def test_each_rebuild_prints_a_timestamped_line(serving: Serving, project: Project) -> None:
    save(project, "content/posts/served.md", POST.format(body="Version 1."))
    line = serving.wait_for(lambda line: "rebuilt in" in line)
    assert re.fullmatch(STAMP + r"rebuilt in \d+\.\d\d s", line), line
    assert "Version 1." in page_text(serving)


def test_a_failed_build_says_so_and_keeps_the_last_good_site(
    serving: Serving, project: Project
) -> None:
    save(project, "content/posts/served.md", POST.format(body="```demo\nshow: [sampels]\n```"))
    serving.wait_for(lambda line: line.startswith("content/posts/served.md:7: "))
    line = serving.wait_for(lambda line: "build failed" in line)
    assert re.fullmatch(STAMP + "build failed, still serving the last good site", line), line
    assert "Version 0." in page_text(serving)


def test_a_post_too_deep_for_markdown_is_an_error_and_the_next_edit_rebuilds(
    serving: Serving, project: Project
) -> None:
    save(project, "content/posts/served.md", POST.format(body=DEEP))
    error = serving.wait_for(lambda line: line.startswith("content/posts/served.md:"))
    assert error == (
        "content/posts/served.md:305: this post nests lists, quotes or HTML blocks too deeply "
        "for Markdown to read (the deepest is here); flatten it"
    )
    serving.wait_for(lambda line: "build failed" in line)
    save(project, "content/posts/served.md", POST.format(body="Version 2."))
    serving.wait_for(lambda line: "rebuilt in" in line)
    assert "Version 2." in page_text(serving)


def test_a_rebuild_storm_with_failing_posts(serving: Serving, project: Project) -> None:
    """Forty saves in quick succession, every other one broken in a different way (YAML,
    nesting, a demo option, a missing CSV): the server answers throughout, never prints a
    traceback, and ends up serving the last save."""
    broken = [
        "---\ntitle: [\n---\n",
        POST.format(body=DEEP),
        POST.format(body="```demo\nshow: [sampels]\n```"),
        POST.format(body="```demo\ndata:\n  csv: none.csv\n```"),
    ]
    seen = []
    for number in range(40):
        text = POST.format(body=f"Version {number}.") if number % 2 else broken[number % 8 // 2]
        save(project, "content/posts/served.md", text)
        seen.append(serving.get("/")[0])
        time.sleep(0.02 * (number % 3))  # saves closer than a rebuild, and farther apart
    save(project, "content/posts/served.md", POST.format(body="The last word."))
    deadline = time.monotonic() + 60
    while "The last word." not in page_text(serving):
        assert time.monotonic() < deadline, "the last save was never served"
        time.sleep(0.1)
    assert set(seen) == {200}
    assert serving.process.poll() is None
    printed = serving.printed
    assert not [line for line in printed if "Traceback" in line or "Exception" in line], printed


def test_any_exception_in_a_post_is_that_posts_error(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.post("bad", POST.format(body="Bad."))
    project.post("good", POST.format(body="Good."))

    def explode(post: PostText, *args: Any, **kwargs: Any) -> Any:
        if "Bad." in post.body:
            raise KeyError("surprise")
        return render_post_body(post, *args, **kwargs)

    monkeypatch.setattr("engine.reading.render_post_body", explode)
    assert project.errors() == [
        "content/posts/bad.md:6: this post could not be read: KeyError: 'surprise'"
    ]


@pytest.mark.parametrize(
    ("error", "shown"),
    [(OSError("disk on fire"), "OSError: disk on fire"), (SystemExit(3), "SystemExit: 3")],
)
def test_an_unexpected_failure_of_a_build_keeps_the_server_going(
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: BaseException,
    shown: str,
) -> None:
    project.post("p", POST.format(body="Hi."))
    state = SiteState()
    builder = Builder(BuildOptions(content=Path("content"), out=Path("site")), state)
    builder.rebuild(posts_only=False)
    good = state.site
    assert good is not None

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("engine.serve.build", broken)
    builder.rebuild(posts_only=True)
    assert state.site is good and state.errors == [
        f"explainer: the build failed unexpectedly: {shown}"
    ]
    err = capsys.readouterr().err
    assert "build failed, still serving the last good site" in err and "Traceback" not in err
    monkeypatch.undo()
    builder.rebuild(posts_only=True)
    assert state.errors == [] and state.site is not good


class Flaky:
    """A watcher and a builder that fail in every way once, then work: the watcher's
    `changes()` raises, its builder's `rebuild` raises, and the terminal is closed."""

    def __init__(self) -> None:
        self.failures: list[BaseException] = [SystemExit(2), RuntimeError("inotify gone")]
        self.built = threading.Event()
        self.rebuilds = 0

    def changes(self) -> Iterator[set[Path]]:
        if self.failures:
            raise self.failures.pop(0)
        yield {Path("content/posts/p.md")}
        threading.Event().wait()  # then nothing changes any more

    def settled(self) -> bool:
        return True

    def rebuild(self, *, posts_only: bool, current: Callable[[], bool]) -> None:
        self.rebuilds += 1
        if self.rebuilds == 1:
            raise MemoryError
        self.built.set()


def test_the_watcher_survives_any_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = io.StringIO()
    closed.close()  # the terminal went away: printing raises ValueError
    monkeypatch.setattr(sys, "stderr", closed)
    monkeypatch.setattr("engine.serve.POLL_SECONDS", 0)
    flaky = Flaky()
    options = BuildOptions(content=Path("content"), out=Path("site"))
    watching = threading.Thread(target=_watch, args=(options, flaky, flaky), daemon=True)
    watching.start()
    assert flaky.built.wait(timeout=30), "the watcher stopped"
    assert watching.is_alive() and flaky.rebuilds == 2


def test_a_line_the_terminal_cannot_encode_is_printed_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    ascii_only = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", ascii_only)
    emit("content/posts/θ.md: rebuilt")
    assert raw.getvalue() == b"content/posts/\\u03b8.md: rebuilt\n"


@pytest.mark.skipif(snapshot.node() is None, reason="Node.js is not installed")
def test_a_snapshot_is_made_in_the_background_while_text_updates_at_once(
    project: Project, tmp_path: Path
) -> None:
    """With no snapshot in the cache (an empty one here, as after changing a model), the
    site is served at once without one; an edit meanwhile shows at once; then the
    snapshot is announced and the site rebuilt with it."""
    project.post("served", POST.format(body="Version 0.\n\n```demo\n```"))
    served = Serving(project.root, EXPLAINER_CACHE=str(tmp_path / "empty-cache"))
    try:
        started = [line for line in served.printed if "runtime snapshot" in line]
        assert len(started) == 1, served.printed
        assert re.fullmatch(STAMP + r"making the runtime snapshot in the background .*", started[0])
        assert "snapshot_url" not in page_text(served)
        save(project, "content/posts/served.md", POST.format(body="Version 1.\n\n```demo\n```"))
        next_line = served.wait_for(lambda line: "rebuilt in" in line or "snapshot ready" in line)
        assert "rebuilt in" in next_line, "the edit waited for the snapshot"
        assert "Version 1." in page_text(served)
        ready = served.wait_for(lambda line: "snapshot ready" in line)
        assert re.fullmatch(STAMP + r"runtime snapshot ready in \d+\.\d s", ready), ready
        served.wait_for(lambda line: "rebuilt in" in line)
        html = page_text(served)
        assert "snapshot_url" in html and "Version 1." in html
    finally:
        served.stop()


LISTS = "".join("    " * i + "- item\n" for i in range(300))
DIVS = '<div markdown="1">\n' * 400 + "x\n" + "</div>\n" * 400


@pytest.mark.parametrize(("body", "line"), [(LISTS, 305), (DIVS, 405)])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_deeply_nested_post_is_an_error_at_its_line(
    project: Project, body: str, line: int, command: str
) -> None:
    project.post("deep", POST.format(body=body))
    done = subprocess.run(
        [sys.executable, "-m", "engine", command], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"content/posts/deep.md:{line}: this post nests lists, quotes or HTML blocks too "
        "deeply for Markdown to read (the deepest is here); flatten it\n1 error\n"
    )


@pytest.mark.parametrize(
    "text", ["[" * 40_000, "[" * 20_000 + "]" * 20_000, "![" * 20_000, "[a](" * 10_000]
)
def test_forty_kilobytes_of_brackets_build(project: Project, text: str) -> None:
    """Python-Markdown alone takes minutes on these (quadratic bracket matching); the
    bound here only tells linear from quadratic."""
    project.post("brackets", POST.format(body=text))
    done = subprocess.run(
        [sys.executable, "-m", "engine", "build", "--no-snapshot"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
