// The forward pass, one step at a time. Each step names the inputs it uses
// (highlighted in the grid) and renders its formula, typeset, then the same
// formula with this batch's numbers for every feature. Numbers come from the
// view computed by compute.js (the WASM core); num() tags each one with
// the data attributes of docs/page-hooks.md. The last step, the running
// statistics, is in steps-running.js.
import { h } from "../dom.js";
import { num, given, sym, digitsNearOne } from "./numbers.js";
import { tex } from "./tex.js";
import { eq, featureBlock, feats, joined, perRow, meanDigits, column, f } from "./step-parts.js";
import { renderRunningUpdate } from "./steps-running.js";
import { storedNote } from "./explain.js";

const MU = () => sym("μ", "B");
const VAR = () => sym("σ", "B", "2");
const EPS = () => sym("ε");

// x as the core stores it (float32), e.g. 100000.1 as 100000.1015625.
const x = (view, j) => given(view.x[j], { paren: true, stored: true });
const largestX = (view, k) => Math.max(...column(view, k).map((j) => Math.abs(Math.fround(view.x[j]))));
const mean = (view, k, extra = {}) => num(view.mean[k], { quantity: "mean", feature: f(k), digits: meanDigits(view, k),
  zero: view.mode === "train" ? { of: largestX(view, k), ulps: 1, scale: spread(view, k) } : undefined, ...extra });
const spread = (view, k) => Math.sqrt(view.trace.var[k]);
// x_i − μ: float32 storage of x and μ, judged against the spread.
const centredZero = (view, j, k) => (view.mode === "train"
  ? { of: Math.abs(Math.fround(view.x[j])) + Math.abs(view.mean[k]), ulps: 2, scale: spread(view, k) } : undefined);

// Eval shows the statistics it uses beside the batch's own.
function batchCompare(view, k, which) {
  if (view.mode !== "eval" || !view.trainTrace) return null;
  const value = which === "mean" ? view.batchMean[k] : view.trainTrace.var[k];
  const name = which === "mean" ? "batchMean" : "batchVar";
  return h("p", { class: "aside" }, `This batch's own ${which === "mean" ? "mean" : "variance"} would be `,
    num(value, { quantity: name, feature: f(k), digits: which === "mean" ? meanDigits(view, k) : undefined }), " — eval does not use it.");
}

