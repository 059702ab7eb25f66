// Chart helpers for the demos, drawn with uPlot.
//
// uPlot wants one sorted x array shared by all series, so every chart here first aligns
// its series on the union of their x values (with nulls where a series has no point).
// Colours come from CSS custom properties on the chart's container (see style.css), so
// charts follow the page's light or dark theme.
//
// Axes never lie or clip: each axis measures its own tick labels and reserves the room
// they need, labels are short (12k, 1.2M, 10⁻⁸), iterations are whole numbers, and the
// log axis lays out its own ticks (uPlot's log ticks loop for ever below about 1e-16).

import uPlot from "./uplot/uPlot.esm.js";
import { legible } from "./colors.js";
import { LOG_FLOOR, axisTicks, decadeTicks, formatTick, logLabels, logRange } from "./ticks.js";

const MIN_WIDTH = 200;
const MIN_HEIGHT = 190;
const MAX_HEIGHT = 300;
const ASPECT = 0.66; // height / width
const FONT_PX = 12;

const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

/** The data points as dots plus the model's current prediction as a smooth line. */
export class FitChart {
  #plot;
  #points = null;
  #sortedPoints = { xs: [], ys: [] };

  constructor(container) {
    this.#plot = new ResponsivePlot(container, fitOptions);
  }

  /** Draw `points` ({xs, ys}, any order) and `fit` ({xs, ys}, sorted by x); `now.names`
   * names the axes. */
  draw(points, fit, { names = { x: "x", y: "y" } } = {}) {
    // Sorting thousands of points every frame would be wasted work: they rarely change.
    if (points !== this.#points) {
      this.#points = points;
      this.#sortedPoints = sortByX(points);
    }
    const legend = [
      { label: "Data", color: "point", kind: "dot" },
      { label: "Model", color: "fit", kind: "line" },
    ];
    this.#plot.draw(mergeSorted(this.#sortedPoints, fit), { names, legend });
  }
}

/** Average loss per iteration (log scale): the current run and every saved run. */
export class LossChart {
  #plot;

  constructor(container) {
    this.#plot = new ResponsivePlot(container, lossOptions);
  }

  /**
   * Draw `current` ({iterations, losses}) and `runs` ([{label, color, dash, curve}]).
   * The chart is rebuilt only when the list of saved runs changes.
   */
  draw(current, runs) {
    const data = alignCurves([current, ...runs.map((run) => run.curve)]);
    const legend = [
      { label: "Current run", color: "current", kind: "line" },
      ...runs.map((run) => ({ label: run.label, color: run.color, dash: run.dash, kind: "line" })),
    ];
    this.#plot.draw(data, { legend });
  }
}

/**
 * A uPlot chart that fills its container's width and follows the colour scheme, with a
 * legend of its own under it. `buildOptions(theme, size, shape)` makes the uPlot options;
 * `shape` describes the series and axes, and a new shape (compared as JSON) rebuilds it.
 */
class ResponsivePlot {
  #container;
  #buildOptions;
  #plot = null;
  #legend;
  #data = null;
  #shape = null;
  #shapeKey = "";

  constructor(container, buildOptions) {
    this.#container = container;
    this.#buildOptions = buildOptions;
    this.#legend = document.createElement("ul");
    this.#legend.className = "chart-legend";
    new ResizeObserver(() => this.#resize()).observe(container);
    darkScheme.addEventListener("change", () => this.#rebuild());
  }

  draw(data, shape) {
    this.#data = data;
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
    const options = this.#buildOptions(theme, this.#size(), this.#shape);
    this.#plot = new uPlot(options, this.#data, this.#container);
    // The figure's summary and data table (see a11y.js) speak for the canvas.
    this.#plot.root.setAttribute("aria-hidden", "true");
    this.#legend.replaceChildren(...this.#shape.legend.map((entry) => legendItem(entry, theme)));
    this.#container.append(this.#legend);
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

/** One legend entry: a dot or a stretch of line (dashed as drawn), then its label. */
function legendItem({ label, color, dash, kind }, theme) {
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
      : { x1: 1, y1: 5, x2: 23, y2: 5, stroke, "stroke-width": 2.5, "stroke-dasharray": dash ? dash.map((d) => d / 2).join(" ") : "" };
  for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, value);
  mark.append(shape);
  item.append(mark, label);
  return item;
}

function fitOptions(theme, size, { names }) {
  return {
    ...size,
    ...commonOptions(),
    scales: { x: { time: false, range: paddedRange }, y: { range: paddedRange } },
    axes: [linearAxis(theme, names.x), linearAxis(theme, names.y, true)],
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
        spanGaps: true,
        // A spline through the model's samples: a straight line stays straight, a curve
        // has no kinks, and no point is rounded to a whole pixel on the way.
        paths: uPlot.paths.spline(),
        pxAlign: 0,
        points: { show: false },
      },
    ],
  };
}

function lossOptions(theme, size, { legend }) {
  // uPlot's default point display marks a curve's points while they are sparse, so a run
  // saved at iteration 0 (a single point) still shows. Thin lines keep a curve that
  // swings from step to step readable instead of a solid block.
  const line = (stroke, width, dash) => ({ stroke, width, dash, spanGaps: true, pxAlign: 0, points: { fill: stroke } });
  const runs = legend.slice(1).map((run) => line(legible(run.color, theme.background), 1.75, run.dash));
  return {
    ...size,
    ...commonOptions(),
    scales: {
      x: { time: false, range: (u, min, max) => [0, Math.max(1, max ?? 1)] },
      y: { distr: 3, log: 10, range: (u, min, max) => logRange(min, max) },
    },
    axes: [iterationAxis(theme), logAxis(theme, "Average loss (log scale)")],
    // The current run first, so that saved runs (the newest last) are drawn on top of it:
    // a run just saved covers the current run that it copies, and stays visible.
    series: [{ label: "Iteration" }, line(theme.current, 1.25), ...runs],
  };
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
    stroke: theme.text,
    labelFont: `600 ${FONT_PX}px ${theme.font}`,
    font: `${FONT_PX}px ${theme.font}`,
    labelSize: FONT_PX + 8,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    gap: 4,
  };
}

