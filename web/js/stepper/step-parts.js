// Building blocks shared by the forward and backward step views: one block
// per feature, one table row per batch row, sums written out term by term.
import { h } from "../dom.js";
import { digitsForSpread } from "./float32.js";

export const eq = (...parts) => h("div", { class: "eq" }, ...parts);

export const featureBlock = (k, ...content) =>
  h("div", { class: "feat", "data-feature-block": k + 1 }, h("h4", {}, `feature ${k + 1}`), ...content);

// One featureBlock per feature, with content from fn(k) (an array of nodes).
export const feats = (view, fn) =>
  h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k, ...fn(k))));

// Terms with " + " between them (the list wraps on narrow screens).
export function joined(parts, op = " + ") {
  const out = [];
  parts.forEach((p, i) => { if (i) out.push(h("span", { class: "op" }, op)); out.push(p); });
  return out;
}

// A table with one row per batch row i: cell(i, j) gives the row's content,
// j = i·features + k the element's index.
export function perRow(view, k, cell) {
  const rows = [];
  for (let i = 0; i < view.rows; i++) {
    rows.push(h("tr", {}, h("th", { scope: "row" }, `i = ${i + 1}`), h("td", {}, ...cell(i, i * view.features + k))));
  }
  return h("table", { class: "rowtable" }, h("tbody", {}, rows));
}

// Features count from 1 wherever a person sees them.
export const f = (k) => k + 1;

// The element indices j = i·features + k of feature k's column.
export const column = (view, k) => Array.from({ length: view.rows }, (_, i) => i * view.features + k);

// Significant digits for the mean of feature k: 5, or more when the values
// sit far from 0 compared with their spread (x ≈ 1e5, spread 0.08: 12), so
// that x − μ can be checked by hand. A running mean is float32 (9 at most).
export function meanDigits(view, k) {
  const spread = Math.sqrt(view.mode === "train" ? view.trace.var[k] : view.trainTrace?.var[k] ?? view.trace.var[k]);
  return digitsForSpread(Math.abs(view.mean[k]), spread, view.mode === "train" ? 12 : 9);
}
