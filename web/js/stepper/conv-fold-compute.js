// The numbers of "Fold a Conv2d into this BatchNorm2d" (conv-fold-view.js,
// in the normalization lab when BatchNorm2d is chosen): a Conv2d
// z = W ∗ x + b (C_in → C_out channels, a k×k kernel, stride 1, padding
// (k − 1)/2 so z keeps H×W) on the lab's image batch, then a BatchNorm2d
// over z's channels, and the same two layers folded into one Conv2d:
//   a_o = γ_o/√(σ²_run,o + ε),  b_o = β_o − a_o·μ_run,o         (the eval map)
//   W′[o, c, u, v] = a_o·W[o, c, u, v],  b′_o = a_o·(b_o − μ_run,o) + β_o
// The running statistics are those of CONV_FORWARDS training forwards of
// the BatchNorm2d on this batch's z (momentum CONV_MOMENTUM, from 0 and 1).
//
// Everything the batch norm computes comes from the core (bn.BatchNorm2d):
// the running statistics, both outputs of the unfused path (eval, and train
// with the batch's statistics), a and b (the fold of an identity 1×1 conv)
// and W′, b′ (bn.fuseConvBnEval). The convolution itself is computed here,
// as the Linear fold's layer is (fold-compute.js): each output a double sum
// of float32 products, rounded to float32 once. Differences are in ulps of
// the terms each output sums, |a_o|(Σ|W||x| + |b_o| + |μ_run,o|) + |β_o|.
import { ulp32 } from "./float32.js";
import { mulberry32, nextSeed } from "./random.js";
import { LAB_EPS } from "./lab-compute.js";

export const CONV_FORWARDS = 3;
export const CONV_MOMENTUM = 0.1;
export const KERNEL_SIZES = [1, 3];
export const CONV_OUT_LIMITS = { min: 1, max: 4 };

const f32 = Math.fround;
const round2 = (v) => { const r = Math.round(v * 100) / 100; return Object.is(r, -0) ? 0 : r; };

// The conv and the batch norm's affine parameters, drawn from `seed` (a
// link reopens the same numbers): W and b from U(−1/√fan_in, 1/√fan_in) as
// torch.nn.Conv2d initializes them (fan_in = C_in·k·k), γ from U(0.5, 1.5),
// β from U(−0.5, 0.5); each rounded to 2 decimals. The first draws are the
// same whatever the shape, so the numbers stay put for a given seed.
export function convParams(seed, { inC, outC, k }) {
  const uniform = mulberry32(nextSeed(seed + 104729));
  const bound = 1 / Math.sqrt(inC * k * k);
  const draw = (lo, hi) => round2(lo + (hi - lo) * uniform());
  const weight = Float64Array.from({ length: outC * inC * k * k }, () => draw(-bound, bound));
  const bias = Float64Array.from({ length: outC }, () => draw(-bound, bound));
  const gamma = Float64Array.from({ length: outC }, () => draw(0.5, 1.5));
  const beta = Float64Array.from({ length: outC }, () => draw(-0.5, 0.5));
  return { inC, outC, k, weight, bias, gamma, beta };
}

// The conv of the state: C_in from the lab's image, k and C_out chosen.
export const convOf = (state) => convParams(state.convSeed, { inC: state.imageShape[1], outC: state.convOut, k: state.convKernel });

// z = W ∗ x + b on x [N, C_in, H, W] (NCHW, row-major), padding (k − 1)/2:
// a Float32Array [N, C_out, H, W]. abs: the sum of |terms| instead (for ulps).
export function conv2dSame(x, [N, C, H, W], { weight, bias, outC, k }, { abs = false } = {}) {
  const p = (k - 1) / 2;
  const z = new Float32Array(N * outC * H * W);
  const val = abs ? (v) => Math.abs(f32(v)) : f32;
  for (let n = 0; n < N; n++) for (let o = 0; o < outC; o++) for (let r = 0; r < H; r++) for (let s = 0; s < W; s++) {
    let sum = bias ? val(bias[o]) : 0;
    for (let c = 0; c < C; c++) for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) {
      const rr = r + u - p, ss = s + v - p;
      if (rr >= 0 && rr < H && ss >= 0 && ss < W) sum += val(x[((n * C + c) * H + rr) * W + ss]) * val(weight[((o * C + c) * k + u) * k + v]);
    }
    z[((n * outC + o) * H + r) * W + s] = abs ? sum : f32(sum);
  }
  return abs ? Float64Array.from(z) : z;
}

