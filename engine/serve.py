"""`explainer serve`: build, serve on 127.0.0.1, rebuild on change and update open pages.

The site is served from memory, exactly the files of the last good build (the output
folder is kept equal to them too, but only for the author to look at). A rebuild renders
again only what changed since the last one when nothing but posts' text changed (see
engine/reuse.py).

Open pages hold a server-sent-events connection (`/__explainer/events`, script injected
only in serve mode). After each rebuild the server tells them the new build's number, or
sends the errors so the page can show them while the last good site stays served. Every
response names the build it comes from in its `Server-Timing` header, with the number of
the last build that changed more than posts' text: a page from before that must load
afresh, a later one may swap in its new content (engine/livereload/reload.js).
"""

from __future__ import annotations

import http.server
import json
import mimetypes
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from urllib.parse import parse_qs, unquote, urlsplit

from engine.build import BuildResult, build
from engine.config import BuildOptions
from engine.errors import BuildFailed, describe, display_path
from engine.outfolder import OutputFolder
from engine.reuse import Reuse
from engine.snapshot import SnapshotError
from engine.watch import POLL_SECONDS, Watcher

RELOAD_SCRIPT = Path(__file__).resolve().parent / "livereload" / "reload.js"
HOST = "127.0.0.1"  # never another interface: the preview is for the author alone
CONTENT_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}
NOT_BUILT = b"""<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Not built yet</title>
<script type="module" src="/__explainer/reload.js"></script>
<p>The site has not built yet: the terminal shows why. This page reloads once it builds.</p>
</html>
"""


class Server(http.server.ThreadingHTTPServer):
    """One thread per request, a backlog for a page's burst of requests, and quiet about
    browsers that leave mid-response (a reload, a closed tab)."""

    daemon_threads = True
    request_queue_size = 128  # socketserver's default of 5 drops connections in a burst

    def handle_error(self, request: object, client_address: object) -> None:
        """Say nothing when the browser went away; otherwise report as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Site:
    """A good build as served: its files by path, its number, and the number of the last
    build that changed more than posts' text (pages older than that must load afresh)."""

    files: Mapping[str, bytes | Path]
    build: int
    reload: int

    def timing(self) -> str:
        """The `Server-Timing` value that tells a page which build it holds."""
        return f'explainer-build;desc="{self.build}", explainer-reload;desc="{self.reload}"'


@dataclass
class SiteState:
    """The served site and the errors of the last build, shared by threads. Every build,
    good or not, has the next number; `errors` are the last one's (empty when it built)."""

    generation: int = 0
    site: Site | None = None
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, files: Mapping[str, bytes | Path], *, posts_only: bool) -> None:
        """Serve a new good build; `posts_only` when nothing but posts' text changed since
        the last good one."""
        with self.changed:
            self.generation += 1
            last = self.site
            reload = last.reload if posts_only and last is not None else self.generation
            self.site = Site(files, self.generation, reload)
            self.errors = []
            self.changed.notify_all()

    def fail(self, errors: list[str]) -> None:
        """Announce a build that failed; the last good site stays served."""
        with self.changed:
            self.generation += 1
            self.errors = errors
            self.changed.notify_all()


