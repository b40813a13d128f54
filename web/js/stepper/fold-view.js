// "Fold into the Linear layer before it" (the inference card,
// inference-view.js): the Linear layer's weights as inputs, the folded
// W′ = diag(a)·W and b′ = a·(b_lin − μ_run) + β with this view's numbers,
// and both paths on the batch (Linear then batch norm, and the fused
// Linear), which agree to float32 rounding in eval and not in train mode.
// Numbers from fold-compute.js.
import { h } from "../dom.js";
import { num, given, sym, fmt } from "./numbers.js";
import { tex } from "./tex-later.js";
import { eq, perRow, f } from "./step-parts.js";
import { apart, derived, verdict } from "./eval-map-view.js";
import { visible } from "./state.js";

// The Linear layer's inputs: one row per output feature i, W_i1 … W_iK and b_lin i.
export function linearGrid(prefix, state) {
  const shown = visible(state);
  const K = state.features;
  const cell = (key, aria, text, data) => h("td", {},
    h("input", { type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false", class: "cell", "aria-label": aria,
      value: text, "data-key": key, ...data }),
    h("span", { class: "msg", id: `${prefix}-msg-${key.replace(/:/g, "-")}`, "data-msg-for": key }));
  const head = h("tr", {}, h("th", { scope: "col" }, h("span", { class: "sr-only" }, "output")),
    Array.from({ length: K }, (_, j) => h("th", { scope: "col" }, `x${j + 1}`)), h("th", { scope: "col" }, "b_lin"));
  const rows = shown.linearWeight.map((row, i) => h("tr", {}, h("th", { scope: "row" }, `output ${i + 1}`),
    row.map((text, j) => cell(`W:${i}:${j}`, `Linear W row ${i + 1} column ${j + 1}`, text, { "data-grid": "W", "data-i": i, "data-k": j })),
    cell(`linearBias:${i}`, `Linear bias feature ${i + 1}`, shown.linearBias[i], { "data-param": "linearBias", "data-k": i })));
  return h("table", { class: "grid grid-linear" }, h("thead", {}, head), h("tbody", {}, rows));
}

// One block per output feature i (the batch norm's feature i).
const outputs = (view, fn) => h("div", { class: "feats" }, Array.from({ length: view.features }, (_, i) =>
  h("div", { class: "feat", "data-feature-block": i + 1 }, h("h4", {}, `output ${i + 1}`), ...fn(i))));

function fusedWeight(value, i, j) {
  const el = num(value, { quantity: "fusedWeight", row: i + 1 });
  el.setAttribute("data-col", String(j + 1));
  return el;
}

// The part that does not change with the numbers (the Linear layer's inputs go after it).
export function foldIntro() {
  return [
    h("h3", {}, "Fold into the Linear layer before it"),
    h("p", {}, "Put a Linear layer in front of this batch norm (the same γ, β, ε and running statistics), fed with this batch. In eval mode the batch norm is a·z + b, so the two layers are one Linear layer with new weights, and the batch norm disappears from the deployed network:"),
    tex("foldLinear"),
    h("p", { class: "hint" }, "The Linear layer z = W x + b_lin: row i holds output i's weights for x1 … xK (PyTorch's linear.weight) and its bias (linear.bias). Type your own, or draw them as torch.nn.Linear does."),
  ];
}

export function renderFold(view, inf) {
  const fold = inf.fold;
  if (fold.errors) return [h("p", { class: "problem" }, "Fix the marked Linear layer cells to fold it.")];
  const K = view.features, a = inf.scale;
  return [
    outputs(view, (i) => [
      ...Array.from({ length: K }, (_, j) => eq("W′", h("sub", {}, `${i + 1}${j + 1}`), " = a · W = ", num(a[i], { quantity: "scale", feature: f(i), paren: true }),
        " · ", given(fold.weight[i * K + j], { stored: true, paren: true }), " = ", fusedWeight(fold.fusedWeight[i * K + j], i, j))),
      eq("b′ = a · (b_lin − μ_run) + β = ", num(a[i], { quantity: "scale", feature: f(i), paren: true }), " · (", given(fold.bias[i], { stored: true }), " − ",
        num(view.after.mean[i], { quantity: "runningMean", feature: f(i), paren: true }), ") + ", given(view.beta[i], { stored: true, paren: true }),
        " = ", num(fold.fusedBias[i], { quantity: "fusedBias", feature: f(i) })),
    ]),
    h("h4", {}, "Both paths on this batch"),
    h("p", {}, view.mode === "eval"
      ? "Unfused: z = W x + b_lin, then the batch norm in eval mode. Fused: W′x + b′. Each row of x goes through both."
      : "Unfused: z = W x + b_lin, then the batch norm in train mode (now). Fused: W′x + b′, made from the running statistics. Each row of x goes through both."),
    fold.unfusedError ? h("p", { class: "problem" }, fold.unfusedError) : outputs(view, (i) => [perRow(view, i, (r, e) => [
      "z = ", derived(fold.z[e], "z", { feature: f(i), row: r + 1 }), "; BN(z) = ", derived(fold.unfusedY[e], "unfusedY", { feature: f(i), row: r + 1 }),
      h("br"), "W′x + b′ = ", derived(fold.fusedY[e], "fusedY", { feature: f(i), row: r + 1 }),
      view.mode === "eval" ? apart(fold.ulps[e]) : h("span", { class: "aside" }, ` (${fmt(Math.abs(fold.fusedY[e] - fold.unfusedY[e]))} apart)`)])]),
    fold.unfusedY ? (view.mode === "eval" ? evalVerdict(fold) : trainWhy(view, fold)) : null,
    h("p", { class: "aside" }, "Copy as PyTorch (in Share and export) reproduces this fold with torch.nn.utils.fusion.fuse_linear_bn_eval."),
  ];
}

const evalVerdict = (fold) => verdict("fold", fold.worst.ulps, "The fused layer gives the unfused output, to float32 rounding.",
  "The fused and the unfused output differ by more than float32 rounding.");

// Train mode: the batch norm uses the statistics of this batch of z, not the running ones W′, b′ were made from.
function trainWhy(view, fold) {
  const i = fold.worst.at % view.features;
  return [
    verdict("fold", fold.worst.ulps, "The two paths agree here, by chance.", "In train mode the two paths differ, by more than rounding.", fold.gap),
    h("p", { class: "note", "data-note": "fold-train" }, "In train mode the batch norm normalizes z with this batch's own statistics (output ",
      String(i + 1), ": ", sym("μ", "B"), " = ", derived(fold.batchStats.mean[i], "zBatchMean", { feature: f(i) }), ", ", sym("σ", "B", "2"), " = ",
      derived(fold.batchStats.var[i], "zBatchVar", { feature: f(i) }), "), while W′ and b′ were made from the running ones (",
      sym("μ", "run"), " = ", num(view.after.mean[i], { quantity: "runningMean", feature: f(i) }), ", ", sym("σ", "run", "2"), " = ",
      num(view.after.var[i], { quantity: "runningVar", feature: f(i) }), "). Batch statistics depend on the batch: every batch would need other weights, so no fixed layer reproduces train mode. Fold only for inference, after model.eval(); PyTorch's fuse functions refuse a module in training (“Fusion only for eval!”)."),
  ];
}
