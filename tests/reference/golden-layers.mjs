// The golden cases of the layers beyond BatchNorm1d on 2-D
// (tests/data/golden_{batchnorm,layernorm,groupnorm,instancenorm}.json,
// written by golden_layers.py beside this file) for JavaScript: loading,
// building the layer through the public JS API, replaying a case, and the
// scales float32 rounding is measured against (as
// tests/cpp/test_golden_layers.cpp measures them).
import { readFileSync } from "node:fs";
import { f32, f64, readOutputs } from "./golden.mjs";

export const LAYER_FILES = ["golden_batchnorm.json", "golden_layernorm.json", "golden_groupnorm.json", "golden_instancenorm.json"];

const NAMES = { gamma: "gamma", beta: "beta", running_mean: "runningMean", running_var: "runningVar" };

export function loadLayerGolden() {
  return LAYER_FILES.flatMap((file) => {
    const doc = JSON.parse(readFileSync(new URL(`../data/${file}`, import.meta.url), "utf8"));
    return doc.cases.map((c) => {
      const a = c.args;
      const affine = c.layer === "LayerNorm" ? a.elementwise_affine ?? true : a.affine ?? c.layer !== "InstanceNorm2d";
      const tracks = c.layer.startsWith("BatchNorm") || (c.layer === "InstanceNorm2d" && a.track_running_stats === true);
      return {
        file, name: c.name, layer: c.layer, args: a, affine, tracks, eps: a.eps ?? 1e-5,
        largeOffset: c.large_offset,
        init: Object.fromEntries(Object.entries(c.init).map(([k, v]) => [NAMES[k], f32(v)])),
        steps: c.steps.map((s) => ({
          training: s.mode === "train", shape: s.shape, x: Float32Array.from(s.x), dy: Float32Array.from(s.dy),
          torch: readOutputs(s.torch, f32), truth: readOutputs(s.truth, f64), torchError: s.torch_error,
        })),
      };
    });
  });
}

// The case's layer, built through bn's classes with the case's arguments.
export function makeLayer(bn, c) {
  const a = c.args;
  switch (c.layer) {
    case "BatchNorm1d": return new bn.BatchNorm1d(a.num_features, { eps: a.eps, momentum: a.momentum, affine: a.affine });
    case "BatchNorm2d": return new bn.BatchNorm2d(a.num_features, { eps: a.eps, momentum: a.momentum, affine: a.affine });
    case "LayerNorm": return new bn.LayerNorm(a.normalized_shape, { eps: a.eps, elementwiseAffine: a.elementwise_affine });
    case "GroupNorm": return new bn.GroupNorm(a.num_groups, a.num_channels, { eps: a.eps, affine: a.affine });
    case "InstanceNorm2d":
      return new bn.InstanceNorm2d(a.num_features, { eps: a.eps, momentum: a.momentum, affine: a.affine, trackRunningStats: a.track_running_stats });
    default: throw new Error(`unknown layer ${c.layer}`);
  }
}

// Whether step k normalizes with the statistics of its own input (else with
// the running ones).
export const inputStats = (c, s) => s.training || !c.tracks;

// Runs a case's steps in order. With syncRunningStats, each step starts from
// the running estimates torch held before it (as the C++ golden test does).
export function replayLayer(bn, c, { syncRunningStats = true } = {}) {
  const layer = makeLayer(bn, c);
  try {
    if (Object.keys(c.init).length > 0) layer.setParams(c.init);
    return c.steps.map((s, k) => {
      if (syncRunningStats && k > 0 && c.tracks) {
        const before = c.steps[k - 1].torch;
        layer.setParams({ runningMean: before.runningMean, runningVar: before.runningVar });
      }
      s.training ? layer.train() : layer.eval();
      const y = layer.forward(s.x, s.shape);
      const trace = layer.trace();
      const { dx, dgamma, dbeta } = layer.backward(s.dy);
      return { y, dx, dgamma, dbeta, trace, runningMean: c.tracks ? layer.runningMean : null,
        runningVar: c.tracks ? layer.runningVar : null, numBatchesTracked: c.layer.startsWith("BatchNorm") ? layer.numBatchesTracked : 0 };
    });
  } finally {
    layer.dispose();
  }
}

