// mountTrainer(root, options): the live comparison used by the trainer page
// and by the <bn-trainer> widget. Two panels (with / without batch norm)
// fed by one session on the shared training worker; this thread only
// handles controls and paints frames (once per animation frame).
import { h, setText } from "../dom.js";
import { createControls } from "./controls.js";
import { createDepthView } from "./depth-view.js";
import { createExportView } from "./export-view.js";
import { createFrameScheduler } from "./frame-scheduler.js";
import { chartsPending } from "./line-chart.js";
import { createPanel, HISTOGRAM_RANGE } from "./panel.js";
import { presetById } from "./presets.js";
import { createPresetBar } from "./preset-bar.js";
import { clampLayer, controlKeys, defaultState, panelOptions, presetState, stateToHash } from "./state.js";
import { adoptSchema, normFixes } from "./schema-fields.js";
import { openSession } from "./worker-client.js";
import { createPaletteReader } from "./palette.js";

const GRID_RESOLUTION = 48;
const HISTOGRAM_BINS = 48;
const MAX_CHART_LOSS = 2.5;    // loss axis cap, so one diverging net does not flatten the other
// Presets about depth open the depth view (presets-config.js ids).
const DEPTH_PRESETS = ["deep", "residual100", "placement"];

export function mountTrainer(root, {
  workerUrl, state: initialState = defaultState(), syncUrl = false,   // state.preset: whose text to show
  presets = true, fields = controlKeys(), autoplay = false,
  headingLevel = 3,   // of the panel titles: 2 on the trainer page, 3 inside a document's section
} = {}) {
  // state.step: a step to train to on load (a link to a trained state);
  // training then pauses there. Otherwise a preset starts playing, from a
  // link as from its button (a widget's preset attribute waits for Play or
  // the autoplay attribute: a page may hold several).
  let state = clampLayer({ ...initialState });
  let generation = 0;
  let playing = false;

  const playButton = h("button", { type: "button", class: "bnt-play" }, "Play");
  const stepButton = h("button", { type: "button", title: "One minibatch step for each network" }, "Step");
  const resetButton = h("button", { type: "button", title: "Back to step 0 with the same settings and seed" }, "Reset");
  const status = h("p", { class: "bnt-status", role: "status" }, "Starting the training worker…");
  const recalibrateButton = h("button", { type: "button", title: "Re-estimate every running statistic over the " +
    "training split (tr.recalibrate(), as torch.optim.swa_utils.update_bn); the eval-mode curves show the effect" },
  "Recalibrate statistics");
  const presetBar = createPresetBar({ onPreset: (id) => applyPreset(id, ""), onControl: (id) => applyPreset(state.preset, id) });
  const controls = createControls({ state, fields, onChange: (key, value) => {
    if (JSON.stringify(state[key]) === JSON.stringify(value)) return;
    if (key === "layer") { selectLayer(value); return; }   // the same run, another layer shown
    state = clampLayer({ ...state, [key]: value, preset: "" });   // the view is no longer the preset's
    showPreset();
    restart();
  } });
  // The running-statistics view is open on both panels or on neither; the
  // worker computes its figures only while it is.
  let runningStatsOpen = false;
  const setRunningStats = (open) => {
    if (open === runningStatsOpen) return;
    runningStatsOpen = open;
    for (const panel of Object.values(panels)) panel.setRunningStatsOpen(open);
    session.setView({ runningStats: open });
  };
  const panel = (key, title, normalized) => createPanel({ key, title, normalized, headingLevel, onRunningStatsToggle: setRunningStats });
  const panels = { bn: panel("bn", "With batch norm", true), plain: panel("plain", "Without batch norm", false) };
  const panelsElement = h("div", { class: "bnt-panels" }, panels.bn.element, panels.plain.element);
  const exportView = createExportView({ panels, container: panelsElement });
  const depthView = createDepthView({ onPickLayer: selectLayer, headingLevel, onShown: () => scheduleDraw(), onViewChange: (parts) => {
    state = { ...state, lab: parts.depth || parts.landscape ? "on" : "off" };   // a paused view's next frame writes the link
    session.setView(parts);
  } });

  root.classList.add("bnt-root");
  root.replaceChildren(
    presets ? presetBar.element : null,
    presets ? presetBar.caption : null,
    h("div", { class: "bnt-toolbar" },
      h("div", { class: "bnt-buttons", role: "group", "aria-label": "Training" }, playButton, stepButton, resetButton,
        recalibrateButton),
      controls.element),
    status,
    panelsElement,
    depthView.element,
    exportView.element);

  const session = openSession(workerUrl, onMessage);

  playButton.addEventListener("click", () => setPlaying(!playing));
  stepButton.addEventListener("click", () => { setPlaying(false); session.step(1); });
  resetButton.addEventListener("click", () => { setPlaying(false); restart(); });
  recalibrateButton.addEventListener("click", () => session.recalibrate());

  // until: train to that step and pause there (a link's "step").
  function setPlaying(value, until = null) {
    playing = value;
    playButton.textContent = playing ? "Pause" : "Play";
    playButton.classList.toggle("bnt-playing", playing);
    if (playing) session.play(until); else session.pause();
    if (playing) writeUrl(until ?? 0);   // while training to a link's step, the link keeps it
  }

  // The link to this view; paused, it holds the step trained to.
  function writeUrl(steps) {
    if (syncUrl) history.replaceState(null, "", stateToHash({ ...state, step: steps }));
  }

  // What each frame shows (worker-client.js documents the protocol): the
  // page's layer numbers run from 1, the worker's layerIndex from 0 as
  // Trainer.activations(layerIndex) takes it.
  function view() {
    return { gridResolution: GRID_RESOLUTION, layerIndex: state.layer - 1, stepsPerFrame: state.stepsPerFrame,
      histogramRange: HISTOGRAM_RANGE, histogramBins: HISTOGRAM_BINS, checkpoints: presentation().checkpoints,
      runningStats: runningStatsOpen, ...depthView.view() };
  }

  // How the panels present the claim of the state's preset (none: the plain view).
  function presentation() {
    const preset = presetById(state.preset);
    return preset ? { headline: preset.headline, layerStats: preset.layerStats, checkpoints: preset.checkpoints }
      : { headline: null, layerStats: false, checkpoints: [] };
  }

  // Shows another layer in the histograms (a control, a click in the depth
  // view): nothing restarts; the link keeps it.
  function selectLayer(layer) {
    state = clampLayer({ ...state, layer });
    controls.show(state);
    for (const panel of Object.values(panels)) panel.setLayer(state.layer);
    depthView.setLayer(state.layer);
    session.setView({ layerIndex: state.layer - 1 });
    scheduleDraw();
  }

  function restart() {
    generation += 1;
    const options = panelOptions(state);
    const titles = presetById(state.preset)?.titles[state.control ?? ""] ?? {};
    runningStatsOpen ||= Boolean(presetById(state.preset)?.runningStats);   // the preset's claim is about them
    for (const [key, panel] of Object.entries(panels)) {
      panel.reset(state.layer, options[key], { ...presentation(), title: titles[key], runningStats: runningStatsOpen });
    }
    depthView.reset(Math.max(options.bn.hidden.length, options.plain.hidden.length), state.layer, titles);
    session.create(generation, options, view());
    if (playing) session.play();
    writeUrl(0);
  }

  // A state just read (a link, an attribute, the hash): to its step, or playing its preset.
  function start(autoplayNow) {
    const target = state.step;
    state = { ...state, step: 0 };
    restart();
    if (target > 0) {
      status.textContent = `Training to step ${target}…`;
      setPlaying(true, target);
    } else if (autoplayNow || (syncUrl && state.preset)) {
      setPlaying(true);
    }
  }

  function showPreset() {
    presetBar.show(state);
    if (DEPTH_PRESETS.includes(state.preset) || state.lab === "on") depthView.open();
  }

  // A preset's networks (control: one of its controls, or "").
  function applyPreset(id, control) {
    state = clampLayer(presetState(id, defaultState(), control));
    controls.show(state);
    showPreset();
    start(true);
  }

  function onMessage(message) {
    if (message.generation !== undefined && message.generation !== generation) return;   // from before a restart
    if (message.type === "error") {
      status.textContent = `Training stopped: ${message.message}`;
      status.classList.add("bnt-status-error");
      if (playing) setPlaying(false);
      return;
    }
    const steps = Math.max(message.bn.steps, message.plain.steps);
    setText(status, message.until ? `Training to step ${message.until}… (${steps})` : "");
    status.classList.remove("bnt-status-error");
    root.dataset.wasm = message.wasm;   // "simd" | "scalar": the worker's build
    if (message.schema) { adoptSchema(message.schema, message.norms); controls.refresh(state); }
    // The worker stops by itself at a link's step.
    if (playing && message.playing === false && message.reached) setPlaying(false);
    if (!playing) writeUrl(steps);
    for (const key of ["bn", "plain"]) {
      if (message.points) panels[key].setPoints(message.points, message.extent);
      if (message[key].refused && message.points) panels[key].showRefused(message[key].refused, fixButtons());
      panels[key].update(message[key], GRID_RESOLUTION);
    }
    depthView.update(message);
    scheduleDraw();
  }

  // Buttons that swap the normalization for one that trains at this batch
  // size, and train with it (the user asked for a network that trains).
  function fixButtons() {
    return normFixes(state).map(({ norm, label }) => h("button", { type: "button", class: "bnt-fix",
      onclick: () => { controls.set("norm", norm); setPlaying(true); } }, `Use ${label}`));
  }

  // Each figure is a job; a frame paints some of them, the next the others
  // (frame-scheduler.js). "bn-trainer draw": each frame's work, visible in
  // the browser's performance tools (and read by the tests); "bn-trainer
  // depth draw": the depth lab's part of it (its duration, from the frame's start).
  const panelJobs = [...panels.bn.jobs, ...panels.plain.jobs];
  const currentPalette = createPaletteReader(root);
  const scheduler = createFrameScheduler({
    jobs: () => [...panelJobs, ...depthView.jobs()],
    prepare: () => ({ palette: currentPalette(),   // the same object while the colours stay (palette.js)
      yMax: Math.min(MAX_CHART_LOSS, Math.max(panels.bn.maxLoss(), panels.plain.maxLoss())) }),
    measure: "bn-trainer draw",
    isPending: chartsPending,
    afterFrame(start) {
      const ms = depthView.drawTime();
      if (ms > 0) performance.measure("bn-trainer depth draw", { start, duration: ms });
    },
  });
  const scheduleDraw = scheduler.request;

  showPreset();
  start(autoplay);

  return {
    get state() { return { ...state }; },
    play: () => setPlaying(true),
    pause: () => setPlaying(false),
    // Paints the canvases again with the current CSS colours (after a theme change).
    redraw: scheduleDraw,
    // The same, all at once (before printing).
    drawNow: scheduler.now,
    // Re-reads a state (the page calls this when the URL hash changes).
    load(newState) {
      state = clampLayer({ ...newState });
      controls.show(state);
      showPreset();
      start(false);
    },
    destroy() {
      setPlaying(false);
      session.close();
      for (const panel of Object.values(panels)) panel.destroy();
      depthView.destroy();
      root.replaceChildren();
    },
  };
}
