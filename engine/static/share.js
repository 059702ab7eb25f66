// Links to a demo's settings, kept in the URL fragment:
//
//   #demo=ID&step=0.02&prop=1&double=2&play=1
//
// Each `demo=ID` starts the settings of one demo, so a page with several demos holds
// several groups: `#demo=a&step=0.1&demo=b&double=1`. Only settings that differ from the
// author's are written. `step` is the step size (0 < step <= 1,000,000), `prop` the
// proportional step (0 or 1), `double` how often the samples were doubled (0 to 30),
// `play` 1 while playing. A link sets only what the demo has a control for.
//
// The URL follows the reader's changes through history.replaceState (no new history
// entries), at most a few times a second. Everything read from a URL is checked; a bad
// value is ignored with a console warning.

const WRITE_EVERY_MS = 300;
const MAX_STEP_SIZE = 1e6;
const MAX_DOUBLINGS = 30; // 2^30 copies: past the runtime's limit of a billion samples
const KEYS = {
  step: { control: '[data-control="step-size"]', read: readStep },
  prop: { control: '[data-control="proportional"]', read: readFlag },
  double: { control: '[data-action="double-samples"]', read: readDoublings },
  play: { control: '[data-action="play"]', read: readFlag },
};

/**
 * Connects the page's demos to the URL: restores linked settings once a demo is live,
 * writes the reader's changes back, and copies a demo's link on request.
 *
 * A demo provides `id`, `section`, `linkState()` and `linkDefaults()` ({step, prop,
 * double, play}) and `applyLink(wanted)`, and calls its `onLive` and `onLinkChange`.
 */
export class ShareLinks {
  #demos;
  #pending; // id -> settings from the URL, until the demo has applied them
  #timer = 0;

  constructor(demos) {
    this.#demos = demos;
    try {
      this.#pending = readFragment(location.hash, demos);
    } catch (error) {
      warn(`ignoring the whole link (${error})`); // a link must never stop the page
      this.#pending = new Map();
    }
    for (const demo of demos) {
      demo.onLive = () => this.#restore(demo);
      demo.onLinkChange = () => this.#schedule();
      bindCopyLink(demo, () => this.linkTo(demo));
    }
    // A link followed within the page: settings apply to a fresh demo, as when opened.
    window.addEventListener("hashchange", () => isDemoFragment(location.hash) && location.reload());
    const first = demos.find((demo) => this.#pending.has(demo.id));
    // The browser cannot find `#demo=...` by itself. Scroll once the demos' first frame
    // (live charts in place of the static ones) has changed the layout.
    if (first) requestAnimationFrame(() => first.section.scrollIntoView({ block: "start" }));
  }

  /** The full URL that opens this page with `demo` as it is now. */
  linkTo(demo) {
    const url = new URL(location.href);
    url.hash = this.#group(demo, true);
    return url.href;
  }

  async #restore(demo) {
    const wanted = this.#pending.get(demo.id);
    if (wanted === undefined) return;
    await demo.applyLink(wanted);
    this.#pending.delete(demo.id);
    this.#schedule();
  }

  #schedule() {
    if (this.#timer !== 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = 0;
      this.#write();
    }, WRITE_EVERY_MS);
  }

  #write() {
    const fragment = this.#demos
      .map((demo) => this.#group(demo, false))
      .filter((group) => group !== "")
      .join("&");
    const ours = isDemoFragment(location.hash);
    // Leave a reader's own anchor (#some-heading) alone until there is something to keep.
    if (fragment === "" && !ours) return;
    const url = new URL(location.href);
    url.hash = fragment; // "" drops the "#" too
    if (url.href !== location.href) history.replaceState(history.state, "", url.href);
  }

  /** `demo=ID&...` for the settings that differ from the author's ("" if none, unless `always`). */
  #group(demo, always) {
    const pending = this.#pending.get(demo.id);
    const defaults = demo.linkDefaults() ?? {}; // none: the demo cannot run
    const state = pending === undefined ? (demo.linkState() ?? defaults) : { ...defaults, ...pending };
    const params = new URLSearchParams({ demo: demo.id });
    const differs = (key) => hasControl(demo, key) && state[key] !== defaults[key];
    const changed = Object.keys(KEYS).filter(differs);
    for (const key of changed) {
      params.set(key, typeof state[key] === "boolean" ? (state[key] ? "1" : "0") : String(state[key]));
    }
    return changed.length > 0 || always ? params.toString() : "";
  }
}

/** id -> {step?, prop?, double?, play?} from a `#demo=...` fragment; bad parts are warned about and skipped. */
function readFragment(hash, demos) {
  const wanted = new Map();
  if (!isDemoFragment(hash)) return wanted;
  const byId = new Map(demos.map((demo) => [demo.id, demo]));
  let demo = null; // the demo the following keys belong to
  let settings = null;
  for (const [key, raw] of new URLSearchParams(hash.slice(1))) {
    if (key === "demo") {
      demo = byId.get(raw) ?? null;
      settings = null;
      if (demo === null) warn(`there is no demo "${raw.slice(0, 64)}" on this page`);
      else if (wanted.has(raw)) warn(`demo "${raw}" is linked twice; the first settings count`);
      else wanted.set(raw, (settings = {}));
      continue;
    }
    if (settings === null) continue; // keys of an unknown or repeated demo
    const spec = KEYS[key];
    if (spec === undefined) warn(`ignoring the unknown setting "${key.slice(0, 32)}"`);
    else if (!hasControl(demo, key)) warn(`demo "${demo.id}" has no control for "${key}"`);
    else {
      const value = spec.read(raw);
      if (value === undefined) warn(`ignoring ${key}=${raw.slice(0, 32)}: not a valid value`);
      else settings[key] = value;
    }
  }
  return wanted;
}

function isDemoFragment(hash) {
  return /^#demo=/.test(hash);
}

function hasControl(demo, key) {
  return demo.section.querySelector(KEYS[key].control) !== null;
}

function readStep(raw) {
  // Plain decimal notation only: no hex, no "Infinity", nothing absurdly long.
  if (!/^(\d{1,7}(\.\d{0,17})?|\.\d{1,17})(e-?\d{1,3})?$/i.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 && value <= MAX_STEP_SIZE ? value : undefined;
}

function readFlag(raw) {
  return raw === "1" ? true : raw === "0" ? false : undefined;
}

function readDoublings(raw) {
  if (!/^\d{1,2}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value <= MAX_DOUBLINGS ? value : undefined;
}

function warn(message) {
  console.warn(`explainer: link: ${message}`);
}

/** "Copy link": the clipboard when allowed, else a selected text field to copy from. */
function bindCopyLink(demo, link) {
  const button = demo.section.querySelector('[data-action="copy-link"]');
  if (!button) return;
  const note = demo.section.querySelector(".demo-share-note");
  const fallback = demo.section.querySelector(".demo-share-fallback");
  const field = demo.section.querySelector("[data-share-link]");
  button.disabled = false;
  button.addEventListener("click", async () => {
    const url = link();
    try {
      await navigator.clipboard.writeText(url);
      if (fallback) fallback.hidden = true;
      if (note) note.textContent = "Link copied.";
    } catch (error) {
      console.warn("explainer: the clipboard is not available", error);
      if (note) note.textContent = "Copy the link below.";
      if (fallback && field) {
        fallback.hidden = false;
        field.value = url;
        field.focus();
        field.select();
      }
    }
  });
}
