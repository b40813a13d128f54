// A float64 reference of every normalization layer beyond BatchNorm1d's
// rows (BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d: torch.nn's
// semantics, docs/api.md "More normalization layers"), for the fuzz suite:
// statistics over the elements a layout groups together, gamma / beta per
// parameter index, running statistics where tracked, each value with the
// error bound of the float32 core (the same bounds, and the same reasons,
// as reference.mjs: one C++ core serves every layer). Where gamma varies
// inside a statistic (LayerNorm, GroupNorm) the core forms g = gamma * dy
// first: dx = invstd (g - mean(g) - xhat mean(g xhat)), one more rounding.
import { U, TINY, FLT_MAX } from "./reference.mjs";

// x of `total` elements; element j belongs to statistic stat(j) and uses
// gamma / beta entry param(j). Each statistic's first element (in index
// order) is the shift of the core's one-pass sums.
export function layoutOf(total, stats, stat, param) {
  const statOf = new Int32Array(total), paramOf = new Int32Array(total);
  const count = new Float64Array(stats), first = new Int32Array(stats).fill(-1);
  for (let j = 0; j < total; j++) {
    const q = stat(j);
    statOf[j] = q;
    paramOf[j] = param(j);
    count[q]++;
    if (first[q] < 0) first[q] = j;
  }
  const paramCount = new Float64Array(Math.max(0, ...paramOf) + 1);
  for (let j = 0; j < total; j++) paramCount[paramOf[j]]++;
  return { total, stats, statOf, paramOf, count, first, paramCount };
}

// state: gamma, beta (null without affine), params (their length),
// runningMean, runningVar (statistic q uses entry q % length), eps,
// momentum, numBatchesTracked, useInput (normalize with x's statistics),
// update (a training forward that moves the running statistics), counted
// (numBatchesTracked grows: BatchNorm).
export function normForwardRef(x, layout, state) {
  const { total, stats, statOf, paramOf, count, first } = layout, { eps, useInput } = state;
  const gamma = state.gamma ?? new Float64Array(state.params).fill(1), beta = state.beta ?? new Float64Array(state.params);
  const mean = new Float64Array(stats), vars = new Float64Array(stats), dMean = new Float64Array(stats), dVar = new Float64Array(stats);
  if (useInput) {
    for (let j = 0; j < total; j++) mean[statOf[j]] += x[j];
    for (let q = 0; q < stats; q++) mean[q] /= count[q];
    for (let j = 0; j < total; j++) {
      const q = statOf[j], d = x[j] - x[first[q]];
      vars[q] += (x[j] - mean[q]) ** 2;
      dMean[q] += Math.abs(d);
      dVar[q] += d * d;
    }
    for (let q = 0; q < stats; q++) {
      vars[q] /= count[q];
      dMean[q] = U * dMean[q] / count[q];
      dVar[q] = 4 * U * dVar[q] / count[q];
    }
  } else {
    const r = state.runningMean.length;
    for (let q = 0; q < stats; q++) { mean[q] = state.runningMean[q % r]; vars[q] = state.runningVar[q % r]; }
  }
  const invstd = Float64Array.from(vars, (v) => 1 / Math.sqrt(v + eps));
  const xhat = new Float64Array(total), dXhat = new Float64Array(total), y = new Float64Array(total), yBound = new Float64Array(total);
  for (let j = 0; j < total; j++) {
    const q = statOf[j], p = paramOf[j], c = x[j] - mean[q];
    xhat[j] = c * invstd[q];
    dXhat[j] = invstd[q] * (dMean[q] + 3 * U * Math.abs(c) + TINY) + Math.abs(xhat[j]) * (U + dVar[q] / (2 * (vars[q] + eps))) + TINY;
    y[j] = gamma[p] * xhat[j] + beta[p];
    yBound[j] = Math.abs(gamma[p]) * dXhat[j] + 3 * U * (Math.abs(gamma[p] * xhat[j]) + Math.abs(beta[p])) + TINY * Math.abs(c);
  }
  const out = { y, yBound, update: state.update, counted: state.counted,
    saved: { x, layout, mean, vars, dMean, dVar, invstd, xhat, dXhat, gamma, eps, useInput } };
  if (state.update) {
    const nbt = state.numBatchesTracked + (state.counted ? 1 : 0), f = state.momentum ?? 1 / nbt, r = state.runningMean.length;
    if (state.counted) out.numBatchesTracked = nbt;
    const per = stats / r, m = count[0], avg = (a, k) => { let s = 0; for (let q = k; q < stats; q += r) s += a[q]; return s / per; };
    const old = (a, k) => Math.abs((1 - f) * a[k]);
    out.runningMean = Float64Array.from({ length: r }, (_, k) => (1 - f) * state.runningMean[k] + f * avg(mean, k));
    out.runningMeanBound = Float64Array.from({ length: r }, (_, k) => f * avg(dMean, k) + 2 * U * (old(state.runningMean, k) + Math.abs(f * avg(mean, k))));
    out.runningVar = Float64Array.from({ length: r }, (_, k) => (1 - f) * state.runningVar[k] + f * avg(vars, k) * m / (m - 1));
    out.runningVarBound = Float64Array.from({ length: r }, (_, k) => f * avg(dVar, k) * m / (m - 1) +
      2 * U * (old(state.runningVar, k) + Math.abs(f * avg(vars, k) * m / (m - 1))));
  }
  return out;
}

