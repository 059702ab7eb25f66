// Links to a demo's settings (see links.js for their form): restores linked settings once
// a demo is live, writes the reader's changes back to the URL through
// history.replaceState (no new history entries, at most a few times a second), and copies
// a demo's link on request.

import { isDemoFragment, linkGroup, readFragment } from "./links.js";

const WRITE_EVERY_MS = 300;

/**
 * Connects the page's demos to the URL. A demo provides `id`, `section`,
 * `hasControl(name)`, `linkState()` and `linkDefaults()` (link key -> value, or null for
 * a demo that cannot run) and `applyLink(wanted)`, and calls its `onLive` and
 * `onLinkChange`.
 */
export class ShareLinks {
  #demos;
  #pending; // id -> settings from the URL, until the demo has applied them
  #timer = 0;

  constructor(demos) {
    this.#demos = demos;
    try {
      this.#pending = readFragment(location.hash, demos, warn);
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

  /** The demo's link group; settings still waiting to apply count as set. */
  #group(demo, always) {
    const pending = this.#pending.get(demo.id);
    const defaults = demo.linkDefaults() ?? {}; // none: the demo cannot run
    const state = pending === undefined ? (demo.linkState() ?? defaults) : { ...defaults, ...pending };
    return linkGroup(demo, state, defaults, always);
  }
}

function warn(message) {
  console.warn(`explainer: link: ${message}`);
}

/** "Copy link": the clipboard when allowed, else a selected text field to copy from. */
function bindCopyLink(demo, link) {
  const button = demo.copyLink;
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
