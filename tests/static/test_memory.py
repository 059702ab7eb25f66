"""The runtime snapshot as pages download it (engine/memoryimage.py) is put back together
by the page (memory.js) byte for byte."""

from __future__ import annotations

import hashlib
import json
import random
import struct
from pathlib import Path

import pytest

from engine import memoryimage
from engine.assets import NODE_MODULES
from tests.static.nodejs import needs_node, node

pytestmark = needs_node
WASM = NODE_MODULES / "pyodide" / "pyodide.asm.wasm"


@pytest.fixture(scope="module")
def snapshot() -> bytes:
    """A snapshot as Pyodide lays one out: its header (which says how long it is), then a
    memory that starts as the module's and has pages changed, some of them zeroed."""
    wasm = WASM.read_bytes()
    segments = memoryimage.data_segments(wasm)
    assert segments, "the module has data segments to start its memory with"
    memory = memoryimage.base_image(6 * 1024 * 1024, segments)
    rng = random.Random(5)
    for _ in range(200):
        at, size = rng.randrange(len(memory) - 100), rng.randrange(1, 100)
        memory[at : at + size] = rng.randbytes(size)
    memory[4096 * 3 : 4096 * 5] = bytes(8192)  # part of the data segments, zeroed
    header = struct.pack("<4I", 0x12345678, 64, 7, 0) + bytes(48)
    return header + bytes(memory)


def test_the_file_keeps_only_what_differs_and_python_reads_it_back(snapshot: bytes) -> None:
    wasm = WASM.read_bytes()
    packed = memoryimage.pack(snapshot, wasm)
    assert len(packed) < len(snapshot) // 5
    assert memoryimage.unpack(packed, wasm) == snapshot


def test_the_page_puts_the_snapshot_back_together(
    snapshot: bytes, scripts: Path, tmp_path: Path
) -> None:
    packed = tmp_path / "packed"
    packed.write_bytes(memoryimage.pack(snapshot, WASM.read_bytes()))
    code = f"""
import {{ readFileSync }} from "node:fs";
import {{ createHash }} from "node:crypto";
const {{ unpackSnapshot }} = await import({json.dumps((scripts / "memory.js").as_uri())});
const read = (path) => new Uint8Array(readFileSync(path));
const snapshot = unpackSnapshot(read({json.dumps(str(packed))}), read({json.dumps(str(WASM))}));
console.log(createHash("sha256").update(snapshot).digest("hex"));
"""
    result = node(scripts, "--input-type=module", stdin=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == hashlib.sha256(snapshot).hexdigest()


def test_a_file_of_something_else_is_refused() -> None:
    with pytest.raises(memoryimage.ImageError):
        memoryimage.unpack(b"PK\x03\x04" + bytes(40), WASM.read_bytes())
