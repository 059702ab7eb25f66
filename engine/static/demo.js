// Page controller for explainer demos.
//
// Binds every `section[data-demo]` on the page to one shared runtime worker. Each demo
// draws its embedded initial state at once and is live at first paint: until Python is
// ready, Step, Play and Reset replay the build's recording of the default run (replay.js),
// and Python then takes over from the state reached (`demo:init` with the steps replayed).
// Anything else waits for Python, visibly (`data-python="waiting"`), and is never lost.
// All requests of one demo go through a queue, so at most one of them is in flight and
// replies apply in order.
//
// `data-status` only changes once the demo's queue is empty: "paused" or "ready" then
// mean that nothing more is about to change, which is what tests (and readers) wait for.
//
// Reader-supplied text (file names, CSV content, messages) reaches the page only through
// `textContent`. Saved runs live in runs.js, links to settings in share.js, and what is
// said to screen readers in a11y.js.

import { LiveSummary, describeTraining } from "./a11y.js";
import { divergenceAdvice, rescaledNote, stableStepLabel } from "./advice.js";
import { CONTRACT, MSG } from "./contract.js";
import { TotalCurve, isNoisy, mergeCurve } from "./curves.js";
import { formatCount, formatReal, formatStep } from "./format.js";
import {
  findParts,
  followScreenWidth,
  makeCanvasCharts,
  makeCharts,
  nextFrame,
  nudgeInput,
  readTextFile,
  whenNear,
  yieldToPage,
} from "./parts.js";
import { pageRuntime, startPageRuntime } from "./runtime.js";
import { Replay } from "./replay.js";
import { RunsPanel } from "./runs.js";
import { ShareLinks } from "./share.js";
import { NumberBox } from "./numberbox.js";

const { limits: LIMITS, links: LINKS } = CONTRACT;
// How each kind of readout is written (the contract's readout formats).
const FORMATS = { count: formatCount, real: formatReal, step: formatStep };
// Play starts slowly, so that the first steps of a run (and a run that diverges) can be
// followed one by one: the first step at once, then a pause of FIRST_STEP_MS, shrinking
// to none by step SLOW_STEPS. Then one step per frame, speeding up gently: by then the reader
// watches the loss curve, not single steps.
const FIRST_STEP_MS = 180;
const SLOW_STEPS = 25;
const STEPS_SPEEDUP_EVERY = 100;
const MAX_STEPS_PER_FRAME = 10;

