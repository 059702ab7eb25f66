// Saved runs: kept per demo in localStorage, listed under the demo, drawn on its loss chart,
// and exported to (or imported from) files by the reader.
//
// Storage holds the same versioned document as an export (exportruns.js), and it is read
// back just as strictly as an imported file, since the reader (or an older page) may have
// left anything there. What cannot be read is removed, and the reader is told so.
// Reader-supplied text (the data label) reaches the page only through `textContent`.

import { legible } from "./colors.js";
import { formatCount, formatReal } from "./format.js";
import {
  MAX_RUNS,
  RunsFileError,
  offerDownload,
  readRunsFile,
  runsCsv,
  runsDocument,
  runsJson,
} from "./exportruns.js";

const RUNS_KEY_PREFIX = "explainer:runs:v1:";
// Okabe–Ito colour-blind-safe palette, without black (that is the current run's colour).
const RUN_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"];
// One dash pattern per saved run (the current run is solid), so runs differ without colour
// too. Six patterns against seven colours: no two of the first 42 runs look alike.
const RUN_DASHES = [[12, 5], [3, 4], [12, 4, 3, 4], [7, 7], [20, 5], [3, 4, 3, 4, 12, 4]];
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const DROPPED_NOTICE = "Saved runs from an earlier visit could not be read and were removed.";

/** The first palette colour no saved run uses; cycles once all are taken. */
export function nextColor(runs) {
  const used = new Set(runs.map((entry) => entry.color));
  return RUN_COLORS.find((color) => !used.has(color)) ?? RUN_COLORS[runs.length % RUN_COLORS.length];
}

/** The dash pattern of the saved run at `index`. */
export function runDash(index) {
  return RUN_DASHES[index % RUN_DASHES.length];
}

export function runSeries(entry, index) {
  const { settings } = entry.run;
  const details = [`step ${formatReal(settings.step_size)}`];
  if (settings.proportional) details.push("proportional");
  if (settings.batch !== null) details.push(`batch ${settings.batch}`);
  return {
    label: `Run ${index + 1} (${details.join(", ")})`,
    name: `Run ${index + 1}`,
    color: entry.color,
    dash: runDash(index),
    curve: entry.run.curve,
  };
}

/** `<li data-run data-color>` with a line swatch (colour and dash), the run's name and settings. */
export function runItem(entry, index, background) {
  const { run, color } = entry;
  const item = document.createElement("li");
  item.className = "demo-run";
  item.dataset.run = "";
  item.dataset.color = color;
  const swatch = lineSwatch(legible(color, background), runDash(index));
  const name = document.createElement("strong");
  name.className = "demo-run-name";
  name.textContent = `Run ${index + 1}`;
  const details = document.createElement("span");
  details.className = "demo-run-settings";
  details.textContent = describeRun(run);
  item.append(swatch, name, " ", details);
  return item;
}

