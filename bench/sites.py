"""Sites to measure: a generated 100-post site, the same Markdown for mkdocs, a page with a
million-sample demo beside a small one, and a server that counts the bytes it sends,
plainly or compressed as GitHub Pages compresses."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import socket
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

from tests.browser.conftest import QuietHandler

PARAGRAPH = (
    "Gradient descent moves each parameter a little against the slope of the loss. "
    "With a small step the loss falls slowly but surely; with a large one it may overshoot, "
    "and with a step that is too large every move lands further from the minimum than the last. "
)

BODY = """
Post {n} is about step sizes, one of the knobs of gradient descent.

## The idea

{text}

| step size | what happens |
| --- | --- |
| 0.001 | slow and steady |
| 0.01 | quick |
| 0.1 | diverges |

## Some code

```python
def step(w, b, xs, ys, size):
    n = len(xs)
    dw = sum(2 * (w * x + b - y) * x for x, y in zip(xs, ys)) / n
    db = sum(2 * (w * x + b - y) for x, y in zip(xs, ys)) / n
    return w - size * dw, b - size * db
```

## Try it

```demo
data:
  synthetic: {{n: 30, seed: {n}}}
train:
  step_size: 0.01
```

{text}
"""


def post_body(n: int) -> str:
    """The Markdown of post `n`: text, a table, code, and a demo block."""
    return BODY.format(n=n, text=PARAGRAPH * 6)


def write_sites(root: Path, posts: int = 100) -> tuple[Path, Path]:
    """Write an explainer project and an mkdocs project holding the same Markdown."""
    content = root / "explainer" / "content" / "posts"
    docs = root / "mkdocs" / "docs"
    content.mkdir(parents=True)
    docs.mkdir(parents=True)
    (root / "mkdocs" / "mkdocs.yml").write_text(
        "site_name: bench\nmarkdown_extensions: [tables, fenced_code, codehilite, toc, footnotes]\n",
        encoding="utf-8",
    )
    (docs / "index.md").write_text("# bench\n", encoding="utf-8")
    for n in range(1, posts + 1):
        front = f"---\ntitle: Post {n}\ndate: 2026-01-{1 + n % 28:02d}\nsummary: Post {n}.\n---\n"
        (content / f"post-{n:03d}.md").write_text(front + post_body(n), encoding="utf-8")
        (docs / f"post-{n:03d}.md").write_text(f"# Post {n}\n" + post_body(n), encoding="utf-8")
    return root / "explainer", root / "mkdocs"


NEIGHBOURS = """---
title: Neighbours
date: 2026-01-01
summary: A million samples beside thirty.
---

A demo of a million samples, then a small one.

```demo
id: big
data:
  synthetic: {n: 1000000, seed: 3}
```

```demo
id: small
data:
  synthetic: {n: 30, seed: 5}
```
"""
ALONE = """---
title: Alone
date: 2026-01-01
summary: The small demo without its big neighbour.
---

The small demo alone.

```demo
id: small
data:
  synthetic: {n: 30, seed: 5}
```
"""


def write_neighbours(posts: Path) -> tuple[str, str]:
    """Write the neighbours post and the small demo alone into `posts`; their slugs."""
    (posts / "neighbours.md").write_text(NEIGHBOURS, encoding="utf-8")
    (posts / "alone.md").write_text(ALONE, encoding="utf-8")
    return "neighbours", "alone"


# What GitHub Pages sends gzip-compressed (text, scripts, data, SVG and WebAssembly; not
# zip or gzip archives, fonts or images, which are compressed already).
GZIP_TYPES = (
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/xml",
    "text/xml",
    "text/plain",
    "text/csv",
    "image/svg+xml",
    "application/wasm",
)


class Traffic:
    """What a server sent since it was last asked: bytes, and the files requested."""

    def __init__(self) -> None:
        self.sent = 0
        self.files: list[str] = []
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        """Count `count` more bytes."""
        with self.lock:
            self.sent += count

    def request(self, path: str) -> None:
        """Note a request for `path`."""
        with self.lock:
            self.files.append(path)

    def take(self) -> int:
        """The bytes sent since the last call (the files requested are forgotten too)."""
        with self.lock:
            sent, self.sent = self.sent, 0
            self.files = []
        return sent

    def take_files(self) -> list[str]:
        """The paths requested since the last call, in order."""
        with self.lock:
            files, self.files = self.files, []
        return files


class _CountingWriter:
    """Wraps a handler's output stream to count what goes out."""

    def __init__(self, inner: object, traffic: Traffic) -> None:
        self.inner = inner
        self.traffic = traffic

    def write(self, data: bytes) -> int:
        self.traffic.add(len(data))
        return self.inner.write(data)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


class CountingHandler(QuietHandler):
    """Static files (with If-Modified-Since revalidation) whose every byte is counted; with
    `compress`, those of GZIP_TYPES are sent gzip-compressed, as GitHub Pages sends them."""

    traffic: Traffic
    compress: bool = False
    _compressed: dict[str, bytes]  # by file path, made once per server

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.traffic)  # type: ignore[assignment]

    def send_head(self) -> BinaryIO | None:
        self.traffic.request(self.path.split("?")[0])
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        wanted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and wanted and kind in GZIP_TYPES and os.path.isfile(path)):
            return super().send_head()
        body = self._compressed.get(path)
        if body is None:
            body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
            self._compressed[path] = body
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    """A server that takes a browser closing a connection early (a page left before its
    last file arrived) in its stride, without printing a traceback."""

    daemon_threads = True

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_counting(
    folder: Path, *, compress: bool = False
) -> tuple[http.server.ThreadingHTTPServer, str, Traffic]:
    """Serve `folder` on a free loopback port, counting what is sent (compressed as GitHub
    Pages compresses, with `compress`)."""
    traffic = Traffic()
    fields = {"traffic": traffic, "compress": compress, "_compressed": {}}
    handler = type("Handler", (CountingHandler,), fields)
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", traffic
