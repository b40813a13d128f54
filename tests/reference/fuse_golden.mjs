// The golden fold cases of tests/data/golden_fuse.json (make_golden_fuse.py
// beside this file) for JavaScript, and what tests/js/fuse.test.mjs and
// fuse_accuracy.mjs share: replaying a case through bn.fuseLinearBnEval /
// bn.fuseConvBnEval, the float32 ulp, the error measures, a tiny Linear and
// Conv2d, and the two paths (unfused: layer then batch norm in eval; fused)
// on one batch.
import { readFileSync } from "node:fs";
import { randomArray } from "../js/test-data.mjs";

export const GOLDEN_FUSE_PATH = new URL("../data/golden_fuse.json", import.meta.url);

export function loadGoldenFuse() {
  return JSON.parse(readFileSync(GOLDEN_FUSE_PATH, "utf8")).cases;
}

// The spacing of float32 numbers at |v| (2^-149 below the normal range).
export function ulp32(v) {
  const a = Math.abs(Math.fround(v));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

// A BatchNorm1d (Linear cases) or BatchNorm2d (Conv2d cases) in eval mode
// holding the case's statistics and parameters.
export function evalLayer(bn, c) {
  const Layer = c.kind === "conv" ? bn.BatchNorm2d : bn.BatchNorm1d;
  const layer = new Layer(c.outFeatures, { eps: c.eps, affine: c.affine });
  layer.setParams({ runningMean: c.runningMean, runningVar: c.runningVar, ...(c.affine ? { gamma: c.gamma, beta: c.beta } : {}) });
  return layer.eval();
}

export function fuseCase(bn, c, layer) {
  return c.kind === "conv"
    ? bn.fuseConvBnEval({ weight: c.weight, bias: c.bias, inChannels: c.inFeatures, outChannels: c.outFeatures, kernelSize: c.kernelSize }, layer)
    : bn.fuseLinearBnEval({ weight: c.weight, bias: c.bias, inFeatures: c.inFeatures, outFeatures: c.outFeatures }, layer);
}

// |a_k| (|b_k| + |μ_k|) + |β_k|: the size of the terms summed into b'_k.
function biasTerms(c, k) {
  const gamma = c.affine ? c.gamma[k] : 1, beta = c.affine ? c.beta[k] : 0;
  const a = gamma / Math.sqrt(c.runningVar[k] + c.eps);
  return Math.abs(a) * (Math.abs(c.bias ? c.bias[k] : 0) + Math.abs(c.runningMean[k])) + Math.abs(beta);
}

// Worst errors of one fused result, in float32 ulps: ours against the
// float64 truth (ulps of the true value), torch against the truth and ours
// against torch (ulps of the value, for the bias of its terms' size).
export function fuseErrors(c, fused) {
  const e = { ours: 0, torch: 0, oursVsTorch: 0 };
  const take = (ours, torch, truth, scale) => {
    e.ours = Math.max(e.ours, Math.abs(ours - truth) / ulp32(truth));
    e.torch = Math.max(e.torch, Math.abs(torch - truth) / ulp32(scale));
    e.oursVsTorch = Math.max(e.oursVsTorch, Math.abs(ours - torch) / ulp32(scale));
  };
  fused.weight.forEach((v, i) => take(v, c.torch.weight[i], c.truth.weight[i], c.truth.weight[i]));
  fused.bias.forEach((v, k) => take(v, c.torch.bias[k], c.truth.bias[k], Math.max(Math.abs(c.truth.bias[k]), biasTerms(c, k))));
  return e;
}

// z = x Wᵀ + b for m rows (W: [out, in]); each output a double sum rounded to float32 once.
export function linear(x, m, weight, bias, inF, outF) {
  const z = new Float32Array(m * outF);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < outF; k++) {
      let s = bias ? bias[k] : 0;
      for (let j = 0; j < inF; j++) s += x[i * inF + j] * weight[k * inF + j];
      z[i * outF + k] = s;
    }
  }
  return z;
}

// Valid 2-D convolution, stride 1, NCHW in and out (what a BatchNorm2d takes).
export function conv2d(x, weight, bias, { n, inC, outC, h, w, kh, kw }) {
  const oh = h - kh + 1, ow = w - kw + 1;
  const z = new Float32Array(n * oh * ow * outC);
  for (let s = 0; s < n; s++) {
    for (let o = 0; o < outC; o++) {
      for (let r = 0; r < oh; r++) {
        for (let c = 0; c < ow; c++) {
          let sum = bias ? bias[o] : 0;
          for (let i = 0; i < inC; i++) {
            for (let u = 0; u < kh; u++) {
              for (let v = 0; v < kw; v++) sum += x[((s * inC + i) * h + r + u) * w + c + v] * weight[((o * inC + i) * kh + u) * kw + v];
            }
          }
          z[((s * outC + o) * oh + r) * ow + c] = sum;
        }
      }
    }
  }
  return z;
}

