// The files the runtime worker downloads while Python starts.
//
// - Each file the build recorded an integrity hash for is checked on arrival, and kept in
//   the browser's Cache Storage: their URLs hold a version or content hash, so a copy never
//   goes stale, and a repeat visit starts Python without downloading megabytes again.
// - `prefetch` starts downloads before Pyodide asks for them (it asks one after another).
// - A file the site ships compressed (`packed`: the WebAssembly module, as `….gz`) is
//   downloaded so and decompressed here, whatever the host does; `bytes` gives its bytes
//   and `serve` hands them to Pyodide's own fetch.
// - When a download fails (the network broke off, a file is missing or altered) Pyodide
//   only logs a warning and waits forever; `failed` rejects instead, so the page can say
//   so and offer a retry.
//
// Pyodide fetches with the global `fetch`; `install` routes those calls through here.

const CACHE_NAME = "explainer-runtime-v1";

export class Downloads {
  #integrity;
  #remote;
  #packed;
  #original = self.fetch;
  #early = new Map(); // file name → { url, response: Promise<Response> }
  #served = new Map(); // file name → { bytes: Promise<Uint8Array>, type }
  #fail;
  #broken = false;
  failed;

  /**
   * `integrity`: the SRI hash of each file by its name (the last part of its URL).
   * `remote`: where files fetched from elsewhere (a CDN) are, by name; the page's own
   * folder keeps the modules, so that no code the page runs comes from another site.
   * `packed`: the gzip-compressed file the site ships for a file, by name.
   */
  constructor(integrity, remote = {}, packed = {}) {
    this.#integrity = integrity;
    this.#remote = remote;
    this.#packed = packed;
    this.failed = new Promise((_, reject) => {
      this.#fail = (error) => {
        this.#broken = true;
        reject(error);
      };
    });
    this.failed.catch(() => {}); // handled by whoever races it
  }

  /** `promise`, or the download failure that came first: Pyodide would wait forever. */
  guard(promise) {
    return Promise.race([promise, this.failed]);
  }

  /** Whether a download has failed. */
  get broken() {
    return this.#broken;
  }

  install() {
    self.fetch = (resource, options) => this.#fetch(resource, options);
  }

  stop() {
    self.fetch = this.#original;
  }

  /** Start downloading `url` now; the first later fetch of the same URL gets this response. */
  prefetch(url) {
    const absolute = this.#locate(url);
    const name = fileName(absolute);
    if (this.#early.has(name)) return;
    const response = this.get(absolute);
    response.catch(() => {}); // reported through `failed`, or by whoever fetches it later
    this.#early.set(name, { url: absolute, response });
  }

  /** The bytes of the file at `url`, decompressed if the site ships it compressed. */
  async bytes(url) {
    const name = fileName(absoluteURL(url));
    if (!Object.hasOwn(this.#packed, name)) return new Uint8Array(await (await this.get(url)).arrayBuffer());
    const response = await this.get(new URL(this.#packed[name], absoluteURL(url)).href);
    if (!response.ok) throw new Error(`could not download ${this.#packed[name]} (HTTP ${response.status})`);
    return gunzip(response);
  }

  /** Answer Pyodide's fetches of the file `name` with `bytes` (a promise), as `type`. */
  serve(name, bytes, type) {
    this.#served.set(name, { bytes, type });
  }

  /** The response for `url`: from Cache Storage, else downloaded (and checked, and kept). */
  async get(resource, options = undefined) {
    const url = this.#locate(resource);
    const name = fileName(url);
    // Checking needs WebCrypto, which browsers offer on https (and localhost) pages only.
    const expected = self.crypto?.subtle && Object.hasOwn(this.#integrity, name) ? this.#integrity[name] : undefined;
    if (expected !== undefined) {
      const kept = await fromCache(url);
      if (kept !== undefined) return kept;
    }
    let response;
    try {
      response = await this.#original.call(self, url, options);
    } catch (error) {
      this.#fail(new Error(`could not download ${name} (${describe(error)})`));
      throw error;
    }
    if (!response.ok) {
      this.#fail(new Error(`could not download ${name} (HTTP ${response.status})`));
      return response;
    }
    if (expected === undefined) return response;
    const checked = await this.#check(name, response, expected);
    keep(url, checked.clone());
    return checked;
  }

  /** `response` with its body read and compared with the integrity hash `expected`. */
  async #check(name, response, expected) {
    let body;
    try {
      body = await response.arrayBuffer();
    } catch (error) {
      this.#fail(new Error(`could not download ${name} (${describe(error)})`));
      throw error;
    }
    const [algorithm, digest] = expected.split("-", 2);
    const actual = await crypto.subtle.digest(algorithm.replace("sha", "SHA-"), body);
    if (base64(actual) !== digest) {
      const error = new Error(`${name} is not the file this page was built with (it was altered, or the site is partly updated)`);
      this.#fail(error);
      throw error;
    }
    const { status, statusText, headers } = response;
    return new Response(body, { status, statusText, headers });
  }

  /** The absolute URL a file is downloaded from: its place elsewhere, if it has one. */
  #locate(resource) {
    const url = absoluteURL(String(resource?.url ?? resource));
    const name = fileName(url);
    return Object.hasOwn(this.#remote, name) ? this.#remote[name] : url;
  }

  #fetch(resource, options) {
    const url = this.#locate(resource);
    const served = this.#served.get(fileName(url));
    if (served !== undefined) {
      const headers = { "Content-Type": served.type };
      return served.bytes.then((bytes) => new Response(bytes, { headers }));
    }
    const early = this.#early.get(fileName(url));
    if (early !== undefined && early.url === url) {
      this.#early.delete(fileName(url)); // a response body can be read once
      return early.response;
    }
    return this.get(url, options);
  }
}

/** The bytes of a gzip-compressed response, decompressed by the browser itself. */
export async function gunzip(response) {
  if (typeof DecompressionStream !== "function") throw new Error("this browser cannot decompress the runtime's files");
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A short human description of an error (Python tracebacks are cut to their last line). */
export function describe(error) {
  const text = String(error?.message ?? error ?? "unknown error").trim();
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const last = lines.length > 0 ? lines[lines.length - 1] : "unknown error";
  return last.trim().replace(/\.+$/, ""); // callers add their own full stop
}

function base64(buffer) {
  let text = "";
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text);
}

function absoluteURL(url) {
  return new URL(url, self.location.href).href;
}

function fileName(url) {
  return new URL(url).pathname.split("/").pop();
}

/** Cache Storage, or null where the browser has none (or refuses it, e.g. private modes). */
async function openCache() {
  try {
    return self.caches ? await self.caches.open(CACHE_NAME) : null;
  } catch {
    return null;
  }
}

async function fromCache(url) {
  try {
    return (await (await openCache())?.match(url)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keep `response` for `url`, and drop what an earlier build kept under the same name. */
async function keep(url, response) {
  try {
    const cache = await openCache();
    if (cache === null) return;
    await cache.put(url, response);
    const name = fileName(url);
    for (const request of await cache.keys()) {
      if (request.url !== url && fileName(request.url) === name) await cache.delete(request);
    }
  } catch (error) {
    console.warn("explainer: could not keep a copy of", url, error); // storage full or refused
  }
}
