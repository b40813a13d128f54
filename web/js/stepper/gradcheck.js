// The gradient check of the last backward step, in float64 and in plain JS
// (no core call): a forward pass of the same formulas as the core's
// BatchNorm1d, from the inputs as the core stores them (float32: x, γ, β,
// dy; eps is a double in the core too), differentiated by central
// differences, and compared with the core's dx.
//
// Why not the core's own forward (float32)? A float32 loss cannot resolve
// the small steps the check needs: at x ≈ 1e5 neighbouring float32 values
// are 0.0078 apart, more than a step relative to a spread of 0.08, and at
// batch size 2 the true dx is about 4·10⁻⁵ of the usual scale, below float32's
// rounding of L. In float64 both are far below the rounding.
//
// Judging: per feature k, the error ‖dx_k − fd_k‖ is divided by
// max(‖fd_k‖, floor_k) with floor_k = FLOOR · |γ_k| ‖dy_k‖ / σ_k, σ_k =
// √(σ²_k + ε). |γ| |dy| / σ is the size dx has when nothing cancels; float32
// rounding of the core's dx is a small multiple of 2⁻²⁴ of it. Where dx ≈ 0
// (batch of 2: dx ∝ ε / (σ² + ε)), the floor keeps rounding from reading as a
// wrong formula.

export const FLOOR = 1e-4;        // of |γ| |dy| / σ: below this, a difference is float32 rounding
export const AGREE_BELOW = 1e-2;  // the verdict's threshold on the relative error
export const STEP = 1e-4;         // the finite-difference step h, as a fraction of σ_k

// y = γ (x − μ) / √(σ² + ε) + β in float64 (x row-major, rows × features).
// Training: μ, σ² are the batch's (biased variance, as the core); eval:
// `stats` gives the fixed { mean, var }.
export function forward64(x, { rows, features, gamma, beta, eps, stats = null }) {
  const y = new Float64Array(rows * features);
  for (let k = 0; k < features; k++) {
    let mean = 0, variance = 0;
    if (stats) {
      mean = stats.mean[k];
      variance = stats.var[k];
    } else {
      for (let i = 0; i < rows; i++) mean += x[i * features + k];
      mean /= rows;
      for (let i = 0; i < rows; i++) variance += (x[i * features + k] - mean) ** 2;
      variance /= rows;
    }
    const invStd = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < rows; i++) {
      const j = i * features + k;
      y[j] = gamma[k] * (x[j] - mean) * invStd + beta[k];
    }
  }
  return y;
}

// The inputs as the core holds them, in float64 arrays. Each feature is
// shifted by its first stored value (x and, in eval, the mean it uses): y
// does not change, the subtraction of two float32 values is exact in
// float64, and an offset of 1e5 then costs the differences no digits.
export function storedInputs(view, inputs) {
  const f32 = (a) => Float64Array.from(Float32Array.from(a));
  const { rows, features } = view;
  const x = f32(view.x);
  const shift = x.slice(0, features);
  for (let j = 0; j < rows * features; j++) x[j] -= shift[j % features];
  const training = view.mode === "train";
  return {
    rows, features, eps: view.eps, x, gamma: f32(view.gamma), beta: f32(view.beta),
    dy: f32(view.dy), target: inputs.target ? f32(inputs.target) : null,
    // eval: the running statistics the core used (float32, as stored)
    stats: training ? null : { mean: Float64Array.from(view.trace.mean, (m, k) => m - shift[k]), var: Float64Array.from(view.trace.var) },
  };
}

// σ_k = √(σ²_k + ε) of what the forward normalizes with, in float64.
function sigmas(s) {
  const out = new Float64Array(s.features);
  for (let k = 0; k < s.features; k++) {
    let variance;
    if (s.stats) variance = s.stats.var[k];
    else {
      let mean = 0;
      for (let i = 0; i < s.rows; i++) mean += s.x[i * s.features + k];
      mean /= s.rows;
      variance = 0;
      for (let i = 0; i < s.rows; i++) variance += (s.x[i * s.features + k] - mean) ** 2;
      variance /= s.rows;
    }
    out[k] = Math.sqrt(variance + s.eps);
  }
  return out;
}

// L = Σ dy·y (dy typed: the loss whose gradient is dy) or ½ Σ (y − t)².
function loss(s, x) {
  const y = forward64(x, s);
  let sum = 0;
  for (let j = 0; j < y.length; j++) sum += s.target ? 0.5 * (y[j] - s.target[j]) ** 2 : s.dy[j] * y[j];
  return sum;
}

// dL/dx_j ≈ (L(x + h_j e_j) − L(x − h_j e_j)) / 2h_j for every element j of
// x (Float64Array; restored after), h_j = stepOf(j). Also used by the
// normalization lab (lab-gradcheck.js).
export function centralDifferences(lossAt, x, stepOf) {
  const fd = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const h = stepOf(j);
    const x0 = x[j];
    x[j] = x0 + h; const lp = lossAt(x);
    x[j] = x0 - h; const lm = lossAt(x);
    x[j] = x0;
    fd[j] = (lp - lm) / (2 * h);
  }
  return fd;
}

// dL/dx_ij with h = STEP · σ_k.
export function finiteDifferences(s) {
  const sigma = sigmas(s);
  const fd = centralDifferences((x) => loss(s, x), Float64Array.from(s.x), (j) => STEP * sigma[j % s.features]);
  return { fd, sigma };
}

// Compares the core's dx with the float64 estimate. Returns { relError,
// agree, fd, perFeature: [{ feature, relError, error, norm, floor }], worst }.
export function judge(dx, fd, s, sigma) {
  const perFeature = [];
  for (let k = 0; k < s.features; k++) {
    let diff = 0, norm = 0, dyNorm = 0;
    for (let i = 0; i < s.rows; i++) {
      const j = i * s.features + k;
      diff += (dx[j] - fd[j]) ** 2; norm += fd[j] ** 2; dyNorm += s.dy[j] ** 2;
    }
    const error = Math.sqrt(diff);
    const floor = FLOOR * Math.abs(s.gamma[k]) * Math.sqrt(dyNorm) / sigma[k];
    const scale = Math.max(Math.sqrt(norm), floor);
    perFeature.push({ feature: k + 1, relError: scale === 0 ? 0 : error / scale, error, norm: Math.sqrt(norm), floor });
  }
  const worst = perFeature.reduce((a, b) => (b.relError > a.relError ? b : a));
  return { relError: worst.relError, agree: worst.relError < AGREE_BELOW, fd, perFeature, worst };
}

// The whole check for a computed view (compute.js) and its inputs (inputs.js).
export function gradientCheck(view, inputs) {
  const s = storedInputs(view, inputs);
  const { fd, sigma } = finiteDifferences(s);
  return { ...judge(view.dx, fd, s, sigma), h: Array.from(sigma, (v) => STEP * v) };
}