// For element j of x of `shape`: the statistic it is normalized with and its
// gamma entry, in the row-major order of statsShape / gamma.
export function indexer(c, shape) {
  const N = shape[0], C = shape.length > 1 ? shape[1] : 1;
  const inner = shape.slice(2).reduce((p, d) => p * d, 1);
  const channel = (j) => Math.floor(j / inner) % C, sample = (j) => Math.floor(j / (C * inner));
  switch (c.layer) {
    case "BatchNorm1d": case "BatchNorm2d":
      return { stats: C, stat: channel, param: channel };
    case "LayerNorm": {
      const D = c.args.normalized_shape.reduce((p, d) => p * d, 1);
      return { stats: shape.reduce((p, d) => p * d, 1) / D, stat: (j) => Math.floor(j / D), param: (j) => j % D };
    }
    case "GroupNorm": {
      const G = c.args.num_groups, per = C / G;
      return { stats: N * G, stat: (j) => sample(j) * G + Math.floor(channel(j) / per), param: channel };
    }
    case "InstanceNorm2d": {
      const batched = shape.length === 4, Cn = batched ? C : shape[0], pix = batched ? inner : shape[1] * shape[2];
      const ch = (j) => Math.floor(j / pix) % Cn;
      return { stats: shape.reduce((p, d) => p * d, 1) / pix, stat: (j) => Math.floor(j / pix), param: ch };
    }
    default: throw new Error(`unknown layer ${c.layer}`);
  }
}

// max_j |gamma_j invstd_j dy_j| in float64: the size of the terms dx is
// computed from (where they cancel, float32 rounding is measured against them).
export function dxTermScale(c, k) {
  const s = c.steps[k], ix = indexer(c, s.shape), n = s.x.length;
  const variance = new Float64Array(ix.stats);
  if (inputStats(c, s)) {
    const sum = new Float64Array(ix.stats), count = new Float64Array(ix.stats), sq = new Float64Array(ix.stats);
    for (let j = 0; j < n; j++) { sum[ix.stat(j)] += s.x[j]; count[ix.stat(j)]++; }
    for (let j = 0; j < n; j++) sq[ix.stat(j)] += (s.x[j] - sum[ix.stat(j)] / count[ix.stat(j)]) ** 2;
    for (let q = 0; q < ix.stats; q++) variance[q] = sq[q] / count[q];
  } else {
    const running = k > 0 ? c.steps[k - 1].torch.runningVar : c.init.runningVar;
    for (let q = 0; q < ix.stats; q++) variance[q] = running ? running[q % running.length] : 1;
  }
  let scale = 0;
  for (let j = 0; j < n; j++) {
    const g = c.affine && c.init.gamma ? c.init.gamma[ix.param(j)] : 1;
    scale = Math.max(scale, Math.abs(g * s.dy[j]) / Math.sqrt(variance[ix.stat(j)] + c.eps));
  }
  return scale;
}

// The statsShape trace() must report for x of `shape`.
export function expectedStatsShape(c, shape) {
  switch (c.layer) {
    case "BatchNorm1d": case "BatchNorm2d": return [c.args.num_features];
    case "LayerNorm": {
      const lead = shape.slice(0, shape.length - c.args.normalized_shape.length);
      return lead.length ? lead : [1];
    }
    case "GroupNorm": return [shape[0], c.args.num_groups];
    case "InstanceNorm2d": return shape.length === 4 ? [shape[0], shape[1]] : [shape[0]];
    default: throw new Error(`unknown layer ${c.layer}`);
  }
}
