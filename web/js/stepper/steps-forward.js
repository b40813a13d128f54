// The forward pass, one step at a time. Each step names the inputs it uses
// (highlighted in the grid) and renders its formula, typeset, then the same
// formula with this batch's numbers for every feature. Numbers come from the
// view computed by compute.js (the WASM core); dom.num() tags each one with
// the data attributes of docs/page-hooks.md.
import { h } from "../dom.js";
import { num, given, sym } from "./numbers.js";
import { tex } from "./tex.js";
import { CONVENTIONS } from "./conventions.js";
import { eq, featureBlock, joined, perRow } from "./step-parts.js";

const MU = () => sym("μ", "B");
const VAR = () => sym("σ", "B", "2");
const EPS = () => sym("ε");

const x = (view, j) => given(view.x[j], { paren: true });
const f = (k) => k + 1;

// Eval shows the statistics it uses beside the batch's own.
function batchCompare(view, k, which) {
  if (view.mode !== "eval" || !view.trainTrace) return null;
  const value = which === "mean" ? view.trainTrace.mean[k] : view.trainTrace.var[k];
  const name = which === "mean" ? "batchMean" : "batchVar";
  return h("p", { class: "aside" }, `This batch's own ${which === "mean" ? "mean" : "variance"} would be `,
    num(value, { quantity: name, feature: f(k) }), " — eval does not use it.");
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
        tex("x \\in \\mathbb{R}^{m \\times K},\\quad m = " + m + ",\\ K = " + view.features),
      ];
      if (view.mode === "train") {
        lines.push(h("p", {}, "Train mode: the statistics come from this batch, and the running estimates are updated at the end."));
      } else {
        lines.push(h("p", {}, `Eval mode: the layer normalizes with its running estimates, left by training on ${view.after.batches} ${view.after.batches === 1 ? "batch" : "batches"}${view.trainTrace ? " (this one included)" : ""}; this batch's statistics are not used.`));
      }
      lines.push(h("p", { class: "hint" }, "Press Next step."));
      return lines;
    },
  },
  {
    title: (view) => (view.mode === "train" ? "Batch mean" : "Mean used: the running mean"),
    uses: (view) => (view.mode === "train" ? ["x"] : ["running"]),
    render(view) {
      const t = view.trace;
      if (view.mode === "eval") {
        return [
          tex("\\mu = \\hat\\mu_{\\text{running}}"),
          h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
            eq(sym("μ"), " = running mean = ", num(t.mean[k], { quantity: "mean", feature: f(k) })),
            batchCompare(view, k, "mean")))),
        ];
      }
      return [
        tex("\\mu_B = \\frac{1}{m}\\sum_{i=1}^{m} x_i"),
        h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
          eq(MU(), " = (", joined(Array.from({ length: view.rows }, (_, i) => x(view, i * view.features + k))),
            `) / ${view.rows} = `, num(t.mean[k], { quantity: "mean", feature: f(k) }))))),
      ];
    },
  },
  {
    title: "Centre: subtract the mean",
    uses: ["x"],
    render(view) {
      const t = view.trace;
      return [
        tex(view.mode === "train" ? "x_i - \\mu_B" : "x_i - \\mu"),
        h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
          perRow(view, k, (i, j) => [x(view, j), " − ", num(t.mean[k], { quantity: "mean", feature: f(k), paren: true }),
            " = ", num(t.xCentered[j], { quantity: "xCentered", feature: f(k), row: i + 1 })])))),
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
          tex("\\sigma^2 = \\hat\\sigma^2_{\\text{running}}"),
          h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
            eq(sym("σ", undefined, "2"), " = running variance = ", num(t.var[k], { quantity: "var", feature: f(k) })),
            batchCompare(view, k, "var")))),
        ];
      }
      return [
        tex("\\sigma^2_B = \\frac{1}{m}\\sum_{i=1}^{m} (x_i - \\mu_B)^2"),
        h("p", {}, "Divide by m, not m − 1: this is the variance of exactly these m numbers, which is what makes the normalized column have variance 1."),
        h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
          eq(VAR(), " = (", joined(Array.from({ length: view.rows }, (_, i) =>
            h("span", {}, num(t.xCentered[i * view.features + k], { quantity: "xCentered", feature: f(k), row: i + 1, paren: true }), h("sup", {}, "2")))),
          `) / ${view.rows} = `, num(t.var[k], { quantity: "var", feature: f(k) })),
          t.var[k] === 0 ? h("p", { class: "note" }, "Constant feature: the variance is 0. Without ε the next steps would divide by zero.") : null))),
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
        tex(view.mode === "train" ? "\\sqrt{\\sigma^2_B + \\varepsilon}, \\quad \\frac{1}{\\sqrt{\\sigma^2_B + \\varepsilon}}" : "\\sqrt{\\sigma^2 + \\varepsilon}, \\quad \\frac{1}{\\sqrt{\\sigma^2 + \\varepsilon}}"),
        h("p", {}, "ε (eps) is a small constant that keeps the division finite when a feature barely varies."),
        h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
          eq("√(", v(), " + ", EPS(), ") = √(", num(t.var[k], { quantity: "var", feature: f(k) }), " + ", given(view.eps), ") = ",
            num(t.std[k], { quantity: "std", feature: f(k) })),
          eq("1 / ", num(t.std[k], { quantity: "std", feature: f(k) }), " = ", num(t.invStd[k], { quantity: "invStd", feature: f(k) }))))),
      ];
    },
  },
  {
    title: "Normalize",
    uses: ["x", "eps"],
    render(view) {
      const t = view.trace;
      return [
        tex(view.mode === "train" ? "\\hat x_i = \\frac{x_i - \\mu_B}{\\sqrt{\\sigma^2_B + \\varepsilon}}" : "\\hat x_i = \\frac{x_i - \\mu}{\\sqrt{\\sigma^2 + \\varepsilon}}"),
        h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
          constantNote(view, k),
          perRow(view, k, (i, j) => ["x̂ = ", num(t.xCentered[j], { quantity: "xCentered", feature: f(k), row: i + 1, paren: true }), " / ",
            num(t.std[k], { quantity: "std", feature: f(k) }), " = ", num(t.xhat[j], { quantity: "xhat", feature: f(k), row: i + 1 })])))),
      ];
    },
  },
  {
    title: "Scale and shift: y = γ x̂ + β",
    uses: ["gamma", "beta"],
    render(view) {
      const t = view.trace;
      return [
        tex("y_i = \\gamma\\,\\hat x_i + \\beta"),
        h("p", {}, "γ and β are learned per feature: the layer can undo the normalization if that helps the network."),
        h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
          perRow(view, k, (i, j) => ["y = ", given(view.gamma[k], { paren: true }), " · ", num(t.xhat[j], { quantity: "xhat", feature: f(k), row: i + 1, paren: true }),
            " + ", given(view.beta[k], { paren: true }), " = ", num(t.y[j], { quantity: "y", feature: f(k), row: i + 1 })])))),
      ];
    },
  },
  {
    title: (view) => (view.mode === "train" ? "Update the running statistics" : "Eval updates nothing"),
    uses: (view) => (view.mode === "train" ? ["momentum", "running"] : ["running"]),
    render: renderRunningUpdate,
  },
];