async function main() {
  const sections = [...document.querySelectorAll("section[data-demo]")];
  if (sections.length === 0) return;
  // boot.js has usually started the runtime already, while the page was still loading.
  startPageRuntime();
  // One demo a task (and none in the task that evaluates the page's modules): the page
  // answers the reader while its demos are set up.
  const demos = [];
  for (const section of sections) {
    await yieldToPage();
    demos.push(new Demo(section, pageRuntime));
  }
  new ShareLinks(demos);
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
  #reading = false; // a reader's file is being read and checked
  #live = false; // initialised by Python and the runtime still works
  #playing = false;
  #looping = false;
  #queue = Promise.resolve();
  #state;
  #curve = { iterations: [], losses: [] };
  #totals = new TotalCurve(); // the total loss beside the average, for charts that draw it
  #ghost = null; // the default run's loss curve, drawn before a run starts
  #defaultData = null; // the label of the data the default run trained on
  #points = { xs: [], ys: [] };
  #runs;
  #charts;
  #summary;
  #errorKind = null;
  #drawRequested = false;
  #boxes = {}; // the boxes of number settings a reader may change, by setting name
  #doublings = 0; // since the data was last replaced, for links to these settings
  #replay = null; // the build's recording of the default run, while Python starts
  #dataSummary = null; // what the build knows of large synthetic data (runtime/summary.py)
  #replayed = 0; // step calls replayed from the recording since the run started
  #takeover = null; // the `demo:init` that hands the demo to Python, once sent
  #pythonReady = false; // the page's runtime has started Python
  #progress = "Starting Python…"; // what the runtime last said it is doing
  #refocus = false; // the Retry button had the focus: give it to the live demo
  /** Called when the demo comes alive (again, after a retry), and when a linked setting changes. */
  onLive = null;
  onLinkChange = null;

  constructor(section, runtime) {
    this.#section = section;
    this.#runtime = runtime;
    this.id = section.dataset.demo;
    this.#ui = findParts(section);
    followScreenWidth(this.#ui.more);
    if (this.#ui.loading) this.#ui.loading.hidden = false; // it needs this script to end
    // The captions and tables speak at once; the canvas charts are drawn once the demo
    // is near the screen (until then the build's static figures stand in for them).
    this.#charts = makeCharts(this.#ui.charts);
    whenNear(section, async () => {
      const canvas = await makeCanvasCharts(this.#ui.charts);
      this.#charts.fit.unshift(...canvas.fit);
      this.#charts.loss.unshift(...canvas.loss);
      this.#draw(); // now, in this demo's own task
    });
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
    this.#replay = readReplay(this.id, config);
    this.#ghost = this.#replay?.state(this.#replay.steps).curve ?? null;
    this.#defaultData = config.initial.data_label;
    this.#dataSummary = config.summary ?? null;
    this.#bindControls();
    this.#applyState(config.initial);
  }

  get section() {
    return this.#section;
  }

  /**
   * Come alive: at once from the build's recording, which stands in until Python is
   * ready; without one, by asking Python to set the demo up (the request waits in the
   * worker until Python is ready).
   */
  async start() {
    // A runtime that cannot run here may have said so while the page was still setting
    // up its demos: the demo keeps its message and static figures.
    if (this.#settings === undefined || this.#status === "error") return;
    this.#section.dataset.python = "starting";
    if (this.#replay === null) {
      await this.#takeOver();
      return;
    }
    this.#ui.status.textContent = "";
    for (const [name, box] of Object.entries(this.#boxes)) box.set(this.#settings.train[name]);
    this.#setControlsEnabled(true);
    this.#replayTo(0, true);
    if (this.#refocus) Object.values(this.#ui.controls).find((control) => !control.hidden)?.focus();
    this.#refocus = false;
    this.onLive?.();
  }

  /** Python is ready: it takes over from the state the recording reached. */
  runtimeReady() {
    this.#pythonReady = true;
    if (this.#settings !== undefined && this.#status !== "error") this.#takeOver();
  }

  runtimeProgress(message) {
    this.#progress = message;
    if (this.#status === "loading" || this.#section.dataset.python === "waiting") {
      this.#ui.status.textContent = message;
    }
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
    this.#takeover = null;
    this.#pythonReady = false;
    this.#setStatus("loading");
    status.textContent = "Loading Python…";
    // The Retry button disappears; keep a keyboard reader's place in the demo (on its
    // first control once it is live again, see start).
    if (hadFocus) status.focus();
    this.#refocus = hadFocus;
  }

  // --- links to these settings (see share.js) -------------------------------------------

  /** Whether the demo has the control called `name` in the directive's `controls`. */
  hasControl(name) {
    return name in this.#ui.controls;
  }

  /** The "Copy link" button, if the demo has one. */
  get copyLink() {
    return this.#ui.copyLink;
  }

  /** Link key -> value now (see links.js), or null for a demo that cannot run. */
  linkState() {
    if (this.#settings === undefined) return null;
    return this.#linkValues(this.#state.settings, this.#doublings, this.#playing);
  }

  /** Link key -> value as the author set things up, or null for a demo that cannot run. */
  linkDefaults() {
    if (this.#settings === undefined) return null;
    return this.#linkValues(this.#settings.train, 0, false);
  }

  #linkValues(settings, double, play) {
    const values = { double, play };
    for (const [key, { setting }] of Object.entries(LINKS)) if (setting) values[key] = settings[setting];
    return values;
  }

  /** Apply settings from a link, in order: settings (step size, ...), doublings, play. */
  async applyLink(wanted) {
    const change = {};
    for (const [key, value] of Object.entries(wanted)) if (LINKS[key].setting) change[LINKS[key].setting] = value;
    if (Object.keys(change).length > 0) {
      for (const [name, value] of Object.entries(change)) this.#boxes[name]?.set(value);
      await this.#configure(change);
    }
    // A link may ask for more doublings than the data allows: take those it does.
    const room = Math.floor(Math.log2(LIMITS.samples / this.#state.samples));
    const double = Math.min(wanted.double ?? 0, room);
    if (double < (wanted.double ?? 0)) console.warn(`explainer: link: only ${double} doublings fit this data`);
    for (let i = 0; i < double && this.#status !== "error"; i++) {
      if (!(await this.#double())) break;
    }
    const healthy = this.#state.status !== "diverged" && this.#status !== "error";
    if (wanted.play && healthy && this.#ui.controls.play) this.#play();
  }

  // --- requests ------------------------------------------------------------------------

  /**
   * Hand the demo to Python (once): `demo:init` with the steps replayed from the build's
   * recording, so Python goes on from the very state shown. Resolves to whether Python
   * now runs the demo.
   */
  #takeOver() {
    const start = { settings: this.#settings, steps: this.#replayed };
    if (this.#dataSummary !== null) start.summary = this.#dataSummary;
    this.#takeover ??= this.#enqueue(MSG.DEMO_INIT, start).then(
      (reply) => {
        if (!this.#takeState(reply)) return false;
        this.#live = true;
        this.#section.dataset.python = "ready";
        this.#ui.status.textContent = "";
        this.#setControlsEnabled(true);
        // A replaying demo was live already: its boxes may hold what the reader (or a
        // link) asked for since, which waits in the queue behind this start.
        if (this.#replay !== null) return true;
        for (const [name, box] of Object.entries(this.#boxes)) box.set(this.#state.settings[name]);
        this.onLive?.();
        return true;
      },
    );
    return this.#takeover;
  }

  /** Queue a request for Python behind this demo's earlier ones; resolves to the reply.
   * Before Python is ready it waits, and the demo says so. */
  #send(type, fields = {}) {
    this.#takeOver();
    if (!this.#live && !this.#pythonReady) {
      this.#section.dataset.python = "waiting";
      this.#ui.status.textContent = this.#progress;
    }
    return this.#enqueue(type, fields);
  }

  #enqueue(type, fields) {
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
    if (this.#outstanding > 0 || this.#reading) return;
    this.#setStatus(this.#state.status === "diverged" ? "diverged" : this.#intent);
  }

  // --- controls ------------------------------------------------------------------------

  #bindControls() {
    const { controls } = this.#ui;
    controls.play?.addEventListener("click", () => (this.#playing ? this.#pause() : this.#play()));
    controls.step?.addEventListener("click", () => this.#step());
    controls.reset?.addEventListener("click", () => this.#reset());
    controls.double_samples?.addEventListener("click", () => this.#double());
    controls.save_run?.addEventListener("click", () => this.#saveRun());
    // Settings a reader may change during a run, each by its control: a box or a switch.
    for (const [name, setting] of Object.entries(CONTRACT.settings)) {
      const input = setting.live ? controls[setting.control] : undefined;
      if (input === undefined) continue;
      if (setting.kind.type === "flag") {
        input.addEventListener("change", () => this.#configure({ [name]: input.checked }));
        continue;
      }
      this.#boxes[name] = new NumberBox(input, setting, this.#settings.train[name], {
        send: (value) => this.#configure({ [name]: value }),
        flag: (message) => (message ? this.#showError(`box:${name}`, message) : this.#clearError(`box:${name}`)),
      });
    }
    controls.upload_csv?.addEventListener("change", () => this.#upload());
    const stepSize = controls.step_size;
    for (const button of this.#ui.nudges) {
      button.addEventListener("click", () => nudgeInput(stepSize, Number(button.dataset.stepNudge)));
    }
    // Arrow keys in the box move along 1, 2, 5 too (a number box would add whole units).
    stepSize?.addEventListener("keydown", (event) => {
      const direction = { ArrowUp: 1, ArrowDown: -1 }[event.key];
      if (direction === undefined) return;
      event.preventDefault();
      nudgeInput(stepSize, direction);
    });
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
        const pause = this.#slowStartPause();
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        if (!this.#playing) break;
        const count = this.#stepsPerFrame();
        if (!this.#replayTo(this.#replayed + count)) this.#takeState(await this.#send(MSG.DEMO_STEP, { count }));
        if (this.#playing) this.#summary.progress(this.#state, this.#startLoss());
      }
    } finally {
      this.#looping = false;
    }
  }

  /** How long to wait before the next step while a run is young (see FIRST_STEP_MS). The
   * first step answers Play at once. */
  #slowStartPause() {
    const { iteration } = this.#state;
    const young = SLOW_STEPS - iteration;
    return iteration > 0 && young > 0 ? Math.round((FIRST_STEP_MS * young) / SLOW_STEPS) : 0;
  }

  #stepsPerFrame() {
    const speedup = Math.floor(this.#state.iteration / STEPS_SPEEDUP_EVERY);
    return Math.min(MAX_STEPS_PER_FRAME, 1 + speedup);
  }

  async #step() {
    const done = this.#replayTo(this.#replayed + 1) || this.#takeState(await this.#send(MSG.DEMO_STEP, { count: 1 }));
    if (done && !this.#playing) this.#summary.say(describeTraining(this.#state, this.#startLoss()));
  }

  async #reset() {
    this.#intent = "ready"; // even if it was paused before
    this.#setPlaying(false);
    if (this.#replayTo(0, true) || this.#takeState(await this.#send(MSG.DEMO_RESET))) {
      this.#summary.say(`Reset. ${describeTraining(this.#state, this.#startLoss())}`);
    }
  }

  /**
   * Before Python runs the demo, show the recorded state after `calls` step calls (at
   * most the recording's last; `restart` for a reset). False, changing nothing, when
   * Python runs the demo or the recording ends before the run does.
   */
  #replayTo(calls, restart = false) {
    const replay = this.#replay;
    if (replay === null || this.#takeover !== null) return false;
    if (!restart && this.#replayed === replay.steps && !replay.diverged) return false;
    const to = Math.min(calls, replay.steps);
    const from = restart || to < this.#replayed ? null : this.#state.iteration;
    this.#replayed = to;
    return this.#takeState({ type: MSG.DEMO_STATE, state: replay.state(to, from) });
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
    // A refused change leaves each box showing the value that training still uses.
    if (reply.type !== MSG.DEMO_STATE) {
      for (const [name, box] of Object.entries(this.#boxes)) box.set(this.#state.settings[name]);
    }
  }

  /** The button in the error area of a diverged run: use the stable step size, and reset. */
  async #useStableStep() {
    const step = this.#state.divergence?.stable_step;
    if (typeof step !== "number") return;
    const hadFocus = document.activeElement === this.#ui.useStep;
    this.#boxes.step_size?.set(step);
    await this.#configure({ step_size: step });
    await this.#reset();
    this.#summary.say(`Step size set to ${step}. ${describeTraining(this.#state, this.#startLoss())}`);
    // The button is gone; a keyboard reader carries on from Play.
    if (hadFocus) (this.#ui.controls.play ?? this.#ui.controls.step_size)?.focus();
  }

  async #upload() {
    const input = this.#ui.controls.upload_csv;
    const file = input.files?.[0];
    if (!file) return;
    // Reading and checking a large file takes seconds: meanwhile the demo says so, and
    // nothing can be pressed.
    this.#reading = true;
    this.#setStatus("loading");
    this.#ui.status.textContent = `Reading ${file.name}…`;
    this.#setControlsEnabled(false);
    try {
      await this.#load(file);
    } finally {
      this.#reading = false;
      this.#ui.status.textContent = "";
      if (this.#live) this.#setControlsEnabled(true);
      if (this.#status === "loading") this.#settleStatus();
    }
  }

  async #load(file) {
    let text;
    try {
      text = await readTextFile(file, LIMITS.upload_bytes);
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
    this.#ui.controls.upload_csv.value = "";
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
    this.#totals.follow(state);
    this.#runs.showData(state.data_label);
    if (state.points) this.#points = state.points;
    this.#renderReadouts(state);
    for (const [name, { control, kind }] of Object.entries(CONTRACT.settings)) {
      const input = this.#ui.controls[control];
      if (input && kind.type === "flag") input.checked = state.settings[name];
    }
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
      stepSize: Boolean(this.#boxes.step_size),
      reset: Boolean(this.#ui.controls.reset),
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
    const { readouts } = this.#ui;
    if (this.#ui.dataLabel) this.#ui.dataLabel.textContent = state.data_label;
    const show = (output, value, format) => {
      if (output === undefined || typeof value !== "number") return;
      output.dataset.value = String(value);
      output.textContent = FORMATS[format](value);
    };
    for (const { name, hook, format } of CONTRACT.readouts) show(readouts[hook], state[name], format);
    for (const [name, value] of Object.entries(state.params)) show(readouts[name], value, "real");
  }

  /** Charts redraw at most once per frame, however many states arrive. */
  #requestDraw() {
    if (this.#drawRequested) return;
    this.#drawRequested = true;
    requestAnimationFrame(() => {
      this.#drawRequested = false;
      this.#draw();
    });
  }

  #draw() {
    const runs = this.#runs.series();
    const state = this.#state;
    // Captions and tables speak from the same state as the readouts.
    const now = {
      samples: state.samples,
      iteration: state.iteration,
      averageLoss: state.average_loss,
      totalLoss: state.total_loss,
      names: columnNames(state),
      playing: this.#playing,
      ghost: state.data_label === this.#defaultData ? this.#ghost : null,
      totals: this.#totals.of(this.#curve),
      noisy: isNoisy(state.settings, state.samples),
    };
    for (const view of this.#charts.fit) view.draw(this.#points, state.fit, now);
    for (const view of this.#charts.loss) view.draw(this.#curve, runs, now);
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
    const button = this.#ui.controls.play;
    if (!button) return;
    button.setAttribute("aria-pressed", String(playing));
    (button.querySelector(".demo-play-label") ?? button).textContent = playing ? "Pause" : "Play";
    this.#requestDraw(); // captions follow at once when playing stops
    this.onLinkChange?.();
  }

  #setControlsEnabled(enabled) {
    for (const element of [...Object.values(this.#ui.controls), ...this.#ui.nudges]) element.disabled = !enabled;
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
    this.#ui.error.dataset.kind = kind.split(":")[0]; // styled by kind: a divergence is calm
    if (this.#ui.useStep) this.#ui.useStep.hidden = true; // only a divergence offers it
  }

  /** Clear the error shown, or only an error of `kind`. */
  #clearError(kind = this.#errorKind) {
    if (kind !== this.#errorKind) return;
    this.#errorKind = null;
    this.#ui.error.textContent = "";
    delete this.#ui.error.dataset.kind;
    if (this.#ui.useStep) this.#ui.useStep.hidden = true;
  }
}

/** The demo's recording of its default run, or null (none, or unreadable: Python alone). */
function readReplay(id, config) {
  if (!config.replay) return null;
  try {
    return new Replay(config.initial, config.replay, config.settings.model);
  } catch (error) {
    console.error(`explainer: demo "${id}" has a broken recording of its default run`, error);
    return null;
  }
}

/** The names of the data's columns (a CSV header's, or x and y). */
function columnNames(state) {
  return { x: state.columns?.x ?? "x", y: state.columns?.y ?? "y" };
}

// Last, so that every class and constant above is initialised.
main();
