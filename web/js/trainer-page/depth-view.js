// The trainer's depth lab, below the two panels: "Layer by layer" (for each
// network, depth-network.js) and "Loss landscape" (Santurkar et al.'s
// measures, landscape-view.js), each a <details> that asks the worker for
// its figures only while it is open (onViewChange({ depth, landscape })).
// Clicking a layer in a chart or a heat strip picks it for the histograms
// (onPickLayer(layer), from 1). Drawing is skipped while a part is closed.
// Its figures are recorded with each frame (update) and painted in draw().
import { h } from "../dom.js";
import { createDepthNetwork } from "./depth-network.js";
import { createLandscapeView } from "./landscape-view.js";

export function createDepthView({ onViewChange, onPickLayer, headingLevel = 3 }) {
  let layer = 1;
  let turn = "plain";   // the network whose column the next frame paints
  const selectedLayer = () => layer;
  const networks = {
    bn: createDepthNetwork({ key: "bn", title: "With batch norm", who: "batch-norm network", onPick: onPickLayer, selectedLayer, headingLevel }),
    plain: createDepthNetwork({ key: "plain", title: "Without batch norm", who: "plain network", onPick: onPickLayer, selectedLayer, headingLevel }),
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
      landscape.reset();
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
    // One network's column per frame, in turn (each repaints at half the
    // frame rate), so that a frame's work stays small at depth 100.
    draw(palette) {
      turn = turn === "bn" ? "plain" : "bn";
      if (depthPart.open) networks[turn].draw(palette);
      if (landscapePart.open) landscape.draw(palette);
    },
    destroy() {
      for (const n of Object.values(networks)) n.destroy();
      landscape.destroy();
    },
  };
}
