// Every number the stepper shows comes from here, and every one of them from
// the WASM core (BatchNorm1d.forward / trace / backward / backwardTrace /
// runningMean…). Documented exceptions, formulas applied in JS to what the
// core computed or stores:
// - Keras's moving variance (it uses the biased batch variance), updated in
//   JS from the core's biased batch variance trace().var (kerasMovingVar);
// - the batch mean in double precision (view.mean, batchMean64): the core
//   accumulates it in double and normalizes with it (as a float32 pair,
//   hi + lo), but trace() returns it rounded to float32, which at x ≈ 1e5
//   is 0.0078 off and would make x − μ look wrong. It is the mean of the
//   float32 x the core stores, summed in double as the core does; a test
//   checks it rounds to trace().mean. (The API has no double mean yet.)
// The gradient check (gradcheck.js) and the x̂ column statistics
// (xhatStats) are computed in JS too, from the core's numbers.
import { CONVENTIONS } from "./conventions.js";

// Keras BatchNormalization: moving_var ← decay·moving_var + (1 − decay)·σ²_B,
// σ²_B the biased batch variance (no m/(m−1) factor, unlike PyTorch).
export function kerasMovingVar(movingVar, batchVar, decay) {
  return movingVar.map((v, k) => decay * v + (1 - decay) * batchVar[k]);
}

// Feeds `batches` (arrays of rows) in training to a fresh layer and returns it
// with the running statistics after each batch. `convention` "keras" reads
// momentum as Keras's decay (PyTorch momentum = 1 − decay).
export function replay(bn, { features, convention, eps, momentum, gamma, beta }, batches) {
  const keras = convention === "keras";
  const layer = new bn.BatchNorm1d(features, { eps, momentum: keras ? 1 - momentum : momentum });
  let kVar = new Array(features).fill(1);   // Keras moving_variance starts at 1, as PyTorch's
  const runningVar = () => (keras ? Float32Array.from(kVar) : layer.runningVar);
  const runs = [];
  let lastTrace = null;
  try {
    if (gamma) layer.setParams({ gamma, beta });
    for (const b of batches) {
      layer.train();
      layer.forward(b.flat ? b.flat() : b, b.length);
      lastTrace = layer.trace();
      if (keras) kVar = kerasMovingVar(kVar, lastTrace.var, momentum);
      runs.push({ mean: layer.runningMean, var: runningVar() });
    }
  } catch (e) {
    layer.dispose();
    throw e;
  }
  return { layer, runs, lastTrace, runningVar, keras };
}

// The whole view: forward of the current batch in the chosen mode, the
// running statistics before/after, the backward pass, and both conventions'
// running statistics on the same batches. `inputs` from readInputs().
export function computeView(bn, state, inputs) {
  const { rows, features, x, gamma, beta, eps, momentum } = inputs;
  const grid = toRows(x, rows, features);
  const { layer, runs, runningVar } = replay(bn, { features, convention: state.convention, eps, momentum, gamma, beta },
    state.history);
  try {
    const before = { mean: layer.runningMean, var: runningVar(), batches: state.history.length };
    let trainTrace = null;
    let trainError = null;
    layer.train();
    try {
      layer.forward(x, rows);
      trainTrace = layer.trace();
    } catch (e) {
      trainError = e.message;            // batch of 1: the core's own message
    }
    let after = before;
    if (trainTrace) {
      const keras = state.convention === "keras";
      const kVar = keras ? Float32Array.from(kerasMovingVar(Array.from(before.var), trainTrace.var, momentum)) : null;
      after = { mean: layer.runningMean, var: keras ? kVar : layer.runningVar, batches: before.batches + 1 };
      runs.push({ mean: after.mean, var: after.var });
    }
    const batchMean = trainTrace ? batchMean64(x, rows, features) : null;
    const view = { rows, features, x, gamma, beta, eps, momentum, mode: state.mode, convention: state.convention,
      before, after, runs, trainTrace, trainError, batchGrid: grid, batchMean };
    view.compare = compareConventions(bn, { features, gamma, beta }, trainTrace ? [...state.history, grid] : state.history);
    if (state.mode === "train") {
      if (!trainTrace) return { ...view, error: trainError };
      view.trace = trainTrace;
      view.mean = batchMean;
    } else {
      // Eval normalizes with the running statistics left by the training
      // forwards (all earlier batches and this one, when it could be fed).
      layer.setParams({ runningMean: after.mean, runningVar: after.var });
      layer.eval();
      layer.forward(x, rows);
      view.trace = layer.trace();
      view.mean = Float64Array.from(view.trace.mean);
    }
    view.xhatStats = xhatStats(view.trace.xhat, rows, features);
    if (inputs.backwardOk) Object.assign(view, backward(layer, view, inputs));
    return view;
  } finally {
    layer.dispose();
  }
}

// The backward pass of the core for dy (typed, or ∂/∂y of ½Σ(y − t)²), and
// its intermediates from backwardTrace(): dy, the chain-rule factors dxhat,
// dvar, dmean, and dx, dgamma, dbeta. In eval the statistics are constants:
// the core's dvar and dmean are 0 and the page shows no such step (null).
function backward(layer, view, inputs) {
  const y = view.trace.y;
  const dy = inputs.dy ?? Float64Array.from(y, (v, j) => v - inputs.target[j]);
  const loss = inputs.target ? 0.5 * y.reduce((s, v, j) => s + (v - inputs.target[j]) ** 2, 0) : null;
  layer.backward(dy);
  const t = layer.backwardTrace();
  const fixedStats = view.mode !== "train";
  return { dy: t.dy, target: inputs.target, loss, dx: t.dx, dgamma: t.dgamma, dbeta: t.dbeta,
    dxhat: t.dxhat, dvar: fixedStats ? null : t.dvar, dmean: fixedStats ? null : t.dmean };
}

// Running statistics after the same batches under each convention's defaults.
function compareConventions(bn, { features, gamma, beta }, batches) {
  const out = {};
  for (const [convention, defaults] of Object.entries(CONVENTIONS)) {
    const eps = Number(defaults.eps), momentum = Number(defaults.momentum);
    const r = replay(bn, { features, convention, eps, momentum, gamma, beta }, batches);
    out[convention] = { mean: r.layer.runningMean, var: r.runningVar(), eps, momentum };
    r.layer.dispose();
  }
  return out;
}

function toRows(x, rows, features) {
  return Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * features, (i + 1) * features)));
}

// μ_k = (1/m) Σ_i x_ik over the float32 x the core stores, summed in double.
export function batchMean64(x, rows, features) {
  const mean = new Float64Array(features);
  for (let j = 0; j < rows * features; j++) mean[j % features] += Math.fround(x[j]);
  for (let k = 0; k < features; k++) mean[k] /= rows;
  return mean;
}

// Mean and (biased) variance of each x̂ column, in double from the core's
// x̂: 0 and σ²/(σ² + ε) in training, up to float32 rounding.
export function xhatStats(xhat, rows, features) {
  const mean = new Float64Array(features), variance = new Float64Array(features), absMean = new Float64Array(features);
  for (let j = 0; j < rows * features; j++) { mean[j % features] += xhat[j]; absMean[j % features] += Math.abs(xhat[j]); }
  for (let k = 0; k < features; k++) { mean[k] /= rows; absMean[k] /= rows; }
  for (let j = 0; j < rows * features; j++) variance[j % features] += (xhat[j] - mean[j % features]) ** 2;
  for (let k = 0; k < features; k++) variance[k] /= rows;
  return { mean, var: variance, absMean };
}
