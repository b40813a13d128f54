// The normalization lab card: a Normalization choice, an N×C×H×W image
// batch (N×C small grids, editable; a random batch and tiny patterns),
// which cells share the chosen statistic, its steps with the core's numbers
// (forward and backward, with the gradient check), the batch-independence
// view and "One tensor, five normalizations". createLabView({ prefix, bn,
// state, update }) returns { card, show(state, how) }. The Normalization
// control that opens it is in the input card (lab-chooser.js); BatchNorm1d,
// its default, is the batch stepper itself and hides the card (nothing of
// the lab is computed then); every other layer shows it. how is mount.js's
// update kind: "lab" (numbers change, grids stay: typing keeps focus),
// "lab-rebuild" or "rebuild" (grids built again), "lab-stat" (another
// statistic, same numbers); any other kind leaves the lab as it is.
import { h } from "../dom.js";
import { markErrors } from "./grid-view.js";
import { PATTERNS } from "./lab-state.js";
import { NORMS, shapeText, statistics } from "./norm-axes.js";
import { buildImageGrids, highlightCells } from "./lab-grid-view.js";
import { dependence, layersAvailable, readImage, runNorm } from "./lab-compute.js";
import { labBackward, labFormulas, labSteps } from "./lab-steps-view.js";
import { labCheckView } from "./lab-check-view.js";
import { smallCaseNotes } from "./lab-explain.js";
import { fiveNormsView } from "./five-norms-view.js";
import { dependenceView } from "./dependence-view.js";
import * as T from "./lab-transitions.js";

const DIMENSIONS = [["Samples", 0], ["Channels", 1], ["Height", 2], ["Width", 3]];

