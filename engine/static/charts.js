// Chart helpers for the demos, drawn with uPlot.
//
// uPlot wants one sorted x array shared by all series, so every chart here first aligns
// its series on the union of their x values (`undefined` where a series has no point,
// which uPlot draws across; `null` where the line really stops). Colours come from CSS
// custom properties on the chart's container (see style.css), so charts follow the
// page's light or dark theme.
//
// Axes never lie, clip or jump: each axis measures its own tick labels and reserves the
// room they need, labels are short and written as the readouts write numbers (ticks.js),
// iterations are whole numbers, and the domains come from scales.js: the fit chart's
// from the data alone, the loss chart's growing in steps. The loss chart names each line
// at its end instead of keeping a legend.

import uPlot from "./uplot/uPlot.esm.js";
import { legible } from "./colors.js";
import { movingAverage } from "./curves.js";
import { clipLine, iterationSpan, lossRange, paddedRange, spreadLabels } from "./scales.js";
import { LOG_FLOOR, axisTicks, countLabels, decadeTicks, linearLabels, logLabels, powerNote } from "./ticks.js";

const MIN_WIDTH = 200;
const MIN_HEIGHT = 180;
const MAX_HEIGHT = 300;
const ASPECT = 0.55; // height / width
const FONT_PX = 12;
const LABEL_GAP = 6; // between a line's end and its name
const TITLE_ROOM = FONT_PX + 12; // above the plot, for the y axis's title
// A run on mini-batches is drawn as its moving average over SMOOTH_POINTS points, over its
// raw curve, faint (RAW_ALPHA, a hex alpha).
const SMOOTH_POINTS = 20;
const RAW_ALPHA = "59";

const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

/** The data points as dots plus the model's current prediction as a smooth line. */
export class FitChart {
  #plot;
  #points = null;
  #sortedPoints = { xs: [], ys: [] };
  #ranges = null;

  constructor(container) {
    this.#plot = new ResponsivePlot(container, fitOptions);
  }

  /** Draw `points` ({xs, ys}, any order) and `fit` ({xs, ys}, sorted by x); `now.names`
   * names the axes. The axes follow the data and the model's line when the data came,
   * and stay: the line may then leave the chart. */
  draw(points, fit, { names = { x: "x", y: "y" } } = {}) {
    // Sorting thousands of points every frame would be wasted work: they rarely change.
    if (points !== this.#points || this.#ranges === null) {
      this.#points = points;
      this.#sortedPoints = sortByX(points);
      // The data and the line the model starts from (it is drawn when the data arrive):
      // a run that diverges is then seen leaving the chart.
      this.#ranges = { x: paddedRange([...points.xs, ...fit.xs], 0.04), y: paddedRange([...points.ys, ...fit.ys], 0.08) };
    }
    const [low, high] = this.#ranges.y;
    const line = clipLine(fit, low, high);
    const legend = [
      { label: "Data", color: "point", kind: "dot" },
      { label: "Model", color: "fit", kind: "line" },
    ];
    this.#plot.draw(mergeSorted(this.#sortedPoints, line), { names, legend, ranges: this.#ranges }, { ranges: this.#ranges });
  }
}

/** Average loss per iteration (log scale): the current run, every saved run on the same
 * data, and, before a run starts, the default run's curve as a faint guide. */
export class LossChart {
  #plot;
  #totals;

  /** `totals`: draw the current run's total loss beside its average. */
  constructor(container, { totals = false } = {}) {
    this.#totals = totals;
    this.#plot = new ResponsivePlot(container, lossOptions);
  }

