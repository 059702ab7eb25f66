// Saved runs as files: CSV (one row per iteration per run, for spreadsheets) and a
// versioned JSON document that can be imported back.
//
// An imported file is untrusted: it is checked strictly (shape, types, finite numbers,
// bounded sizes) and rebuilt key by key, so nothing but the known fields gets in.

export const FORMAT = "explainer-runs";
export const VERSION = 1;
export const MAX_RUNS = 50;

const CSV_COLUMNS = ["run", "step_size", "proportional", "batch", "samples", "iteration", "average_loss"];
const LIMITS = {
  runs: MAX_RUNS,
  curve: 10_000, // the runtime keeps at most about 2,000 points per run
  params: 100,
  text: 500,
  samples: 1e9,
  iteration: 1e12,
  stepSize: 1e6,
};
// The fields of one exported run, in the order they are written.
const ENTRY_KEYS = ["color", "model", "settings", "data_label", "samples", "iteration", "params", "average_loss", "curve"];
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const COLOR = /^#[0-9A-Fa-f]{6}$/;

/** A file that is not a valid runs export; the message is for the reader. */
export class RunsFileError extends Error {}

/** One CSV row per recorded iteration of every run. */
export function runsCsv(entries) {
  const rows = [CSV_COLUMNS.join(",")];
  entries.forEach(({ run }, index) => {
    const { settings, curve } = run;
    const batch = settings.batch === null ? "full" : String(settings.batch);
    curve.iterations.forEach((iteration, i) => {
      const cells = [index + 1, settings.step_size, settings.proportional, batch, run.samples, iteration];
      rows.push([...cells, curve.losses[i]].map(String).join(","));
    });
  });
  return rows.join("\r\n") + "\r\n";
}

/** The versioned document of a demo's saved runs, as exported and as kept in storage. */
export function runsDocument(demoId, entries) {
  const runs = entries.map(({ color, run }) => ({ color, ...run }));
  return { format: FORMAT, version: VERSION, demo: demoId, runs };
}

/** The versioned JSON document of a demo's saved runs, for a file. */
export function runsJson(demoId, entries) {
  return JSON.stringify(runsDocument(demoId, entries), null, 2) + "\n";
}

/** Offer `text` as a file download through a Blob URL. */
export function offerDownload(filename, text, type) {
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

/**
 * The saved-run entries ({color, run}) of an exported JSON file (or of the same document
 * kept in storage), or a RunsFileError.
 */
export function readRunsFile(text, demoId) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RunsFileError("it is not a JSON file.");
  }
  const top = object(parsed, "the file", ["format", "version", "demo", "runs"]);
  if (top.format !== FORMAT) throw new RunsFileError(`it is not an export of saved runs (format "${FORMAT}").`);
  if (top.version !== VERSION) {
    const version = JSON.stringify(top.version);
    throw new RunsFileError(`its version (${version}) is not one this page reads (${VERSION}).`);
  }
  if (top.demo !== demoId) {
    const demo = typeof top.demo === "string" ? `"${top.demo.slice(0, 64)}"` : "another demo";
    throw new RunsFileError(`it holds the runs of ${demo}, not of this demo ("${demoId}").`);
  }
  const runs = list(top.runs, "runs", 1, LIMITS.runs);
  return runs.map((raw, index) => readEntry(raw, `run ${index + 1}`));
}

function readEntry(raw, where) {
  const entry = object(raw, where, ENTRY_KEYS, ["model"]);
  const color = string(entry.color, `${where}: color`, 7);
  if (!COLOR.test(color)) throw new RunsFileError(`${where}: color must be a colour like #0072B2.`);
  const run = {};
  if ("model" in entry) run.model = string(entry.model, `${where}: model`, LIMITS.text);
  run.settings = readSettings(entry.settings, `${where}: settings`);
  run.data_label = string(entry.data_label, `${where}: data_label`, LIMITS.text);
  run.samples = integer(entry.samples, `${where}: samples`, 1, LIMITS.samples);
  run.iteration = integer(entry.iteration, `${where}: iteration`, 0, LIMITS.iteration);
  run.params = readParams(entry.params, `${where}: params`);
  run.average_loss = number(entry.average_loss, `${where}: average_loss`, 0, Infinity);
  run.curve = readCurve(entry.curve, `${where}: curve`, run.iteration);
  return { color: color.toUpperCase(), run };
}

