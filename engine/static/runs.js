// Saved runs of one demo: listed under the demo, drawn on its loss chart, kept in the
// browser's storage (runstore.js) and exported to or imported from files (runfile.js).
// Reader-supplied text (the data label, parameter names) reaches the page only through
// `textContent`.

import { legible, runDash, withFreeColors } from "./colors.js";
import { CONTRACT } from "./contract.js";
import { isNoisy } from "./curves.js";
import { formatCount, formatStep } from "./format.js";
import { RunsFileError, readRunsFile, runsCsv, runsJson } from "./runfile.js";
import { NotStored, RunStore, pageStorage } from "./runstore.js";

const RUNS = CONTRACT.runs;
const DROPPED_NOTICE = "Saved runs from an earlier visit could not be read and were removed.";
const VISIT_ONLY = "This browser keeps no data for this page, so saved runs last until you leave it.";
const LAST_STEPS = 50; // a run's end loss is its mean over these last steps (see endLoss)

/**
 * What data a run trained on, doublings aside: "40 synthetic points (seed 7)" for
 * "40 synthetic points (seed 7), doubled (80 samples)" (the runtime's Dataset.label).
 * Doubling leaves the average loss as it was, so such runs share one loss chart; runs
 * on other data are listed but not drawn, as their losses need not be comparable at all.
 */
export function dataSource(label) {
  return label.replace(/, doubled(?: twice| \d+ times)? \(\d+ samples\)$/, "");
}

/** The loss-chart series of saved run `index` of `entries`; `drawn` if on the data in use. */
export function runSeries(entries, index, source) {
  const entry = entries[index];
  return {
    name: `Run ${index + 1}`,
    color: entry.color,
    dash: runDash(entries, index),
    curve: entry.run.curve,
    drawn: source === null || dataSource(entry.run.data_label) === source,
    noisy: isNoisy(entry.run.settings, entry.run.samples),
  };
}

/** `<li data-run data-color>` with a line swatch (colour, and dash if any), the run's name and settings. */
export function runItem(series, run, background) {
  const item = document.createElement("li");
  item.className = "demo-run";
  item.dataset.run = "";
  item.dataset.color = series.color;
  const swatch = lineSwatch(legible(series.color, background), series.dash);
  const name = document.createElement("strong");
  name.className = "demo-run-name";
  name.textContent = series.name;
  const details = document.createElement("span");
  details.className = "demo-run-settings";
  details.textContent = describeRun(run) + (series.drawn ? "" : " · other data, not drawn");
  item.classList.toggle("demo-run--hidden", !series.drawn);
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
  line.setAttribute("stroke-width", "2.5");
  if (dash) line.setAttribute("stroke-dasharray", dash.join(" "));
  swatch.append(line);
  return swatch;
}

// How a saved run's settings read in its list: these in the words they always had, any
// setting added to the contract since as "<label> <value>". A saved run's numbers no
// longer change, so they are written as short as they are.
const SETTING_WORDS = {
  step_size: (value) => `step size ${formatStep(value)}`,
  proportional: (value) => `proportional ${value ? "on" : "off"}`,
  batch: (value) => `batch ${value === null ? "full" : formatCount(value)}`,
};

function describeSetting(name, value) {
  if (SETTING_WORDS[name]) return SETTING_WORDS[name](value);
  const shown = typeof value === "boolean" ? (value ? "on" : "off") : formatStep(value);
  return `${CONTRACT.settings[name].label.toLowerCase()} ${shown}`;
}

function describeRun(run) {
  return [
    ...RUNS.settings.map((name) => describeSetting(name, run.settings[name])),
    `${formatCount(run.samples)} samples`,
    `data: ${run.data_label}`,
    endLoss(run),
    `${formatCount(run.iteration)} iterations`,
  ].join(" · ");
}

/**
 * The run's average loss at its end, over its last LAST_STEPS steps: a curve that swings
 * from step to step (mini-batches) ends on a lucky or unlucky step, and runs would be
 * compared by that luck.
 */
export function endLoss(run) {
  const { iterations, losses } = run.curve;
  const from = run.iteration - LAST_STEPS;
  const recent = losses.filter((loss, i) => iterations[i] > from && Number.isFinite(loss));
  if (run.iteration < 2 * LAST_STEPS || recent.length < 2) return `final average loss ${formatStep(run.average_loss)}`;
  const mean = recent.reduce((sum, loss) => sum + loss, 0) / recent.length;
  return `average loss ${formatStep(mean)} over the last ${LAST_STEPS} steps`;
}

