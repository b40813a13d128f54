// The plain-JavaScript BatchNorm1d a course author would write: Float32Array
// storage, the two-pass variance (mean first, then mean squared deviation),
// xhat cached for backward (as in the classic cs231n derivation), row-major
// loops (row outer, feature inner). Optimised the way such an author would:
// every array (outputs y, dx, dgamma, dbeta and the scratch) is allocated
// once per shape and reused, so a call allocates nothing; the returned
// arrays are overwritten by the next call.
export class PlainBatchNorm1d {
  constructor(features, { eps = 1e-5, momentum = 0.1 } = {}) {
    this.features = features;
    this.eps = eps;
    this.momentum = momentum;
    this.training = true;
    this.gamma = new Float32Array(features).fill(1);
    this.beta = new Float32Array(features);
    this.runningMean = new Float32Array(features);
    this.runningVar = new Float32Array(features).fill(1);
    this.buffers = {};
  }

  // The reused array `name` of `length` entries (new only when the length changes).
  buffer(name, length, Type = Float32Array) {
    const b = this.buffers[name];
    return b && b.length === length ? b : (this.buffers[name] = new Type(length));
  }

  // training: mean_k = (1/m) sum_i x_ik; var_k = (1/m) sum_i (x_ik - mean_k)^2
  //           xhat_ik = (x_ik - mean_k) / sqrt(var_k + eps); y_ik = gamma_k xhat_ik + beta_k
  //           running stats updated with the unbiased variance var_k m / (m - 1)
  // eval:     y_ik = x_ik s_k + t_k, s_k = gamma_k / sqrt(rv_k + eps), t_k = beta_k - rm_k s_k
  forward(x, batch) {
    const n = this.features;
    const y = this.buffer("y", batch * n);
    if (!this.training) {
      const s = this.buffer("s", n), t = this.buffer("t", n);
      for (let k = 0; k < n; k++) {
        s[k] = this.gamma[k] / Math.sqrt(this.runningVar[k] + this.eps);
        t[k] = this.beta[k] - this.runningMean[k] * s[k];
      }
      for (let i = 0; i < batch; i++) {
        const row = i * n;
        for (let k = 0; k < n; k++) y[row + k] = x[row + k] * s[k] + t[k];
      }
      return y;
    }
    const mean = this.buffer("mean", n, Float64Array).fill(0);
    const variance = this.buffer("variance", n, Float64Array).fill(0);
    for (let i = 0; i < batch; i++) {
      const row = i * n;
      for (let k = 0; k < n; k++) mean[k] += x[row + k];
    }
    for (let k = 0; k < n; k++) mean[k] /= batch;
    for (let i = 0; i < batch; i++) {
      const row = i * n;
      for (let k = 0; k < n; k++) {
        const d = x[row + k] - mean[k];
        variance[k] += d * d;
      }
    }
    const invStd = this.buffer("invStd", n);
    for (let k = 0; k < n; k++) {
      variance[k] /= batch;
      invStd[k] = 1 / Math.sqrt(variance[k] + this.eps);
    }
    const xhat = this.buffer("xhat", batch * n);
    for (let i = 0; i < batch; i++) {
      const row = i * n;
      for (let k = 0; k < n; k++) {
        const h = (x[row + k] - mean[k]) * invStd[k];
        xhat[row + k] = h;
        y[row + k] = this.gamma[k] * h + this.beta[k];
      }
    }
    const f = this.momentum;
    for (let k = 0; k < n; k++) {
      this.runningMean[k] = (1 - f) * this.runningMean[k] + f * mean[k];
      this.runningVar[k] = (1 - f) * this.runningVar[k] + f * variance[k] * batch / (batch - 1);
    }
    this.cache = { xhat, invStd, batch };
    return y;
  }

  // dbeta_k = sum_i dy_ik; dgamma_k = sum_i dy_ik xhat_ik
  // dx_ik = gamma_k invstd_k / m * (m dy_ik - dbeta_k - xhat_ik dgamma_k)
  backward(dy) {
    const { xhat, invStd, batch } = this.cache;
    const n = this.features;
    const dbeta64 = this.buffer("dbeta64", n, Float64Array).fill(0);
    const dgamma64 = this.buffer("dgamma64", n, Float64Array).fill(0);
    for (let i = 0; i < batch; i++) {
      const row = i * n;
      for (let k = 0; k < n; k++) {
        dbeta64[k] += dy[row + k];
        dgamma64[k] += dy[row + k] * xhat[row + k];
      }
    }
    const dx = this.buffer("dx", batch * n);
    for (let i = 0; i < batch; i++) {
      const row = i * n;
      for (let k = 0; k < n; k++) {
        dx[row + k] = (this.gamma[k] * invStd[k] / batch) *
          (batch * dy[row + k] - dbeta64[k] - xhat[row + k] * dgamma64[k]);
      }
    }
    const dgamma = this.buffer("dgamma", n), dbeta = this.buffer("dbeta", n);
    dgamma.set(dgamma64);
    dbeta.set(dbeta64);
    return { dx, dgamma, dbeta };
  }
}
