"""The runtime snapshot as pages download it: Python's memory, less what they have already.

A Pyodide memory snapshot is a short header and the whole WebAssembly memory (30 MB).
Much of that memory is what the WebAssembly module's own data segments put there before
Python starts (the page downloads those with the module), and much of the rest is zeros.
The file pages download keeps only the pages of memory that differ from that starting
image, and `engine/static/memory.js` puts the snapshot back together from them and the
module, byte for byte:

    "EXSNAP01"                       magic
    u32 header, u32 memory           lengths of Pyodide's header and of the memory
    u32 page, u32 base               page size; 1 if the base image holds the module's
                                     data segments, 0 if it is all zeros
    u32 runs, runs x (u32 first, u32 count)    the pages kept, as runs of page numbers
    the header, then the pages kept, in order

All numbers little-endian. The file is then gzip-compressed (browsers decompress gzip
natively).
"""

from __future__ import annotations

import struct

MAGIC = b"EXSNAP01"
PAGE = 4096


class ImageError(ValueError):
    """Bytes that are not what this module reads or writes."""


def data_segments(wasm: bytes) -> list[tuple[int, bytes]] | None:
    """The active data segments of a WebAssembly module (memory offset, bytes), or None
    when one of them is placed by an expression other than a constant."""
    if wasm[:4] != b"\0asm":
        raise ImageError("not a WebAssembly module")
    position = 8
    while position < len(wasm):
        section = wasm[position]
        size, position = _leb(wasm, position + 1)
        if section == 11:
            return _segments(wasm, position)
        position += size
    return []


def _segments(wasm: bytes, position: int) -> list[tuple[int, bytes]] | None:
    count, position = _leb(wasm, position)
    found = []
    for _ in range(count):
        kind, position = _leb(wasm, position)
        if kind == 1:  # passive: copied by the program itself, not at start
            size, position = _leb(wasm, position)
            position += size
            continue
        if kind == 2:
            _, position = _leb(wasm, position)  # memory index
        elif kind != 0:
            return None
        if wasm[position] != 0x41:  # i32.const
            return None
        offset, position = _sleb(wasm, position + 1)
        if wasm[position] != 0x0B:  # end
            return None
        size, position = _leb(wasm, position + 1)
        found.append((offset, wasm[position : position + size]))
        position += size
    return found


def base_image(length: int, segments: list[tuple[int, bytes]] | None) -> bytearray:
    """Memory as the module starts it: its data segments (if known) on zeros."""
    image = bytearray(length)
    for offset, data in segments or []:
        image[offset : offset + len(data)] = data
    return image


def pack(snapshot: bytes, wasm: bytes) -> bytes:
    """The file pages download for a Pyodide snapshot made with the module `wasm`."""
    header = struct.unpack_from("<I", snapshot, 4)[0]  # Pyodide's header: magic, its length
    memory = memoryview(snapshot)[header:]
    segments = data_segments(wasm)
    base = base_image(len(memory), segments)
    kept = [
        start // PAGE
        for start in range(0, len(memory), PAGE)
        if memory[start : start + PAGE] != base[start : start + PAGE]
    ]
    runs: list[list[int]] = []
    for page in kept:
        if runs and runs[-1][0] + runs[-1][1] == page:
            runs[-1][1] += 1
        else:
            runs.append([page, 1])
    head = MAGIC + struct.pack("<5I", header, len(memory), PAGE, segments is not None, len(runs))
    head += b"".join(struct.pack("<2I", first, count) for first, count in runs)
    pages = b"".join(memory[page * PAGE : (page + 1) * PAGE] for page in kept)
    return head + snapshot[:header] + pages


def unpack(packed: bytes, wasm: bytes) -> bytes:
    """The Pyodide snapshot `pack` made this file of (as memory.js rebuilds it)."""
    if packed[:8] != MAGIC:
        raise ImageError("not a runtime snapshot file")
    header, length, page, with_segments, count = struct.unpack_from("<5I", packed, 8)
    runs = [struct.unpack_from("<2I", packed, 28 + 8 * i) for i in range(count)]
    position = 28 + 8 * count
    memory = base_image(length, data_segments(wasm) if with_segments else None)
    snapshot = packed[position : position + header]
    position += header
    for first, pages in runs:
        size = pages * page
        memory[first * page : first * page + size] = packed[position : position + size]
        position += size
    return snapshot + bytes(memory)


def _leb(data: bytes, position: int) -> tuple[int, int]:
    """An unsigned LEB128 number at `position`, and the position after it."""
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, position


def _sleb(data: bytes, position: int) -> tuple[int, int]:
    """A signed LEB128 number at `position`, and the position after it."""
    value, end = _leb(data, position)
    bits = 7 * (end - position)
    return (value - (1 << bits) if value >> (bits - 1) & 1 else value), end