/** A value axis whose labels are as wide as they need to be (`vertical`: the y axis). */
function linearAxis(theme, label, vertical = false) {
  return {
    ...baseAxis(theme, label),
    space: vertical ? 36 : 64,
    splits: (u, axisIndex, min, max) => axisTicks(min, max, tickCount(u, vertical)),
    values: (u, splits) => labelsFor(splits),
    size: vertical ? labelWidth(theme) : FONT_PX + 14,
  };
}

/** Iterations: whole numbers only. */
function iterationAxis(theme) {
  return {
    ...baseAxis(theme, "Iteration"),
    space: 56,
    incrs: WHOLE_INCREMENTS,
    values: (u, splits) => labelsFor(splits),
    size: FONT_PX + 14,
  };
}

/** A log axis with a tick at each power of ten (or every few), labelled 10ⁿ when far from 1. */
function logAxis(theme, label) {
  return {
    ...baseAxis(theme, label),
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

/** Tick labels with as many digits as the spacing between the ticks needs. */
function labelsFor(splits) {
  const shown = splits.filter((value) => value !== null);
  const step = shown.length > 1 ? Math.abs(shown[1] - shown[0]) : Math.abs(shown[0] ?? 1);
  const scale = Math.max(0, ...shown.map(Math.abs));
  return splits.map((value) => (value === null ? "" : formatTick(value, step, scale)));
}

/** uPlot's axis `size`: the widest tick label, plus ticks and gap. */
function labelWidth(theme) {
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${FONT_PX}px ${theme.font}`;
  return (u, values) => {
    const widest = Math.max(0, ...(values ?? []).map((text) => context.measureText(text).width));
    return Math.ceil(widest) + 14;
  };
}

/** A range of the fit chart: the data padded by 5 % (no dot on the edge), never empty. */
function paddedRange(u, min, max) {
  if (min === null || max === null) return [0, 1];
  const pad = (max - min) * 0.05 || Math.abs(min) * 0.05 || 1;
  return [min - pad, max + pad];
}

/** Chart colours and font from the container's CSS custom properties. */
function readTheme(element) {
  const style = getComputedStyle(element);
  const read = (name, fallback) => style.getPropertyValue(name).replace(/\s+/g, " ").trim() || fallback;
  return {
    text: read("--chart-text", "#3b3b3b"),
    grid: read("--chart-grid", "#e2e2e2"),
    point: read("--chart-point", "#0072B2"),
    fit: read("--chart-fit", "#D55E00"),
    current: read("--chart-current", "#1a1a1a"),
    background: read("--surface", "#f4f6f8"),
    font: read("--font-ui", "system-ui, sans-serif"),
  };
}

/** `{xs, ys}` sorted by x (uPlot needs ascending x). */
function sortByX({ xs, ys }) {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  return { xs: order.map((i) => xs[i]), ys: order.map((i) => ys[i]) };
}

/** Two x-sorted series as uPlot data: [x, first ys or null, second ys or null]. */
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
      b.push(null);
    } else {
      xs.push(second.xs[j]);
      a.push(null);
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
    const column = new Array(xs.length).fill(null);
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
