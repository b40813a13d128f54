// Notes that explain a surprising number where it appears: float32 storage
// (the spread of a feature near float32's resolution), eval right after
// few training batches, a constant feature's huge dx, and dx ≈ 0 for a
// batch of two. Each returns nodes (or null when the case does not apply);
// every number in them is the view's, tagged as docs/page-hooks.md says.
import { h } from "../dom.js";
import { digitsNearOne, fmt, given, num, plain } from "./numbers.js";
import { NEAR_ULP, storageOf, storedText } from "./float32.js";
import { column, f } from "./step-parts.js";
import { CONVENTIONS } from "./conventions.js";

// A number derived in the page from the core's, for an explanation.
const derived = (name, k) => ({ quantity: name, attr: "data-derived", feature: f(k) });
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const percent = (v) => `${Number((100 * v).toPrecision(3))} %`;

// The batch step: which typed values float32 changed, and, for a feature
// whose spread is within NEAR_ULP float32 steps, what that does to σ².
export function storedNote(view) {
  const out = [];
  for (let k = 0; k < view.features; k++) {
    const s = storageOf(view.x, view.rows, view.features, k);
    const visible = s.changed.filter((c) => storedText(c.typed) !== String(c.typed));
    if (!s.near && visible.length === 0) continue;
    const list = visible.slice(0, 4).map((c, n) => [n ? ", " : "", `row ${c.row}: ${plain(c.typed)} is stored as `, given(c.typed, { stored: true })]);
    const more = visible.length > 4 ? `, and ${visible.length - 4} more` : "";
    if (!s.near) {
      out.push(h("p", { class: "note", "data-note": "float32" }, `Feature ${f(k)}, as stored: the core keeps float32 (24 significant bits, about 7 digits). `, list, more, "."));
      continue;
    }
    out.push(h("div", { class: "note", "data-note": "float32", "data-feature": f(k) },
      h("p", {}, `Feature ${f(k)}: float32 at work. The core stores numbers as float32 (24 significant bits, about 7 digits). Near ${plain(Number(s.largest.toPrecision(3)))} neighbouring float32 values are ${plain(s.ulp)} apart (the ulp), and this feature's values spread only ${fmt(s.spread)}: ${s.ratio < 1 ? "less than one float32 step" : `about ${plural(Math.round(s.ratio), "float32 step", "float32 steps")}`}.`),
      list.length ? h("p", {}, "Stored: ", list, more, ".") : null,
      h("p", {}, "Every number below is computed from the stored values: their variance is σ² = ",
        num(view.trainTrace.var[k], { quantity: view.mode === "train" ? "var" : "batchVar", feature: f(k) }),
        `, where the values as typed would give ${fmt(s.typedVar)}. That is float32 doing its job, not an error in the formulas. Subtract a constant from the data (so it sits near 0) to keep its digits.`)));
  }
  return out;
}

// The notes line, every step: a short pointer for each feature near float32's resolution.
export function float32Pointer(view) {
  const near = [];
  for (let k = 0; k < view.features; k++) if (storageOf(view.x, view.rows, view.features, k).near) near.push(f(k));
  if (!near.length) return null;
  return h("p", { class: "note", "data-note": "float32-pointer" }, `Feature ${near.join(", ")}: the values differ by fewer than ${NEAR_ULP} float32 steps, so float32 storage shows in the numbers (σ², x̂): see “The batch” (step 1).`);
}

