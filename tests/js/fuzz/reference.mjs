// A float64 reference of BatchNorm1d (torch.nn.BatchNorm1d semantics, the
// formulas of docs/api.md) for the fuzz suite, with an error bound for
// every value it returns: how far the float32 core may be from it.
//
// Why these bounds (u = 2^-24, float32's unit roundoff; the core's steps
// are those of cpp/src/batchnorm*.cpp):
//   training statistics: d = x - x0 is rounded to float32 (error u|d|), then
//     summed in double: |dmean| <= u * sum|d| / m, |dvar| <= 4u * sum d^2 / m;
//   x-hat = ((x - mean_hi) - mean_lo) * invstd: two float32 subtractions and
//     invstd rounded once: |dxhat| <= invstd (|dmean| + 3u |x - mean|)
//     + |xhat| (u + |dvar| / (2 (var + eps)));
//   y = xhat-term * (gamma * invstd) + beta, two more roundings: 3u (|gamma xhat| + |beta|);
//   backward sums in double of float32 products, dx with four float32
//   roundings of terms of size |dy|, |mean dy|, |xhat mean(dy xhat)|.
// Every float32 rounding also has an absolute error up to half the
// spacing of denormals, TINY / 2 (a denormal x-hat keeps 2^-149, not u,
// precision), counted at each step. Each comparison allows SLACK times the
// bound, plus FLOOR for results near float32's underflow.
export const U = 2 ** -24;
export const TINY = 2 ** -149;
export const SLACK = 4;
export const FLOOR = 2 ** -126;
export const FLT_MAX = 3.4028234663852886e38;

const sum = (n, f) => { let s = 0; for (let i = 0; i < n; i++) s += f(i); return s; };

// x: the float32 values the layer read (row-major m x n); state: gamma,
// beta (null when not affine), runningMean, runningVar, eps, momentum,
// numBatchesTracked, training. Returns y and the new running statistics,
// each with its bound, and what backward needs.
export function forwardRef(x, m, n, state) {
  const { eps, training } = state;
  const gamma = state.gamma ?? new Float64Array(n).fill(1), beta = state.beta ?? new Float64Array(n);
  const mean = new Float64Array(n), vars = new Float64Array(n), dMean = new Float64Array(n), dVar = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (training) {
      const col = (i) => x[i * n + k];
      mean[k] = sum(m, col) / m;
      vars[k] = sum(m, (i) => (col(i) - mean[k]) ** 2) / m;
      const d = (i) => col(i) - col(0);
      dMean[k] = U * sum(m, (i) => Math.abs(d(i))) / m;
      dVar[k] = 4 * U * sum(m, (i) => d(i) ** 2) / m;
    } else {
      mean[k] = state.runningMean[k];
      vars[k] = state.runningVar[k];
    }
  }
  const invstd = Float64Array.from(vars, (v) => 1 / Math.sqrt(v + eps));
  const xhat = new Float64Array(m * n), dXhat = new Float64Array(m * n);
  const y = new Float64Array(m * n), yBound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < n; k++) {
      const j = i * n + k, c = x[j] - mean[k];
      xhat[j] = c * invstd[k];
      dXhat[j] = invstd[k] * (dMean[k] + 3 * U * Math.abs(c) + TINY) + Math.abs(xhat[j]) * (U + dVar[k] / (2 * (vars[k] + eps))) + TINY;
      y[j] = gamma[k] * xhat[j] + beta[k];
      // (+ TINY |c|: gamma * invstd may itself be a denormal)
      yBound[j] = Math.abs(gamma[k]) * dXhat[j] + 3 * U * (Math.abs(gamma[k] * xhat[j]) + Math.abs(beta[k])) + TINY * Math.abs(c);
    }
  }
  const out = { y, yBound, saved: { x, m, n, mean, vars, dMean, dVar, invstd, xhat, dXhat, gamma, eps, training } };
  if (training) {
    const nbt = state.numBatchesTracked + 1;
    const f = state.momentum ?? 1 / nbt;
    out.numBatchesTracked = nbt;
    out.runningMean = Float64Array.from(mean, (v, k) => (1 - f) * state.runningMean[k] + f * v);
    out.runningMeanBound = Float64Array.from(mean, (v, k) => f * dMean[k] + 2 * U * (Math.abs((1 - f) * state.runningMean[k]) + Math.abs(f * v)));
    const unbiased = (k) => vars[k] * m / (m - 1);
    out.runningVar = Float64Array.from(vars, (v, k) => (1 - f) * state.runningVar[k] + f * unbiased(k));
    out.runningVarBound = Float64Array.from(vars, (v, k) => f * dVar[k] * m / (m - 1) +
      2 * U * (Math.abs((1 - f) * state.runningVar[k]) + Math.abs(f * unbiased(k))));
  }
  return out;
}