export function createLabView({ prefix, bn, state, update }) {
  const id = (name) => `${prefix}-lab-${name}`;
  const labelled = (text, control) => h("span", { class: "pair" }, h("label", { for: control.id }, text), control);
  const number = (name) => h("input", { type: "number", id: id(name), min: 1, max: 4, step: 1, class: "small" });
  const ui = {
    layerName: h("strong", {}),
    groups: number("groups"),
    dims: DIMENSIONS.map(([label]) => number(label.toLowerCase())),
    shapeMsg: h("span", { class: "msg", role: "status" }),
    random: h("button", { type: "button" }, "Random image batch"),
    patterns: Object.entries(PATTERNS).map(([key, p]) => h("button", { type: "button", "data-pattern": key }, p.label)),
    images: h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "Input image batch x, N×C grids" }),
    stat: h("select", { id: id("stat") }),
    statInfo: h("p", { class: "status stat-info", role: "status" }),
    notes: h("div", { class: "lab-notes" }),
    steps: h("div", { class: "lab-steps" }),
    check: h("div", { class: "lab-check" }),
    probe: h("select", { id: id("probe") }),
    dependence: h("div", { class: "lab-dependence" }),
    five: h("div", {}),
  };
  const headingId = id("h");
  const card = h("section", { class: "card card-lab", "aria-labelledby": headingId, hidden: true },
    h("h2", { id: headingId }, "Normalization lab: one image batch, five normalizations"),
    h("p", {}, "An N×C×H×W batch of small images, normalized in training by the chosen layer of the same C++ core (PyTorch's semantics and default eps, γ = 1, β = 0). BatchNorm1d, in the comparisons below, sees it as [N, C, L = H·W]."),
    h("div", { class: "row-controls" }, h("span", {}, "Layer: ", ui.layerName, " (Normalization, in card 1)"), labelled("Groups", ui.groups)),
    h("div", { class: "row-controls" }, DIMENSIONS.map(([label], i) => labelled(label, ui.dims[i])), ui.shapeMsg),
    h("div", { class: "row-controls" }, ui.random, ui.patterns),
    ui.images,
    h("div", { class: "row-controls" }, labelled("Statistic", ui.stat)), ui.statInfo, ui.notes, ui.steps, ui.check,
    h("h3", {}, "Does my sample depend on the others?"),
    h("div", { class: "row-controls" }, labelled("Watched sample", ui.probe)), ui.dependence,
    h("h3", {}, "One tensor, five normalizations"), ui.five);

  let result = null, built = false, computed = {};
  wire();

  function show(s, how) {
    card.hidden = s.norm === "batch1d";
    if (card.hidden) { built = false; result = null; return; }
    const rebuild = !built || how === "rebuild" || how === "lab-rebuild";
    if (!rebuild && !how.startsWith("lab")) return;
    const stats = statistics(s.norm, s.imageShape, s.groups);
    const chosen = stats[Math.min(s.stat, stats.length) - 1] ?? null;
    if (rebuild) {
      built = true;
      ui.layerName.textContent = NORMS[s.norm].label;
      ui.groups.value = s.groups;
      ui.dims.forEach((input, i) => { input.value = s.imageShape[i]; input.removeAttribute("aria-invalid"); });
      ui.shapeMsg.textContent = "";
      ui.images.replaceChildren(buildImageGrids({ prefix, image: s.image.slice(0, s.imageShape[0])
        .map((smp) => smp.slice(0, s.imageShape[1])), shape: s.imageShape }));
      ui.stat.replaceChildren(...stats.map((st) => h("option", { value: st.stat + 1 }, st.label)));
      ui.probe.replaceChildren(...Array.from({ length: s.imageShape[0] }, (_, n) => h("option", { value: n + 1 }, `sample ${n + 1}`)));
      ui.five.replaceChildren(fiveNormsView(s.imageShape, s.groups));
    }
    if (chosen) ui.stat.value = String(chosen.stat + 1);
    ui.stat.disabled = !chosen;
    ui.probe.value = String(s.probe);
    highlightCells(ui.images, chosen ? chosen.cells : []);
    ui.statInfo.textContent = chosen
      ? `${NORMS[s.norm].label}, ${chosen.label}: one mean and one variance over the ${chosen.cells.length} highlighted ${chosen.cells.length === 1 ? "cell" : "cells"} (statistics ${shapeText(s.norm, s.imageShape, s.groups)}).`
      : `${NORMS[s.norm].label}: no statistics for this shape.`;
    const input = readImage(s);
    markErrors(ui.images, input.errors);
    if (how !== "lab-stat" || !result) compute(s, input);
    ui.notes.replaceChildren(...smallCaseNotes(s.norm, s.imageShape, s.groups, result?.error));
    ui.check.replaceChildren();
    if (!layersAvailable(bn)) {
      ui.steps.replaceChildren(h("p", { class: "note", "data-note": "layers-missing" }, "This build of the library has no BatchNorm2d, LayerNorm, GroupNorm or InstanceNorm2d yet: the cells that share a statistic and the formulas are shown, the numbers need those layers."),
        ...(stats.length ? labFormulas(s.norm) : []));
      ui.dependence.replaceChildren();
      return;
    }
    if (!input.ok) {
      ui.steps.replaceChildren(h("p", { class: "problem" }, "Nothing is computed until the marked cells are numbers."));
      ui.dependence.replaceChildren();
      return;
    }
    ui.steps.replaceChildren(...(result.error || !chosen ? [] : [...labSteps(result, chosen), ...labBackward(result, chosen),
      h("button", { type: "button", class: "check-lab" }, "Check gradient")]));
    ui.dependence.replaceChildren(...(s.imageShape[0] < 2
      ? [h("p", { class: "note", "data-note": "one-sample" }, "One sample: there is no other sample to change. Set Samples to 2 or more.")]
      : dependenceView(computed.dependence, s.probe)));
  }

  function compute(s, input) {
    result = null; computed = {};
    if (!input.ok || !layersAvailable(bn)) return;
    const spec = { norm: s.norm, shape: s.imageShape, groups: s.groups, x: input.x };
    result = runNorm(bn, spec);
    if (s.imageShape[0] >= 2) computed.dependence = dependence(bn, { ...spec, probe: s.probe - 1 });
  }

  function wire() {
    const s = state;
    // (a change event also comes on blur: the same value again rebuilds nothing)
    const sized = (input, current, apply) => input.addEventListener("change", () => {
      const value = Number(input.value), error = T.checkDimension(value);
      if (error) { input.setAttribute("aria-invalid", "true"); ui.shapeMsg.textContent = `${input.labels?.[0]?.textContent ?? ""}: ${error}`; return; }
      input.removeAttribute("aria-invalid");
      ui.shapeMsg.textContent = "";
      if (value !== current()) update(apply(value), "lab-rebuild");
    });
    sized(ui.groups, () => s().groups, (v) => T.setGroups(s(), v));
    ui.dims.forEach((input, axis) => sized(input, () => s().imageShape[axis], (v) => T.resizeImage(s(), axis, v)));
    ui.random.addEventListener("click", () => update(T.randomizeImage(s()), "lab-rebuild"));
    for (const b of ui.patterns) b.addEventListener("click", () => update(T.applyPattern(s(), b.dataset.pattern), "lab-rebuild"));
    ui.images.addEventListener("input", (e) => {
      const at = e.target.dataset?.image;
      if (at) update(T.editImageCell(s(), ...at.split(":").map(Number), e.target.value), "lab");
    });
    ui.stat.addEventListener("change", () => update(T.chooseStat(s(), Number(ui.stat.value)), "lab-stat"));
    ui.probe.addEventListener("change", () => update(T.setProbe(s(), Number(ui.probe.value)), "lab"));
    ui.steps.addEventListener("click", (e) => {
      if (e.target.classList?.contains("check-lab") && result && !result.error) ui.check.replaceChildren(...labCheckView(result));
    });
  }

  return { card, show };
}
