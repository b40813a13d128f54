// The input card and the dy panel drawn from the state: shape, grid with γ
// and β, eps, momentum, convention, random batch settings, and (in the
// backward pass) dy typed by hand or computed from the targets.
import { h } from "../dom.js";
import { buildGrid } from "./grid-view.js";
import { conventionNote } from "./conventions.js";
import { fmt } from "./numbers.js";
import { shapeOf, visible } from "./state.js";

export function showInputs(ui, prefix, state, view) {
  const shown = visible(state);
  ui.batchInput.value = state.batch;
  ui.featuresInput.value = state.features;
  ui.eps.input.value = state.eps;
  ui.momentum.input.value = state.momentum;
  ui.randomMean.value = state.randomMean;
  ui.randomSpread.value = state.randomSpread;
  for (const label of ui.convRadios) label.firstChild.checked = label.firstChild.value === state.convention;
  ui.gridWrap.replaceChildren(buildGrid({ prefix, name: "x", label: "row", cells: shown.cells,
    extraRows: [{ name: "gamma", label: "γ (gamma)", values: shown.gamma }, { name: "beta", label: "β (beta)", values: shown.beta }] }));
  showDyPanel(ui, prefix, state, view);
}

export function showConventionNote(ui, convention) {
  ui.convNote.textContent = conventionNote(convention);
}

export function showDyPanel(ui, prefix, state, view) {
  if (state.phase !== "backward") { ui.dyPanel.replaceChildren(); return; }
  const shown = visible(state);
  const radio = (value, text) => h("label", { class: "radio" },
    h("input", { type: "radio", name: ui.dySourceName, value, checked: state.dySource === value }), ` ${text}`);
  const fromLoss = state.dySource === "loss";
  ui.dyPanel.replaceChildren(...[
    h("fieldset", { class: "conv presenter-hide" }, h("legend", {}, "dy comes from"),
      radio("manual", "typed by hand"), radio("loss", "the loss L = ½ Σ (y − target)²")),
    fromLoss ? h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "Targets" },
      buildGrid({ prefix, name: "target", label: "row", cells: shown.target, caption: "Targets t" })) : null,
    h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "Gradient dy" },
      buildGrid({ prefix, name: "dy", label: "row", cells: fromLoss ? dyFromView(state, view) : shown.dy, readOnly: fromLoss,
        caption: fromLoss ? "dy = y − t (computed)" : "dy (gradient of the loss with respect to y)" })),
  ].filter(Boolean));
}

// dy from the loss is computed, not typed: its read-only cells follow the view.
export function showLossDy(ui, state, view) {
  if (state.phase !== "backward" || state.dySource !== "loss") return;
  const text = dyFromView(state, view);
  for (const input of ui.dyPanel.querySelectorAll('input[data-grid="dy"]')) {
    input.value = text[Number(input.dataset.i)][Number(input.dataset.k)];
  }
}

function dyFromView(state, view) {
  const { rows, features } = shapeOf(state);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: features }, (_, k) =>
    view?.dy ? fmt(view.dy[i * features + k]).replace(/−/g, "-") : ""));
}
