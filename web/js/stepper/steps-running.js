// The last forward step: the running statistics. Training moves them toward
// this batch's; eval only reads them. Notation: μ_run and σ²_run (PyTorch's
// running_mean / running_var, Keras's moving_mean / moving_variance), never
// a hat, which belongs to x̂.
import { h } from "../dom.js";
import { num, given, sym } from "./numbers.js";
import { tex } from "./tex.js";
import { CONVENTIONS } from "./conventions.js";
import { eq, feats, meanDigits, f } from "./step-parts.js";

const RUN_NAMES = "μ_run and σ²_run are the running mean and variance: PyTorch's running_mean and running_var, Keras's moving_mean and moving_variance.";

export function renderRunningUpdate(view) {
  const m = view.rows;
  if (view.mode === "eval") {
    return [
      h("p", {}, "In eval mode the running estimates are read, never written, so a prediction does not depend on what else is in the batch."),
      feats(view, (k) => [
        eq("running mean ", sym("μ", "run"), " = ", num(view.after.mean[k], { quantity: "runningMean", feature: f(k) })),
        eq("running variance ", sym("σ", "run", "2"), " = ", num(view.after.var[k], { quantity: "runningVar", feature: f(k) }))]),
    ];
  }
  const t = view.trace;
  const mom = view.momentum;
  const keras = view.convention === "keras";
  const keep = keras ? mom : 1 - mom, take = keras ? 1 - mom : mom;
  const why = keras
    ? `Keras (momentum is the decay kept, ${CONVENTIONS.keras.momentum} by default) puts the biased batch variance σ²_B into its moving variance as it is. PyTorch would multiply it by m/(m − 1) first, so the two frameworks end with different running variances from the same batches.`
    : `Why m/(m − 1)? σ²_B divides by m and measures the spread around the batch's own mean, which sits closer to the data than the true mean: on average it is (m − 1)/m of the population variance. The running variance is used later to normalize single examples, so it should estimate the population variance: PyTorch multiplies by m/(m − 1) = ${m}/${m - 1} (Bessel's correction) before averaging it in. Normalizing the batch itself uses the biased σ²_B.`;
  return [
    tex(keras ? "runningMeanKeras" : "runningMeanPyTorch"),
    tex(keras ? "runningVarKeras" : "runningVarPyTorch"),
    h("p", {}, RUN_NAMES),
    h("p", {}, `Before this batch: ${view.before.batches} ${view.before.batches === 1 ? "batch" : "batches"} fed (μ_run starts at 0, σ²_run at 1).`),
    feats(view, (k) => [
      eq(sym("μ", "run"), " = ", given(keep), " · ", num(view.before.mean[k], { quantity: "runningMean", feature: f(k), before: true, paren: true }),
        " + ", given(take), " · ", num(view.mean[k], { quantity: "mean", feature: f(k), paren: true, digits: meanDigits(view, k) }),
        " = ", num(view.after.mean[k], { quantity: "runningMean", feature: f(k) })),
      eq(sym("σ", "run", "2"), " = ", given(keep), " · ", num(view.before.var[k], { quantity: "runningVar", feature: f(k), before: true }),
        " + ", given(take), " · ", keras ? null : `${m}/${m - 1} · `, num(t.var[k], { quantity: "var", feature: f(k) }),
        " = ", num(view.after.var[k], { quantity: "runningVar", feature: f(k) }))]),
    h("p", { class: "why" }, why),
    keras ? h("p", { class: "aside" }, "The Keras moving variance here is computed in the page from the core's batch variance (the core follows PyTorch).") : null,
  ];
}
