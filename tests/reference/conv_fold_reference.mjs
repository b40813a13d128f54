// A plain float64 reference for the lab's Conv2d → BatchNorm2d fold
// (web/js/stepper/conv-fold-compute.js), used by the Node and the browser
// tests: from the float32 values of x, W, b, γ, β, nothing shared with the page.
const f32 = Math.fround;
const EPS = 1e-5;

// Plain float64: a same-padded conv of the float32 values, forwards
// running updates (biased variance to normalize, unbiased into running_var),
// a, b, W′, b′, both outputs.
export function convFoldReference(x, [N, C, H, W], conv, mode, { forwards = 3, momentum = 0.1 } = {}) {
  const { outC, k } = conv, p = (k - 1) / 2, per = H * W;
  const z = new Float64Array(N * outC * per);
  for (let n = 0; n < N; n++) for (let o = 0; o < outC; o++) for (let r = 0; r < H; r++) for (let s = 0; s < W; s++) {
    let sum = f32(conv.bias[o]);
    for (let c = 0; c < C; c++) for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) {
      const rr = r + u - p, ss = s + v - p;
      if (rr >= 0 && rr < H && ss >= 0 && ss < W) sum += f32(x[((n * C + c) * H + rr) * W + ss]) * f32(conv.weight[((o * C + c) * k + u) * k + v]);
    }
    z[((n * outC + o) * H + r) * W + s] = sum;
  }
  const cells = (o) => Array.from({ length: N * per }, (_, j) => z[(Math.floor(j / per) * outC + o) * per + (j % per)]);
  const mean = [], varB = [];
  for (let o = 0; o < outC; o++) {
    const v = cells(o), m = v.reduce((a, b) => a + b, 0) / v.length;
    mean.push(m);
    varB.push(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  }
  const count = N * per;
  const rm = Array(outC).fill(0), rv = Array(outC).fill(1);
  for (let i = 0; i < forwards; i++) for (let o = 0; o < outC; o++) {
    rm[o] = (1 - momentum) * rm[o] + momentum * mean[o];
    rv[o] = (1 - momentum) * rv[o] + momentum * varB[o] * count / (count - 1);
  }
  const g = (o) => f32(conv.gamma[o]), be = (o) => f32(conv.beta[o]);
  const a = rm.map((_, o) => g(o) / Math.sqrt(rv[o] + EPS));
  const b = a.map((ao, o) => be(o) - ao * rm[o]);
  const Wp = Array.from(conv.weight, (w, e) => a[Math.floor(e / (C * k * k))] * f32(w));
  const bp = a.map((ao, o) => ao * (f32(conv.bias[o]) - rm[o]) + be(o));
  const chOf = (e) => Math.floor(e / per) % outC;
  const unfused = Array.from(z, (v, e) => {
    const o = chOf(e);
    return mode === "eval" ? a[o] * v + b[o] : g(o) * (v - mean[o]) / Math.sqrt(varB[o] + EPS) + be(o);
  });
  return { z, rm, rv, a, b, Wp, bp, unfused, mean, varB };
}

