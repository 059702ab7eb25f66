// The pieces of one demo widget, found by their data-* hooks, and small helpers the
// page controller shares with them.

import { ChartText } from "./a11y.js";
import { FitChart, LossChart } from "./charts.js";

/** The elements of a demo section, found by their contract hooks. */
export function findParts(section) {
  const byData = (attribute) =>
    Object.fromEntries(
      [...section.querySelectorAll(`[data-${attribute}]`)].map((el) => [el.dataset[attribute], el]),
    );
  // Retry and the run files have their own rules for when they are enabled.
  const {
    retry,
    "use-stable-step": useStep,
    "copy-link": copyLink,
    "export-csv": exportCsv,
    "export-json": exportJson,
    ...actions
  } = byData("action");
  const controls = byData("control");
  return {
    config: section.querySelector("script[data-demo-config]"),
    actions,
    controls,
    readouts: byData("readout"),
    charts: byData("chart"),
    runs: {
      list: section.querySelector("[data-runs]"),
      notice: section.querySelector("[data-runs-notice]"),
      clear: actions["clear-runs"] ?? null,
      exportCsv: exportCsv ?? null,
      exportJson: exportJson ?? null,
      importRuns: controls["import-runs"] ?? null,
    },
    copyLink: copyLink ?? null,
    retry: retry ?? null,
    useStep: useStep ?? null,
    uploadNote: section.querySelector("[data-upload-note]"),
    error: section.querySelector("[data-error]") ?? section.appendChild(errorElement()),
    loading: section.querySelector(".demo-loading"),
    status: section.querySelector(".demo-status") ?? document.createElement("p"),
    summary: section.querySelector("[data-summary]"),
  };
}

function errorElement() {
  const element = document.createElement("p");
  element.dataset.error = "";
  element.setAttribute("role", "alert");
  return element;
}

/** Each chart with its text alternative (a11y.js): both draw the same data. */
export function makeCharts(containers) {
  const views = (Chart, kind) => {
    const container = containers[kind];
    if (!container) return [];
    const figure = container.closest("figure");
    return [new Chart(container), ...(figure ? [new ChartText(figure, kind)] : [])];
  };
  return { fit: views(FitChart, "fit"), loss: views(LossChart, "loss") };
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

/** The page's copy of the loss curve after a state's `curve` (replace or append). */
export function mergeCurve(current, update) {
  if (update.full) return { iterations: [...update.iterations], losses: [...update.losses] };
  return {
    iterations: current.iterations.concat(update.iterations),
    losses: current.losses.concat(update.losses),
  };
}

export function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}