export const FORWARD = [
  {
    title: "The batch",
    uses: [],
    render(view) {
      const m = view.rows;
      const lines = [
        h("p", {}, `${m} ${m === 1 ? "row" : "rows"} (examples) and ${view.features} ${view.features === 1 ? "feature" : "features"} (columns). `,
          "Batch normalization works on each feature separately: it normalizes a column with statistics of that column, then scales and shifts it with the feature's own γ and β."),
        tex("batchShape", { after: [",\u2003", sym("m"), ` = ${m}, `, sym("K"), ` = ${view.features}`] }),
        ...storedNote(view),
      ];
      if (view.mode === "train") {
        lines.push(h("p", {}, "Train mode: the statistics come from this batch, and the running estimates are updated at the end."));
      } else {
        lines.push(h("p", {}, `Eval mode: the layer normalizes with its running estimates, left by training on ${view.after.batches} ${view.after.batches === 1 ? "batch" : "batches"}${view.trainTrace ? " (this one included)" : ""}; this batch's statistics are not used.`));
      }
      lines.push(h("p", { class: "hint" }, "Press Next step (or →)."));
      return lines;
    },
  },
  {
    title: (view) => (view.mode === "train" ? "Batch mean" : "Mean used: the running mean"),
    uses: (view) => (view.mode === "train" ? ["x"] : ["running"]),
    render(view) {
      if (view.mode === "eval") {
        return [
          tex("meanRunning"),
          h("p", {}, "μ_run is the running mean (PyTorch's running_mean, Keras's moving_mean)."),
          feats(view, (k) => [eq(sym("μ"), " = ", sym("μ", "run"), " = ", mean(view, k)), batchCompare(view, k, "mean")]),
        ];
      }
      return [
        tex("meanBatch"),
        feats(view, (k) => [eq(MU(), " = (", joined(column(view, k).map((j) => x(view, j))), `) / ${view.rows} = `, mean(view, k))]),
      ];
    },
  },
  {
    title: "Centre: subtract the mean",
    uses: ["x"],
    render(view) {
      const t = view.trace;
      return [
        tex(view.mode === "train" ? "centreTrain" : "centreEval"),
        feats(view, (k) => [perRow(view, k, (i, j) => [x(view, j), " − ", mean(view, k, { paren: true, short: true }),
          " = ", num(t.xCentered[j], { quantity: "xCentered", feature: f(k), row: i + 1, zero: centredZero(view, j, k) })])]),
      ];
    },
  },
  {
    title: (view) => (view.mode === "train" ? "Batch variance (biased: divide by m)" : "Variance used: the running variance"),
    uses: (view) => (view.mode === "train" ? ["x"] : ["running"]),
    render(view) {
      const t = view.trace;
      if (view.mode === "eval") {
        return [
          tex("varRunning"),
          h("p", {}, "σ²_run is the running variance (PyTorch's running_var, Keras's moving_variance)."),
          feats(view, (k) => [eq(sym("σ", undefined, "2"), " = ", sym("σ", "run", "2"), " = ", num(t.var[k], { quantity: "var", feature: f(k) })),
            batchCompare(view, k, "var")]),
        ];
      }
      return [
        tex("varBatch"),
        h("p", {}, "Divide by m, not m − 1: this is the variance of exactly these m numbers, which is what makes the normalized column have variance (almost) 1."),
        feats(view, (k) => [eq(VAR(), " = (", joined(column(view, k).map((j, i) =>
          h("span", {}, num(t.xCentered[j], { quantity: "xCentered", feature: f(k), row: i + 1, paren: true,
            zero: centredZero(view, j, k), short: true }), h("sup", {}, "2")))),
        `) / ${view.rows} = `, num(t.var[k], { quantity: "var", feature: f(k) })),
        t.var[k] === 0 ? h("p", { class: "note" }, "Constant feature: the variance is 0. Without ε the next steps would divide by zero.") : null]),
      ];
    },
  },
  {
    title: "Standard deviation, with ε",
    uses: ["eps"],
    render(view) {
      const t = view.trace;
      const v = view.mode === "train" ? VAR : () => sym("σ", undefined, "2");
      return [
        tex(view.mode === "train" ? "stdTrain" : "stdEval"),
        h("p", {}, "ε (eps) is a small constant that keeps the division finite when a feature barely varies."),
        feats(view, (k) => [
          eq("√(", v(), " + ", EPS(), ") = √(", num(t.var[k], { quantity: "var", feature: f(k) }), " + ", given(view.eps), ") = ",
            num(t.std[k], { quantity: "std", feature: f(k) })),
          eq("1 / ", num(t.std[k], { quantity: "std", feature: f(k) }), " = ", num(t.invStd[k], { quantity: "invStd", feature: f(k) }))]),
      ];
    },
  },
  {
    title: "Normalize",
    uses: ["x", "eps"],
    render(view) {
      const t = view.trace;
      return [
        tex(view.mode === "train" ? "normalizeTrain" : "normalizeEval"),
        feats(view, (k) => [constantNote(view, k),
          perRow(view, k, (i, j) => ["x̂ = ", num(t.xCentered[j], { quantity: "xCentered", feature: f(k), row: i + 1, paren: true }), " / ",
            num(t.std[k], { quantity: "std", feature: f(k) }), " = ", num(t.xhat[j], { quantity: "xhat", feature: f(k), row: i + 1, digits: digitsNearOne(t.xhat[j]) })]),
          xhatColumn(view, k)]),
        view.mode === "train" && view.rows === 2
          ? h("p", { class: "note", "data-note": "two-rows-xhat" }, "Two rows: |x − μ| is the same for both, σ, so x̂ = ±σ/√(σ² + ε), just under ±1 whatever the data (the divisor is a little more than σ, by ε). This is why the backward pass will find dx ≈ 0.")
          : null,
        view.mode === "train"
          ? h("p", { class: "aside" }, "Under each column: the mean of x̂ is 0 and its variance σ²/(σ² + ε), a little under 1 because ε is added to the variance (computed from the x̂ shown, in double).")
          : h("p", { class: "aside" }, "Eval normalizes with the running statistics, not this batch's: the x̂ column has mean 0 and variance 1 only when they match the batch."),
      ];
    },
  },
  {
    title: "Scale and shift: y = γ x̂ + β",
    uses: ["gamma", "beta"],
    render(view) {
      const t = view.trace;
      return [
        tex("scaleShift"),
        h("p", {}, "γ and β are learned per feature: the layer can undo the normalization if that helps the network."),
        feats(view, (k) => [perRow(view, k, (i, j) => ["y = ", given(view.gamma[k], { paren: true, stored: true }), " · ",
          num(t.xhat[j], { quantity: "xhat", feature: f(k), row: i + 1, paren: true }), " + ", given(view.beta[k], { paren: true, stored: true }), " = ",
          num(t.y[j], { quantity: "y", feature: f(k), row: i + 1, zero: { of: Math.abs(view.gamma[k] * t.xhat[j]) + Math.abs(view.beta[k]) } })])]),
      ];
    },
  },
  {
    title: (view) => (view.mode === "train" ? "Update the running statistics" : "Eval updates nothing"),
    uses: (view) => (view.mode === "train" ? ["momentum", "running"] : ["running"]),
    render: renderRunningUpdate,
  },
];

// Under an x̂ column: its mean and variance, computed from the x̂ shown.
function xhatColumn(view, k) {
  const s = view.xhatStats, t = view.trace;
  const train = view.mode === "train";
  const expected = t.var[k] / (t.var[k] + view.eps);
  return h("div", { class: "col-stats" },
    eq("mean of x̂ = ", num(s.mean[k], { quantity: "xhatMean", feature: f(k), zero: train ? { of: s.absMean[k] } : undefined })),
    eq("variance of x̂ = ", num(s.var[k], { quantity: "xhatVar", feature: f(k), digits: digitsNearOne(s.var[k]) })),
    train ? eq("σ²/(σ² + ε) = ", num(t.var[k], { quantity: "var", feature: f(k) }), " / (", num(t.var[k], { quantity: "var", feature: f(k) }),
      " + ", given(view.eps), ") = ", num(expected, { quantity: "xhatVar", attr: "data-expected", feature: f(k), digits: digitsNearOne(expected) })) : null);
}

function constantNote(view, k) {
  if (view.trace.var[k] !== 0) return null;
  return h("p", { class: "note" }, `Constant feature: every x − μ is 0 and σ² = 0, so the divisor is √ε = `,
    num(view.trace.std[k], { quantity: "std", feature: f(k) }), ". ε alone decides x̂ here: 0 / √ε = 0, so y = β.");
}
