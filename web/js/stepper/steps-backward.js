// The backward pass, one factor of the chain rule per step, from dy = ∂L/∂y
// down to dx. dy, dxhat, dvar, dmean, dx, dgamma, dbeta are the WASM core's
// backward() and backwardTrace() (compute.js).
import { h } from "../dom.js";
import { num, given } from "./numbers.js";
import { tex } from "./tex-later.js";
import { eq, feats, joined, perRow, column, f } from "./step-parts.js";
import { constantDxNote, twoRowsNote } from "./explain.js";

const dyNum = (view, i, k, paren = true) => num(view.dy[i * view.features + k], { quantity: "dy", feature: f(k), row: i + 1, paren });
const rowsOf = (view) => Array.from({ length: view.rows }, (_, i) => i);

export const BACKWARD = [
  {
    title: "Gradient from above: dy",
    uses: ["dy"],
    render(view) {
      const fromLoss = view.loss !== null;
      return [
        tex(fromLoss ? "dyFromLoss" : "dyTyped"),
        h("p", {}, fromLoss
          ? ["The loss compares y with the targets t set above. L = ", num(view.loss, { quantity: "loss", attr: "data-loss" }), "."]
          : "dy is what the layers above send back: the gradient of the loss with respect to this layer's output. Type it in the dy grid above, or switch to the loss."),
        feats(view, (k) => [perRow(view, k, (i, j) => fromLoss
          ? ["dy = ", num(view.trace.y[j], { quantity: "y", feature: f(k), row: i + 1, paren: true }), " − ", given(view.target[j], { paren: true }), " = ", dyNum(view, i, k, false)]
          : ["dy = ", dyNum(view, i, k, false)])]),
      ];
    },
  },
  {
    title: "dβ: the gradient of the shift",
    uses: ["dy"],
    render: (view) => [
      tex("dbeta"),
      feats(view, (k) => [eq("dβ = ", joined(rowsOf(view).map((i) => dyNum(view, i, k))), " = ",
        num(view.dbeta[k], { quantity: "dbeta", feature: f(k), zero: { of: sumAbs(view, k, (j) => view.dy[j]), ulps: 2 } }))]),
    ],
  },
  {
    title: "dγ: the gradient of the scale",
    uses: ["dy"],
    render: (view) => [
      tex("dgamma"),
      feats(view, (k) => [eq("dγ = ", joined(rowsOf(view).map((i) => h("span", {}, dyNum(view, i, k), "·",
        num(view.trace.xhat[i * view.features + k], { quantity: "xhat", feature: f(k), row: i + 1, paren: true })))), " = ",
      num(view.dgamma[k], { quantity: "dgamma", feature: f(k), zero: { of: sumAbs(view, k, (j) => view.dy[j] * view.trace.xhat[j]) } }))]),
    ],
  },
  {
    title: "dx̂: back through the scale",
    uses: ["dy", "gamma"],
    render: (view) => [
      tex("dxhat"),
      feats(view, (k) => [perRow(view, k, (i, j) => ["dx̂ = ", dyNum(view, i, k), " · ", given(view.gamma[k], { paren: true }), " = ",
        num(view.dxhat[j], { quantity: "dxhat", feature: f(k), row: i + 1 })])]),
    ],
  },
  {
    title: "dσ²: how the loss depends on the variance",
    uses: ["dy", "eps"],
    render(view) {
      if (view.mode !== "train") return evalNoStats("σ²");
      return [
        tex("dvar"),
        h("p", {}, "In training every x̂ depends on σ²_B, and σ²_B on every x: this is why the gradient mixes the rows of a feature."),
        feats(view, (k) => [eq("dσ² = −½ · ", num(view.trace.invStd[k], { quantity: "invStd", feature: f(k) }), h("sup", {}, "3"), " · (",
          joined(rowsOf(view).map((i) => h("span", {}, num(view.dxhat[i * view.features + k], { quantity: "dxhat", feature: f(k), row: i + 1, paren: true }), "·",
            num(view.trace.xCentered[i * view.features + k], { quantity: "xCentered", feature: f(k), row: i + 1, paren: true })))),
          ") = ", num(view.dvar[k], { quantity: "dvar", feature: f(k),
            zero: { of: 0.5 * view.trace.invStd[k] ** 3 * sumAbs(view, k, (j) => view.dxhat[j] * view.trace.xCentered[j]) } }))]),
      ];
    },
  },
  {
    title: "dμ: how the loss depends on the mean",
    uses: ["dy", "eps"],
    render(view) {
      if (view.mode !== "train") return evalNoStats("μ");
      return [
        tex("dmean"),
        h("p", {}, "The second sum is Σ(x_i − μ_B) = 0, so only the first term remains (up to rounding)."),
        feats(view, (k) => [eq("dμ = −", num(view.trace.invStd[k], { quantity: "invStd", feature: f(k) }), " · (",
          joined(rowsOf(view).map((i) => num(view.dxhat[i * view.features + k], { quantity: "dxhat", feature: f(k), row: i + 1, paren: true }))),
          ") + ", num(view.dvar[k], { quantity: "dvar", feature: f(k), paren: true }), ` · (−2/${view.rows}) · 0 = `,
          num(view.dmean[k], { quantity: "dmean", feature: f(k), zero: { of: view.trace.invStd[k] * sumAbs(view, k, (j) => view.dxhat[j]) } }))]),
      ];
    },
  },
  {
    title: "dx: the gradient of the input",
    uses: ["dy", "x", "gamma", "eps"],
    render(view) {
      const t = view.trace;
      const m = view.rows;
      if (view.mode !== "train") {
        return [
          tex("dxEval"),
          h("p", {}, "With fixed statistics each row is a separate affine map: dx is dx̂ scaled by 1/√(σ² + ε)."),
          feats(view, (k) => [perRow(view, k, (i, j) => ["dx = ", num(view.dxhat[j], { quantity: "dxhat", feature: f(k), row: i + 1, paren: true }), " · ",
            num(t.invStd[k], { quantity: "invStd", feature: f(k) }), " = ", num(view.dx[j], { quantity: "dx", feature: f(k), row: i + 1 })])]),
        ];
      }
      return [
        tex("dxTrain"),
        h("p", {}, "The same, folded into one line (what fast kernels compute):"),
        tex("dxFolded"),
        feats(view, (k) => [constantDxNote(view, k), twoRowsNote(view, k), perRow(view, k, (i, j) => {
          const terms = [view.dxhat[j] * t.invStd[k], view.dvar[k] * 2 * t.xCentered[j] / m, view.dmean[k] / m];
          return ["dx = ",
            num(terms[0], { quantity: "dxTerm1", attr: "data-term", feature: f(k), row: i + 1, paren: true }), " + ",
            num(terms[1], { quantity: "dxTerm2", attr: "data-term", feature: f(k), row: i + 1, paren: true }), " + ",
            num(terms[2], { quantity: "dxTerm3", attr: "data-term", feature: f(k), row: i + 1, paren: true }), " = ",
            num(view.dx[j], { quantity: "dx", feature: f(k), row: i + 1, zero: { of: terms.reduce((a, b) => a + Math.abs(b), 0), ulps: 8 } })];
        })]),
      ];
    },
  },
];

// Σ_i |term(j)| over feature k's column: the size of what a sum adds up,
// against which a float leftover is judged (numbers.js isLeftover).
function sumAbs(view, k, term) {
  return column(view, k).reduce((a, j) => a + Math.abs(term(j)), 0);
}

function evalNoStats(name) {
  return [
    h("p", {}, `Eval mode: ${name} is the running estimate, a constant here, so no gradient flows into it (d${name} is not part of this backward pass). Only the path through x̂ remains.`),
  ];
}
