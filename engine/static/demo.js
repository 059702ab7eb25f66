// Page controller for explainer demos.
//
// Binds every `section[data-demo]` on the page to one shared runtime worker. Each demo
// draws its embedded initial state at once, then asks Python to initialise it; the
// controls come alive with the first reply. All requests of one demo go through a
// queue, so at most one of them is in flight and replies apply in order.
//
// `data-status` only changes once the demo's queue is empty: "paused" or "ready" then
// mean that nothing more is about to change, which is what tests (and readers) wait for.
//
// Reader-supplied text (file names, CSV content, messages) reaches the page only through
// `textContent`.

import { MSG } from "./protocol.js";
import { FitChart, LossChart } from "./charts.js";
import { formatCount, formatReal } from "./format.js";
import { Runtime, readRuntimeConfig } from "./runtime.js";
import { loadRuns, nextColor, runItem, runSeries, storeRuns } from "./runs.js";

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
// Play takes one step per frame at first so each step can be followed, then speeds up
// gently: by then the reader watches the loss curve, not single steps.
const STEPS_SPEEDUP_EVERY = 100;
const MAX_STEPS_PER_FRAME = 10;
const STEP_SIZE_ERROR = "The step size must be a number greater than 0.";
// How long an invalid step size may sit in the box while typing before it is flagged.
const TYPING_GRACE_MS = 700;

function main() {
  const sections = [...document.querySelectorAll("section[data-demo]")];
  if (sections.length === 0) return;
  const runtime = new Runtime();
  const demos = sections.map((section) => new Demo(section, runtime));
  let config;
  try {
    config = readRuntimeConfig();
  } catch (error) {
    console.error("explainer:", error);
    runtime.fail("The demos cannot start: this page's runtime settings are missing or broken.");
    return;
  }
  runtime.start(config);
  demos.forEach((demo) => demo.start());
}

// ---------------------------------------------------------------------------------------
// One demo

class Demo {
  #section;
  #runtime;
  #ui;
  #settings;
  #status = "loading";
  #intent = "ready"; // the status the reader asked for: ready, running or paused
  #outstanding = 0; // requests sent or queued whose replies have not been handled
  #live = false; // initialised by Python and the runtime still works
  #playing = false;
  #looping = false;
  #queue = Promise.resolve();
  #state;
  #curve = { iterations: [], losses: [] };
  #points = { xs: [], ys: [] };
  #runs;
  #charts;
  #errorKind = null;
  #drawRequested = false;
  #typingTimer = 0;
  #sentStepSize = null;

  constructor(section, runtime) {
    this.#section = section;
    this.#runtime = runtime;
    this.id = section.dataset.demo;
    this.#ui = findParts(section);
    this.#charts = makeCharts(this.#ui.charts);
    this.#runs = loadRuns(this.id);
    runtime.attach(this);
    let config;
    try {
      config = JSON.parse(this.#ui.config.textContent);
    } catch (error) {
      console.error(`explainer: demo "${this.id}" has a broken configuration`, error);
      this.#fail("This demo's configuration is broken, so it cannot run.");
      return;
    }
    this.#settings = config.settings;
    this.#sentStepSize = config.settings.train.step_size;
    this.#bindControls();
    this.#applyState(config.initial);
    this.#renderRuns();
  }

  /** Ask Python to set the demo up (it waits in the worker until Python is ready). */
  async start() {
    if (this.#settings === undefined) return;
    const reply = await this.#send(MSG.DEMO_INIT, { settings: this.#settings });
    if (!this.#takeState(reply)) return;
    this.#live = true;
    this.#ui.status.textContent = "";
    this.#setControlsEnabled(true);
  }

  runtimeProgress(message) {
    if (this.#status === "loading") this.#ui.status.textContent = message;
  }

  runtimeFailed(message) {
    this.#live = false;
    this.#fail(message);
  }

  // --- requests ------------------------------------------------------------------------

  /** Queue a request behind this demo's earlier ones; resolves to the reply. */
  #send(type, fields = {}) {
    this.#outstanding += 1;
    const send = () => this.#runtime.request(type, this.id, fields);
    const reply = this.#queue.then(send, send).then((message) => {
      this.#outstanding -= 1;
      return message;
    });
    this.#queue = reply;
    return reply;
  }

  /** Apply a `demo:state` reply; returns false (after handling it) for a fatal error. */
  #takeState(reply) {
    if (reply.type === MSG.DEMO_STATE) {
      this.#applyState(reply.state);
    } else if (reply.type === MSG.DEMO_ERROR && reply.recoverable) {
      this.#showError("refused", reply.message);
    } else {
      this.#fail(reply.message ?? "The demo received an unexpected reply.");
      return false;
    }
    this.#settleStatus();
    return true;
  }