  /**
   * Draw `current` ({iterations, losses}) and `runs` ([{name, color, dash, curve, drawn,
   * noisy}]); `now.ghost` is the default run's curve (drawn while the current run has not
   * started and no saved run is drawn), `now.totals` the current run's total loss,
   * `now.noisy` whether the current run trains on mini-batches. A noisy run is drawn as
   * its moving average over its raw curve, faint.
   */
  draw(current, runs, { ghost = null, totals = null, noisy = false } = {}) {
    const saved = runs.filter((run) => run.drawn);
    const lines = [];
    const started = current.iterations.length > 1;
    const add = (line, smooth) => {
      if (!smooth) {
        lines.push(line);
        return;
      }
      lines.push({ ...line, name: "", width: 1, alpha: true, head: false });
      lines.push({ ...line, curve: movingAverage(line.curve, SMOOTH_POINTS) });
    };
    if (ghost && !started && saved.length === 0) {
      lines.push({ name: "Default run", color: "ghost", width: 1.25, curve: ghost });
    }
    add({ name: this.#totals ? "Average" : "Current", color: "current", width: 1.75, curve: current, head: true }, noisy && started);
    if (this.#totals && totals) lines.push({ name: "Total", color: "total", width: 1.75, curve: totals, head: true });
    // Saved runs last, so that they are drawn on top: a run just saved covers the current
    // run it copies, and stays visible.
    for (const run of saved) add({ name: run.name, color: run.color, dash: run.dash, width: 1.5, curve: run.curve }, run.noisy);
    // Each run once (not its faint raw curve too), the current run aside.
    const others = lines.filter((line) => line.color !== "current" && !line.alpha);
    const lengths = others.map(({ curve }) => curve.iterations.at(-1) ?? 0);
    const last = iterationSpan(current.iterations.at(-1) ?? 0, lengths);
    const ranges = { x: [0, last], y: lossRange(lines.map((line) => line.curve), last, LOG_FLOOR) };
    const shape = {
      lines: lines.map(({ curve, ...line }) => line),
      title: this.#totals ? "Loss (log scale)" : "Average loss (log scale)",
      hint: !started && lines.length === 1,
    };
    this.#plot.draw(alignCurves(lines.map((line) => line.curve)), shape, { ranges, lines });
  }
}

/**
 * A uPlot chart that fills its container's width and follows the colour scheme, with a
 * legend of its own under it when it has one. `buildOptions(theme, size, shape, live)`
 * makes the uPlot options: `shape` describes the series and axes (a new shape, compared
 * as JSON, rebuilds the chart), `live` holds what may change every frame (the domains).
 */
class ResponsivePlot {
  #container;
  #buildOptions;
  #plot = null;
  #legend;
  #data = null;
  #shape = null;
  #shapeKey = "";
  #live = {};

  constructor(container, buildOptions) {
    this.#container = container;
    this.#buildOptions = buildOptions;
    this.#legend = document.createElement("ul");
    this.#legend.className = "chart-legend";
    new ResizeObserver(() => this.#resize()).observe(container);
    darkScheme.addEventListener("change", () => this.#rebuild());
  }

  draw(data, shape, live = {}) {
    this.#data = data;
    Object.assign(this.#live, live);
    const key = JSON.stringify(shape);
    if (this.#plot === null || key !== this.#shapeKey) {
      this.#shape = shape;
      this.#shapeKey = key;
      this.#rebuild();
    } else {
      this.#plot.setData(data);
    }
  }

  #rebuild() {
    if (this.#data === null) return;
    this.#plot?.destroy();
    const theme = readTheme(this.#container);
    const options = this.#buildOptions(theme, this.#size(), this.#shape, this.#live);
    this.#plot = new uPlot(options, this.#data, this.#container);
    // The figure's summary and data table (see a11y.js) speak for the canvas.
    this.#plot.root.setAttribute("aria-hidden", "true");
    const legend = this.#shape.legend ?? [];
    this.#legend.replaceChildren(...legend.map((entry) => legendItem(entry, theme)));
    if (legend.length > 0) this.#container.append(this.#legend);
  }

  #resize() {
    if (this.#plot === null) return;
    const size = this.#size();
    // Only the width follows the container; checking it avoids a resize feedback loop
    // (setSize changes the container's height, which notifies the observer again).
    if (size.width !== this.#plot.width) this.#plot.setSize(size);
  }

  #size() {
    const width = Math.max(MIN_WIDTH, Math.floor(this.#container.clientWidth));
    const height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * ASPECT)));
    return { width, height };
  }
}

/** One legend entry: a dot or a stretch of line, then its label. */
function legendItem({ label, color, kind }, theme) {
  const stroke = theme[color] ?? legible(color, theme.background);
  const svg = "http://www.w3.org/2000/svg";
  const item = document.createElement("li");
  const mark = document.createElementNS(svg, "svg");
  mark.setAttribute("viewBox", "0 0 24 10");
  mark.setAttribute("class", "chart-legend-mark");
  mark.setAttribute("aria-hidden", "true");
  const shape = document.createElementNS(svg, kind === "dot" ? "circle" : "line");
  const attributes =
    kind === "dot"
      ? { cx: 12, cy: 5, r: 3.5, fill: stroke }
      : { x1: 1, y1: 5, x2: 23, y2: 5, stroke, "stroke-width": 2.5 };
  for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, value);
  mark.append(shape);
  const text = document.createElement("span");
  text.textContent = label;
  item.append(mark, text);
  return item;
}

function fitOptions(theme, size, { names }, live) {
  return {
    ...size,
    ...commonOptions(),
    scales: {
      x: { time: false, range: () => live.ranges.x },
      y: { range: () => live.ranges.y },
    },
    padding: [TITLE_ROOM, 8, 0, 0],
    axes: [linearAxis(theme, names.x), linearAxis(theme, names.y, true)],
    hooks: { draw: [(u) => drawYTitle(u, theme, names.y + powerNote(linearLabels(u.axes[1]._splits ?? []).power))] },
    series: [
      { label: names.x },
      {
        label: "Data",
        stroke: theme.point,
        paths: () => null, // points only, no connecting line
        points: { show: true, space: 0, size: 6, width: 1, stroke: theme.point, fill: theme.point },
      },
      {
        label: "Model",
        stroke: theme.fit,
        width: 2.5,
        // Straight segments between the model's 64 samples, none rounded to a whole pixel:
        // a line is exactly straight and a curve smooth. It stops where it leaves the
        // chart (null), and runs on across the data's x values (undefined).
        pxAlign: 0,
        points: { show: false },
      },
    ],
  };
}

function lossOptions(theme, size, { lines, title, hint }, live) {
  // uPlot's default point display marks a curve's points while they are sparse, so a run
  // saved at iteration 0 (a single point) still shows. Thin solid lines keep a curve that
  // swings from step to step readable: dense, it is drawn as its band of highs and lows.
  const colors = lines.map((line) => theme[line.color] ?? legible(line.color, theme.background));
  const series = lines.map((line, i) => ({
    label: line.name,
    stroke: line.alpha && /^#[0-9a-f]{6}$/i.test(colors[i]) ? colors[i] + RAW_ALPHA : colors[i],
    width: line.width,
    dash: line.dash ?? undefined,
    pxAlign: 0,
    points: { fill: colors[i] },
  }));
  const context = measure(theme);
  const named = nameable(lines); // see drawNames
  const room = Math.max(0, ...named.map((line) => context.measureText(line.name).width));
  return {
    ...size,
    ...commonOptions(),
    padding: [TITLE_ROOM, Math.ceil(room) + LABEL_GAP + 8, 0, 0],
    scales: {
      x: { time: false, range: () => live.ranges.x },
      y: { distr: 3, log: 10, range: () => live.ranges.y },
    },
    axes: [iterationAxis(theme), logAxis(theme)],
    series: [{ label: "Iteration" }, ...series],
    hooks: { draw: [(u) => drawYTitle(u, theme, title), (u) => drawNames(u, live.lines, colors, theme, hint)] },
  };
}

/**
 * Each line's name at its end (or where it leaves the chart on the right), with a dot
 * on the current run's latest point; names are spread so that they never overlap. A
 * line alone is not named.
 */
function drawNames(u, lines, colors, theme, hint) {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio;
  const last = u.scales.x.max;
  const [low, high] = [u.scales.y.min, u.scales.y.max];
  const ends = lines.map(({ curve }) => {
    let i = curve.iterations.length - 1;
    while (i > 0 && (curve.iterations[i] > last || !(curve.losses[i] >= LOG_FLOOR))) i--;
    return i >= 0 && curve.losses[i] >= LOG_FLOOR ? [curve.iterations[i], curve.losses[i]] : null;
  });
  const size = FONT_PX * 1.3 * ratio;
  const top = bbox.top + size / 2;
  const bottom = bbox.top + bbox.height - size / 2;
  const wanted = ends.map((end) => (end ? u.valToPos(Math.min(Math.max(end[1], low), high), "y", true) : 0));
  const named = nameable(lines);
  // Only named lines claim room for a label.
  const labelled = lines.map((line, i) => i).filter((i) => ends[i] && named.includes(lines[i]));
  const spread = spreadLabels(labelled.map((i) => wanted[i]), size, top, bottom);
  const placed = new Array(lines.length);
  labelled.forEach((i, k) => (placed[i] = spread[k]));
  ctx.save();
  ctx.font = `${FONT_PX * ratio}px ${theme.font}`;
  ctx.textBaseline = "middle";
  ctx.textAlign = "left";
  ctx.lineJoin = "round";
  lines.forEach((line, i) => {
    const end = ends[i];
    if (!end) return;
    const x = u.valToPos(end[0], "x", true);
    if (line.head && end[1] >= low && end[1] <= high) {
      ctx.fillStyle = colors[i];
      ctx.beginPath();
      ctx.arc(x, wanted[i], 3 * ratio, 0, 2 * Math.PI);
      ctx.fill();
    }
    // A run not started yet is its dot; its name comes with its first step. A line alone
    // needs no name: the chart's title says what it is.
    if ((line.head && line.curve.iterations.length < 2) || !named.includes(line)) return;
    ctx.strokeStyle = theme.background;
    ctx.lineWidth = 3 * ratio;
    ctx.strokeText(line.name, x + LABEL_GAP * ratio, placed[i]);
    ctx.fillStyle = colors[i];
    ctx.fillText(line.name, x + LABEL_GAP * ratio, placed[i]);
  });
  if (hint) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = "center";
    ctx.fillText("The loss is drawn here as the model trains", bbox.left + bbox.width / 2, bbox.top + bbox.height / 2);
  }
  ctx.restore();
}

/** The y axis's title, level above its labels (a rotated title is the loudest text of a
 * chart, and crowds its labels). */
function drawYTitle(u, theme, title) {
  const { ctx } = u;
  const ratio = devicePixelRatio;
  ctx.save();
  ctx.font = `${FONT_PX * ratio}px ${theme.font}`;
  ctx.fillStyle = theme.muted;
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(title, 0, 2 * ratio);
  ctx.restore();
}

/** The lines that are named at their end: none when one line is alone (the chart's title
 * says what it is), never a noisy run's faint raw curve. */
function nameable(lines) {
  const named = lines.filter((line) => line.name);
  return named.length > 1 ? named : [];
}

function commonOptions() {
  return {
    // No drag-to-zoom: the data changes every frame while a demo plays.
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    // The legend is drawn under the chart by ResponsivePlot (real line and dot markers).
    legend: { show: false },
  };
}

function baseAxis(theme, label) {
  return {
    label,
    stroke: theme.muted,
    labelFont: `${FONT_PX}px ${theme.font}`,
    font: `${FONT_PX}px ${theme.font}`,
    labelSize: FONT_PX + 8,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    gap: 4,
  };
}

/** A value axis whose labels are as wide as they need to be (`vertical`: the y axis); a
 * power of ten the labels leave out is named in the title. */
function linearAxis(theme, label, vertical = false) {
  return {
    ...baseAxis(theme, label),
    // The x axis's title under it; the y axis's is drawn level, above it (drawYTitle).
    label: vertical ? undefined : (u, i) => label + powerNote(linearLabels(u.axes[i]._splits ?? []).power),
    space: vertical ? 36 : 64,
    splits: (u, axisIndex, min, max) => axisTicks(min, max, tickCount(u, vertical)),
    values: (u, splits) => linearLabels(splits).labels,
    size: vertical ? labelWidth(theme) : FONT_PX + 14,
  };
}

/** Iterations: whole numbers only. */
function iterationAxis(theme) {
  return {
    ...baseAxis(theme, "Iteration"),
    space: 56,
    incrs: WHOLE_INCREMENTS,
    values: (u, splits) => countLabels(splits),
    size: FONT_PX + 14,
  };
}

/** A log axis with a tick at each power of ten (or every few), labelled 10ⁿ when far from 1. */
function logAxis(theme) {
  return {
    ...baseAxis(theme, undefined),
    space: 24,
    splits: (u, axisIndex, min, max) => decadeTicks(min, max, tickCount(u, true, 22)),
    values: (u, splits) => logLabels(splits),
    size: labelWidth(theme),
  };
}

// Iterations are whole numbers: ticks 1, 2 or 5 times a power of ten apart, never 0.5.
const WHOLE_INCREMENTS = [1, 2, 5]
  .flatMap((m) => Array.from({ length: 9 }, (_, e) => m * 10 ** e))
  .sort((a, b) => a - b);

/** How many ticks fit along an axis, at least `spacing` CSS pixels apart. */
function tickCount(u, vertical, spacing = vertical ? 44 : 84) {
  const pixels = (vertical ? u.bbox.height : u.bbox.width) / devicePixelRatio;
  return Math.max(2, Math.floor(pixels / spacing));
}

/** A canvas context set to the charts' font, for measuring text. */
function measure(theme) {
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${FONT_PX}px ${theme.font}`;
  return context;
}

/** uPlot's axis `size`: the widest tick label, plus ticks and gap. */
function labelWidth(theme) {
  const context = measure(theme);
  return (u, values) => {
    const widest = Math.max(0, ...(values ?? []).map((text) => context.measureText(text).width));
    return Math.ceil(widest) + 14;
  };
}

/** Chart colours and font from the container's CSS custom properties. */
function readTheme(element) {
  const style = getComputedStyle(element);
  const read = (name, fallback) => style.getPropertyValue(name).replace(/\s+/g, " ").trim() || fallback;
  return {
    text: read("--chart-text", "#3b3b3b"),
    muted: read("--muted", "#5c6470"),
    grid: read("--chart-grid", "#e2e2e2"),
    point: read("--chart-point", "#0072B2"),
    fit: read("--chart-fit", "#D55E00"),
    current: read("--chart-current", "#0b5cad"),
    total: read("--chart-total", "#8e3f78"),
    ghost: read("--chart-ghost", "#a3abb5"),
    background: read("--bg", "#fdfdfc"),
    font: read("--font-ui", "system-ui, sans-serif"),
  };
}

/** `{xs, ys}` sorted by x (uPlot needs ascending x). */
function sortByX({ xs, ys }) {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  return { xs: order.map((i) => xs[i]), ys: order.map((i) => ys[i]) };
}

/** Two x-sorted series as uPlot data: [x, first ys, second ys], `undefined` where a series
 * has no value at an x (uPlot draws across it) and the series' own nulls kept. */
function mergeSorted(first, second) {
  const xs = [];
  const a = [];
  const b = [];
  let i = 0;
  let j = 0;
  while (i < first.xs.length || j < second.xs.length) {
    const takeFirst = j >= second.xs.length || (i < first.xs.length && first.xs[i] <= second.xs[j]);
    if (takeFirst) {
      xs.push(first.xs[i]);
      a.push(first.ys[i++]);
      b.push(undefined);
    } else {
      xs.push(second.xs[j]);
      a.push(undefined);
      b.push(second.ys[j++]);
    }
  }
  return [xs, a, b];
}

/** Loss curves as uPlot data over the union of their iterations. */
function alignCurves(curves) {
  const xs = [...new Set(curves.flatMap((curve) => curve.iterations))].sort((p, q) => p - q);
  const row = new Map(xs.map((x, i) => [x, i]));
  const columns = curves.map((curve) => {
    const column = new Array(xs.length).fill(undefined);
    curve.iterations.forEach((x, i) => {
      // A log scale cannot show zero; a perfect fit simply ends the line there (and a
      // loss below LOG_FLOOR is zero to every digit a chart can show).
      const loss = curve.losses[i];
      column[row.get(x)] = loss >= LOG_FLOOR ? loss : null;
    });
    return column;
  });
  return [xs, ...columns];
}
