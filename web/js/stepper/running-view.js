// The running-statistics panel: the running mean/variance after each batch
// fed (line charts), and the same batches under PyTorch's and Keras's
// conventions side by side. Values from compute.js (view.runs, view.compare).
// showRunning fills the card's places (skeleton.js) for the current view.
import { h } from "../dom.js";
import { fmt } from "./numbers.js";
import { lineChart } from "./plot.js";
import { comparisonNote } from "./conventions.js";
import { randomParams } from "./state.js";
import { canFeed } from "./transitions.js";

export function showRunning(ui, state, view, inputs) {
  ui.nextBatchButton.disabled = !canFeed(state, inputs);
  ui.forgetButton.disabled = state.history.length === 0;
  if (!view?.compare) {
    ui.runningStatus.textContent = "";
    ui.charts.replaceChildren();
    ui.compare.replaceChildren();
    return;
  }
  const fed = view.runs.length;
  ui.runningStatus.textContent = `${fed} ${fed === 1 ? "batch" : "batches"} fed in training${view.trainTrace ? " (this one included)" : ""}.`;
  // Batches drawn by "Next batch" come from normal(mean, spread²): the
  // running estimates should approach those values (dashed lines).
  ui.charts.replaceChildren(...runningCharts(view, inputs.features, state.history.length > 0 ? randomParams(state) : null));
  ui.compare.replaceChildren(...conventionTable(view, inputs.features));
}

// drawn: { mean, spread } of the random batches (dashed reference lines), or null.
export function runningCharts(view, features, drawn) {
  const runs = view.runs;
  if (runs.length === 0) {
    return [h("p", { class: "hint" }, "No batch fed yet: the running mean is 0 and the running variance 1.")];
  }
  const series = (which, start) => Array.from({ length: features }, (_, k) => [start, ...runs.map((r) => r[which][k])]);
  return [
    h("figure", {}, lineChart("Running mean", series("mean", 0), drawn && { reference: drawn.mean, referenceLabel: `random mean ${fmt(drawn.mean)}` }),
      h("figcaption", {}, "Running mean per feature")),
    h("figure", {}, lineChart("Running variance", series("var", 1), drawn && { reference: drawn.spread ** 2, referenceLabel: `spread² ${fmt(drawn.spread ** 2)}` }),
      h("figcaption", {}, "Running variance per feature")),
    h("p", { class: "legend" }, Array.from({ length: features }, (_, k) => h("span", { class: `key s${k + 1}` }, `feature ${k + 1}`))),
  ];
}

// Numbers here carry data-convention / data-compare (not data-quantity: they
// are not this view's running statistics, which the stepper shows above).
export function conventionTable(view, features) {
  const c = view.compare;
  const fed = view.runs.length;
  const cell = (conv, which, k) => h("td", {}, h("span", { class: "num", "data-convention": conv, "data-compare": which, "data-feature": k + 1,
    "data-value": String(c[conv][which][k]) }, fmt(c[conv][which][k])));
  return [
    h("h3", {}, "The same batches, two conventions"),
    h("p", {}, comparisonNote(fed)),
    h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "PyTorch and Keras compared" },
      h("table", { class: "cmp" },
        h("caption", {}, "PyTorch and Keras defaults, same batches"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "feature"), h("th", { scope: "col" }, "PyTorch mean"),
          h("th", { scope: "col" }, "PyTorch var"), h("th", { scope: "col" }, "Keras mean"), h("th", { scope: "col" }, "Keras var"))),
        h("tbody", {}, Array.from({ length: features }, (_, k) => h("tr", {}, h("th", { scope: "row" }, String(k + 1)),
          cell("pytorch", "mean", k), cell("pytorch", "var", k), cell("keras", "mean", k), cell("keras", "var", k)))))),
  ];
}