// Eval right after a few training batches: the running statistics have not
// caught up with the data yet. Shown when some feature's running mean is
// more than one batch standard deviation from the batch mean.
export function evalLagNote(view) {
  if (view.mode !== "eval" || !view.trainTrace) return null;
  const n = view.after.batches;
  const keras = view.convention === "keras";
  const keep = keras ? view.momentum : 1 - view.momentum;
  let worst = null;
  for (let k = 0; k < view.features; k++) {
    const gap = Math.abs(view.mean[k] - view.batchMean[k]) / Math.sqrt(view.trainTrace.var[k] + view.eps);
    if (gap > 1 && (!worst || gap > worst.gap)) worst = { k, gap };
  }
  if (!worst) return null;
  const { k } = worst;
  const xhat = column(view, k).reduce((m, j) => (Math.abs(view.trace.xhat[j]) > Math.abs(m) ? view.trace.xhat[j] : m), 0);
  const covered = 1 - keep ** n;
  const after = (b) => percent(1 - keep ** b);
  return h("div", { class: "note", "data-note": "eval-lag" },
    h("p", {}, `Eval right after ${plural(n, "training batch", "training batches")}: μ_run starts at 0 and each batch moves it ${plain(1 - keep)} of the way toward that batch's mean (momentum ${plain(view.momentum)}${keras ? ", Keras's share kept" : ""}). After n batches it has covered 1 − ${plain(keep)}ⁿ of the way: ${percent(covered)} here.`),
    h("p", {}, `Feature ${f(k)}: μ_run = `, num(view.mean[k], { quantity: "mean", feature: f(k) }), " against this batch's mean ",
      num(view.batchMean[k], { quantity: "batchMean", feature: f(k) }), ", so x̂ reaches ", num(xhat, { quantity: "xhat", feature: f(k), row: column(view, k).findIndex((j) => view.trace.xhat[j] === xhat) + 1 }),
      " instead of about ±1 (σ²_run, starting at 1, lags the same way)."),
    h("p", {}, `Feed more batches like this one with “Next batch” (section 3; set Random mean and spread to your data's first): after 10 batches ${after(10)} of the way, after 50 ${after(50)}.`));
}

// The dx step, training, a constant feature: σ² = 0 so 1/√(σ² + ε) = 1/√ε.
export function constantDxNote(view, k) {
  if (view.mode !== "train" || view.trace.var[k] !== 0) return null;
  const rows = column(view, k);
  const meanDy = view.dbeta[k] / view.rows;
  const j = rows.reduce((a, b) => (Math.abs(view.dx[b]) > Math.abs(view.dx[a]) ? b : a));
  return h("p", { class: "note", "data-note": "constant-dx" },
    `Constant feature: σ² = 0 and x̂ = 0, so the divisor is √ε and dx = γ (dy − mean dy) / √ε. With ε = ${plain(view.eps)}, 1/√ε = `,
    num(view.trace.invStd[k], { quantity: "invStd", feature: f(k) }), `: row ${rows.indexOf(j) + 1} gives `, given(view.gamma[k], { stored: true }), " · (",
    num(view.dy[j], { quantity: "dy", feature: f(k), row: rows.indexOf(j) + 1, paren: true }), " − ", num(meanDy, { ...derived("meanDy", k), paren: true }), ") · ",
    num(view.trace.invStd[k], { quantity: "invStd", feature: f(k) }), " = ", num(view.dx[j], { quantity: "dx", feature: f(k), row: rows.indexOf(j) + 1 }),
    `. Nudging one x by h moves x̂ by h/√ε: the smaller ε, the steeper. PyTorch gives the same numbers; this is one reason ε is not made tinier (Keras uses ${CONVENTIONS.keras.eps}).`);
}

// The dx step, training, a batch of two: x̂ = ±σ/√(σ² + ε) whatever the data.
export function twoRowsNote(view, k) {
  if (view.mode !== "train" || view.rows !== 2 || view.trace.var[k] === 0) return null;
  const t = view.trace;
  const dyGap = view.dy[k] - view.dy[view.features + k];
  const oneMinus = view.eps / (t.var[k] + view.eps);
  const predicted = view.gamma[k] * dyGap * oneMinus / (2 * t.std[k]);
  return h("p", { class: "note", "data-note": "two-rows" },
    "Two rows: x₁ − μ = −(x₂ − μ) and σ is half their distance, so x̂ = ±σ/√(σ² + ε) = ±",
    num(Math.abs(t.xhat[k]), { ...derived("absXhat", k), digits: digitsNearOne(t.xhat[k]) }), " whatever the data. Moving an x hardly changes x̂, so dx ≈ 0: exactly, dx₁ = −dx₂ = γ (dy₁ − dy₂) (1 − x̂²) / (2√(σ² + ε)) with 1 − x̂² = ε/(σ² + ε) = ",
    num(oneMinus, derived("oneMinusXhatSq", k)), ": ", given(view.gamma[k], { stored: true }), " · ", num(dyGap, { ...derived("dyGap", k), paren: true }), " · ",
    num(oneMinus, derived("oneMinusXhatSq", k)), " / (2 · ",
    num(t.std[k], { quantity: "std", feature: f(k) }), ") = ", num(predicted, { quantity: "dx", attr: "data-expected", feature: f(k), row: 1 }),
    ". Only ε lets x reach y at all; a batch of two teaches almost nothing to the layer below.");
}
