// The normalization lab's float64 side: the five layers' forward in plain
// JS from the axis logic (norm-axes.js), and the gradient check of the
// core's dx by central differences of L = Σ dy·y (gradcheck.js's
// centralDifferences, STEP, FLOOR, AGREE_BELOW), one verdict per statistic.
// Inputs as the core stores them (float32 x and dy; γ = 1, β = 0; PyTorch's eps).
import { AGREE_BELOW, FLOOR, STEP, centralDifferences } from "./gradcheck.js";
import { statistics } from "./norm-axes.js";
import { LAB_EPS } from "./lab-compute.js";

// { mean, var, xhat, y } in float64 for every statistic of `norm` (biased
// variance, as PyTorch normalizes). gamma/beta per element (default 1, 0).
export function normForward64(x, { norm, shape, groups, eps = LAB_EPS, gamma = null, beta = null }) {
  const stats = statistics(norm, shape, groups);
  const mean = new Float64Array(stats.length), variance = new Float64Array(stats.length);
  const xhat = new Float64Array(x.length), y = new Float64Array(x.length);
  stats.forEach(({ cells }, s) => {
    let m = 0;
    for (const j of cells) m += x[j];
    m /= cells.length;
    let v = 0;
    for (const j of cells) v += (x[j] - m) ** 2;
    v /= cells.length;
    mean[s] = m; variance[s] = v;
    const inv = 1 / Math.sqrt(v + eps);
    for (const j of cells) {
      xhat[j] = (x[j] - m) * inv;
      y[j] = (gamma ? gamma[j] : 1) * xhat[j] + (beta ? beta[j] : 0);
    }
  });
  return { mean, var: variance, xhat, y, stats };
}

// dx, dgamma (per element), dbeta (per element) of L = Σ dy·y in float64,
// from the folded formula dx = (1/(mσ)) (m dx̂ − Σ dx̂ − x̂ Σ dx̂·x̂), dx̂ = γ dy.
export function normBackward64(x, dy, spec) {
  const f = normForward64(x, spec);
  const dx = new Float64Array(x.length);
  f.stats.forEach(({ cells }, s) => {
    const m = cells.length;
    const sigma = Math.sqrt(f.var[s] + (spec.eps ?? LAB_EPS));
    let sum = 0, dot = 0;
    for (const j of cells) { sum += dy[j]; dot += dy[j] * f.xhat[j]; }
    for (const j of cells) dx[j] = (m * dy[j] - sum - f.xhat[j] * dot) / (m * sigma);
  });
  return { ...f, dx, dgammaElement: Float64Array.from(dy, (d, j) => d * f.xhat[j]) };
}

// The core's dx (result.dx of lab-compute.js's runNorm) against central
// differences in float64. Per statistic: ‖dx − fd‖ / max(‖fd‖, FLOOR ‖dy‖ / σ).
// Returns { relError (the worst), agree, fd, perStat: [{ stat, relError }] }.
export function labGradientCheck(result) {
  const spec = { norm: result.norm, shape: result.shape, groups: result.groups, eps: result.eps };
  const x = Float64Array.from(Float32Array.from(result.x)), dy = result.dy;
  const f = normForward64(x, spec);
  const sigmaOf = new Float64Array(x.length);
  f.stats.forEach(({ cells }, s) => { for (const j of cells) sigmaOf[j] = Math.sqrt(f.var[s] + spec.eps); });
  const lossAt = (xs) => normForward64(xs, spec).y.reduce((sum, v, j) => sum + dy[j] * v, 0);
  const fd = centralDifferences(lossAt, x, (j) => STEP * sigmaOf[j]);
  const perStat = f.stats.map(({ cells }, s) => {
    let diff = 0, norm = 0, dyNorm = 0;
    for (const j of cells) { diff += (result.dx[j] - fd[j]) ** 2; norm += fd[j] ** 2; dyNorm += dy[j] ** 2; }
    const scale = Math.max(Math.sqrt(norm), FLOOR * Math.sqrt(dyNorm) / Math.sqrt(f.var[s] + spec.eps));
    return { stat: s + 1, relError: scale === 0 ? 0 : Math.sqrt(diff) / scale };
  });
  const relError = perStat.reduce((m, p) => Math.max(m, p.relError), 0);
  return { relError, agree: relError < AGREE_BELOW, fd, perStat };
}
