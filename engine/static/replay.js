// The build's recording of a demo's default run (engine/demo/replay.py), replayed while
// Python starts: `state(j)` is the state Python reports after `j` calls of one step from
// the start of the run, number for number, so the demo is live at first paint and Python
// takes over from wherever the reader got to.

// The fit formulas the page knows; each is the runtime model's own arithmetic (a test
// compares the replayed fits with Python's). Other models' fits are in the recording.
const PREDICT = {
  linear: ([w, b], x) => w * x + b,
};
const READOUTS = ["total_loss", "average_loss", "effective_step"];

/** Float64s from their little-endian bytes in base64. */
export function decodeFloats(base64) {
  const text = atob(base64);
  const view = new DataView(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) view.setUint8(i, text.charCodeAt(i));
  const values = new Array(text.length / 8);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, true);
  return values;
}

export class Replay {
  #initial;
  #numbers;
  #fits;
  #xs;
  #names;
  #predict;
  #diverged;
  #divergence;
  steps;

  /** `initial`: the state at iteration 0; `recording`: replay.py's JSON; `model`: its name. */
  constructor(initial, recording, model) {
    this.#initial = initial;
    this.#names = recording.parameters;
    this.#numbers = decodeFloats(recording.numbers);
    this.#xs = decodeFloats(recording.fit_xs);
    this.#fits = recording.fits === null ? null : decodeFloats(recording.fits);
    this.#predict = PREDICT[model] ?? null;
    this.#diverged = recording.diverged;
    this.#divergence = recording.divergence ?? null;
    this.steps = recording.steps;
    const width = READOUTS.length + this.#names.length;
    if (this.#numbers.length !== this.steps * width) throw new Error("the recording's numbers do not add up");
    if (this.#fits === null && this.#predict === null) throw new Error(`the page cannot draw the fit of "${model}"`);
  }

  /** Whether the recorded run ends diverged: further steps change nothing, as in Python. */
  get diverged() {
    return this.#diverged !== null;
  }

  /** The iteration reached after `j` step calls (a call that diverges takes no step). */
  iteration(j) {
    return this.#diverged !== null && j === this.steps ? j - 1 : j;
  }

  /**
   * The state after `j` step calls (0 <= j <= steps). Its curve holds the points after
   * iteration `from`, or the whole curve when `from` is null (as after a reset).
   */
  state(j, from = null) {
    if (!(Number.isInteger(j) && j >= 0 && j <= this.steps)) throw new RangeError(`no recorded state ${j}`);
    const initial = this.#initial;
    const state = { ...initial, points: null, curve: this.#curve(j, from), fit: this.#fit(j) };
    if (j === 0) return state;
    const row = this.#row(j);
    READOUTS.forEach((name, i) => (state[name] = row[i]));
    state.params = Object.fromEntries(this.#names.map((name, i) => [name, row[READOUTS.length + i]]));
    state.iteration = this.iteration(j);
    if (this.#diverged !== null && j === this.steps) {
      state.status = "diverged";
      state.message = this.#diverged;
      state.divergence = this.#divergence;
    }
    return state;
  }

  #row(j) {
    const width = READOUTS.length + this.#names.length;
    return this.#numbers.slice((j - 1) * width, j * width);
  }

  #averageAt(iteration) {
    return iteration === 0 ? this.#initial.average_loss : this.#row(iteration)[1];
  }

  #curve(j, from) {
    const last = this.iteration(j);
    const first = from === null ? 0 : from + 1;
    const iterations = [];
    for (let i = first; i <= last; i++) iterations.push(i);
    return { full: from === null, iterations, losses: iterations.map((i) => this.#averageAt(i)) };
  }

  #fit(j) {
    if (j === 0) return this.#initial.fit;
    let ys;
    if (this.#fits !== null) {
      ys = this.#fits.slice((j - 1) * this.#xs.length, j * this.#xs.length);
    } else {
      const params = this.#row(j).slice(READOUTS.length);
      ys = this.#xs.map((x) => this.#predict(params, x));
    }
    // As the runtime does: a prediction that overflowed is left out of the line.
    const kept = this.#xs.map((x, i) => [x, ys[i]]).filter(([, y]) => Number.isFinite(y));
    return { xs: kept.map(([x]) => x), ys: kept.map(([, y]) => y) };
  }
}
