"""`explainer serve` under hostile requests: loopback only, nothing outside the site, and a
server that keeps answering through bursts, odd paths and browsers that leave mid-file.

The server runs as `python -m engine serve --port 0` in a throw-away project, as an author
would start it; every socket has a timeout so that a hung server fails the test quickly.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import os
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SECRET = "TOP SECRET, outside the site"
TIMEOUT = 10


@dataclass
class Served:
    """A running `explainer serve`: its process, port, project folder and output log."""

    process: subprocess.Popen[bytes]
    port: int
    root: Path
    log: Path

    def get(self, path: str, method: str = "GET") -> tuple[int, bytes]:
        """Status and body of one request for `path`, sent exactly as written."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def raw(self, request: bytes) -> bytes:
        """The server's answer to raw request bytes (for paths http.client would refuse)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT) as conn:
            conn.sendall(request)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("serve")
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/served.md").write_text(
        "---\ntitle: Served\ndate: 2026-01-02\nsummary: S\n---\nHello.\n", encoding="utf-8"
    )
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    log = root / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "engine", "serve", "--port", "0"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
    try:
        port = _wait_for_address(process, log)
        site = root / "site"
        # Links the author could have made inside the site, pointing out of it.
        (site / "leak.txt").symlink_to(root / "secret.txt")
        (site / "leak-dir").symlink_to(root, target_is_directory=True)
        yield Served(process, port, root, log)
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)


def _wait_for_address(process: subprocess.Popen[bytes], log: Path) -> int:
    """The port from the "serving http://127.0.0.1:PORT/" line."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("serving http://127.0.0.1:"):
                return int(line.split(":")[2].split("/")[0])
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        time.sleep(0.05)
    raise AssertionError("serve did not print its address")


