// layer.backwardTrace() (an extra of the API): the intermediates of the last
// backward, dy, dxhat, dvar, dmean, dx, dgamma, dbeta, for both builds,
// against an independent float64 computation written here; fresh copies;
// errors before any backward, after a new forward and after dispose; a
// failing backward leaves it unchanged.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { randomArray } from "./test-data.mjs";

// The chain rule in float64 on the float32 inputs the layer saw, from the
// statistics of the forward (batch statistics in training, running ones in
// eval):
//   xhat = (x - mean) / sqrt(var + eps), dxhat = dy gamma
//   dvar = sum_i dxhat (x - mean) (-1/2) (var + eps)^(-3/2)
//   dmean = -sum_i dxhat / sqrt(var + eps) + dvar (-2/m) sum_i (x - mean)
//   dx = dxhat / sqrt(var + eps) + dvar 2 (x - mean) / m + dmean / m
//   dgamma = sum_i dy xhat, dbeta = sum_i dy
// Eval: dvar = dmean = 0. Also returns per-entry scales (sums of |terms|).
function chainRule({ x, dy, batch: m, features: n, gamma, eps, training, runningMean, runningVar }) {
  const out = { dxhat: new Float64Array(m * n), dx: new Float64Array(m * n), dvar: new Float64Array(n),
    dmean: new Float64Array(n), dgamma: new Float64Array(n), dbeta: new Float64Array(n),
    dxScale: new Float64Array(n), dvarScale: new Float64Array(n), dmeanScale: new Float64Array(n),
    dgammaScale: new Float64Array(n), dbetaScale: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    let mean = runningMean[k], v = runningVar[k];
    if (training) {
      mean = 0;
      for (let i = 0; i < m; i++) mean += x[i * n + k];
      mean /= m;
      v = 0;
      for (let i = 0; i < m; i++) v += (x[i * n + k] - mean) ** 2;
      v /= m;
    }
    const invstd = 1 / Math.sqrt(v + eps);
    let sDxhat = 0, sDxhatXc = 0, sXc = 0;
    for (let i = 0; i < m; i++) {
      const j = i * n + k, xc = x[j] - mean;
      out.dxhat[j] = dy[j] * gamma[k];
      sDxhat += out.dxhat[j]; sDxhatXc += out.dxhat[j] * xc; sXc += xc;
      out.dgamma[k] += dy[j] * xc * invstd; out.dbeta[k] += dy[j];
      out.dgammaScale[k] += Math.abs(dy[j] * xc * invstd); out.dbetaScale[k] += Math.abs(dy[j]);
      out.dvarScale[k] += Math.abs(out.dxhat[j] * xc) * 0.5 * invstd ** 3;
      out.dmeanScale[k] += Math.abs(out.dxhat[j]) * invstd;
      out.dxScale[k] = Math.max(out.dxScale[k], Math.abs(out.dxhat[j]) * invstd);
    }
    if (training) {
      out.dvar[k] = sDxhatXc * -0.5 * (v + eps) ** -1.5;
      out.dmean[k] = -sDxhat * invstd + out.dvar[k] * (-2 / m) * sXc;
    }
    for (let i = 0; i < m; i++) {
      const j = i * n + k;
      out.dx[j] = out.dxhat[j] * invstd + out.dvar[k] * 2 * (x[j] - mean) / m + out.dmean[k] / m;
    }
  }
  return out;
}

// |got - want| <= rel * scale for every entry.
function assertNear(got, want, scaleOf, rel, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let j = 0; j < want.length; j++) {
    const err = Math.abs(got[j] - want[j]), bound = rel * scaleOf(j) + 1e-30;
    if (!(err <= bound)) assert.fail(`${what}[${j}] = ${got[j]}, expected ${want[j]} (error ${err} > ${bound})`);
  }
}

const KEYS = ["training", "batch", "features", "shape", "statsShape", "dy", "dxhat", "dvar", "dmean", "dx", "dgamma", "dbeta"];