/** One demo's saved runs: the list, their storage, and the clear, export and import controls. */
export class RunsPanel {
  #id;
  #parts;
  #hooks;
  #store;
  #entries;
  #enabled = false;
  #source = null; // the data in use, doublings aside (see dataSource)

  /**
   * `parts`: {list, notice, clear, exportCsv, exportJson, importRuns} (any may be null);
   * `hooks`: {changed(), done(note), refuse(message)}, called after the list changes, after
   * an export or import went well (a note for the reader), and when a file or a run is
   * refused (or, without a notice element, when stored runs had to be removed).
   */
  constructor(id, parts, hooks, store = new RunStore(id, pageStorage(), location.pathname)) {
    this.#id = id;
    this.#parts = parts;
    this.#hooks = hooks;
    this.#store = store;
    const { entries, dropped } = store.load();
    this.#entries = entries;
    if (dropped) this.#notify(DROPPED_NOTICE);
    else if (!store.persistent && parts.list) this.#notify(VISIT_ONLY);
    store.watch(({ entries: stored }) => this.#show(stored));
    parts.clear?.addEventListener("click", () => this.#change(() => [], "Saved runs cleared."));
    parts.exportCsv?.addEventListener("click", () => this.#export("csv"));
    parts.exportJson?.addEventListener("click", () => this.#export("json"));
    parts.importRuns?.addEventListener("change", () => this.#import());
    // Swatch colours are adjusted to the page's background, which follows the scheme.
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.#render());
    this.#render();
  }

  /** The loss-chart series of the saved runs. */
  series() {
    return this.#entries.map((entry, i, entries) => runSeries(entries, i, this.#source));
  }

  /** The data now in use (its label): runs on other data are listed but not drawn. */
  showData(label) {
    const source = dataSource(label);
    if (source === this.#source) return;
    this.#source = source;
    this.#render();
  }

  /** Save `run`; false (and the reader is told why) when it could not be kept. */
  add(run) {
    if (this.#entries.length >= RUNS.max_runs) {
      this.#hooks.refuse(`This demo keeps at most ${RUNS.max_runs} saved runs. Clear them to save more.`);
      return false;
    }
    try {
      this.#show(this.#store.add(run));
      return true;
    } catch (error) {
      if (!(error instanceof NotStored)) throw error;
      this.#hooks.refuse(`Run not saved: ${error.message}`);
      return false;
    }
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

  /** Change the stored runs (a NotStored error is the caller's to report). */
  #change(change, note) {
    this.#show(this.#store.change(change));
    if (note) this.#hooks.done(note);
  }

  /** Show `entries`, the runs as stored now. */
  #show(entries) {
    const { notice } = this.#parts;
    if (notice && this.#store.persistent) {
      notice.hidden = true;
      notice.textContent = "";
    }
    this.#entries = entries;
    this.#render();
    this.#hooks.changed();
  }

  #render() {
    const { list } = this.#parts;
    if (list) {
      // Only swatches need the background; without runs, reading it would lay out the
      // whole page while it is still loading.
      const background = this.#entries.length > 0 ? getComputedStyle(document.body).backgroundColor : "";
      const series = this.series();
      list.replaceChildren(...this.#entries.map((entry, i) => runItem(series[i], entry.run, background)));
    }
    this.#updateButtons();
  }

  #updateButtons() {
    const { exportCsv, exportJson, clear, importRuns } = this.#parts;
    for (const button of [exportCsv, exportJson, clear]) {
      if (button) button.disabled = !this.#enabled || this.#entries.length === 0;
    }
    if (importRuns) importRuns.disabled = !this.#enabled;
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
      if (file.size > RUNS.max_file_bytes) {
        throw new RunsFileError(`it is larger than ${RUNS.max_file_bytes / 1024 / 1024} MB.`);
      }
      const imported = readRunsFile(await readText(file), this.#id);
      const count = imported.length === 1 ? "1 run" : `${imported.length} runs`;
      this.#change((entries) => {
        if (entries.length + imported.length > RUNS.max_runs) {
          throw new RunsFileError(`this demo would then hold more than ${RUNS.max_runs} saved runs. Clear some first.`);
        }
        return withFreeColors(entries, imported);
      }, `Imported ${count} from ${file.name}.`);
    } catch (error) {
      if (!(error instanceof RunsFileError || error instanceof NotStored)) throw error;
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

/** Offer `text` as a file download through a Blob URL. */
function offerDownload(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time this fires; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
