// The numbers of the inference card (inference-view.js): batch norm in eval
// mode as one linear map per feature, y = a·x + b, and folded into a Linear
// layer in front of it, W′ = diag(a)·W, b′ = a·(b_lin − μ) + β.
//
// The batch norm is the stepper's own (its γ, β, ε and the running
// statistics eval uses, view.after), and everything it computes comes from
// the core: a and b are the fold of an identity layer
// (bn.fuseLinearBnEval), W′ and b′ the fold of the Linear layer, the eval
// and train outputs BatchNorm1d.forward. Computed here in JS, as documented
// exceptions: the Linear layer itself (z = W x + b_lin and W′x + b′: a double
// sum of float32 values rounded to float32 once, as a float32 layer that
// accumulates in double) and the map a·x + b in float32 (two roundings, as a
// deployed float32 kernel). Differences are given in ulps: the spacing of
// float32 numbers at the size of the terms each output sums,
// |a|(Σ|W x| + |b_lin| + |μ|) + |β| (for the map, W = I and b_lin = 0).
import { ulp32 } from "./float32.js";
import { parseNumber } from "./cells.js";
import { visible } from "./state.js";
import { mulberry32, nextSeed } from "./random.js";

export const AGREE_ULPS = 4;   // two float32 paths through the same numbers agree within this

const f32 = Math.fround;

// The Linear layer as typed: { weight (features × features, row-major),
// bias, errors (keyed "W:i:k", "linearBias:k"; i, k from 0), ok }.
export function readLinear(state) {
  const shown = visible(state);
  const errors = new Map();
  const read = (key, text) => {
    const r = parseNumber(text);
    if (r.error) errors.set(key, r.error);
    return r.value ?? NaN;
  };
  const weight = Float64Array.from(shown.linearWeight.flatMap((row, i) => row.map((text, k) => read(`W:${i}:${k}`, text))));
  const bias = Float64Array.from(shown.linearBias, (text, k) => read(`linearBias:${k}`, text));
  return { weight, bias, errors, ok: errors.size === 0 };
}

// z_r = W x_r + bias for each of `rows` rows (W: [features, features]),
// from the float32 values the layers store.
export function linearForward(x, rows, weight, bias, features) {
  const z = new Float32Array(rows * features);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < features; i++) {
      let s = f32(bias[i]);
      for (let j = 0; j < features; j++) s += f32(x[r * features + j]) * f32(weight[i * features + j]);
      z[r * features + i] = s;
    }
  }
  return z;
}

// "Random weights": W and b_lin drawn from U(−1/√K, 1/√K), as torch.nn.Linear
// initializes them, rounded to 2 decimals; the seed moves on (a link keeps it).
export function randomizeLinear(state) {
  const seed = nextSeed(state.linearSeed);
  const uniform = mulberry32(seed), bound = 1 / Math.sqrt(state.features);
  const draw = () => {
    const v = Math.round((2 * uniform() - 1) * bound * 100) / 100;
    return String(Object.is(v, -0) ? 0 : v);
  };
  const K = state.features;
  const linearWeight = state.linearWeight.map((row, i) => row.map((text, j) => (i < K && j < K ? draw() : text)));
  const linearBias = state.linearBias.map((text, i) => (i < K ? draw() : text));
  return { ...state, linearSeed: seed, linearWeight, linearBias };
}

const identity = (n) => Float32Array.from({ length: n * n }, (_, j) => (j % (n + 1) === 0 ? 1 : 0));

// A BatchNorm1d with the view's γ, β, ε and the running statistics eval
// uses (view.after), in `mode`.
function layerOf(bn, view, mode) {
  const layer = new bn.BatchNorm1d(view.features, { eps: view.eps });
  try {
    layer.setParams({ gamma: view.gamma, beta: view.beta, runningMean: view.after.mean, runningVar: view.after.var });
  } catch (e) {
    layer.dispose();
    throw e;
  }
  return mode === "eval" ? layer.eval() : layer.train();
}

// Worst of `gaps` (ulps) and its index.
const worst = (gaps) => gaps.reduce((w, g, j) => (g > w.ulps ? { ulps: g, at: j } : w), { ulps: 0, at: 0 });

// { scale, shift, evalY, mapY, mapUlps, mapWorst, fold } for the view, or
// { failure } when the core refused (e.g. a fused value beyond float32).
export function computeInference(bn, view, linear) {
  const { rows, features: K, x } = view;
  let layer;
  try {
    layer = layerOf(bn, view, "eval");
    const map = bn.fuseLinearBnEval({ weight: identity(K), bias: null, inFeatures: K, outFeatures: K }, layer);
    const scale = Float32Array.from({ length: K }, (_, k) => map.weight[k * (K + 1)]);
    const shift = map.bias;
    const evalY = view.mode === "eval" && view.trace ? view.trace.y : layer.forward(x, rows);
    const mapY = Float32Array.from(evalY, (_, j) => f32(f32(scale[j % K] * f32(x[j])) + shift[j % K]));
    const terms = (j) => Math.abs(scale[j % K]) * (Math.abs(f32(x[j])) + Math.abs(view.after.mean[j % K])) + Math.abs(view.beta[j % K]);
    const mapUlps = Float64Array.from(mapY, (v, j) => Math.abs(v - evalY[j]) / ulp32(terms(j)));
    const fold = linear.ok ? foldLinear(bn, layer, view, linear, scale) : { errors: linear.errors };
    return { scale, shift, evalY, mapY, mapUlps, mapWorst: worst(mapUlps), fold };
  } catch (e) {
    return { failure: e.message };
  } finally {
    layer?.dispose();
  }
}

// Both paths on the batch: unfused z = W x + b_lin, then the batch norm in
// the view's mode; fused W′x + b′ from the core's fold.
function foldLinear(bn, evalLayer, view, linear, scale) {
  const { rows, features: K, x } = view;
  const fused = bn.fuseLinearBnEval({ weight: linear.weight, bias: linear.bias, inFeatures: K, outFeatures: K }, evalLayer);
  const z = linearForward(x, rows, linear.weight, linear.bias, K);
  const fusedY = linearForward(x, rows, fused.weight, fused.bias, K);
  let unfusedY = null, unfusedError = null, batchStats = null;
  if (view.mode === "eval") {
    unfusedY = evalLayer.forward(z, rows);
  } else {
    const train = layerOf(bn, view, "train");
    try {
      unfusedY = train.forward(z, rows);
      const t = train.trace();
      batchStats = { mean: t.mean, var: t.var };
    } catch (e) {
      unfusedError = e.message;   // a batch of one: the core's own message
    } finally {
      train.dispose();
    }
  }
  const terms = (r, i) => {
    let s = Math.abs(f32(linear.bias[i])) + Math.abs(view.after.mean[i]);
    for (let j = 0; j < K; j++) s += Math.abs(f32(x[r * K + j]) * f32(linear.weight[i * K + j]));
    return Math.abs(scale[i]) * s + Math.abs(view.beta[i]);
  };
  const ulps = unfusedY ? Float64Array.from(fusedY, (v, e) => Math.abs(v - unfusedY[e]) / ulp32(terms(Math.floor(e / K), e % K))) : null;
  const gap = unfusedY ? fusedY.reduce((m, v, e) => Math.max(m, Math.abs(v - unfusedY[e])), 0) : null;
  return { weight: linear.weight, bias: linear.bias, fusedWeight: fused.weight, fusedBias: fused.bias, z, fusedY,
    unfusedY, unfusedError, batchStats, ulps, worst: ulps ? worst(ulps) : null, gap };
}