// A batch norm layer (norm.make()) with random γ, β and running statistics
// from three training batches made by `batch()`; norm.shape(z): what
// forward takes with z, norm.channel(e): the channel of element e.
function trainedLayer(bn, norm, channels, seed, batch) {
  const layer = norm.make(bn, channels);
  layer.setParams({ gamma: randomArray(channels, seed + 1, { offset: 1, scale: 0.8 }), beta: randomArray(channels, seed + 2) });
  for (let t = 0; t < 3; t++) {
    const z = batch(seed + 10 + t);
    layer.forward(z, norm.shape(z));
  }
  return layer;
}

// Runs the unfused path (z = layer(x), then the batch norm in eval and in
// train mode) and the fused one on one batch. Returns the worst eval gap in
// float32 ulps of the size of each output's terms (|a|(Σ|W x| + |b| + |μ|) + |β|),
// and the worst train-mode gap (absolute).
function comparePaths(bn, { norm, channels, seed, forward, fuse, terms }) {
  const layer = trainedLayer(bn, norm, channels, seed, (s) => forward(s).z);
  try {
    const { x, z } = forward(seed + 99);
    layer.eval();
    const fused = fuse(layer);
    const mean = layer.runningMean, beta = layer.beta;
    const a = layer.gamma.map((g, k) => g / Math.sqrt(layer.runningVar[k] + layer.eps));
    const folded = forward(seed + 99, fused).z;
    const evalY = layer.forward(z, norm.shape(z));
    layer.train();
    const trainY = layer.forward(z, norm.shape(z));
    let evalUlps = 0, trainGap = 0;
    const sizes = terms(x);
    for (let e = 0; e < z.length; e++) {
      const k = norm.channel(e);
      const scale = Math.abs(a[k]) * (sizes.terms[e] + Math.abs(sizes.bias[k]) + Math.abs(mean[k])) + Math.abs(beta[k]);
      evalUlps = Math.max(evalUlps, Math.abs(evalY[e] - folded[e]) / ulp32(scale));
      trainGap = Math.max(trainGap, Math.abs(trainY[e] - folded[e]));
    }
    return { evalUlps, trainGap };
  } finally {
    layer.dispose();
  }
}

// Linear(5 → 4) → BatchNorm1d(4), 16 rows.
export function linearPaths(bn, seed) {
  const inF = 5, outF = 4, m = 16;
  const weight = randomArray(inF * outF, seed), bias = randomArray(outF, seed + 3);
  const forward = (s, fused) => {
    const x = randomArray(m * inF, s, { offset: 1, scale: 3 });
    return { x, z: fused ? linear(x, m, fused.weight, fused.bias, inF, outF) : linear(x, m, weight, bias, inF, outF) };
  };
  const fuse = (layer) => bn.fuseLinearBnEval({ weight, bias, inFeatures: inF, outFeatures: outF }, layer);
  const terms = (x) => ({ terms: linear(x.map(Math.abs), m, weight.map(Math.abs), null, inF, outF), bias });
  const norm = { make: (b, c) => new b.BatchNorm1d(c, { momentum: 0.3 }), shape: (z) => z.length / outF, channel: (e) => e % outF };
  return comparePaths(bn, { norm, channels: outF, seed, forward, fuse, terms });
}

// Conv2d(2 → 3, 3×3) → BatchNorm2d(3), 3 images 5×6.
export function convPaths(bn, seed) {
  const shape = { n: 3, inC: 2, outC: 3, h: 5, w: 6, kh: 3, kw: 3 };
  const weight = randomArray(shape.outC * shape.inC * 9, seed, { scale: 0.6 }), bias = randomArray(shape.outC, seed + 3);
  const forward = (s, fused) => {
    const x = randomArray(shape.n * shape.inC * shape.h * shape.w, s, { offset: 1, scale: 3 });
    return { x, z: fused ? conv2d(x, fused.weight, fused.bias, shape) : conv2d(x, weight, bias, shape) };
  };
  const fuse = (layer) => bn.fuseConvBnEval({ weight, bias, inChannels: shape.inC, outChannels: shape.outC, kernelSize: [3, 3] }, layer);
  const terms = (x) => ({ terms: conv2d(x.map(Math.abs), weight.map(Math.abs), null, shape), bias });
  const [oh, ow] = [shape.h - shape.kh + 1, shape.w - shape.kw + 1];
  const norm = { make: (b, c) => new b.BatchNorm2d(c, { momentum: 0.3 }), shape: () => [shape.n, shape.outC, oh, ow],
    channel: (e) => Math.floor(e / (oh * ow)) % shape.outC };
  return comparePaths(bn, { norm, channels: shape.outC, seed, forward, fuse, terms });
}
