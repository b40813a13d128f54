// The lab's steps for the chosen statistic, with the core's numbers
// (lab-compute.js): μ, σ², σ, x̂ and y of every cell it reduces over, then
// the backward pass for the fixed dy: dx of those cells, and dγ, dβ of the
// parameters they use. Every shown value has data-quantity / data-value and
// data-sample, data-channel, data-h, data-w, data-group where it has that
// axis (docs/page-hooks.md); inputs shown as the core stores them (float32).
import { h } from "../dom.js";
import { given, num } from "./numbers.js";
import { tex } from "./tex-later.js";
import { eq, joined } from "./step-parts.js";
import { coordsOf, paramIndex } from "./norm-axes.js";

// (BatchNorm1d is the batch stepper itself: the lab never steps it.)
const MEAN = {
  batch2d: () => tex("labMeanBatch2d"), layer: () => tex("labMeanLayer"),
  group: () => tex("labMeanGroup"), instance: () => tex("labMeanInstance"),
};

// The layer's formulas alone (a build without the lab's layers shows them
// without numbers).
export function labFormulas(norm) {
  return [MEAN[norm](), tex("labVar"), tex("labNormalize"), tex("labDx"),
    norm === "layer" ? tex("labDparamsLayer") : tex("labDparamsChannel")];
}

// data-* of element j: sample, channel, h, w (from 1).
export function cellAt(shape, j) {
  const { n, c, h: hh, w } = coordsOf(shape, j);
  return { sample: n + 1, channel: c + 1, h: hh + 1, w: w + 1 };
}

// data-* of parameter p (gamma/beta index): channel, and h, w for LayerNorm.
function paramAt(norm, [, C, H, W], p) {
  if (norm !== "layer") return { channel: p + 1 };
  return { channel: Math.floor(p / (H * W)) + 1, h: Math.floor(p / W) % H + 1, w: (p % W) + 1 };
}

const where = ({ sample, channel, h: hh, w }) => `n ${sample}, c ${channel}, h ${hh}, w ${w}`;

// stat: one of statistics() (norm-axes.js); r: runNorm's result.
export function labSteps(r, stat) {
  const s = stat.stat, at = stat.coords, m = stat.cells.length;
  const stats = (q, v) => num(v, { quantity: q, at });
  const x = (j) => given(r.x[j], { paren: true, stored: true });
  const rows = stat.cells.map((j) => {
    const c = cellAt(r.shape, j);
    const q = (name, v) => num(v, { quantity: name, at: c, paren: true });
    return h("tr", {}, h("th", { scope: "row" }, where(c)),
      h("td", {}, x(j)), h("td", {}, q("xCentered", r.xCentered[j])), h("td", {}, q("xhat", r.xhat[j])), h("td", {}, q("y", r.y[j])));
  });
  return [
    h("h4", {}, `Forward: ${stat.label}, ${m} ${m === 1 ? "cell" : "cells"}`),
    MEAN[r.norm](),
    eq("μ = (", joined(stat.cells.map(x)), `) / ${m} = `, stats("mean", r.mean[s])),
    tex("labVar"),
    eq("σ² = (", joined(stat.cells.map((j) => h("span", {}, num(r.xCentered[j], { quantity: "xCentered", at: cellAt(r.shape, j), paren: true }), h("sup", {}, "2")))),
      `) / ${m} = `, stats("var", r.var[s])),
    eq("√(", stats("var", r.var[s]), " + ", given(r.eps), ") = ", stats("std", r.std[s]), ",  1 / σ = ", stats("invStd", r.invStd[s])),
    tex("labNormalize"),
    h("p", {}, "γ = 1 and β = 0 here (the layer's initial values), so y = x̂."),
    h("table", { class: "rowtable lab-cells" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "cell"),
      ["x", "x − μ", "x̂", "y"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)),
  ];
}

// The backward pass for the chosen statistic's cells, and dγ, dβ of the
// parameters they use.
export function labBackward(r, stat) {
  const params = [...new Set(stat.cells.map((j) => paramIndex(r.norm, r.shape, j)))].sort((a, b) => a - b);
  const rows = stat.cells.map((j) => {
    const c = cellAt(r.shape, j);
    return h("tr", {}, h("th", { scope: "row" }, where(c)), h("td", {}, num(r.dy[j], { quantity: "dy", at: c })),
      h("td", {}, num(r.dx[j], { quantity: "dx", at: c })));
  });
  return [
    h("h4", {}, `Backward: ${stat.label}`),
    h("p", {}, "dy = ∂L/∂y is a fixed pattern (−0.5, 0.25, 0.5, −0.25, …), the gradient of L = Σ dy·y."),
    tex("labDx"),
    h("table", { class: "rowtable lab-cells" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "cell"),
      h("th", { scope: "col" }, "dy"), h("th", { scope: "col" }, "dx"))), h("tbody", {}, rows)),
    r.norm === "layer" ? tex("labDparamsLayer") : tex("labDparamsChannel"),
    h("p", {}, r.norm === "layer"
      ? "LayerNorm's γ and β have one entry per cell of [C, H, W]: each sums over the samples only."
      : "γ and β are per channel: dγ and dβ sum over the samples and pixels, whatever the statistics' axes."),
    h("div", { class: "feats" }, params.map((p) => {
      const a = paramAt(r.norm, r.shape, p);
      const name = r.norm === "layer" ? `c ${a.channel}, h ${a.h}, w ${a.w}` : `channel ${a.channel}`;
      return h("div", { class: "eq" }, `${name}: dγ = `, num(r.dgamma[p], { quantity: "dgamma", at: a }),
        ", dβ = ", num(r.dbeta[p], { quantity: "dbeta", at: a }));
    })),
  ];
}
