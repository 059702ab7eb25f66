"""`explainer serve`: build, serve on 127.0.0.1, rebuild on change and reload open pages.

Open pages hold a server-sent-events connection (`/__explainer/events`, script injected
only in serve mode); after each rebuild the server tells them to reload, or sends the
errors so the page can show them while the last good site stays served.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from engine.build import build
from engine.config import BuildOptions
from engine.errors import BuildFailed, display_path

RELOAD_SCRIPT = Path(__file__).resolve().parent / "livereload" / "reload.js"
POLL_SECONDS = 0.05
HOST = "127.0.0.1"  # never another interface: the preview is for the author alone


class Server(http.server.ThreadingHTTPServer):
    """One thread per request, a backlog for a page's burst of requests, and quiet about
    browsers that leave mid-response (a reload, a closed tab)."""

    daemon_threads = True
    request_queue_size = 128  # socketserver's default of 5 drops connections in a burst

    def handle_error(self, request: object, client_address: object) -> None:
        """Say nothing when the browser went away; otherwise report as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class SiteState:
    """The generation of the served site and the errors of the last build, shared by threads."""

    generation: int = 0
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[str]) -> None:
        """Announce a finished rebuild (with its errors, if it failed)."""
        with self.changed:
            self.generation += 1
            self.errors = errors
            self.changed.notify_all()


def serve(content: Path, port: int, out: Path, *, drafts: bool = False) -> int:
    """Serve until interrupted."""
    options = BuildOptions(content=content, out=out, drafts=drafts, live_reload=True)
    state = SiteState()
    _rebuild(options, state)
    try:
        server = Server((HOST, port), _handler(options, state))
    except OSError as exc:
        print(f"cannot listen on {HOST}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    base = _base_url(options)
    print(f"serving http://{HOST}:{server.server_address[1]}{base} (Ctrl+C to stop)", flush=True)
    watcher = threading.Thread(target=_watch, args=(options, state), daemon=True)
    watcher.start()
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


def _rebuild(options: BuildOptions, state: SiteState) -> None:
    """Build; on failure print the errors and keep the last good site."""
    started = time.perf_counter()
    try:
        result = build(options)
    except BuildFailed as exc:
        lines = [str(e) for e in exc.errors]
        print("\n".join(lines), file=sys.stderr, flush=True)
        state.publish(lines)
        return
    ms = (time.perf_counter() - started) * 1000
    print(
        f"built {len(result.pages)} posts into {display_path(result.out)}/ in {ms:.0f} ms",
        flush=True,
    )
    state.publish([])


def _watched(options: BuildOptions) -> list[Path]:
    from engine.render import BUILTIN_TEMPLATES

    static = Path(__file__).resolve().parent / "static"
    roots = [options.content, options.project / "templates", BUILTIN_TEMPLATES, static]
    files = [options.project / "pyproject.toml"]
    for root in roots:
        if root.is_dir():
            files.extend(p for p in root.rglob("*") if p.is_file())
    return files


def _snapshot(options: BuildOptions) -> dict[Path, int]:
    snapshot: dict[Path, int] = {}
    for path in _watched(options):
        try:
            snapshot[path] = path.stat().st_mtime_ns
        except FileNotFoundError:
            continue
    return snapshot


def _watch(options: BuildOptions, state: SiteState) -> None:
    """Poll the watched files; rebuild when any is added, removed or changed."""
    seen = _snapshot(options)
    while True:
        time.sleep(POLL_SECONDS)
        now = _snapshot(options)
        if now != seen:
            seen = now
            _rebuild(options, state)


def _handler(options: BuildOptions, state: SiteState) -> type[http.server.BaseHTTPRequestHandler]:
    root = options.out.resolve()
    base = _base_url(options)

    class Handler(http.server.SimpleHTTPRequestHandler):
        """Static files from the output folder, plus the reload endpoints."""

        extensions_map = {  # noqa: RUF012 - http.server's own class attribute
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".mjs": "text/javascript",
            ".js": "text/javascript",
            ".wasm": "application/wasm",
        }

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the terminal is for build results."""

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/__explainer/reload.js":
                self._send(RELOAD_SCRIPT.read_bytes(), "text/javascript")
            elif path == "/__explainer/events":
                self._events()
            elif not unquote(path).startswith(base):
                self.send_error(404)
            else:
                self.path = "/" + self.path[len(base) :]
                super().do_GET()

        def translate_path(self, path: str) -> str:
            """Refuse anything that resolves outside the site folder (.., encodings, links)
            or that names no file at all (a NUL byte, a name too long): both are a 404."""
            try:
                candidate = Path(super().translate_path(path)).resolve()
            except (OSError, ValueError):
                return str(root / "__outside__")
            if candidate != root and root not in candidate.parents:
                return str(root / "__outside__")
            return str(candidate)

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            """Stream one event per rebuild: `reload`, or `errors` with the messages."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            with state.changed:
                seen = state.generation
            try:
                while True:
                    with state.changed:
                        changed = state.changed.wait_for(
                            lambda last=seen: state.generation != last,  # type: ignore[misc]
                            timeout=15,
                        )
                        seen, errors = state.generation, list(state.errors)
                    if not changed:
                        self.wfile.write(b": keep-alive\n\n")
                    elif errors:
                        self.wfile.write(f"event: errors\ndata: {json.dumps(errors)}\n\n".encode())
                    else:
                        self.wfile.write(b"event: reload\ndata: {}\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler
