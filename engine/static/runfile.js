// What a saved run is, once, for storage and for files alike: the versioned document
// that both hold, how older versions are brought up to date, and the CSV export.
//
// Every run is read from untrusted text (the reader, another tab or an older page may
// have left anything): checked strictly (shape, types, finite numbers, bounded sizes)
// and rebuilt key by key, so nothing but the known fields gets in. Storage and import
// read runs with the same `readEntry`, so a run one accepts the other accepts too.

import { CONTRACT } from "./contract.js";
import { admits } from "./kinds.js";

const RUNS = CONTRACT.runs;
const COLOR = /^#[0-9A-Fa-f]{6}$/;
const ENTRY_KEYS = ["color", "model", "settings", "data_label", "samples", "iteration", "params", "average_loss", "curve"];
const CSV_COLUMNS = ["run", ...RUNS.settings, "samples", "iteration", "average_loss"];

/** A document or run that cannot be read; the message is for the reader. */
export class RunsFileError extends Error {}

// How a document of an older version becomes one of the next, where more changed than
// settings added: those `readSettings` fills in from the contract (their `assumed` value),
// so a version that only adds settings needs no entry here.
const UPGRADES = {
  // Before versions were written: a bare list of {color, run}.
  0: (list, demoId) => ({
    format: RUNS.format,
    version: 1,
    demo: demoId,
    runs: list.map((entry) => (isObject(entry) && isObject(entry.run) ? { ...entry.run, color: entry.color } : entry)),
  }),
  // 1 → 2: parameter names may be any text (they were ASCII), `model` always written.
  1: (document) => ({ ...document, version: 2 }),
};

/** The versioned document of a demo's saved runs, as exported and as kept in storage. */
export function runsDocument(demoId, entries) {
  const runs = entries.map(({ color, run }) => ({ color, ...run }));
  return { format: RUNS.format, version: RUNS.version, demo: demoId, runs };
}

/** The document as a file's text. */
export function runsJson(demoId, entries) {
  return JSON.stringify(runsDocument(demoId, entries), null, 2) + "\n";
}

/** One CSV row per recorded iteration of every run. */
export function runsCsv(entries) {
  const rows = [CSV_COLUMNS.join(",")];
  entries.forEach(({ run }, index) => {
    const settings = RUNS.settings.map((name) => {
      const value = run.settings[name];
      return value === null && CONTRACT.settings[name].kind.type === "batch" ? "full" : value;
    });
    run.curve.iterations.forEach((iteration, i) => {
      rows.push([index + 1, ...settings, run.samples, iteration, run.curve.losses[i]].map(String).join(","));
    });
  });
  return rows.join("\r\n") + "\r\n";
}

/**
 * The entries ({color, run}) of a runs document of any version this page reads, or a
 * RunsFileError for the first thing wrong with it. `text` is JSON (a file, storage).
 */
export function readRunsFile(text, demoId) {
  const { runs, problems } = readRunsText(text, demoId);
  if (problems.length > 0) throw new RunsFileError(problems[0]);
  return runs;
}

/**
 * What can be read of a stored document: its good runs, and a problem for each run (or
 * for the whole document) that cannot be read. Storage keeps the good ones.
 */
export function readRunsText(text, demoId) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { runs: [], problems: ["it is not a JSON file."] };
  }
  let document;
  try {
    document = upToDate(parsed, demoId);
  } catch (error) {
    if (!(error instanceof RunsFileError)) throw error;
    return { runs: [], problems: [error.message] };
  }
  const runs = [];
  const problems = [];
  document.runs.forEach((raw, index) => {
    try {
      runs.push(readEntry(raw, `run ${index + 1}`, document.version));
    } catch (error) {
      if (!(error instanceof RunsFileError)) throw error;
      problems.push(error.message);
    }
  });
  return { runs, problems };
}

/** The document brought to this page's version; its runs are still unchecked. */
function upToDate(parsed, demoId) {
  let document = Array.isArray(parsed) ? UPGRADES[0](parsed, demoId) : parsed;
  const top = object(document, "the file", ["format", "version", "demo", "runs"]);
  if (top.format !== RUNS.format) throw new RunsFileError(`it is not an export of saved runs (format "${RUNS.format}").`);
  if (!Number.isInteger(top.version) || top.version < 1 || top.version > RUNS.version) {
    const version = JSON.stringify(top.version)?.slice(0, 32);
    throw new RunsFileError(`its version (${version}) is not one this page reads (1 to ${RUNS.version}).`);
  }
  if (top.demo !== demoId) {
    const demo = typeof top.demo === "string" ? `"${top.demo.slice(0, 64)}"` : "another demo";
    throw new RunsFileError(`it holds the runs of ${demo}, not of this demo ("${demoId}").`);
  }
  list(top.runs, "runs", 1, RUNS.max_runs);
  const written = top.version;
  while (document.version < RUNS.version) {
    const upgrade = UPGRADES[document.version] ?? ((older) => ({ ...older, version: older.version + 1 }));
    document = upgrade(document, demoId);
  }
  return { ...document, version: written };
}