// The gradients of the forward that returned `saved`, given dy (float32 values).
export function backwardRef(saved, dy) {
  const { m, n, invstd, xhat, dXhat, gamma, training, vars, dVar, eps } = saved;
  const dx = new Float64Array(m * n), dxBound = new Float64Array(m * n);
  const dgamma = new Float64Array(n), dgammaBound = new Float64Array(n), dbeta = new Float64Array(n), dbetaBound = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const at = (i) => i * n + k;
    dbeta[k] = sum(m, (i) => dy[at(i)]);
    dgamma[k] = sum(m, (i) => dy[at(i)] * xhat[at(i)]);
    const absDy = sum(m, (i) => Math.abs(dy[at(i)]));
    dbetaBound[k] = 2 * U * absDy;
    const spread = sum(m, (i) => Math.abs(dy[at(i)]) * dXhat[at(i)]);
    dgammaBound[k] = spread + 2 * U * Math.abs(dgamma[k]) + U * sum(m, (i) => Math.abs(dy[at(i)] * xhat[at(i)]));
    const scale = gamma[k] * invstd[k];
    const m1 = training ? dbeta[k] / m : 0, m2 = training ? dgamma[k] / m : 0;
    const dM2 = training ? dgammaBound[k] / m : 0;
    const relVar = training ? dVar[k] / (2 * (vars[k] + eps)) : 0;
    for (let i = 0; i < m; i++) {
      const j = at(i), inner = dy[j] - m1 - xhat[j] * m2;
      dx[j] = scale * inner;
      dxBound[j] = Math.abs(scale) * (2 * U * (Math.abs(dy[j]) + Math.abs(m1) + Math.abs(xhat[j] * m2)) +
        dXhat[j] * Math.abs(m2) + Math.abs(xhat[j]) * dM2 + Math.abs(inner) * (3 * U + relVar) + 3 * TINY) + TINY * (2 + Math.abs(inner));
    }
  }
  return { dx, dxBound, dgamma, dgammaBound, dbeta, dbetaBound };
}

// Where `actual` (float32) is farther from `expected` (float64) than
// SLACK * bound + FLOOR allows: null, or a description of the first entry.
// A reference beyond float32's range must come out as the infinity of its sign.
export function mismatch(name, actual, expected, bound) {
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) && Number.isNaN(e)) continue;
      return `${name}[${i}] = ${a}, reference ${e}`;
    }
    if (Math.abs(e) > FLT_MAX * (1 + SLACK * U)) {
      if (a !== Math.sign(e) * Infinity && Math.abs(a - e) > SLACK * bound[i]) return `${name}[${i}] = ${a}, reference ${e} (beyond float32)`;
      continue;
    }
    const allowed = SLACK * bound[i] + FLOOR;
    if (!(Math.abs(a - e) <= allowed)) return `${name}[${i}] = ${a}, reference ${e}, |difference| ${Math.abs(a - e)} > allowed ${allowed}`;
  }
  return null;
}
