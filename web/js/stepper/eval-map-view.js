// "Eval as one linear map" (the inference card, inference-view.js): per
// feature a = γ/√(σ²_run + ε) and b = β − a·μ_run with this view's numbers,
// y = a·x + b for every row, and the check that it is the layer's eval
// output (the difference in float32 ulps). Numbers from fold-compute.js.
import { h } from "../dom.js";
import { num, given, sym } from "./numbers.js";
import { tex } from "./tex-later.js";
import { eq, feats, perRow, f } from "./step-parts.js";
import { AGREE_ULPS } from "./fold-compute.js";

// A difference in float32 ulps, as text: "0 ulp", "0.50 ulp", "3.2e5 ulp".
export function ulpText(u) {
  if (u === 0) return "0 ulp";
  return `${u < 1e4 ? u.toPrecision(2) : u.toExponential(1).replace("e+", "e")} ulp`;
}

// Beside one pair of outputs: " (identical)" or " (1.0 ulp apart)".
export const apart = (u) => h("span", { class: "aside" }, u === 0 ? " (identical)" : ` (${ulpText(u)} apart)`);

// A number the card derives (not a batch-norm quantity): data-fold="name".
export const derived = (value, name, extra = {}) => num(value, { quantity: name, attr: "data-fold", ...extra });

// The worst difference with its verdict (data-fold="<name>Ulps" / "<name>Verdict");
// `absolute`: the difference itself too (train mode, where it is no rounding).
export function verdict(name, worstUlps, agreeText, differText, absolute) {
  const agree = worstUlps <= AGREE_ULPS;
  const ulps = h("span", { class: "ulps", "data-fold": `${name}Ulps`, "data-value": String(worstUlps) }, ulpText(worstUlps));
  return h("p", { class: "fold-check" },
    h("span", { "data-fold": `${name}Verdict`, "data-value": agree ? "agree" : "differ" }, agree ? agreeText : differText),
    " Largest difference: ", absolute === undefined ? ulps : [derived(absolute, `${name}Gap`), " (", ulps, ")"], ".");
}

const ULP_NOTE = "An ulp is the spacing of float32 numbers at the size of the terms summed, |a|(|x| + |μ_run|) + |β|: the rounding no float32 computation of the same sum avoids.";

export function renderEvalMap(view, inf) {
  const { scale, shift, evalY, mapY, mapUlps, mapWorst } = inf;
  const train = view.mode === "train";
  return [
    h("h3", {}, "Eval as one linear map: y = a·x + b"),
    h("p", {}, "In eval mode μ and σ² are not this batch's but the running statistics, fixed numbers. So for each feature batch normalization is one straight line, a scale a and a shift b (PyTorch's eval kernel computes exactly these):"),
    tex("evalMap"),
    feats(view, (k) => [
      eq("a = ", given(view.gamma[k], { stored: true, paren: true }), " / √(", num(view.after.var[k], { quantity: "runningVar", feature: f(k) }), " + ",
        given(view.eps), ") = ", num(scale[k], { quantity: "scale", feature: f(k) })),
      eq("b = ", given(view.beta[k], { stored: true, paren: true }), " − ", num(scale[k], { quantity: "scale", feature: f(k), paren: true }), " · ",
        num(view.after.mean[k], { quantity: "runningMean", feature: f(k), paren: true }), " = ", num(shift[k], { quantity: "shift", feature: f(k) })),
      perRow(view, k, (i, j) => ["a·x + b = ", num(scale[k], { quantity: "scale", feature: f(k), paren: true }), " · ",
        given(view.x[j], { stored: true, paren: true }), " + ", num(shift[k], { quantity: "shift", feature: f(k), paren: true }), " = ",
        derived(mapY[j], "mapY", { feature: f(k), row: i + 1 }), h("br"), "eval output y = ", derived(evalY[j], "evalY", { feature: f(k), row: i + 1 }),
        apart(mapUlps[j])]),
    ]),
    verdict("map", mapWorst.ulps, "a·x + b is the layer's eval output, to float32 rounding.",
      "a·x + b and the layer's eval output differ by more than float32 rounding."),
    h("p", { class: "aside" }, ULP_NOTE),
    train ? trainNote(view, evalY) : null,
  ];
}

// Train mode: the layer's output is not this map (it normalizes with the batch's own statistics).
function trainNote(view, evalY) {
  if (!view.trace) return null;
  const gap = view.trace.y.reduce((m, v, j) => Math.max(m, Math.abs(v - evalY[j])), 0);
  return h("p", { class: "note", "data-note": "train-not-a-map" }, "This is the map eval uses. In train mode (now) the layer normalizes with this batch's own ",
    sym("μ", "B"), " and ", sym("σ", "B", "2"), " instead, so its output y (the Scale and shift step) is not a·x + b: here they differ by up to ",
    derived(gap, "mapTrainGap"), ". Another batch has other statistics, so train mode is no fixed map at all.");
}
