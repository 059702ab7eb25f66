// Chart helpers for the demos, drawn with uPlot.
//
// uPlot wants one sorted x array shared by all series, so every chart here first aligns
// its series on the union of their x values (with nulls where a series has no point).
// Colours come from CSS custom properties on the chart's container (see style.css), so
// charts follow the page's light or dark theme.

import uPlot from "./uplot/uPlot.esm.js";
import { legible } from "./colors.js";
import { formatTick } from "./format.js";

const MIN_WIDTH = 240;
const MIN_HEIGHT = 240; // on a phone the loss axis title still fits beside the plot
const MAX_HEIGHT = 320;
const ASPECT = 0.62; // height / width
const DEFAULT_AXIS_PX = 50; // uPlot's own width of a vertical axis

const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

/** The data points as a scatter plus the model's current prediction as a line. */
export class FitChart {
  #plot;
  #points = null;
  #sortedPoints = { xs: [], ys: [] };

  constructor(container) {
    this.#plot = new ResponsivePlot(container, fitOptions);
  }

  /**
   * Draw `points` ({xs, ys}, any order) and `fit` ({xs, ys}, sorted by x), on axes named
   * by `columns` ({x, y}: the data's column names).
   */
  draw(points, fit, columns = { x: "x", y: "y" }) {
    // Sorting thousands of points every frame would be wasted work: they rarely change.
    if (points !== this.#points) {
      this.#points = points;
      this.#sortedPoints = sortByX(points);
    }
    this.#plot.draw(mergeSorted(this.#sortedPoints, fit), { x: columns.x, y: columns.y });
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
    const legend = runs.map((run) => ({ label: run.label, color: run.color, dash: run.dash }));
    this.#plot.draw(data, legend);
  }
}

/**
 * A uPlot chart that fills its container's width and follows the colour scheme.
 * `buildOptions(theme, size, shape)` makes the uPlot options; `shape` describes the
 * series, and a new shape (compared as JSON) rebuilds the chart.
 */
class ResponsivePlot {
  #container;
  #buildOptions;
  #plot = null;
  #data = null;
  #shape = null;
  #shapeKey = "";

  constructor(container, buildOptions) {
    this.#container = container;
    this.#buildOptions = buildOptions;
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
    const options = this.#buildOptions(readTheme(this.#container), this.#size(), this.#shape);
    this.#plot = new uPlot(options, this.#data, this.#container);
    // The figure's summary and data table (see a11y.js) speak for the canvas.
    this.#plot.root.setAttribute("aria-hidden", "true");
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

function fitOptions(theme, size, columns) {
  return {
    ...size,
    ...commonOptions(),
    scales: { x: { time: false } },
    axes: [axis(theme, columns.x), axis(theme, columns.y, true)],
    series: [
      { label: columns.x },
      {
        label: "Data",
        stroke: theme.point,
        paths: () => null, // points only, no connecting line
        points: { show: true, space: 0, size: 6, width: 1, stroke: theme.point, fill: theme.point },
      },
      { label: "Model", stroke: theme.fit, width: 2.5, spanGaps: true, points: { show: false } },
    ],
  };
}

function lossOptions(theme, size, runs) {
  // uPlot's default point display marks a curve's points while they are sparse, so a run
  // saved at iteration 0 (a single point) still shows.
  const line = (label, stroke, width, dash) => ({
    label,
    stroke,
    width,
    dash,
    spanGaps: true,
    points: { fill: stroke },
  });
  return {
    ...size,
    ...commonOptions(),
    // Legend markers of dashed runs are dashed too.
    legend: { live: false, markers: { dash: (plot, i) => (plot.series[i].dash ? "dashed" : "solid") } },
    scales: { x: { time: false }, y: { distr: 3 } },
    axes: [axis(theme, "Iteration"), axis(theme, "Average loss (log scale)", true)],
    series: [
      { label: "Iteration" },
      line("Current run", theme.current, 3),
      ...runs.map((run) => line(run.label, legible(run.color, theme.background), 2, run.dash)),
    ],
  };
}

function commonOptions() {
  return {
    // No drag-to-zoom: the data changes every frame while a demo plays.
    cursor: { drag: { x: false, y: false } },
    // A fixed legend that names the series; values on hover would jitter the layout.
    legend: { live: false },
  };
}

function axis(theme, label, vertical = false) {
  return {
    label,
    stroke: theme.text,
    labelFont: `600 12px ${theme.font}`,
    font: `12px ${theme.font}`,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    // Numbers of any size stay short (1.35e11), and a vertical axis is as wide as its
    // longest label, so that its title never covers them.
    values: (plot, splits) => splits.map(formatTick),
    ...(vertical ? { size: axisWidth } : {}),
  };
}

/** The width a vertical axis needs for its tick labels (uPlot asks while it lays out). */
function axisWidth(plot, values, index, cycle) {
  const axis = plot.axes[index];
  if (values === null) return DEFAULT_AXIS_PX; // until there are labels to measure
  if (cycle > 1) return axis._size; // settled: keep it, or the layout may never end
  const longest = values.reduce((a, b) => (String(b).length > a.length ? String(b) : a), "");
  plot.ctx.font = axis.font[0];
  const text = plot.ctx.measureText(longest).width / devicePixelRatio;
  return Math.ceil(axis.ticks.size + axis.gap + text + 4);
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
    font: read("--font-body", "system-ui, sans-serif"),
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
      // A log scale cannot show zero; a perfect fit simply ends the line there.
      const loss = curve.losses[i];
      column[row.get(x)] = loss > 0 ? loss : null;
    });
    return column;
  });
  return [xs, ...columns];
}
