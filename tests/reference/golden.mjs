// The golden cases of tests/data/golden.json (see make_golden.py beside this
// file) for JavaScript: loading, replaying a case through the public JS API,
// and the error measures shared by tests/js/golden.test.mjs and accuracy.mjs.
import { readFileSync } from "node:fs";

export const GOLDEN_PATH = new URL("../data/golden.json", import.meta.url);

// Float32 values are stored as the shortest decimals that read back to the
// float32 through a double: Math.fround restores them exactly.
export const f32 = (values) => Float64Array.from(values, Math.fround);
export const f64 = (values) => Float64Array.from(values);

export function readOutputs(o, toNumbers) {
  const out = { numBatchesTracked: o.num_batches_tracked };
  for (const [from, to] of [["y", "y"], ["dx", "dx"], ["dgamma", "dgamma"], ["dbeta", "dbeta"],
    ["running_mean", "runningMean"], ["running_var", "runningVar"]]) {
    out[to] = o[from] ? toNumbers(o[from]) : null;
  }
  return out;
}

export function loadGolden() {
  const doc = JSON.parse(readFileSync(GOLDEN_PATH, "utf8"));
  return doc.cases.map((c) => ({
    name: c.name,
    features: c.features,
    eps: c.eps,
    momentum: c.momentum,
    affine: c.affine,
    largeOffset: c.large_offset,
    init: {
      gamma: c.init.gamma ? f32(c.init.gamma) : undefined,
      beta: c.init.beta ? f32(c.init.beta) : undefined,
      runningMean: c.init.running_mean ? f32(c.init.running_mean) : undefined,
      runningVar: c.init.running_var ? f32(c.init.running_var) : undefined,
    },
    steps: c.steps.map((s) => ({
      training: s.mode === "train",
      batch: s.batch,
      x: Float32Array.from(s.x),
      dy: Float32Array.from(s.dy),
      torch: readOutputs(s.torch, f32),
      truth: readOutputs(s.truth, f64),
      torchError: s.torch_error,   // { y: { normwise, elementwise }, dx: { ... } }
    })),
  }));
}

// Runs a case's steps in order through bn.BatchNorm1d (the API of
// docs/api.md). With syncRunningStats, each step starts from the running
// estimates torch held before it: the float32 state the truth of that step
// starts from (as tests/cpp/test_golden.cpp does).
export function replay(bn, c, { syncRunningStats = true } = {}) {
  const layer = new bn.BatchNorm1d(c.features, { eps: c.eps, momentum: c.momentum, affine: c.affine });
  try {
    const init = Object.fromEntries(Object.entries(c.init).filter(([, v]) => v !== undefined));
    if (Object.keys(init).length > 0) layer.setParams(init);
    return c.steps.map((s, k) => {
      if (syncRunningStats && k > 0) {
        const before = c.steps[k - 1].torch;
        layer.setParams({ runningMean: before.runningMean, runningVar: before.runningVar });
      }
      s.training ? layer.train() : layer.eval();
      const y = layer.forward(s.x, s.batch);
      const { dx, dgamma, dbeta } = layer.backward(s.dy);
      return { y, dx, dgamma, dbeta, runningMean: layer.runningMean, runningVar: layer.runningVar,
        numBatchesTracked: layer.numBatchesTracked };
    });
  } finally {
    layer.dispose();
  }
}

export function maxAbs(t) {
  let s = 0;
  for (const v of t) s = Math.max(s, Math.abs(v));
  return s;
}

export function maxDiff(a, t) {
  let d = 0;
  for (let i = 0; i < t.length; i++) d = Math.max(d, Math.abs(a[i] - t[i]));
  return d;
}

// Normwise relative error: max_i |a_i - t_i| / max_i |t_i| (absolute when t = 0).
export function normwise(a, t) {
  const scale = maxAbs(t);
  return scale > 0 ? maxDiff(a, t) / scale : maxDiff(a, t);
}

// Elementwise relative error with a floor:
// max_i |a_i - t_i| / max(|t_i|, floor * max_j |t_j|).
export function elementwise(a, t, floor = 1e-3) {
  const low = floor * maxAbs(t);
  let worst = 0;
  for (let i = 0; i < t.length; i++) {
    const denom = Math.max(Math.abs(t[i]), low) || 1;
    worst = Math.max(worst, Math.abs(a[i] - t[i]) / denom);
  }
  return worst;
}

// The size of the terms dx is computed from, max_ik |gamma_k invstd_k dy_ik|:
// with batch 2, dx cancels to O(eps / var) of them, so float32 rounding is
// measured against them rather than against |dx|.
export function dxTermScale(c, k) {
  const s = c.steps[k], n = c.features, m = s.batch;
  let scale = 0;
  for (let f = 0; f < n; f++) {
    let v;
    if (s.training) {
      let mean = 0, sq = 0;
      for (let i = 0; i < m; i++) mean += s.x[i * n + f];
      mean /= m;
      for (let i = 0; i < m; i++) sq += (s.x[i * n + f] - mean) ** 2;
      v = sq / m;
    } else {
      v = k > 0 ? c.steps[k - 1].torch.runningVar[f] : (c.init.runningVar?.[f] ?? 1);
    }
    const gamma = c.affine ? (c.init.gamma?.[f] ?? 1) : 1;
    for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(gamma * s.dy[i * n + f]) / Math.sqrt(v + c.eps));
  }
  return scale;
}

// Eval step k: max_ik |x_ik - running_mean_k| <= 1e-3 max_ik |x_ik| with the
// running mean torch held before the step, i.e. the offset cancels in y.
export function runningMeanWithinNoise(c, k) {
  const s = c.steps[k];
  if (s.training || k === 0) return false;
  const mean = c.steps[k - 1].torch.runningMean;
  let gap = 0, size = 0;
  s.x.forEach((v, j) => {
    gap = Math.max(gap, Math.abs(v - mean[j % c.features]));
    size = Math.max(size, Math.abs(v));
  });
  return gap <= 1e-3 * size;
}

// |ours - truth| <= rel * scale, and element by element no farther from torch
// float32 than torch is from the truth plus that rounding (tests/js/golden*.test.mjs).
export function checkArray(assert, what, ours, torch, truth, rel, scale) {
  assert.equal(ours.length, truth.length, `${what}: length`);
  const allowed = rel * (scale > 0 ? scale : 1);
  const off = maxDiff(ours, truth);
  assert.ok(off <= allowed, `${what}: max |ours - truth| = ${off.toExponential(3)} > ${allowed.toExponential(3)}`);
  const torchOff = maxDiff(torch, truth);
  const gap = maxDiff(ours, torch);
  assert.ok(gap <= torchOff + allowed,
    `${what}: max |ours - torch| = ${gap.toExponential(3)} > ${(torchOff + allowed).toExponential(3)}`);
}