for (const simd of [true, false]) {
  describe(`backwardTrace (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const bn = await loadBN({ simd });
    test("the build asked for", () => assert.equal(bn.simd, simd));

    for (const training of [true, false]) {
      for (const affine of [true, false]) {
        test(`${training ? "training" : "eval"}, affine ${affine}: matches the float64 chain rule and backward()`, () => {
          for (const [batch, features, offset] of [[2, 1, 0], [5, 3, 0], [16, 7, 100], [33, 9, -20]]) {
            const what = `${batch}x${features} offset ${offset}`;
            const eps = 1e-3;
            const layer = new bn.BatchNorm1d(features, { eps, affine });
            try {
              const gamma = affine ? randomArray(features, 11, { offset: 1, scale: 0.7 }) : new Float32Array(features).fill(1);
              const runningMean = randomArray(features, 12, { offset, scale: 2 });
              const runningVar = randomArray(features, 13, { offset: 2, scale: 1.5 });
              if (affine) layer.setParams({ gamma, beta: randomArray(features, 14) });
              layer.setParams({ runningMean, runningVar });
              if (!training) layer.eval();
              const x = randomArray(batch * features, 15, { offset, scale: 3 });
              const dy = randomArray(batch * features, 16);
              layer.forward(x, batch);
              const { dx, dgamma, dbeta } = layer.backward(dy);
              const t = layer.backwardTrace();
              assert.deepEqual(Object.keys(t).sort(), [...KEYS].sort(), what);
              assert.deepEqual([t.shape, t.statsShape], [[batch, features], [features]], what);
              assert.equal(t.training, training);
              assert.equal(t.batch, batch);
              assert.equal(t.features, features);
              for (const key of ["dy", "dxhat", "dvar", "dmean", "dx"]) assert.ok(t[key] instanceof Float32Array, `${key} is a Float32Array`);
              assert.deepEqual(t.dy, dy, `${what}: dy`);
              assert.deepEqual(t.dx, dx, `${what}: dx is what backward returned`);
              if (affine) {
                assert.deepEqual(t.dgamma, dgamma, `${what}: dgamma`);
                assert.deepEqual(t.dbeta, dbeta, `${what}: dbeta`);
              } else {
                assert.equal(t.dgamma, null);
                assert.equal(t.dbeta, null);
              }
              const ref = chainRule({ x, dy, batch, features, gamma, eps, training, runningMean, runningVar });
              const k = (j) => j % features;
              assertNear(t.dxhat, ref.dxhat, (j) => Math.abs(ref.dxhat[j]), 1e-6, `${what}: dxhat`);
              if (training) {
                assertNear(t.dvar, ref.dvar, (j) => ref.dvarScale[j], 1e-4, `${what}: dvar`);
                assertNear(t.dmean, ref.dmean, (j) => ref.dmeanScale[j], 1e-4, `${what}: dmean`);
              } else {
                assert.deepEqual(Array.from(t.dvar), new Array(features).fill(0), "eval: no gradient into the running variance");
                assert.deepEqual(Array.from(t.dmean), new Array(features).fill(0), "eval: no gradient into the running mean");
              }
              assertNear(t.dx, ref.dx, (j) => ref.dxScale[k(j)], 1e-4, `${what}: dx`);
              if (affine) {
                assertNear(t.dgamma, ref.dgamma, (j) => ref.dgammaScale[j], 1e-4, `${what}: dgamma`);
                assertNear(t.dbeta, ref.dbeta, (j) => ref.dbetaScale[j], 1e-5, `${what}: dbeta`);
              }
            } finally {
              layer.dispose();
            }
          }
        });
      }
    }

    test("fresh copies: changing one changes nothing inside", () => {
      const layer = new bn.BatchNorm1d(2);
      layer.forward([1, 2, 3, 5, 2, 0], 3);
      layer.backward([1, -1, 0.5, 2, -2, 0.25]);
      const a = layer.backwardTrace();
      const keep = a.dxhat[0];
      for (const key of ["dy", "dxhat", "dvar", "dmean", "dx", "dgamma", "dbeta"]) a[key].fill(99);
      const b = layer.backwardTrace();
      assert.equal(b.dxhat[0], keep);
      assert.equal(b.dy[0], 1);
      assert.notEqual(b.dvar[0], 99);
      layer.dispose();
    });

    test("errors: before any backward, after a new forward, after dispose; a failing backward changes nothing", () => {
      const layer = new bn.BatchNorm1d(2);
      assert.throws(() => layer.backwardTrace(), /backwardTrace called before any backward/);
      const x = [1, 2, 3, 5, 2, 0];
      layer.forward(x, 3);
      assert.throws(() => layer.backwardTrace(), /backwardTrace called before any backward/);
      layer.backward([1, -1, 0.5, 2, -2, 0.25]);
      const before = layer.backwardTrace();
      assert.throws(() => layer.backward([1, NaN, 0.5, 2, -2, 0.25]), /dy/);
      assert.throws(() => layer.backward([1, 2]), /dy/);
      assert.deepEqual(layer.backwardTrace(), before, "a failing backward leaves the last backward trace");
      assert.throws(() => layer.forward([1, NaN, 3, 5, 2, 0], 3), /x/);
      assert.deepEqual(layer.backwardTrace(), before, "a failing forward leaves it too");
      layer.forward(x, 3);
      assert.throws(() => layer.backwardTrace(), /backwardTrace called before any backward/);
      layer.backward([0, 0, 0, 0, 0, 0]);
      assert.deepEqual(Array.from(layer.backwardTrace().dx), [0, 0, 0, 0, 0, 0]);
      layer.dispose();
      assert.throws(() => layer.backwardTrace(), /disposed/);
    });
  });
}
