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
// `textContent`. Saved runs live in runs.js, links to settings in share.js, and what is
// said to screen readers in a11y.js.

import { MSG } from "./protocol.js";
import { LiveSummary, describeTraining } from "./a11y.js";
import { divergenceAdvice, rescaledNote, stableStepLabel } from "./advice.js";
import { formatCount, formatReal } from "./format.js";
import { findParts, makeCharts, mergeCurve, nextFrame, readTextFile } from "./parts.js";
import { pageRuntime, startPageRuntime } from "./runtime.js";
import { RunsPanel } from "./runs.js";
import { ShareLinks } from "./share.js";
import { StepSizeInput } from "./stepsize.js";

// As the runtime's limit (MAX_CHARACTERS in engine/runtime/csvdata.py): a million rows
// of numbers written out in full fit, and a larger file is refused before it is read.
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
// Play takes one step per frame at first so each step can be followed, then speeds up
// gently: by then the reader watches the loss curve, not single steps.
const STEPS_SPEEDUP_EVERY = 100;
const MAX_STEPS_PER_FRAME = 10;

function main() {
  const sections = [...document.querySelectorAll("section[data-demo]")];
  if (sections.length === 0) return;
  // boot.js has usually started the runtime already, while the page was still loading.
  const demos = sections.map((section) => new Demo(section, pageRuntime));
  new ShareLinks(demos);
  startPageRuntime();
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
  #summary;
  #errorKind = null;
  #drawRequested = false;
  #stepSize = null;
  #doublings = 0; // since the data was last replaced, for links to these settings
  /** Called when the demo comes alive (again, after a retry), and when a linked setting changes. */
  onLive = null;
  onLinkChange = null;

  constructor(section, runtime) {
    this.#section = section;
    this.#runtime = runtime;
    this.id = section.dataset.demo;
    this.#ui = findParts(section);
    if (this.#ui.loading) this.#ui.loading.hidden = false; // it needs this script to end
    this.#charts = makeCharts(this.#ui.charts);
    this.#summary = new LiveSummary(this.#ui.summary);
    this.#runs = new RunsPanel(this.id, this.#ui.runs, {
      changed: () => this.#requestDraw(),
      done: (note) => {
        this.#clearError("refused");
        this.#summary.say(note);
      },
      refuse: (message) => this.#showError("refused", message),
    });
    // Every demo on the page restarts with the new runtime.
    this.#ui.retry?.addEventListener("click", () => runtime.restart());
    this.#ui.useStep?.addEventListener("click", () => this.#useStableStep());
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
    this.#bindControls();
    this.#applyState(config.initial);
  }

  get section() {
    return this.#section;
  }

  /** Ask Python to set the demo up (it waits in the worker until Python is ready). */
  async start() {
    if (this.#settings === undefined) return;
    const reply = await this.#send(MSG.DEMO_INIT, { settings: this.#settings });
    if (!this.#takeState(reply)) return;
    this.#live = true;
    this.#ui.status.textContent = "";
    this.#stepSize?.set(this.#state.settings.step_size);
    this.#setControlsEnabled(true);
    this.onLive?.();
  }

  runtimeProgress(message) {
    if (this.#status === "loading") this.#ui.status.textContent = message;
  }

  /** The runtime is gone; with `retry`, the reader may start a new one. */
  runtimeFailed(message, retry) {
    this.#live = false;
    this.#fail(message);
    const button = this.#ui.retry;
    if (button) button.hidden = button.disabled = !retry;
  }

  /** A new runtime is starting: back to loading until it answers (then `start` again). */
  runtimeRestarting() {
    if (this.#settings === undefined) return; // a broken configuration stays broken
    const { retry, status } = this.#ui;
    const hadFocus = retry !== null && document.activeElement === retry;
    if (retry) retry.hidden = retry.disabled = true;
    this.#clearError();
    this.#doublings = 0;
    this.#setStatus("loading");
    status.textContent = "Loading Python…";
    // The Retry button disappears; keep a keyboard reader's place in the demo.
    if (hadFocus) status.focus();
  }

  // --- links to these settings (see share.js) -------------------------------------------

  /** {step, prop, double, play} now, or null for a demo that cannot run. */
  linkState() {
    if (this.#settings === undefined) return null;
    const { step_size: step, proportional: prop } = this.#state.settings;
    return { step, prop, double: this.#doublings, play: this.#playing };
  }

  /** {step, prop, double, play} as the author set them, or null for a demo that cannot run. */
  linkDefaults() {
    if (this.#settings === undefined) return null;
    const { step_size: step, proportional: prop } = this.#settings.train;
    return { step, prop, double: 0, play: false };
  }

  /** Apply settings from a link, in order: step size and proportional, doublings, play. */
  async applyLink({ step, prop, double = 0, play = false }) {
    const change = {};
    if (step !== undefined) change.step_size = step;
    if (prop !== undefined) change.proportional = prop;
    if (Object.keys(change).length > 0) {
      if (step !== undefined) this.#stepSize?.set(step);
      await this.#configure(change);
    }
    for (let i = 0; i < double && this.#status !== "error"; i++) {
      if (!(await this.#double())) break;
    }
    const healthy = this.#state.status !== "diverged" && this.#status !== "error";
    if (play && healthy && this.#ui.actions.play) this.#play();
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
      this.onLinkChange?.();
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
    if (controls["step-size"]) {
      this.#stepSize = new StepSizeInput(controls["step-size"], this.#settings.train.step_size, {
        send: (value) => this.#configure({ step_size: value }),
        flag: (message) => (message ? this.#showError("step-size", message) : this.#clearError("step-size")),
      });
    }
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
        if (this.#playing) this.#summary.progress(this.#state, this.#startLoss());
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
    if (this.#takeState(await this.#send(MSG.DEMO_STEP, { count: 1 })) && !this.#playing) {
      this.#summary.say(describeTraining(this.#state, this.#startLoss()));
    }
  }

  async #reset() {
    this.#intent = "ready"; // even if it was paused before
    this.#setPlaying(false);
    if (this.#takeState(await this.#send(MSG.DEMO_RESET))) {
      this.#summary.say(`Reset. ${describeTraining(this.#state, this.#startLoss())}`);
    }
  }

  /** Double the samples; false if that was refused or failed. */
  async #double() {
    const reply = await this.#send(MSG.DEMO_DOUBLE);
    if (!this.#takeState(reply) || reply.type !== MSG.DEMO_STATE) return false;
    this.#doublings += 1;
    this.#summary.say(`Samples doubled to ${formatCount(this.#state.samples)}.`);
    return true;
  }

  async #configure(change) {
    const reply = await this.#send(MSG.DEMO_CONFIGURE, change);
    this.#takeState(reply);
    // A refused change leaves the box showing the step size that training still uses.
    if (reply.type !== MSG.DEMO_STATE) this.#stepSize?.set(this.#state.settings.step_size);
  }

  /** The button in the error area of a diverged run: use the stable step size, and reset. */
  async #useStableStep() {
    const step = this.#state.divergence?.stable_step;
    if (typeof step !== "number") return;
    const hadFocus = document.activeElement === this.#ui.useStep;
    this.#stepSize?.set(step);
    await this.#configure({ step_size: step });
    await this.#reset();
    this.#summary.say(`Step size set to ${step}. ${describeTraining(this.#state, this.#startLoss())}`);
    // The button is gone; a keyboard reader carries on from Play.
    if (hadFocus) (this.#ui.actions.play ?? this.#ui.controls["step-size"])?.focus();
  }

  async #upload() {
    const input = this.#ui.controls["upload-csv"];
    const file = input.files?.[0];
    if (!file) return;
    let text;
    try {
      text = await readTextFile(file, MAX_UPLOAD_BYTES);
    } catch (error) {
      this.#refuseUpload(error.message);
      return;
    }
    const reply = await this.#send(MSG.DEMO_UPLOAD, { name: file.name, text });
    if (reply.type === MSG.DEMO_ERROR && reply.recoverable) {
      this.#refuseUpload(reply.message);
      return;
    }
    if (!this.#takeState(reply)) return;
    this.#doublings = 0; // a link cannot carry the reader's file
    this.#clearError("refused"); // an earlier refused file no longer matters
    // How the file was rescaled for training is said by the note under the upload control.
    const { x, y } = this.#state.columns;
    const named = x === "x" && y === "y" ? "" : ` (${y} against ${x})`;
    this.#summary.say(`Loaded ${file.name}: ${formatCount(this.#state.samples)} samples${named}.`);
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
    if (this.#runs.add(reply.run)) this.#summary.say("Run saved.");
    if (this.#status !== "error") this.#settleStatus();
  }

  // --- state and rendering -------------------------------------------------------------

  #applyState(state) {
    this.#state = state;
    this.#curve = mergeCurve(this.#curve, state.curve);
    if (state.points) this.#points = state.points;
    this.#renderReadouts(state);
    const proportional = this.#ui.controls.proportional;
    if (proportional) proportional.checked = state.settings.proportional;
    if (this.#ui.uploadNote) {
      this.#ui.uploadNote.textContent = rescaledNote(state.rescaled, state.columns);
      this.#ui.uploadNote.hidden = !state.rescaled;
    }
    if (state.status === "diverged") {
      this.#intent = "ready";
      this.#setPlaying(false);
      this.#showDivergence(state);
    } else if (this.#errorKind === "diverged" || this.#errorKind === "fatal") {
      // A healthy state (e.g. after reset) ends an earlier divergence or Python error.
      this.#clearError();
    }
    this.#requestDraw();
  }

  /** Why the run diverged, worded for this demo's controls, with the stable step to use. */
  #showDivergence(state) {
    const facts = state.divergence;
    if (!facts) {
      this.#showError("diverged", state.message);
      return;
    }
    const { text, step } = divergenceAdvice(facts, {
      stepSize: Boolean(this.#stepSize),
      reset: Boolean(this.#ui.actions.reset),
    });
    this.#showError("diverged", text);
    const button = this.#ui.useStep;
    if (button && step !== null) {
      button.textContent = stableStepLabel(step);
      button.hidden = false;
      button.disabled = !this.#live;
    }
  }

  /** The current run's average loss at iteration 0. */
  #startLoss() {
    return this.#curve.iterations[0] === 0 ? this.#curve.losses[0] : this.#state.average_loss;
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
      const runs = this.#runs.series();
      const columns = this.#state.columns ?? { x: "x", y: "y" };
      for (const view of this.#charts.fit) view.draw(this.#points, this.#state.fit, columns);
      for (const view of this.#charts.loss) view.draw(this.#curve, runs);
    });
  }

  #setStatus(status) {
    const before = this.#status;
    this.#status = status;
    this.#section.dataset.status = status;
    if (status === before || this.#state === undefined) return;
    const steps = formatCount(this.#state.iteration);
    if (status === "paused") this.#summary.say(`Paused. ${describeTraining(this.#state, this.#startLoss())}`);
    if (status === "diverged") this.#summary.say(`Stopped: the run diverged after ${steps} steps.`);
  }

  #setPlaying(playing) {
    this.#playing = playing;
    const button = this.#ui.actions.play;
    if (!button) return;
    button.setAttribute("aria-pressed", String(playing));
    button.textContent = playing ? "Pause" : "Play";
    this.onLinkChange?.();
  }

  #setControlsEnabled(enabled) {
    const { actions, controls } = this.#ui;
    for (const element of [...Object.values(actions), ...Object.values(controls)]) {
      element.disabled = !enabled;
    }
    this.#runs.setEnabled(enabled);
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
    if (this.#ui.useStep) this.#ui.useStep.hidden = true; // only a divergence offers it
  }

  /** Clear the error shown, or only an error of `kind`. */
  #clearError(kind = this.#errorKind) {
    if (kind !== this.#errorKind) return;
    this.#errorKind = null;
    this.#ui.error.textContent = "";
    if (this.#ui.useStep) this.#ui.useStep.hidden = true;
  }
}

// Last, so that every class and constant above is initialised.
main();