function readSettings(raw, where) {
  const settings = object(raw, where, ["step_size", "proportional", "batch"]);
  const stepSize = number(settings.step_size, `${where}.step_size`, 0, LIMITS.stepSize);
  if (stepSize === 0) throw new RunsFileError(`${where}.step_size must be greater than 0.`);
  if (typeof settings.proportional !== "boolean") {
    throw new RunsFileError(`${where}.proportional must be true or false.`);
  }
  const batch = settings.batch === null ? null : integer(settings.batch, `${where}.batch`, 1, LIMITS.samples);
  return { step_size: stepSize, proportional: settings.proportional, batch };
}

function readParams(raw, where) {
  const names = Object.keys(object(raw, where, null));
  if (names.length < 1 || names.length > LIMITS.params) {
    throw new RunsFileError(`${where} must name from 1 to ${LIMITS.params} parameters.`);
  }
  const params = {};
  for (const name of names) {
    if (!PARAM_NAME.test(name)) throw new RunsFileError(`${where} has a parameter name that is not a Python name.`);
    params[name] = number(raw[name], `${where}.${name}`, -Infinity, Infinity);
  }
  return params;
}

function readCurve(raw, where, lastIteration) {
  const curve = object(raw, where, ["iterations", "losses"]);
  const iterations = list(curve.iterations, `${where}.iterations`, 1, LIMITS.curve);
  const losses = list(curve.losses, `${where}.losses`, 1, LIMITS.curve);
  if (losses.length !== iterations.length) {
    throw new RunsFileError(`${where} must hold as many losses as iterations.`);
  }
  let previous = -1;
  const checked = iterations.map((value, i) => {
    const iteration = integer(value, `${where}.iterations[${i}]`, 0, LIMITS.iteration);
    if (iteration <= previous) throw new RunsFileError(`${where}.iterations must increase.`);
    previous = iteration;
    return iteration;
  });
  if (previous !== lastIteration) {
    throw new RunsFileError(`${where} must end at the run's last iteration (${lastIteration}).`);
  }
  return {
    iterations: checked,
    losses: losses.map((value, i) => number(value, `${where}.losses[${i}]`, 0, Infinity)),
  };
}

// --- checks: each returns the value, or throws a RunsFileError that says what is wrong ---

/** A plain object with exactly `keys` (those in `optional` may be missing); null: any keys. */
function object(value, where, keys, optional = []) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RunsFileError(`${where} must be a JSON object.`);
  }
  if (keys === null) return value;
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined) throw new RunsFileError(`${where} has an unknown field "${unknown.slice(0, 64)}".`);
  const missing = keys.find((key) => !(key in value) && !optional.includes(key));
  if (missing !== undefined) throw new RunsFileError(`${where} has no "${missing}".`);
  return value;
}

function list(value, where, min, max) {
  if (!Array.isArray(value)) throw new RunsFileError(`${where} must be a list.`);
  if (value.length < min || value.length > max) {
    const range = `from ${min} to ${max.toLocaleString("en")}`;
    throw new RunsFileError(`${where} must hold ${range} items, not ${value.length}.`);
  }
  return value;
}

function string(value, where, maxLength) {
  if (typeof value !== "string") throw new RunsFileError(`${where} must be text.`);
  if (value.length > maxLength) throw new RunsFileError(`${where} is longer than ${maxLength} characters.`);
  return value;
}

function number(value, where, min, max) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RunsFileError(`${where} must be a finite number.`);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max.toLocaleString("en")}`;
    throw new RunsFileError(`${where} must be ${range}, not ${value}.`);
  }
  return value;
}

function integer(value, where, min, max) {
  if (!Number.isInteger(number(value, where, min, max))) {
    throw new RunsFileError(`${where} must be a whole number.`);
  }
  return value;
}
