// Injected by `explainer serve` only: reloads the page after a rebuild, and shows the
// build's errors over the page when an edit broke it (the last good page stays below).
const events = new EventSource("/__explainer/events");

// Lets a test (or a curious author) see that the page is listening for rebuilds.
events.addEventListener("open", () => {
  document.documentElement.dataset.explainerReload = "connected";
});

events.addEventListener("reload", () => window.location.reload());

events.addEventListener("errors", (event) => {
  const errors = JSON.parse(event.data);
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
});
