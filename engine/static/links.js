// Links to demos' settings, kept in the URL fragment:
//
//   #demo=ID&step=0.02&prop=1&double=2&play=1
//
// Each `demo=ID` starts the settings of one demo, so a page with several demos holds
// several groups: `#demo=a&step=0.1&demo=b&double=1`. The keys, what each takes and the
// control a demo needs for it come from the contract (`CONTRACT.links`); only settings
// that differ from the author's are written. Everything read from a URL is checked; a
// bad part is skipped with a warning.

import { CONTRACT } from "./contract.js";
import { parseText, writeText } from "./kinds.js";

const LINKS = CONTRACT.links;

/** Whether `hash` is a link to demo settings (and not a reader's own `#heading`). */
export function isDemoFragment(hash) {
  return /^#demo=/.test(hash);
}

/**
 * id -> {key: value} from a `#demo=...` fragment. `demos`: [{id, hasControl(name)}];
 * `warn(message)` hears about each part that was skipped.
 */
export function readFragment(hash, demos, warn) {
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
    const link = Object.hasOwn(LINKS, key) ? LINKS[key] : undefined;
    if (link === undefined) warn(`ignoring the unknown setting "${key.slice(0, 32)}"`);
    else if (!demo.hasControl(link.control)) warn(`demo "${demo.id}" has no control for "${key}"`);
    else {
      const value = parseText(link.kind, raw);
      if (value === undefined) warn(`ignoring ${key}=${raw.slice(0, 32)}: not ${link.kind.words}`);
      else settings[key] = value;
    }
  }
  return wanted;
}

/**
 * `demo=ID&...` for the keys whose value in `state` differs from `defaults` (only keys
 * whose control the demo has); "" when none differs, unless `always`.
 */
export function linkGroup(demo, state, defaults, always) {
  const params = new URLSearchParams({ demo: demo.id });
  const changed = Object.keys(LINKS).filter(
    (key) => demo.hasControl(LINKS[key].control) && state[key] !== undefined && state[key] !== defaults[key],
  );
  for (const key of changed) params.set(key, writeText(state[key]));
  return changed.length > 0 || always ? params.toString() : "";
}

/** The link key of the setting `name` (e.g. "step" for "step_size"), or undefined. */
export function linkKeyOf(name) {
  return Object.keys(LINKS).find((key) => LINKS[key].setting === name);
}
