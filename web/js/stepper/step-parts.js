// Building blocks shared by the forward and backward step views: one block
// per feature, one table row per batch row, sums written out term by term.
import { h } from "../dom.js";

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
