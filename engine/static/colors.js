// Colours of saved runs, and colours that stay legible on the page's background.
//
// A saved run keeps its palette colour as its identity (`data-color`), but a few Okabe–Ito
// colours (yellow, orange, sky blue) are too light to see on a light page. They are drawn
// darker there (lighter on a dark page) until lines and swatches reach 3:1 contrast with
// the background, which WCAG asks of graphics a reader needs (1.4.11).

const MIN_CONTRAST = 3;
// The Okabe–Ito colour-blind-safe palette, without black, in the order new runs take it:
// the blues come late, since the current run is drawn in the page's (blue) accent.
const RUN_COLORS = ["#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#0072B2", "#F0E442"];
// Runs are solid lines told apart by colour (and by name, at each line's end). Only once
// a colour is taken twice does the later run get a dash pattern, the first free one.
const RUN_DASHES = [[8, 4], [2, 3], [10, 3, 2, 3], [5, 5], [16, 4], [2, 3, 2, 3, 10, 3]];

/** The first palette colour no saved run uses; cycles once all are taken. */
export function nextColor(runs) {
  const used = new Set(runs.map((entry) => entry.color.toLowerCase()));
  return (
    RUN_COLORS.find((color) => !used.has(color.toLowerCase())) ?? RUN_COLORS[runs.length % RUN_COLORS.length]
  );
}

/**
 * The dash pattern of saved run `index` of `entries` ({color}), or null for a solid line:
 * a run is dashed only when an earlier run has its colour.
 */
export function runDash(entries, index) {
  const color = entries[index].color.toLowerCase();
  const before = entries.slice(0, index).filter((entry) => entry.color.toLowerCase() === color).length;
  return before === 0 ? null : RUN_DASHES[(before - 1) % RUN_DASHES.length];
}

/** `existing` then `added`, each added run keeping its colour unless that is taken. */
export function withFreeColors(existing, added) {
  return added.reduce((entries, entry) => {
    const taken = entries.some((other) => other.color.toLowerCase() === entry.color.toLowerCase());
    return [...entries, taken ? { ...entry, color: nextColor(entries) } : entry];
  }, existing);
}

/** `color` ("#rrggbb"), mixed towards black or white until it has 3:1 contrast on `background`. */
export function legible(color, background) {
  const base = parse(color);
  const back = parse(background);
  if (base === null || back === null) return color;
  const towards = luminance(back) > 0.18 ? [0, 0, 0] : [255, 255, 255];
  for (let share = 0; share <= 1; share += 0.05) {
    const mixed = base.map((channel, i) => Math.round(channel + (towards[i] - channel) * share));
    if (contrast(mixed, back) >= MIN_CONTRAST) return hex(mixed);
  }
  return hex(towards);
}

/** [r, g, b] of "#rrggbb" or "rgb(r, g, b)" / "rgba(...)", or null. */
function parse(css) {
  const text = String(css).trim();
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text);
  if (long) return long.slice(1).map((part) => parseInt(part, 16));
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(text);
  return rgb ? rgb.slice(1).map(Number) : null;
}

function luminance(rgb) {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (light + 0.05) / (dark + 0.05);
}

function hex(rgb) {
  return `#${rgb.map((channel) => channel.toString(16).padStart(2, "0")).join("")}`;
}