def serve(content: Path, port: int, out: Path, *, drafts: bool = False) -> int:
    """Serve until interrupted."""
    options = BuildOptions(content=content, out=out, drafts=drafts, live_reload=True)
    state = SiteState()
    builder = Builder(options, state)
    watcher = Watcher(options)  # before the first build, so no change escapes it
    builder.rebuild(posts_only=False)
    base = _base_url(options)
    try:
        server = Server((HOST, port), _handler(base, state))
    except OSError as exc:
        print(f"cannot listen on {HOST}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    emit(f"serving http://{HOST}:{server.server_address[1]}{base} (Ctrl+C to stop)")
    threading.Thread(target=_watch, args=(options, watcher, builder), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.server_close()
    return 0


def _base_url(options: BuildOptions) -> str:
    from engine.config import load_settings

    try:
        return load_settings(options.project).base_url
    except BuildFailed:
        return "/"


class Builder:
    """Rebuilds the site, hands it to the server, then mirrors it into the output folder.
    One rebuild at a time: the watcher and the snapshot maker both ask for them."""

    def __init__(self, options: BuildOptions, state: SiteState) -> None:
        self.options = options
        self.state = state
        self.reuse = Reuse()
        self.folder = OutputFolder(options.out)
        self.posts_only = True  # nothing but posts' text changed since the last good build
        self.lock = threading.Lock()
        self.snapshots: set[int] = set()  # the pending snapshots being made, by id

    def rebuild(self, *, posts_only: bool, current: Callable[[], bool] = lambda: True) -> None:
        """Build; on failure print the errors and keep the last good site. A failure is
        not reported if the files changed meanwhile (`current()` is false): it may be an
        editor's half-written file, and the watcher is about to build again anyway."""
        with self.lock:
            first = self.state.site is None and self.state.generation == 0
            started = time.perf_counter()
            try:
                result = self._build(posts_only)
            except BuildFailed as exc:
                if current():
                    self._failed([str(e) for e in exc.errors])
                return
            except (Exception, SystemExit) as exc:  # nothing may stop the server or its watcher
                self._failed([f"explainer: the build failed unexpectedly: {describe(exc)}"])
                return
            seconds = time.perf_counter() - started
            if first:
                posts = len(result.pages)
                shown = display_path(result.out)
                say(
                    f"built {posts} post{'s' if posts != 1 else ''} into {shown}/ in {seconds:.2f} s"
                )
            else:
                say(f"rebuilt in {seconds:.2f} s")
        self._make_snapshot()

    def _build(self, posts_only: bool) -> BuildResult:
        """Build into memory, serve it, then mirror it into the output folder."""
        if not posts_only:
            self.reuse.forget()
        self.posts_only = self.posts_only and posts_only
        result = build(self.options, self.reuse, write=False)
        self.state.publish(result.output, posts_only=self.posts_only)
        self.posts_only = True
        try:
            self.folder.update(result.output)
        except BuildFailed as exc:  # the served site is fine; only the copy on disk is not
            emit("\n".join(str(e) for e in exc.errors), error=True)
        return result

    def _failed(self, lines: list[str]) -> None:
        emit("\n".join(lines), error=True)  # path:line: as they are
        still = "still serving the last good site" if self.state.site else "nothing to serve yet"
        say(f"build failed, {still}", error=True)
        self.state.fail(lines)

    def _make_snapshot(self) -> None:
        """Make the runtime snapshot the site lacks in the background, then rebuild with it:
        the pages are served at once, and start Python faster a few seconds later."""
        pending = self.reuse.pending_snapshot()
        if pending is None or id(pending) in self.snapshots:
            return
        self.snapshots.add(id(pending))
        threading.Thread(target=self._snapshot, args=(pending,), daemon=True).start()

    def _snapshot(self, pending: Callable[[], object]) -> None:
        say("making the runtime snapshot in the background (a few seconds) …")
        started = time.perf_counter()
        try:
            pending()
        except SnapshotError as exc:
            say(f"warning: {exc}; pages start Python without it (slower)", error=True)
            return
        say(f"runtime snapshot ready in {time.perf_counter() - started:.1f} s")
        with self.lock:
            if self.reuse.pending_snapshot() is not pending:
                return  # a later build has its own
            self.reuse.forget_assets()
        self.rebuild(posts_only=True)


def say(text: str, *, error: bool = False) -> None:
    """Print a line to the terminal, after the time of day."""
    emit(f"{time.strftime('%H:%M:%S')} {text}", error=error)


_TERMINAL = threading.Lock()  # one line at a time, whichever thread prints it


def emit(text: str, *, error: bool = False) -> None:
    """Print `text` and a newline in one piece (another thread's line never splits it).
    A terminal that cannot take it (closed, or not UTF-8) loses the line, not the server."""
    stream = sys.stderr if error else sys.stdout
    with _TERMINAL:
        try:
            try:
                stream.write(text + "\n")
            except UnicodeEncodeError:
                stream.write(text.encode("ascii", "backslashreplace").decode("ascii") + "\n")
            stream.flush()
        except (OSError, ValueError):  # closed: nowhere to say it
            pass


def _watch(options: BuildOptions, watcher: Watcher, builder: Builder) -> None:
    """Rebuild whenever watched files change; nothing stops the watching."""
    posts = options.content / "posts"
    while True:
        try:
            for changed in watcher.changes():
                posts_only = all(path.parent == posts and path.suffix == ".md" for path in changed)
                builder.rebuild(posts_only=posts_only, current=watcher.settled)
        except (Exception, SystemExit) as exc:  # a file system hiccup, say: look again
            say(f"explainer: watching the files failed: {describe(exc)}", error=True)
            time.sleep(POLL_SECONDS)


def locate(files: Mapping[str, object], base: str, path: str) -> tuple[int, str]:
    """Where the decoded URL path `path` leads: (200, the file's name in `files`), (301, the
    path with the slash a folder needs), or (404, "")."""
    if not path.startswith(base):
        return 404, ""
    name = path[len(base) :]
    if name == "" or name.endswith("/"):
        name += "index.html"
    if name in files:
        return 200, name
    if f"{name}/index.html" in files:
        return 301, path + "/"
    return 404, ""


def content_type(name: str) -> str:
    """The media type of a site file, by its name."""
    suffix = Path(name).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def allowed_host(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this server: 127.0.0.1 or localhost, with its
    port or none. Any other name is a page elsewhere that had its own name resolve to
    127.0.0.1 (DNS rebinding) to read the preview. No header at all is an HTTP/1.0
    client, not a browser."""
    if host is None:
        return True
    name, _, given = host.strip().lower().rpartition(":")
    if not name or given.startswith("["):  # no port given
        name, given = host.strip().lower(), str(port)
    return name in ("127.0.0.1", "localhost") and given == str(port)


def _handler(base: str, state: SiteState) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        """The site's files from memory, plus the reload endpoints."""

        immutable = False  # the answer is a file a browser may keep

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the terminal is for build results."""

        def do_GET(self) -> None:
            if not self._host_allowed():
                return
            path = urlsplit(self.path).path
            if path == "/__explainer/reload.js":
                self._send(200, RELOAD_SCRIPT.read_bytes(), "text/javascript")
            elif path == "/__explainer/events":
                self._events()
            else:
                self._site_file()

        def do_HEAD(self) -> None:
            if self._host_allowed():
                self._site_file()

        def _host_allowed(self) -> bool:
            """Refuse (with 421) a request whose Host is not this server."""
            port = cast(http.server.HTTPServer, self.server).server_port
            if allowed_host(self.headers.get("Host"), port):
                return True
            body = b"This server answers only to 127.0.0.1 and localhost.\n"
            self._send(421, body, "text/plain; charset=utf-8")
            return False

        def end_headers(self) -> None:
            cache = "max-age=31536000, immutable" if self.immutable else "no-store"
            self.send_header("Cache-Control", cache)
            super().end_headers()

        def _send(self, status: int, body: bytes, content_type: str, timing: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if timing:
                self.send_header("Server-Timing", timing)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _site_file(self) -> None:
            """A file of the served build; its folders' index.html; or a 404."""
            site = state.site  # one build for the whole answer, whatever happens meanwhile
            if site is None:
                timing = 'explainer-build;desc="0", explainer-reload;desc="0"'
                self._send(503, NOT_BUILT, "text/html; charset=utf-8", timing)
                return
            url = urlsplit(self.path)
            status, found = locate(site.files, base, unquote(url.path))
            if status == 301:
                self.send_response(301)
                self.send_header(
                    "Location", url.path + "/" + (f"?{url.query}" if url.query else "")
                )
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = site.files.get(found) if status == 200 else None
            # Asset folders are named by their content's hash (or Pyodide's version), so
            # a browser may keep their files; pages and data always come fresh.
            self.immutable = data is not None and found.startswith("assets/")
            if isinstance(data, Path):
                self._send_file(data, content_type(found), site.timing())
            elif data is not None:
                self._send(200, data, content_type(found), site.timing())
            else:
                self._not_found(site)

        def _not_found(self, site: Site) -> None:
            """The site's own 404 page, as GitHub Pages answers a missing page."""
            page = site.files.get("404.html")
            if isinstance(page, bytes):
                self._send(404, page, "text/html; charset=utf-8", site.timing())
            else:
                self.send_error(404)

        def _send_file(self, path: Path, kind: str, timing: str) -> None:
            """A file copied into the site as it is (the Pyodide files, the author's data)."""
            try:
                handle = path.open("rb")
            except OSError:
                self.immutable = False
                self.send_error(404)
                return
            with handle:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(os.fstat(handle.fileno()).st_size))
                self.send_header("Server-Timing", timing)
                self.end_headers()
                if self.command != "HEAD":
                    self.connection.sendfile(handle)

        def _events(self) -> None:
            """Stream one event per build: `rebuilt` with the new build's numbers, or
            `errors` with the messages. A page passes `since`, the build it shows, to hear
            at once about any build it missed while it loaded."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
            with state.changed:
                known = since.isascii() and since.isdigit() and len(since) <= 18
                seen = int(since) if known else state.generation
            try:
                while True:
                    with state.changed:
                        changed = state.changed.wait_for(
                            lambda last=seen: state.generation != last,  # type: ignore[misc]
                            timeout=15,
                        )
                        seen, errors, site = state.generation, list(state.errors), state.site
                    if not changed:
                        self.wfile.write(b": keep-alive\n\n")
                    elif errors or site is None:
                        self.wfile.write(f"event: errors\ndata: {json.dumps(errors)}\n\n".encode())
                    else:
                        news = json.dumps({"build": site.build, "reload": site.reload})
                        self.wfile.write(f"event: rebuilt\ndata: {news}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler
