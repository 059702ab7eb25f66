// Saved runs: kept per demo in localStorage, listed under the demo, drawn on its loss chart.
//
// Stored runs are validated on load, since the reader (or an older page) may have left
// anything there. Reader-supplied text (the data label) reaches the page only through
// `textContent`.

import { formatCount, formatReal } from "./format.js";

const RUNS_KEY_PREFIX = "explainer:runs:v1:";
// Okabe–Ito colour-blind-safe palette, without black (that is the current run's colour).
const RUN_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"];

/** The first palette colour no saved run uses; cycles once all are taken. */
export function nextColor(runs) {
  const used = new Set(runs.map((entry) => entry.color));
  return RUN_COLORS.find((color) => !used.has(color)) ?? RUN_COLORS[runs.length % RUN_COLORS.length];
}

export function runSeries(entry, index) {
  const { settings } = entry.run;
  const details = [`step ${formatReal(settings.step_size)}`];
  if (settings.proportional) details.push("proportional");
  if (settings.batch !== null) details.push(`batch ${settings.batch}`);
  return { label: `Run ${index + 1} (${details.join(", ")})`, color: entry.color, curve: entry.run.curve };
}

/** `<li data-run data-color>` with a colour swatch, the run's name and its settings. */
export function runItem(entry, index) {
  const { run, color } = entry;
  const item = document.createElement("li");
  item.className = "demo-run";
  item.dataset.run = "";
  item.dataset.color = color;
  const swatch = document.createElement("span");
  swatch.className = "demo-run-swatch";
  swatch.setAttribute("aria-hidden", "true");
  swatch.style.backgroundColor = color; // CSSOM, which a strict style CSP allows
  const name = document.createElement("strong");
  name.className = "demo-run-name";
  name.textContent = `Run ${index + 1}`;
  const details = document.createElement("span");
  details.className = "demo-run-settings";
  details.textContent = describeRun(run);
  item.append(swatch, name, " ", details);
  return item;
}

function describeRun(run) {
  const { settings } = run;
  return [
    `step size ${formatReal(settings.step_size)}`,
    `proportional ${settings.proportional ? "on" : "off"}`,
    `batch ${settings.batch === null ? "full" : formatCount(settings.batch)}`,
    `${formatCount(run.samples)} samples`,
    `data: ${run.data_label}`,
    `final average loss ${formatReal(run.average_loss)}`,
    `${formatCount(run.iteration)} iterations`,
  ].join(" · ");
}

function runsKey(id) {
  return `${RUNS_KEY_PREFIX}${location.pathname}#${id}`;
}

/** Saved runs from localStorage; anything malformed is dropped with a warning. */
export function loadRuns(id) {
  let stored;
  try {
    stored = JSON.parse(localStorage.getItem(runsKey(id)) ?? "[]");
  } catch (error) {
    console.warn(`explainer: dropping unreadable saved runs of demo "${id}"`, error);
    return [];
  }
  if (!Array.isArray(stored)) {
    console.warn(`explainer: dropping malformed saved runs of demo "${id}"`);
    return [];
  }
  const valid = stored.filter(isSavedRun);
  if (valid.length < stored.length) {
    console.warn(`explainer: dropped ${stored.length - valid.length} malformed saved run(s) of demo "${id}"`);
  }
  return valid;
}

export function storeRuns(id, runs) {
  try {
    if (runs.length === 0) localStorage.removeItem(runsKey(id));
    else localStorage.setItem(runsKey(id), JSON.stringify(runs));
  } catch (error) {
    // Storage may be full or switched off; the runs still show until the page reloads.
    console.warn("explainer: could not store saved runs", error);
  }
}

function isSavedRun(entry) {
  const run = entry?.run;
  const settings = run?.settings;
  const curve = run?.curve;
  return (
    typeof entry?.color === "string" &&
    /^#[0-9A-Fa-f]{6}$/.test(entry.color) &&
    isNumber(settings?.step_size) &&
    typeof settings.proportional === "boolean" &&
    (settings.batch === null || Number.isInteger(settings.batch)) &&
    typeof run.data_label === "string" &&
    Number.isInteger(run.samples) &&
    Number.isInteger(run.iteration) &&
    isNumber(run.average_loss) &&
    typeof run.params === "object" &&
    run.params !== null &&
    Object.values(run.params).every(isNumber) &&
    Array.isArray(curve?.iterations) &&
    Array.isArray(curve.losses) &&
    curve.iterations.length === curve.losses.length &&
    curve.iterations.every(isNumber) &&
    curve.losses.every(isNumber)
  );
}

function isNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}