// The gradients of the forward that returned `saved`, for dy (float32 values).
export function normBackwardRef(saved, dy) {
  const { layout, invstd, xhat, dXhat, gamma, useInput, vars, dVar, eps } = saved, { total, stats, statOf, paramOf, count } = layout;
  const n = gamma.length;
  const dgamma = new Float64Array(n), dbeta = new Float64Array(n), absDy = new Float64Array(n), spread = new Float64Array(n), absDyXhat = new Float64Array(n);
  const s1 = new Float64Array(stats), s2 = new Float64Array(stats), sSpread = new Float64Array(stats), sAbs = new Float64Array(stats);
  for (let j = 0; j < total; j++) {
    const p = paramOf[j], q = statOf[j], g = gamma[p] * dy[j];
    dbeta[p] += dy[j];
    dgamma[p] += dy[j] * xhat[j];
    absDy[p] += Math.abs(dy[j]);
    spread[p] += Math.abs(dy[j]) * dXhat[j];
    absDyXhat[p] += Math.abs(dy[j] * xhat[j]);
    s1[q] += g;
    s2[q] += g * xhat[j];
    sSpread[q] += Math.abs(g) * dXhat[j];
    sAbs[q] += Math.abs(g * xhat[j]);
  }
  const dbetaBound = Float64Array.from(absDy, (a) => 2 * U * a);
  const dgammaBound = Float64Array.from(spread, (s, p) => s + 2 * U * Math.abs(dgamma[p]) + U * absDyXhat[p]);
  const dx = new Float64Array(total), dxBound = new Float64Array(total);
  for (let j = 0; j < total; j++) {
    const q = statOf[j], m = count[q], gp = gamma[paramOf[j]], g = gp * dy[j];
    const k1 = useInput ? s1[q] / m : 0, k2 = useInput ? s2[q] / m : 0;
    const dK2 = useInput ? (sSpread[q] + 2 * U * Math.abs(s2[q]) + U * sAbs[q]) / m : 0;
    const relVar = useInput ? dVar[q] / (2 * (vars[q] + eps)) : 0;
    const inner = g - k1 - xhat[j] * k2;
    dx[j] = invstd[q] * inner;
    dxBound[j] = invstd[q] * (2 * U * (Math.abs(g) + Math.abs(k1) + Math.abs(xhat[j] * k2)) + U * Math.abs(g) + dXhat[j] * Math.abs(k2) +
      Math.abs(xhat[j]) * dK2 + Math.abs(inner) * (3 * U + relVar) + 3 * TINY * Math.max(1, Math.abs(gp))) +
      TINY * (2 + Math.abs(inner) + (gp !== 0 ? Math.abs(inner / gp) : 0));   // (+ TINY |inner / gamma|: gamma * invstd may be a denormal)
  }
  return { dx, dxBound, dgamma, dgammaBound, dbeta, dbetaBound };
}

// Whether the core's float32 arithmetic may overflow where the float64
// reference does not (KNOWN 11.5), as BatchNorm1d's forwardEdge: per
// statistic, x - shift, x - mean, 1 / sqrt(var + eps), gamma / sqrt(var + eps).
export function normForwardEdge(x, layout, state) {
  const { total, stats, statOf, paramOf, count, first } = layout;
  const lo = new Float64Array(stats).fill(Infinity), hi = new Float64Array(stats).fill(-Infinity), g = new Float64Array(stats);
  for (let j = 0; j < total; j++) {
    const q = statOf[j];
    lo[q] = Math.min(lo[q], x[j]);
    hi[q] = Math.max(hi[q], x[j]);
    g[q] = Math.max(g[q], state.gamma ? Math.abs(state.gamma[paramOf[j]]) : 1);
  }
  for (let q = 0; q < stats; q++) {
    const r = state.useInput ? 0 : q % state.runningMean.length;
    const center = state.useInput ? x[first[q]] : state.runningMean[r];
    const reach = Math.max(Math.abs(hi[q] - center), Math.abs(lo[q] - center), hi[q] - lo[q]);
    const spread = state.useInput ? ((hi[q] - lo[q]) / 2) ** 2 / count[q] : state.runningVar[r];
    const root = Math.sqrt(spread + state.eps);
    if (reach > FLT_MAX / 4 || 1 / root > FLT_MAX / 1e6 || g[q] * reach / root > FLT_MAX / 16 || g[q] / root > FLT_MAX / 16) return "11.5";
  }
  return null;
}

// ... and backward's: a gradient sum, or gamma * dy, past float32.
export function normBackwardEdge(saved, dy) {
  const { layout: { statOf, paramOf, count, paramCount }, xhat, invstd, gamma } = saved;
  const big = dy.some((v, j) => {
    const q = statOf[j], m = Math.max(count[q], paramCount[paramOf[j]]), g = Math.abs(gamma[paramOf[j]]);
    return Math.abs(v * xhat[j]) * m > FLT_MAX / 64 || Math.abs(v) * m * invstd[q] * g > FLT_MAX / 64 || Math.abs(v) * g > FLT_MAX / 64;
  });
  return big ? "11.5" : null;
}