  /** With no request outstanding, show what the reader asked for, or the divergence. */
  #settleStatus() {
    if (this.#outstanding > 0) return;
    this.#setStatus(this.#state.status === "diverged" ? "diverged" : this.#intent);
  }

  // --- controls ------------------------------------------------------------------------

  #bindControls() {
    const { actions, controls } = this.#ui;
    actions.play?.addEventListener("click", () => (this.#playing ? this.#pause() : this.#play()));
    actions.step?.addEventListener("click", () => this.#step());
    actions.reset?.addEventListener("click", () => this.#reset());
    actions["double-samples"]?.addEventListener("click", () => this.#double());
    actions["save-run"]?.addEventListener("click", () => this.#saveRun());
    actions["clear-runs"]?.addEventListener("click", () => this.#clearRuns());
    controls["step-size"]?.addEventListener("input", () => this.#stepSizeEdited(false));
    controls["step-size"]?.addEventListener("change", () => this.#stepSizeEdited(true));
    controls.proportional?.addEventListener("change", (event) =>
      this.#configure({ proportional: event.target.checked }),
    );
    controls["upload-csv"]?.addEventListener("change", () => this.#upload());
  }

  #play() {
    this.#intent = "running";
    this.#setPlaying(true);
    this.#setStatus("running");
    this.#playLoop();
  }

  /** Stop playing; the status turns "paused" once the step in flight (if any) has landed. */
  #pause() {
    this.#intent = "paused";
    this.#setPlaying(false);
    this.#settleStatus();
  }

  /** While playing: wait for a frame, take one step request, repeat. */
  async #playLoop() {
    // A pause and a quick play again must not start a second loop.
    if (this.#looping) return;
    this.#looping = true;
    try {
      while (this.#playing) {
        await nextFrame();
        if (!this.#playing) break;
        const reply = await this.#send(MSG.DEMO_STEP, { count: this.#stepsPerFrame() });
        this.#takeState(reply);
      }
    } finally {
      this.#looping = false;
    }
  }

  #stepsPerFrame() {
    const speedup = Math.floor(this.#state.iteration / STEPS_SPEEDUP_EVERY);
    return Math.min(MAX_STEPS_PER_FRAME, 1 + speedup);
  }

  async #step() {
    this.#takeState(await this.#send(MSG.DEMO_STEP, { count: 1 }));
  }

  async #reset() {
    this.#intent = "ready"; // even if it was paused before
    this.#setPlaying(false);
    this.#takeState(await this.#send(MSG.DEMO_RESET));
  }

  async #double() {
    this.#takeState(await this.#send(MSG.DEMO_DOUBLE));
  }

  async #configure(change) {
    this.#takeState(await this.#send(MSG.DEMO_CONFIGURE, change));
  }

  /**
   * Send a valid step size and flag an invalid one. While typing, "0" or "0.0" may be on
   * the way to "0.05", so those are flagged only after a pause or when committed.
   */
  #stepSizeEdited(committed) {
    const input = this.#ui.controls["step-size"];
    clearTimeout(this.#typingTimer);
    const value = input.valueAsNumber;
    if (Number.isFinite(value) && value > 0) {
      input.removeAttribute("aria-invalid");
      if (this.#errorKind === "step-size") this.#clearError();
      // "change" usually follows an "input" that already sent the same value.
      if (value === this.#sentStepSize) return;
      this.#sentStepSize = value;
      this.#configure({ step_size: value });
      return;
    }
    input.setAttribute("aria-invalid", "true");
    if (committed || value < 0) this.#showError("step-size", STEP_SIZE_ERROR);
    else if (input.value !== "") {
      this.#typingTimer = setTimeout(() => this.#showError("step-size", STEP_SIZE_ERROR), TYPING_GRACE_MS);
    }
  }

  async #upload() {
    const input = this.#ui.controls["upload-csv"];
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      this.#refuseUpload(`${file.name} is too large (the limit is 10 MB).`);
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch (error) {
      this.#refuseUpload(`${file.name} could not be read (${error.message}).`);
      return;
    }
    const reply = await this.#send(MSG.DEMO_UPLOAD, { name: file.name, text });
    if (reply.type === MSG.DEMO_ERROR && reply.recoverable) {
      this.#refuseUpload(reply.message);
    } else if (this.#takeState(reply) && this.#errorKind === "refused") {
      this.#clearError(); // an earlier refused file no longer matters
    }
  }

  /** The demo keeps its data; the file input is cleared so the same file can be retried. */
  #refuseUpload(message) {
    this.#showError("refused", message);
    this.#ui.controls["upload-csv"].value = "";
  }

  async #saveRun() {
    const reply = await this.#send(MSG.DEMO_SAVE_RUN);
    if (reply.type !== MSG.DEMO_RUN) {
      this.#takeState(reply);
      return;
    }
    this.#runs = [...this.#runs, { color: nextColor(this.#runs), run: reply.run }];
    storeRuns(this.id, this.#runs);
    this.#renderRuns();
    if (this.#status !== "error") this.#settleStatus();
  }

  #clearRuns() {
    this.#runs = [];
    storeRuns(this.id, this.#runs);
    this.#renderRuns();
  }

  // --- state and rendering -------------------------------------------------------------

  #applyState(state) {
    this.#state = state;
    this.#curve = mergeCurve(this.#curve, state.curve);
    if (state.points) this.#points = state.points;
    this.#renderReadouts(state);
    const proportional = this.#ui.controls.proportional;
    if (proportional) proportional.checked = state.settings.proportional;
    if (state.status === "diverged") {
      this.#intent = "ready";
      this.#setPlaying(false);
      this.#showError("diverged", state.message);
    } else if (this.#errorKind === "diverged" || this.#errorKind === "fatal") {
      // A healthy state (e.g. after reset) ends an earlier divergence or Python error.
      this.#clearError();
    }
    this.#requestDraw();
  }

  #renderReadouts(state) {
    const values = {
      samples: state.samples,
      iteration: state.iteration,
      "total-loss": state.total_loss,
      "average-loss": state.average_loss,
      "effective-step": state.effective_step,
      ...state.params,
    };
    for (const [name, output] of Object.entries(this.#ui.readouts)) {
      const value = values[name];
      if (typeof value !== "number") continue;
      output.dataset.value = String(value);
      output.textContent = name === "samples" || name === "iteration" ? formatCount(value) : formatReal(value);
    }
  }

  /** Charts redraw at most once per frame, however many states arrive. */
  #requestDraw() {
    if (this.#drawRequested) return;
    this.#drawRequested = true;
    requestAnimationFrame(() => {
      this.#drawRequested = false;
      this.#charts.fit?.draw(this.#points, this.#state.fit);
      this.#charts.loss?.draw(this.#curve, this.#runs.map(runSeries));
    });
  }

  #renderRuns() {
    const list = this.#ui.runs;
    if (list) list.replaceChildren(...this.#runs.map(runItem));
    this.#requestDraw();
  }

  #setStatus(status) {
    this.#status = status;
    this.#section.dataset.status = status;
  }

  #setPlaying(playing) {
    this.#playing = playing;
    const button = this.#ui.actions.play;
    if (!button) return;
    button.setAttribute("aria-pressed", String(playing));
    button.textContent = playing ? "Pause" : "Play";
  }

  #setControlsEnabled(enabled) {
    const { actions, controls } = this.#ui;
    for (const element of [...Object.values(actions), ...Object.values(controls)]) {
      element.disabled = !enabled;
    }
  }

  /** Something the demo cannot recover from by itself: stop and say why. */
  #fail(message) {
    this.#intent = "ready";
    this.#setPlaying(false);
    this.#setStatus("error");
    this.#ui.status.textContent = "";
    this.#showError("fatal", message);
    // An unexpected Python error leaves an initialised demo usable (reset may recover it);
    // without a working runtime or an initialised demo nothing can respond.
    if (!this.#live) this.#setControlsEnabled(false);
  }

  #showError(kind, message) {
    this.#errorKind = kind;
    this.#ui.error.textContent = message;
  }