const identity = (n) => Float32Array.from({ length: n * n }, (_, j) => (j % (n + 1) === 0 ? 1 : 0));
const copy32 = (a) => Float32Array.from(a);
const worst = (gaps) => gaps.reduce((w, g, j) => (g > w.ulps ? { ulps: g, at: j } : w), { ulps: 0, at: 0 });

// A BatchNorm2d over the conv's channels with its γ, β (and, when given, running statistics).
function batchNorm(bn, conv, running) {
  const layer = new bn.BatchNorm2d(conv.outC, { eps: LAB_EPS, momentum: CONV_MOMENTUM });
  try {
    layer.setParams({ gamma: conv.gamma, beta: conv.beta, ...(running ? { runningMean: running.mean, runningVar: running.var } : {}) });
  } catch (e) {
    layer.dispose();
    throw e;
  }
  return layer;
}

// Both paths on the batch x [N, C_in, H, W] in `mode`: { conv, shape (z's), z,
// running { mean, var, fed, error }, scale, shift, fusedWeight, fusedBias,
// fusedY, unfusedY, unfusedError, batchStats, ulps, worst, gap } or { failure }.
export function computeConvFold(bn, { x, shape, conv, mode }) {
  const [N, , H, W] = shape;
  const zShape = [N, conv.outC, H, W];
  const z = conv2dSame(x, shape, conv);
  let layer;
  try {
    layer = batchNorm(bn, conv, null).train();
    const running = { fed: 0, error: null };
    try {
      for (let i = 0; i < CONV_FORWARDS; i++) { layer.forward(z, zShape); running.fed++; }
    } catch (e) {
      running.error = e.message;   // N·H·W = 1: the core's (PyTorch's) message; the statistics stay at 0 and 1
    }
    running.mean = copy32(layer.runningMean);
    running.var = copy32(layer.runningVar);
    layer.eval();
    const map = bn.fuseConvBnEval({ weight: identity(conv.outC), bias: null, inChannels: conv.outC, outChannels: conv.outC, kernelSize: [1, 1] }, layer);
    const scale = Float32Array.from({ length: conv.outC }, (_, o) => map.weight[o * (conv.outC + 1)]);
    const shift = copy32(map.bias);
    const fused = bn.fuseConvBnEval({ weight: conv.weight, bias: conv.bias, inChannels: conv.inC, outChannels: conv.outC,
      kernelSize: [conv.k, conv.k] }, layer);
    const fusedWeight = copy32(fused.weight), fusedBias = copy32(fused.bias);
    const fusedY = conv2dSame(x, shape, { weight: fusedWeight, bias: fusedBias, outC: conv.outC, k: conv.k });
    let unfusedY = null, unfusedError = null, batchStats = null;
    if (mode === "eval") unfusedY = copy32(layer.forward(z, zShape));
    else {
      const train = batchNorm(bn, conv, running).train();
      try {
        unfusedY = copy32(train.forward(z, zShape));
        const t = train.trace();
        batchStats = { mean: copy32(t.mean), var: copy32(t.var) };
      } catch (e) {
        unfusedError = e.message;
      } finally {
        train.dispose();
      }
    }
    const absSum = conv2dSame(x, shape, conv, { abs: true });
    const per = H * W;
    const terms = (e) => { const o = Math.floor(e / per) % conv.outC; return Math.abs(scale[o]) * (absSum[e] + Math.abs(running.mean[o])) + Math.abs(f32(conv.beta[o])); };
    const ulps = unfusedY ? Float64Array.from(fusedY, (v, e) => Math.abs(v - unfusedY[e]) / ulp32(terms(e))) : null;
    const gap = unfusedY ? fusedY.reduce((m, v, e) => Math.max(m, Math.abs(v - unfusedY[e])), 0) : null;
    return { mode, conv, shape: zShape, z, running, scale, shift, fusedWeight, fusedBias, fusedY, unfusedY, unfusedError, batchStats,
      ulps, worst: ulps ? worst(ulps) : null, gap };
  } catch (e) {
    return { failure: e.message };
  } finally {
    layer?.dispose();
  }
}
