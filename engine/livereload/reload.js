// Injected by `explainer serve` only: brings the open page up to date after a rebuild, and
// shows the build's errors over the page when an edit broke it (the last good page stays
// below).
//
// When only posts' text changed, the page fetches itself again and swaps in the new
// content of <main>, keeping each demo widget alive (its Python, runs and charts) as long
// as the demo's HTML is unchanged. Anything else (a demo's settings, a template, the head
// of the page, a page that went away) reloads the page. Every answer of the server names
// its build in the `Server-Timing` header (see engine/serve.py): the page compares the
// demos of the build it shows, fetched once as it starts, with those of the new one.

const navigation = performance.getEntriesByType("navigation")[0];
const shown = { build: timingOf(navigation?.serverTiming ?? []).build, page: null };
let leaving = false;
let queue = shown.build === null ? Promise.resolve() : rememberShownPage();

const since = shown.build === null ? "" : `?since=${shown.build}`;
const events = new EventSource(`/__explainer/events${since}`);

// Lets a test (or a curious author) see that the page is listening for rebuilds.
events.addEventListener("open", () => {
  document.documentElement.dataset.explainerReload = "connected";
});

events.addEventListener("rebuilt", (event) => {
  const news = JSON.parse(event.data);
  queue = queue.then(() => update(news)).catch(reload);
});

events.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));

/** {build, reload} from Server-Timing entries (null where absent). */
function timingOf(entries) {
  const value = (name) => {
    const entry = entries.find((e) => e.name === name);
    return entry && /^\d+$/.test(entry.description) ? Number(entry.description) : null;
  };
  return { build: value("explainer-build"), reload: value("explainer-reload") };
}

/** This page as the server has it now, or null if it is gone: {build, reload, doc} and
 * what `swap` compares, `frame` and `demos` (each demo's HTML). */
async function fetchPage() {
  const response = await fetch(location.href, { cache: "no-store" });
  if (!response.ok) return null;
  const entries = (response.headers.get("Server-Timing") ?? "").split(",").map((part) => {
    const [name, ...params] = part.trim().split(";");
    const desc = params.map((p) => p.trim()).find((p) => p.startsWith("desc="));
    return { name, description: desc ? desc.slice(5).replace(/^"|"$/g, "") : "" };
  });
  const { build, reload } = timingOf(entries);
  if (build === null || reload === null) return null;
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  return { build, reload, doc, frame: frame(doc), demos: demos(doc).map((s) => s.outerHTML) };
}

/** The HTML of the build this page shows, as served (the live page is changed by its scripts). */
async function rememberShownPage() {
  const page = await fetchPage().catch(() => null);
  if (page !== null && page.build === shown.build) shown.page = page;
}

async function update({ build, reload: reloadFrom }) {
  if (leaving) return;
  if (shown.page === null || build < shown.build || reloadFrom > shown.build) return reload();
  if (build === shown.build) return;
  const page = await fetchPage();
  if (page === null || page.reload > shown.build || !swap(shown.page, page)) {
    return reload();
  }
  shown.build = page.build;
  shown.page = page;
  document.getElementById("explainer-build-errors")?.remove();
}

function reload() {
  leaving = true;
  window.location.reload();
}

/** Put the new page's <main> in place of this one's, keeping the live demo widgets; false
 * (nothing changed) when that would not give the new page: the rest of the page differs,
 * a demo changed, or the new content holds a script. */
function swap(before, after) {
  const main = document.querySelector("main");
  const newMain = after.doc.querySelector("main");
  if (main === null || newMain === null || before.frame !== after.frame) return false;
  const live = demos(document);
  const sameDemos =
    after.demos.length === before.demos.length &&
    live.length === before.demos.length &&
    after.demos.every((html, i) => html === before.demos[i]) &&
    demos(after.doc).every((section, i) => live[i].id === section.id);
  const scripts = [...newMain.querySelectorAll("script")];
  if (!sameDemos || scripts.some((script) => script.type !== "application/json")) return false;
  const focused = document.activeElement;
  // Moved, not copied: of the new page, only its `frame` and `demos` strings are kept.
  const content = document.createDocumentFragment();
  content.append(...newMain.childNodes);
  demos(content).forEach((section, i) => section.replaceWith(live[i]));
  main.replaceChildren(content);
  document.title = after.doc.title;
  const metas = "meta[name], meta[property]";
  const newMetas = after.doc.head.querySelectorAll(metas);
  document.head.querySelectorAll(metas).forEach((meta, i) => {
    meta.setAttribute("content", newMetas[i]?.getAttribute("content") ?? "");
  });
  if (focused instanceof HTMLElement && focused.isConnected && document.activeElement !== focused) {
    focused.focus({ preventScroll: true });
  }
  return true;
}

function demos(root) {
  return [...root.querySelectorAll("section[data-demo]")];
}

/** The page without what a swap may change: <main>'s content, the title, the metas' text. */
function frame(doc) {
  const head = doc.head.cloneNode(true);
  head.querySelector("title")?.remove();
  head.querySelectorAll("meta[name], meta[property]").forEach((meta) => {
    meta.removeAttribute("content");
  });
  // <main>'s content leaves for a moment, so the body is written out without it.
  const main = doc.querySelector("main");
  const content = main === null ? [] : [...main.childNodes];
  main?.replaceChildren();
  const html = doc.documentElement.cloneNode(false);
  html.append(head, doc.body.cloneNode(true));
  main?.append(...content);
  return html.outerHTML;
}

function showErrors(errors) {
  let overlay = document.getElementById("explainer-build-errors");
  if (!overlay) {
    overlay = document.createElement("aside");
    overlay.id = "explainer-build-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:auto 1rem 1rem 1rem;max-height:50vh;overflow:auto;z-index:1000;" +
      "background:#2b0b0b;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;" +
      "padding:1rem 1.25rem;border-radius:8px;box-shadow:0 8px 30px rgba(0,0,0,.4)";
    document.body.append(overlay);
  }
  const title = document.createElement("strong");
  title.textContent = "The last edit did not build; this page is the last good version.";
  const list = document.createElement("pre");
  list.style.margin = ".5rem 0 0";
  list.style.whiteSpace = "pre-wrap";
  list.textContent = errors.join("\n");
  overlay.replaceChildren(title, list);
}
