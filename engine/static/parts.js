// The pieces of one demo widget, found by the hooks the contract declares, and small
// helpers the page controller shares with them.

import { ChartText } from "./a11y.js";
import { CONTRACT } from "./contract.js";
import { nextRoundStep } from "./ticks.js";

/**
 * The elements of a demo section. `controls` holds the demo's own controls by their
 * `controls` name (play, step_size, ...), enabled with the demo; the saved runs' files,
 * the link and the retry button have their own rules.
 */
export function findParts(section) {
  const found = {};
  for (const [name, { attribute, hook }] of Object.entries(CONTRACT.controls)) {
    const element = section.querySelector(`[data-${attribute}="${hook}"]`);
    if (element) found[name] = element;
  }
  const { retry, use_stable_step, copy_link, clear_runs, export_csv, export_json, import_runs, ...controls } =
    found;
  const readouts = Object.fromEntries(
    [...section.querySelectorAll("[data-readout]")].map((el) => [el.dataset.readout, el]),
  );
  const charts = Object.fromEntries(
    Object.values(CONTRACT.charts)
      .map((kind) => [kind, section.querySelector(`[data-chart="${kind}"]`)])
      .filter(([, element]) => element !== null),
  );
  return {
    config: section.querySelector("script[data-demo-config]"),
    controls,
    readouts,
    charts,
    runs: {
      list: section.querySelector("[data-runs]"),
      notice: section.querySelector("[data-runs-notice]"),
      clear: clear_runs ?? null,
      exportCsv: export_csv ?? null,
      exportJson: export_json ?? null,
      importRuns: import_runs ?? null,
    },
    copyLink: copy_link ?? null,
    retry: retry ?? null,
    useStep: use_stable_step ?? null,
    uploadNote: section.querySelector("[data-upload-note]"),
    error: section.querySelector("[data-error]") ?? section.appendChild(errorElement()),
    loading: section.querySelector(".demo-loading"),
    status: section.querySelector(".demo-status") ?? document.createElement("p"),
    summary: section.querySelector("[data-summary]"),
    dataLabel: section.querySelector("[data-data-label]"),
    nudges: [...section.querySelectorAll("[data-step-nudge]")],
    more: section.querySelector("details[data-demo-more]"),
  };
}

function errorElement() {
  const element = document.createElement("p");
  element.dataset.error = "";
  element.setAttribute("role", "alert");
  return element;
}

/** Each chart's text alternative (a11y.js), by chart: the canvas charts join them later
 * (see `makeCanvasCharts`), and all of a chart's views draw the same data. */
export function makeCharts(containers) {
  const views = (kind) => {
    const figure = containers[kind]?.closest("figure");
    return figure ? [new ChartText(figure, kind)] : [];
  };
  return { fit: views("fit"), loss: views("loss") };
}

/** The canvas charts of `containers`. The chart library is evaluated only then: a page
 * shows its text and static figures first, and draws live charts as demos come near. */
export async function makeCanvasCharts(containers) {
  const { FitChart, LossChart } = await import("./charts.js");
  const views = (Chart, container) =>
    container ? [new Chart(container, { totals: container.hasAttribute("data-totals") })] : [];
  return { fit: views(FitChart, containers.fit), loss: views(LossChart, containers.loss) };
}

// Work for a demo once it is near the screen, one demo's work a task, in page order: the
// page stays responsive while it starts, and demos far below cost nothing until needed.
// How far outside the viewport "near" begins: half a screen above and below it.
const NEAR_MARGIN = "50% 0px";
const nearQueue = [];
let nearDraining = false;
const nearObserver =
  typeof IntersectionObserver === "function"
    ? new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            nearObserver.unobserve(entry.target);
            const waiting = nearWork.get(entry.target);
            nearWork.delete(entry.target);
            if (waiting) nearQueue.push(waiting);
          }
          drainNear();
        },
        { rootMargin: NEAR_MARGIN },
      )
    : null;
const nearWork = new Map();

/** Run `work` once `element` is near the screen (where that cannot be watched: soon, in
 * its own task). */
export function whenNear(element, work) {
  if (nearObserver === null) {
    nearQueue.push(work);
    drainNear();
    return;
  }
  nearWork.set(element, work);
  nearObserver.observe(element);
}

function drainNear() {
  if (nearDraining) return;
  nearDraining = true;
  const next = async () => {
    const work = nearQueue.shift();
    if (work === undefined) {
      nearDraining = false;
      return;
    }
    try {
      await work();
    } catch (error) {
      console.error("explainer:", error);
    }
    setTimeout(next, 0);
  };
  setTimeout(next, 0);
}

/** A pause that lets the browser paint and answer input before the next piece of work. */
export function yieldToPage() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The text of a reader's file; an Error with a message for the reader if it cannot be had. */
export async function readTextFile(file, maxBytes) {
  if (file.size > maxBytes) {
    throw new Error(`${file.name} is too large (the limit is ${Math.round(maxBytes / 1024 / 1024)} MB).`);
  }
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch (error) {
    throw new Error(`${file.name} could not be read (${error.message}).`);
  }
  // Always UTF-8 (a UTF-8 byte order mark is dropped), as the build reads an author's
  // file. `file.text()` would follow a UTF-16 byte order mark in some browsers and not
  // in others; the runtime recognises UTF-16 read as UTF-8 and says so.
  return new TextDecoder("utf-8").decode(bytes);
}

/** Move a step-size box one rung along 1, 2, 5 and tell its listeners, as typing would. */
export function nudgeInput(input, direction) {
  if (!input) return;
  input.value = String(nextRoundStep(input.valueAsNumber, direction));
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Open a demo's secondary parts on wide screens (style.css: 60rem); fold them on narrow ones. */
export function followScreenWidth(details) {
  if (!details) return;
  const wide = window.matchMedia("(min-width: 60rem)");
  const apply = () => (details.open = wide.matches);
  apply();
  wide.addEventListener("change", apply);
}

export function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}