/** A short stretch of the run's line as drawn on the loss chart. */
function lineSwatch(color, dash) {
  const svg = "http://www.w3.org/2000/svg";
  const swatch = document.createElementNS(svg, "svg");
  swatch.setAttribute("class", "demo-run-swatch");
  swatch.setAttribute("viewBox", "0 0 40 12");
  swatch.setAttribute("aria-hidden", "true");
  const line = document.createElementNS(svg, "line");
  for (const [name, value] of Object.entries({ x1: 0, y1: 6, x2: 40, y2: 6 })) line.setAttribute(name, value);
  line.setAttribute("stroke", color);
  line.setAttribute("stroke-width", "3");
  line.setAttribute("stroke-dasharray", dash.join(" "));
  swatch.append(line);
  return swatch;
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

/**
 * The saved runs of demo `id` from localStorage: `{entries, dropped}`. Anything that is
 * not a valid document of this version (tampered with, or written by an older page) is
 * removed from storage, and `dropped` is true.
 */
export function loadRuns(id) {
  const key = runsKey(id);
  let text;
  try {
    text = localStorage.getItem(key);
  } catch (error) {
    // Storage may be switched off: there is nothing to read, and nothing was lost.
    console.warn("explainer: saved runs are not available", error);
    return { entries: [], dropped: false };
  }
  if (text === null) return { entries: [], dropped: false };
  try {
    return { entries: readRunsFile(text, id), dropped: false };
  } catch (error) {
    // Whatever is wrong with it, it must not stop the demo.
    const reason = error instanceof RunsFileError ? error.message : String(error);
    console.warn(`explainer: removed the unreadable saved runs of demo "${id}": ${reason}`);
    forget(key);
    return { entries: [], dropped: true };
  }
}

export function storeRuns(id, runs) {
  try {
    if (runs.length === 0) localStorage.removeItem(runsKey(id));
    else localStorage.setItem(runsKey(id), JSON.stringify(runsDocument(id, runs)));
  } catch (error) {
    // Storage may be full or switched off; the runs still show until the page reloads.
    console.warn("explainer: could not store saved runs", error);
  }
}

function forget(key) {
  try {
    localStorage.removeItem(key);
  } catch (error) {
    console.warn("explainer: could not remove saved runs", error);
  }
}

/** One demo's saved runs: the list, their storage, and the clear, export and import controls. */
export class RunsPanel {
  #id;
  #parts;
  #hooks;
  #entries;
  #enabled = false;

  /**
   * `parts`: {list, notice, clear, exportCsv, exportJson, importRuns} (any may be null);
   * `hooks`: {changed(), done(note), refuse(message)}, called after the list changes, after
   * an export or import went well (a note for the reader), and when a file or a run is
   * refused (or, without a notice element, when stored runs had to be removed).
   */
  constructor(id, parts, hooks) {
    this.#id = id;
    this.#parts = parts;
    this.#hooks = hooks;
    const { entries, dropped } = loadRuns(id);
    this.#entries = entries;
    if (dropped) this.#notify(DROPPED_NOTICE);
    parts.clear?.addEventListener("click", () => this.#replace([], "Saved runs cleared."));
    parts.exportCsv?.addEventListener("click", () => this.#export("csv"));
    parts.exportJson?.addEventListener("click", () => this.#export("json"));
    parts.importRuns?.addEventListener("change", () => this.#import());
    // Swatch colours are adjusted to the page's background, which follows the scheme.
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.#render());
    this.#render();
  }

  /** The loss-chart series of the saved runs. */
  series() {
    return this.#entries.map(runSeries);
  }

  /** Save `run`; false (and the reader is told why) when the demo holds all it keeps. */
  add(run) {
    if (this.#entries.length >= MAX_RUNS) {
      this.#hooks.refuse(`This demo keeps at most ${MAX_RUNS} saved runs. Clear them to save more.`);
      return false;
    }
    this.#replace([...this.#entries, { color: nextColor(this.#entries), run }]);
    return true;
  }

  /** Export needs runs to export; the rest follows the demo's controls. */
  setEnabled(enabled) {
    this.#enabled = enabled;
    this.#updateButtons();
  }

  /** A notice about the stored runs, shown in the panel until the list next changes. */
  #notify(message) {
    const { notice } = this.#parts;
    if (!notice) {
      this.#hooks.refuse(message); // no panel on this demo: say it where errors go
      return;
    }
    notice.textContent = message;
    notice.hidden = false;
  }

  #replace(entries, note) {
    const { notice } = this.#parts;
    if (notice) {
      notice.hidden = true;
      notice.textContent = "";
    }
    this.#entries = entries;
    storeRuns(this.#id, entries);
    this.#render();
    this.#hooks.changed();
    if (note) this.#hooks.done(note);
  }

  #render() {
    const background = getComputedStyle(document.body).backgroundColor;
    this.#parts.list?.replaceChildren(...this.#entries.map((entry, i) => runItem(entry, i, background)));
    this.#updateButtons();
  }

  #updateButtons() {
    const { clear, exportCsv, exportJson } = this.#parts;
    for (const button of [clear, exportCsv, exportJson]) {
      if (button) button.disabled = !this.#enabled || this.#entries.length === 0;
    }
  }

  #export(kind) {
    const text = kind === "csv" ? runsCsv(this.#entries) : runsJson(this.#id, this.#entries);
    const type = kind === "csv" ? "text/csv" : "application/json";
    offerDownload(`${this.#id}-runs.${kind}`, text, type);
  }

  async #import() {
    const input = this.#parts.importRuns;
    const file = input.files?.[0];
    if (!file) return;
    input.value = ""; // so that the same file can be chosen again
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new RunsFileError("it is larger than 5 MB.");
      const imported = readRunsFile(await readText(file), this.#id);
      if (this.#entries.length + imported.length > MAX_RUNS) {
        throw new RunsFileError(`this demo would then hold more than ${MAX_RUNS} saved runs. Clear some first.`);
      }
      const count = imported.length === 1 ? "1 run" : `${imported.length} runs`;
      this.#replace(withFreeColors(this.#entries, imported), `Imported ${count} from ${file.name}.`);
    } catch (error) {
      if (!(error instanceof RunsFileError)) throw error;
      this.#hooks.refuse(`Could not import ${file.name}: ${error.message}`);
    }
  }
}

async function readText(file) {
  try {
    return await file.text();
  } catch (error) {
    throw new RunsFileError(`it could not be read (${error.message}).`);
  }
}

/** `existing` then `imported`, each imported run keeping its colour unless that is taken. */
function withFreeColors(existing, imported) {
  return imported.reduce((entries, entry) => {
    const taken = entries.some((other) => other.color.toLowerCase() === entry.color.toLowerCase());
    return [...entries, taken ? { ...entry, color: nextColor(entries) } : entry];
  }, existing);
}