def listening_addresses(pid: int) -> set[str]:
    """The local addresses of the TCP sockets process `pid` listens on (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        for fields in (line.split() for line in lines):
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                found.add(fields[1])
    return found


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc")
def test_listens_on_loopback_only(served: Served) -> None:
    assert listening_addresses(served.process.pid) == {f"0100007F:{served.port:04X}"}


def test_cannot_be_reached_on_another_interface(served: Served) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            pytest.skip("no network interface besides loopback")
        address = probe.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("no network interface besides loopback")
    with pytest.raises(OSError):
        socket.create_connection((address, served.port), timeout=2).close()


OUTSIDE = [
    "/../secret.txt",
    "/../../secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/.%2e/secret.txt",
    "/%252e%252e/secret.txt",  # double-encoded
    "/%25252e%25252e/secret.txt",
    "/..\\secret.txt",
    "/..%5csecret.txt",
    "/%5c..%5c..%5csecret.txt",
    "/posts/../../secret.txt",
    "/posts/%2e%2e/%2e%2e/secret.txt",
    "/./.././secret.txt",
    "/..;/secret.txt",
    "//secret.txt",
    "/leak.txt",  # a symlink in the site to the secret
    "/leak-dir/secret.txt",  # a symlinked folder
    "/leak-dir/",
    "/leak-dir/site/../secret.txt",
    "/%00",
    "/..%00/secret.txt",
    "/secret.txt%00.html",
    "/" + "a" * 5000,
    "/" + "../" * 200 + "secret.txt",
    "http://127.0.0.1/../secret.txt",
    "http://evil.example/../../secret.txt",
]


@pytest.mark.parametrize("path", OUTSIDE)
def test_paths_outside_the_site_are_refused(served: Served, path: str) -> None:
    status, body = served.get(path)
    # An absolute URL naming another host sends that host: refused before the path.
    assert status == (421 if "evil.example" in path else 404), (path, status)
    assert SECRET.encode() not in body


def test_absolute_paths_are_refused(served: Served) -> None:
    secret = served.root / "secret.txt"
    for path in (str(secret), "/" + str(secret), "/%2F" + str(secret).lstrip("/"), "/etc/passwd"):
        status, body = served.get(path if path.startswith("/") else "/" + path)
        assert status == 404 and SECRET.encode() not in body, path


def test_raw_requests_with_odd_bytes_are_answered(served: Served) -> None:
    for request in (
        b"GET /\x00/../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /../secret.txt HTTP/1.0\r\n\r\n",
        b"GET " + b"/a" * 40_000 + b" HTTP/1.1\r\n\r\n",  # a request line past the limit
        b"BREW /pot HTTP/1.1\r\n\r\n",
        b"\r\n\r\n",
    ):
        answer = served.raw(request)
        assert SECRET.encode() not in answer
        if answer:
            assert answer.startswith(b"HTTP/1."), answer[:80]
    assert served.get("/")[0] == 200


def test_pages_inside_the_site_are_served(served: Served) -> None:
    for path, needle in [
        ("/", b"Served"),
        ("/posts/served/", b"Hello."),
        ("/posts/served/index.html", b"Hello."),
        ("/posts/%73erved/", b"Hello."),  # percent-encoded letters are fine
        ("/feed.xml", b"<feed"),
    ]:
        status, body = served.get(path)
        assert status == 200 and needle in body, path


def expected_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    names = ["index.html", "posts/served/index.html", "feed.xml", "404.html"]
    names += [p.relative_to(site).as_posix() for p in site.glob("assets/*/*.js")][:10]
    return {"/" + name: (site / name).read_bytes() for name in names}


def test_a_burst_of_concurrent_requests_is_answered(served: Served) -> None:
    files = expected_files(served.root)
    paths = [*files, "/missing", "/../secret.txt"]
    wanted = [paths[i % len(paths)] for i in range(200)]
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(served.get, wanted))
    assert time.monotonic() - started < 30
    for path, (status, body) in zip(wanted, answers, strict=True):
        if path in files:
            assert (status, body) == (200, files[path]), path
        else:
            assert status == 404, path


def wasm_path(root: Path) -> str:
    wasm = next((root / "site/assets").glob("pyodide-*/pyodide.asm.wasm.gz"))
    assert wasm.stat().st_size > 2_000_000
    return "/" + wasm.relative_to(root / "site").as_posix()


def test_a_client_that_leaves_mid_response_does_not_hurt(served: Served) -> None:
    path = wasm_path(served.root)
    for linger in (False, True, False, True, False):
        conn = socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT)
        if linger:  # close with a reset rather than a polite FIN
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
        assert conn.recv(1024).startswith(b"HTTP/1.0 200")
        conn.close()
    time.sleep(0.5)  # let the server's threads meet the closed sockets
    status, body = served.get(path)
    assert status == 200 and len(body) == (served.root / "site" / path[1:]).stat().st_size
    assert served.get("/")[0] == 200
    assert served.process.poll() is None
    log = served.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "Exception occurred" not in log, log


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",
        "attacker.example:{port}",
        "127.0.0.1:1",
        "localhost.attacker.example:{port}",
        "127.0.0.2:{port}",
    ],
)
def test_a_foreign_host_header_is_refused(served: Served, host: str) -> None:
    """A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) reads nothing:
    not the posts, not the build's error stream."""
    for path in ("/", "/posts/served/", "/__explainer/events"):
        answer = served.raw(
            f"GET {path} HTTP/1.1\r\nHost: {host.format(port=served.port)}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        assert answer.startswith(b"HTTP/1.0 421 "), (host, path, answer[:40])
        assert b"Hello." not in answer


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "127.0.0.1"]
)
def test_the_servers_own_names_are_answered(served: Served, host: str) -> None:
    answer = served.raw(
        f"GET /posts/served/ HTTP/1.1\r\nHost: {host.format(port=served.port)}\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    assert answer.startswith(b"HTTP/1.0 200 ") and b"Hello." in answer


def test_a_missing_page_gets_the_sites_own_404(served: Served) -> None:
    status, body = served.get("/posts/nowhere/")
    assert status == 404
    assert body == (served.root / "site" / "404.html").read_bytes()


def test_an_absurd_since_prints_no_traceback(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT) as conn:
        conn.sendall(
            f"GET /__explainer/events?since={'9' * 5000} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{served.port}\r\n\r\n".encode()
        )
        assert conn.recv(1024).startswith(b"HTTP/1.0 200 ")
    assert served.get("/")[0] == 200
    log = served.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "Exception occurred" not in log, log
