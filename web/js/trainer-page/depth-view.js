// The trainer's depth lab, below the two panels: "Layer by layer" (for each
// network, depth-network.js) and "Loss landscape" (Santurkar et al.'s
// measures, landscape-view.js), each a <details> that asks the worker for
// its figures only while it is open (onViewChange({ depth, landscape })).
// Clicking a layer in a chart or a heat strip picks it for the histograms
// (onPickLayer(layer), from 1). Drawing is skipped while a part is closed.
// Its figures are recorded with each frame (update) and painted by its
// jobs (frame-scheduler.js): those of the open parts, on screen or within
// half a screen of it (onShown(): one came near, paint again).
import { h } from "../dom.js";
import { createDepthNetwork } from "./depth-network.js";
import { createLandscapeView } from "./landscape-view.js";
import { createVisibility } from "./visibility.js";

// Each network's name, unless a preset's pair has its own (reset(…, titles)).
const TITLES = { bn: "With batch norm", plain: "Without batch norm" };

export function createDepthView({ onViewChange, onPickLayer, onShown, headingLevel = 3 }) {
  let layer = 1;
  const selectedLayer = () => layer;
  const networks = {
    bn: createDepthNetwork({ key: "bn", title: TITLES.bn, who: "batch-norm network", onPick: onPickLayer, selectedLayer, headingLevel }),
    plain: createDepthNetwork({ key: "plain", title: TITLES.plain, who: "plain network", onPick: onPickLayer, selectedLayer, headingLevel }),
  };
  const landscape = createLandscapeView();

  const depthPart = h("details", { class: "bnt-depth", "data-view": "depth" },
    h("summary", {}, "Layer by layer: how the signal and the gradient pass through depth"),
    h("p", { class: "bnt-depth-intro" }, "For each hidden layer, from the last training batch: the gradient norm of its ",
      "weights, the spread of its activation's input and output, and the share of units in the flat part of the ",
      "activation. Vanishing gradients show as a gradient norm that falls by orders of magnitude towards layer 1. ",
      "Click a layer in a chart or a strip to show it in the histograms above."),
    h("div", { class: "bnt-depth-nets" }, networks.bn.element, networks.plain.element));
  const landscapePart = h("details", { class: "bnt-depth", "data-view": "landscape" },
    h("summary", {}, "Loss landscape: Santurkar et al.'s measures, with BN and without"),
    landscape.element);
  const element = h("div", { class: "bnt-depth-lab" }, depthPart, landscapePart);
  // A figure far from the screen waits (and stays as it was) until it
  // comes near; a chart is built wherever it is; a job without an element
  // (the figures the page's hooks read) always runs.
  const visibility = createVisibility(() => onShown());
  let drawMs = 0;   // spent painting since drawTime() was last read
  const timed = (paint) => (frame) => {
    const started = performance.now();
    const painted = paint(frame);
    drawMs += performance.now() - started;
    return painted;
  };
  const nearScreen = ({ element: figure, paint, unbuilt = () => false }) => {
    if (!figure) return timed(paint);
    visibility.observe(figure);
    const job = timed(paint);
    return (frame) => (frame.everything || visibility.isShown(figure) || unbuilt()) && job(frame);
  };
  const depthJobs = [...networks.bn.jobs, ...networks.plain.jobs].map(nearScreen);
  const landscapeJobs = landscape.jobs.map(nearScreen);

  const view = () => ({ depth: depthPart.open, landscape: landscapePart.open });
  for (const part of [depthPart, landscapePart]) part.addEventListener("toggle", () => onViewChange(view()));

  return {
    element,
    view,
    // Opens both parts (a depth preset); the toggle events tell the worker.
    open() { depthPart.open = true; landscapePart.open = true; },
    // titles: { bn, plain } where the panels have their own (a preset's pair).
    reset(layerCount, selected, titles = {}) {
      layer = selected;
      for (const [key, n] of Object.entries(networks)) n.reset(layerCount, selected, titles[key] ?? null);
      landscape.reset({ ...TITLES, ...titles });
    },
    setLayer(selected) {
      layer = selected;
      for (const n of Object.values(networks)) n.setLayer(selected);
    },
    // A worker frame (worker-client.js).
    update(message) {
      for (const key of ["bn", "plain"]) networks[key].update(message[key].steps, message[key].depthLayers, layer);
      landscape.add(message, message.landscapeEvery);
    },
    // The figures to paint, ({ palette }) -> whether it painted: none of a closed part.
    // Milliseconds its jobs spent painting since the last call.
    drawTime() {
      const ms = drawMs;
      drawMs = 0;
      return ms;
    },
    jobs() {
      return [...(depthPart.open ? depthJobs : []), ...(landscapePart.open ? landscapeJobs : [])];
    },
    destroy() {
      visibility.disconnect();
      for (const n of Object.values(networks)) n.destroy();
      landscape.destroy();
    },
  };
}
