// What the canvas and the fast-changing numbers cannot say to everyone: a spoken summary
// of training for screen readers, and each chart's text alternative (a short summary and
// a data table the reader can open).

import { formatCount, formatReal } from "./format.js";

const SUMMARY_EVERY_MS = 2000; // a screen reader needs time to finish a sentence
const TEXT_EVERY_MS = 1000; // data tables follow the charts, but calmly
const MAX_ROWS = 20;

/** A polite live region that says how training goes: throttled while playing. */
export class LiveSummary {
  #element;
  #last = -Infinity;

  constructor(element) {
    this.#element = element;
  }

  /** While playing: say how training goes, at most every two seconds. */
  progress(state, startLoss) {
    if (performance.now() - this.#last >= SUMMARY_EVERY_MS) this.say(describeTraining(state, startLoss));
  }

  say(text) {
    if (!this.#element) return;
    this.#last = performance.now();
    this.#element.textContent = text;
  }
}

/** "Average loss fell from 12.3 to 0.81 in 200 steps." */
export function describeTraining(state, startLoss) {
  const steps = state.iteration === 1 ? "1 step" : `${formatCount(state.iteration)} steps`;
  const now = state.average_loss;
  if (state.iteration === 0) return `Step 0: average loss ${spoken(now)}.`;
  const verb = now < startLoss ? "fell" : now > startLoss ? "rose" : "stayed";
  const change =
    verb === "stayed" ? `stayed at ${spoken(now)}` : `${verb} from ${spoken(startLoss)} to ${spoken(now)}`;
  return `Average loss ${change} in ${steps}.`;
}

/** A number as a screen reader can say it: no superscripts. */
function spoken(value) {
  const text = formatReal(value);
  if (!text.includes("×")) return text;
  const [mantissa, exponent] = value.toExponential(3).split("e");
  return `${formatReal(Number(mantissa))} times 10 to the power ${Number(exponent)}`;
}

/**
 * The text alternative of one chart: a summary (read by screen readers, not shown) and a
 * data table in a `<details>`, both from the data the chart draws. The summary follows
 * every frame, so it always says what the readouts say; the table is built only while
 * open, and while playing at most once a second.
 */
export class ChartText {
  #summary;
  #details;
  #region;
  #kind;
  #totals; // the loss chart draws the total loss too
  #latest = null;
  #lastTable = -Infinity;
  #timer = 0;

  constructor(figure, kind) {
    this.#kind = kind;
    this.#totals = figure.querySelector("[data-totals]") !== null;
    this.#summary = figure.querySelector("[data-chart-summary]");
    this.#details = figure.querySelector("details[data-chart-data]");
    this.#region = this.#details?.querySelector(".demo-table-scroll");
    if (this.#details) {
      this.#details.hidden = false; // it needs the script; without it the static figure speaks
      this.#details.addEventListener("toggle", () => this.#details.open && this.#table());
    }
  }

  /**
   * As the chart's own `draw`: fit chart `(points, fit)`, loss chart `(current, runSeries)`,
   * then `now`: {samples, iteration, averageLoss, totalLoss, names, playing} from the state
   * the readouts show.
   */
  draw(first, second, now) {
    this.#latest = [first, second, now];
    const fit = this.#kind === "fit";
    if (this.#summary) this.#summary.textContent = fit ? fitSummary(first, second, now) : lossSummary(first, second, now, this.#totals);
    if (!this.#details?.open) return;
    const wait = this.#lastTable + TEXT_EVERY_MS - performance.now();
    if (wait <= 0 || !now.playing) this.#table();
    else if (this.#timer === 0) this.#timer = setTimeout(() => this.#table(), wait);
  }

  #table() {
    clearTimeout(this.#timer);
    this.#timer = 0;
    this.#lastTable = performance.now();
    if (this.#latest === null || !this.#region) return;
    const [first, second, now] = this.#latest;
    this.#region.replaceChildren(...(this.#kind === "fit" ? fitTables(first, second, now.names) : [lossTable(first, second)]));
  }
}

function fitSummary(points, fit, { samples, names }) {
  if (samples === 0 || fit.xs.length === 0) return "";
  const last = fit.xs.length - 1;
  const at = (i) => `${formatReal(fit.ys[i])} at ${names.x} = ${formatReal(fit.xs[i])}`;
  const what = samples === 1 ? "1 data point" : `${formatCount(samples)} data points`;
  return `${what}; the model predicts ${names.y} = ${at(0)} and ${at(last)}.`;
}

/** The curve's start, and where the run is now (as the readouts say it). */
function lossSummary(current, runs, { iteration, averageLoss, totalLoss }, totals) {
  const parts = [];
  if (current.iterations.length > 0) {
    const start = `average loss ${formatReal(current.losses[0])} at iteration ${formatCount(current.iterations[0])}`;
    parts.push(
      iteration === current.iterations[0]
        ? `Current run: ${start}.`
        : `Current run: ${start}, ${formatReal(averageLoss)} at iteration ${formatCount(iteration)}.`,
    );
    if (totals) parts.push(`Total loss now ${formatReal(totalLoss)}.`);
  }
  const drawn = runs.filter((run) => run.drawn);
  if (drawn.length > 0) {
    const ends = drawn.map(({ name, dash, curve }) => `${name}${dash ? " (dashed)" : ""} ended at ${formatReal(curve.losses.at(-1))}`);
    parts.push(`Saved runs: ${ends.join("; ")}.`);
  }
  const other = runs.length - drawn.length;
  if (other > 0) parts.push(`${other === 1 ? "1 saved run was" : `${other} saved runs were`} trained on other data and ${other === 1 ? "is" : "are"} not drawn.`);
  return parts.join(" ");
}

function fitTables(points, fit, names) {
  const order = points.xs.map((_, i) => i).sort((a, b) => points.xs[a] - points.xs[b]);
  const rows = pick(order).map((i) => [points.xs[i], points.ys[i]]);
  const shown = rows.length < order.length ? ` (${rows.length} of ${formatCount(order.length)})` : "";
  const modelRows = pick(fit.xs.map((_, i) => i)).map((i) => [fit.xs[i], fit.ys[i]]);
  return [
    table(`Data points${shown}`, [names.x, names.y], rows),
    table("The model’s prediction", [names.x, `predicted ${names.y}`], modelRows),
  ];
}

function lossTable(current, runs) {
  const curves = [current, ...runs.map((run) => run.curve)];
  const iterations = [...new Set(curves.flatMap((curve) => curve.iterations))].sort((a, b) => a - b);
  const lookups = curves.map((curve) => new Map(curve.iterations.map((x, i) => [x, curve.losses[i]])));
  const rows = pick(iterations).map((x) => [x, ...lookups.map((lookup) => lookup.get(x) ?? null)]);
  const total = iterations.length;
  const shown = rows.length < total ? `, ${rows.length} of ${formatCount(total)} iterations` : "";
  const columns = ["Iteration", "Current run", ...runs.map((run) => run.name)];
  return table(`Average loss by iteration${shown}`, columns, rows, { count: true });
}

/** At most MAX_ROWS items of `items`, evenly spread, always with the first and the last. */
function pick(items) {
  if (items.length <= MAX_ROWS) return items;
  const picked = new Set();
  for (let k = 0; k < MAX_ROWS; k++) picked.add(Math.round((k * (items.length - 1)) / (MAX_ROWS - 1)));
  return [...picked].map((i) => items[i]);
}

function table(caption, columns, rows, { count = false } = {}) {
  const element = document.createElement("table");
  element.createCaption().textContent = caption;
  const head = element.createTHead().insertRow();
  for (const name of columns) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = name;
    head.append(cell);
  }
  const body = element.createTBody();
  for (const [first, ...rest] of rows) {
    const row = body.insertRow();
    const header = document.createElement("th");
    header.scope = "row";
    header.textContent = count ? formatCount(first) : formatReal(first);
    row.append(header);
    for (const value of rest) row.insertCell().textContent = value === null ? "–" : formatReal(value);
  }
  return element;
}