/** One run of a document written at `version`, checked and rebuilt: {color, run}. */
export function readEntry(raw, where, version = RUNS.version) {
  const entry = object(raw, where, ENTRY_KEYS, ["model"]);
  const color = string(entry.color, `${where}: color`, 7);
  if (!COLOR.test(color)) throw new RunsFileError(`${where}: color must be a colour like #0072B2.`);
  const run = {};
  if ("model" in entry) run.model = string(entry.model, `${where}: model`, RUNS.max_text);
  run.settings = readSettings(entry.settings, `${where}: settings`, version);
  run.data_label = string(entry.data_label, `${where}: data_label`, RUNS.max_text);
  run.samples = integer(entry.samples, `${where}: samples`, 1, CONTRACT.limits.samples);
  run.iteration = integer(entry.iteration, `${where}: iteration`, 0, RUNS.max_iteration);
  run.params = readParams(entry.params, `${where}: params`);
  run.average_loss = number(entry.average_loss, `${where}: average_loss`, 0, Infinity);
  run.curve = readCurve(entry.curve, `${where}: curve`, run.iteration);
  return { color, run };
}

/** The run settings the contract declares; those a `version` predates take their assumed value. */
function readSettings(raw, where, version) {
  const since = (name) => CONTRACT.settings[name].since;
  const settings = object(
    raw,
    where,
    RUNS.settings,
    RUNS.settings.filter((name) => since(name) > version),
  );
  const checked = {};
  for (const name of RUNS.settings) {
    const { kind, assumed } = CONTRACT.settings[name];
    if (!(name in settings)) {
      checked[name] = assumed;
      continue;
    }
    if (!admits(kind, settings[name])) throw new RunsFileError(`${where}.${name} must be ${kind.words}.`);
    checked[name] = settings[name];
  }
  return checked;
}

function readParams(raw, where) {
  const names = Object.keys(object(raw, where, null));
  if (names.length < 1 || names.length > RUNS.max_parameters) {
    throw new RunsFileError(`${where} must name from 1 to ${RUNS.max_parameters} parameters.`);
  }
  // Any name a model may have (θ, __proto__ included) stays an own property of a plain
  // object: `Object.fromEntries` defines properties, it does not assign them.
  return Object.fromEntries(
    names.map((name) => {
      if (name.length === 0 || longerThan(name, RUNS.max_text)) {
        throw new RunsFileError(`${where} has a parameter name of ${characters(name)} characters.`);
      }
      return [name, number(raw[name], `${where}.${name.slice(0, 64)}`, -Infinity, Infinity)];
    }),
  );
}

function readCurve(raw, where, lastIteration) {
  const curve = object(raw, where, ["iterations", "losses"]);
  const iterations = list(curve.iterations, `${where}.iterations`, 1, RUNS.max_curve_points);
  const losses = list(curve.losses, `${where}.losses`, 1, RUNS.max_curve_points);
  if (losses.length !== iterations.length) {
    throw new RunsFileError(`${where} must hold as many losses as iterations.`);
  }
  let previous = -1;
  const checked = iterations.map((value, i) => {
    const iteration = integer(value, `${where}.iterations[${i}]`, 0, RUNS.max_iteration);
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

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A plain object with exactly `keys` (those in `optional` may be missing); null: any keys. */
function object(value, where, keys, optional = []) {
  if (!isObject(value)) throw new RunsFileError(`${where} must be a JSON object.`);
  if (keys === null) return value;
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined) throw new RunsFileError(`${where} has an unknown field "${unknown.slice(0, 64)}".`);
  const missing = keys.find((key) => !Object.hasOwn(value, key) && !optional.includes(key));
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
  if (longerThan(value, maxLength)) throw new RunsFileError(`${where} is longer than ${maxLength} characters.`);
  return value;
}

/**
 * Whether `text` has more than `max` characters as Python counts them (code points: "𝑥"
 * is one, though it takes two UTF-16 units), so that every name the build allows reads back.
 */
function longerThan(text, max) {
  return text.length > max && characters(text) > max;
}

function characters(text) {
  let count = 0;
  for (const _ of text) count++;
  return count;
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