  #clearError() {
    this.#errorKind = null;
    this.#ui.error.textContent = "";
  }
}

/** The elements of a demo section, found by their contract hooks. */
function findParts(section) {
  const byData = (attribute) =>
    Object.fromEntries(
      [...section.querySelectorAll(`[data-${attribute}]`)].map((el) => [el.dataset[attribute], el]),
    );
  return {
    config: section.querySelector("script[data-demo-config]"),
    actions: byData("action"),
    controls: byData("control"),
    readouts: byData("readout"),
    charts: byData("chart"),
    runs: section.querySelector("[data-runs]"),
    error: section.querySelector("[data-error]") ?? section.appendChild(errorElement()),
    status: section.querySelector(".demo-status") ?? document.createElement("p"),
  };
}

function errorElement() {
  const element = document.createElement("p");
  element.dataset.error = "";
  element.setAttribute("role", "alert");
  return element;
}

function makeCharts(containers) {
  return {
    fit: containers.fit ? new FitChart(containers.fit) : null,
    loss: containers.loss ? new LossChart(containers.loss) : null,
  };
}

/** The page's copy of the loss curve after a state's `curve` (replace or append). */
function mergeCurve(current, update) {
  if (update.full) return { iterations: [...update.iterations], losses: [...update.losses] };
  return {
    iterations: current.iterations.concat(update.iterations),
    losses: current.losses.concat(update.losses),
  };
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

// Last, so that every class and constant above is initialised.
main();