function constantNote(view, k) {
  if (view.trace.var[k] !== 0) return null;
  return h("p", { class: "note" }, `Constant feature: every x − μ is 0 and σ² = 0, so the divisor is √ε = `,
    num(view.trace.std[k], { quantity: "std", feature: f(k) }), ". ε alone decides x̂ here: 0 / √ε = 0, so y = β.");
}

function renderRunningUpdate(view) {
  const m = view.rows;
  if (view.mode === "eval") {
    return [
      h("p", {}, "In eval mode the running estimates are read, never written, so a prediction does not depend on what else is in the batch."),
      h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
        eq("running mean = ", num(view.after.mean[k], { quantity: "runningMean", feature: f(k) })),
        eq("running variance = ", num(view.after.var[k], { quantity: "runningVar", feature: f(k) }))))),
    ];
  }
  const t = view.trace;
  const mom = view.momentum;
  const keras = view.convention === "keras";
  const formulas = keras
    ? ["\\hat\\mu \\leftarrow \\text{momentum}\\cdot\\hat\\mu + (1-\\text{momentum})\\,\\mu_B",
      "\\hat\\sigma^2 \\leftarrow \\text{momentum}\\cdot\\hat\\sigma^2 + (1-\\text{momentum})\\,\\sigma^2_B"]
    : ["\\hat\\mu \\leftarrow (1-\\text{momentum})\\,\\hat\\mu + \\text{momentum}\\cdot\\mu_B",
      "\\hat\\sigma^2 \\leftarrow (1-\\text{momentum})\\,\\hat\\sigma^2 + \\text{momentum}\\cdot\\frac{m}{m-1}\\,\\sigma^2_B"];
  const keep = keras ? mom : 1 - mom, take = keras ? 1 - mom : mom;
  const why = keras
    ? `Keras (momentum is the decay kept, ${CONVENTIONS.keras.momentum} by default) puts the biased batch variance σ²_B into its moving variance as it is. PyTorch would multiply it by m/(m − 1) first, so the two frameworks end with different running variances from the same batches.`
    : `Why m/(m − 1)? σ²_B divides by m and measures the spread around the batch's own mean, which sits closer to the data than the true mean: on average it is (m − 1)/m of the population variance. The running variance is used later to normalize single examples, so it should estimate the population variance: PyTorch multiplies by m/(m − 1) = ${m}/${m - 1} (Bessel's correction) before averaging it in. Normalizing the batch itself uses the biased σ²_B.`;
  return [
    ...formulas.map((source) => tex(source)),
    h("p", {}, `Before this batch: ${view.before.batches} ${view.before.batches === 1 ? "batch" : "batches"} fed (running mean starts at 0, running variance at 1).`),
    h("div", { class: "feats" }, Array.from({ length: view.features }, (_, k) => featureBlock(k,
      eq("running mean = ", given(keep), " · ", num(view.before.mean[k], { quantity: "runningMean", feature: f(k), before: true, paren: true }),
        " + ", given(take), " · ", num(t.mean[k], { quantity: "mean", feature: f(k), paren: true }),
        " = ", num(view.after.mean[k], { quantity: "runningMean", feature: f(k) })),
      eq("running variance = ", given(keep), " · ", num(view.before.var[k], { quantity: "runningVar", feature: f(k), before: true }),
        " + ", given(take), " · ", keras ? null : `${m}/${m - 1} · `, num(t.var[k], { quantity: "var", feature: f(k) }),
        " = ", num(view.after.var[k], { quantity: "runningVar", feature: f(k) }))))),
    h("p", { class: "why" }, why),
    keras ? h("p", { class: "aside" }, "The Keras moving variance here is computed in the page from the core's batch variance (the core follows PyTorch).") : null,
  ];
}
