// The runtime snapshot put back together (engine/memoryimage.py writes the file): Python's
// memory is the WebAssembly module's starting memory (its data segments on zeros) with
// the pages the file keeps written over it, after Pyodide's own header.

const MAGIC = "EXSNAP01";

/** The Pyodide snapshot in `packed` (the file's bytes, decompressed), for the module `wasm`. */
export function unpackSnapshot(packed, wasm) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (new TextDecoder().decode(packed.subarray(0, 8)) !== MAGIC) throw new Error("this is not a runtime snapshot file");
  const [header, length, page, withSegments, count] = [8, 12, 16, 20, 24].map((at) => view.getUint32(at, true));
  let position = 28 + 8 * count;
  const snapshot = new Uint8Array(header + length);
  snapshot.set(packed.subarray(position, position + header));
  position += header;
  const memory = snapshot.subarray(header);
  if (withSegments) {
    for (const [offset, data] of dataSegments(wasm)) memory.set(data, offset);
  }
  for (let run = 0; run < count; run++) {
    const first = view.getUint32(28 + 8 * run, true);
    const size = view.getUint32(32 + 8 * run, true) * page;
    memory.set(packed.subarray(position, position + size), first * page);
    position += size;
  }
  if (position !== packed.length) throw new Error("the runtime snapshot file is cut short or too long");
  return snapshot;
}

/** The active data segments of a WebAssembly module: [memory offset, bytes] pairs. */
export function dataSegments(wasm) {
  let position = 8;
  const leb = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = wasm[position++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return value;
    }
  };
  const sleb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = wasm[position++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte >= 0x80);
    return shift < 32 && byte & 0x40 ? value | (-1 << shift) : value;
  };
  while (position < wasm.length) {
    const section = wasm[position++];
    const size = leb();
    if (section !== 11) {
      position += size;
      continue;
    }
    const segments = [];
    for (let count = leb(); count > 0; count--) {
      const kind = leb();
      if (kind === 1) {
        position += leb(); // passive: the program copies it itself
        continue;
      }
      if (kind === 2) leb(); // memory index
      if (wasm[position++] !== 0x41) throw new Error("a data segment the snapshot cannot place");
      const offset = sleb() >>> 0;
      position++; // end
      const length = leb();
      segments.push([offset, wasm.subarray(position, position + length)]);
      position += length;
    }
    return segments;
  }
  return [];
}
