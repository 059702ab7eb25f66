"""Sites to measure: a generated 100-post site, the same Markdown for mkdocs, and a server
that counts the bytes it sends."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

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


class ByteCounter:
    """Bytes sent by a server, readable and resettable between page loads."""

    def __init__(self) -> None:
        self.sent = 0
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        """Count `count` more bytes."""
        with self.lock:
            self.sent += count

    def take(self) -> int:
        """The bytes counted since the last call."""
        with self.lock:
            sent, self.sent = self.sent, 0
        return sent


class _CountingWriter:
    """Wraps a handler's output stream to count what goes out."""

    def __init__(self, inner: object, counter: ByteCounter) -> None:
        self.inner = inner
        self.counter = counter

    def write(self, data: bytes) -> int:
        self.counter.add(len(data))
        return self.inner.write(data)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


class CountingHandler(QuietHandler):
    """Static files (with If-Modified-Since revalidation) whose every byte is counted."""

    counter: ByteCounter

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.counter)  # type: ignore[assignment]


def serve_counting(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str, ByteCounter]:
    """Serve `folder` on a free loopback port, counting the bytes sent."""
    counter = ByteCounter()
    handler = type("Handler", (CountingHandler,), {"counter": counter})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", counter
