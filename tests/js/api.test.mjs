// The public JS API of docs/api.md, for both builds: loading options, every
// BatchNorm1d member, semantics checked against an independent float64
// implementation written here (torch.nn.BatchNorm1d formulas), trace(),
// fresh copies, setParams, dispose, and SIMD vs scalar agreement.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { startServer } from "../../scripts/serve.mjs";
import { loadBN, simdSupported } from "../../web/js/bn.js";
import { randomArray } from "./test-data.mjs";

const wasmDir = new URL("../../web/wasm/", import.meta.url);
const packageJson = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));

// ---- helpers ---------------------------------------------------------------

// |a - b| <= atol + rtol * |b| for every entry (b: the float64 reference).
function assertClose(actual, expected, { rtol = 2e-5, atol = 2e-6, what = "" } = {}) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= atol + rtol * Math.abs(expected[i]))) {
      assert.fail(`${what}[${i}] = ${actual[i]}, expected ${expected[i]} (error ${err})`);
    }
  }
}

const bitsOf = (a) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
const assertBitIdentical = (a, b, what) => assert.deepEqual(bitsOf(a), bitsOf(b), what);

// ---- independent float64 reference (torch.nn.BatchNorm1d on 2-D input) ----

// State: { gamma, beta, runningMean, runningVar (float64 arrays), numBatchesTracked }.
function refLayer(features, { eps = 1e-5, momentum = 0.1, affine = true } = {}) {
  return {
    features, eps, momentum, affine, training: true, numBatchesTracked: 0,
    gamma: new Float64Array(features).fill(1), beta: new Float64Array(features),
    runningMean: new Float64Array(features), runningVar: new Float64Array(features).fill(1),
    saved: null,
  };
}

// Forward; updates the running estimates in training mode (stored rounded to
// float32, as the layer stores them).
function refForward(L, x, m) {
  const n = L.features;
  const mean = new Float64Array(n), variance = new Float64Array(n);
  if (L.training) {
    for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) mean[k] += x[i * n + k] / m;
    for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) variance[k] += (x[i * n + k] - mean[k]) ** 2 / m;
    L.numBatchesTracked += 1;
    const f = L.momentum === null ? 1 / L.numBatchesTracked : L.momentum;
    for (let k = 0; k < n; k++) {
      L.runningMean[k] = Math.fround((1 - f) * L.runningMean[k] + f * mean[k]);
      L.runningVar[k] = Math.fround((1 - f) * L.runningVar[k] + f * variance[k] * m / (m - 1));
    }
  } else {
    mean.set(L.runningMean);
    variance.set(L.runningVar);
  }
  const std = variance.map((v) => Math.sqrt(v + L.eps));
  const xCentered = new Float64Array(m * n), xhat = new Float64Array(m * n), y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < n; k++) {
      const j = i * n + k;
      xCentered[j] = x[j] - mean[k];
      xhat[j] = xCentered[j] / std[k];
      y[j] = L.affine ? L.gamma[k] * xhat[j] + L.beta[k] : xhat[j];
    }
  }
  L.saved = { m, training: L.training, mean, variance, std, xCentered, xhat, y, gamma: L.gamma.slice() };
  return y;
}

// Backward of the last forward: dbeta = Σ dy, dgamma = Σ dy·x̂,
// training: dx = γ/σ (dy − mean(dy) − x̂·mean(dy·x̂)); eval: dx = γ/σ dy.
function refBackward(L, dy) {
  const { m, training, std, xhat, gamma } = L.saved;
  const n = L.features;
  const dgamma = new Float64Array(n), dbeta = new Float64Array(n), dx = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) {
    dbeta[k] += dy[i * n + k];
    dgamma[k] += dy[i * n + k] * xhat[i * n + k];
  }
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) {
    const j = i * n + k;
    const g = L.affine ? gamma[k] : 1;
    dx[j] = training ? (g / std[k]) * (dy[j] - dbeta[k] / m - xhat[j] * dgamma[k] / m) : (g / std[k]) * dy[j];
  }
  return { dx, dgamma: L.affine ? dgamma : null, dbeta: L.affine ? dbeta : null };
}

// ---- the reference itself, against finite differences ---------------------

test("float64 reference: analytic backward matches finite differences of its forward", () => {
  for (const training of [true, false]) {
    const m = 4, n = 3, x = Array.from(randomArray(m * n, 11)), dy = Array.from(randomArray(m * n, 12));
    const make = () => {
      const L = refLayer(n);
      L.gamma = Float64Array.from([1.5, -0.5, 2]);
      L.beta = Float64Array.from([0.1, 0.2, 0.3]);
      L.runningMean = Float64Array.from([0.2, -0.1, 0]);
      L.runningVar = Float64Array.from([0.5, 2, 1]);
      L.training = training;
      return L;
    };
    const loss = (xs, gamma, beta) => {
      const L = make();
      if (gamma) L.gamma = gamma;
      if (beta) L.beta = beta;
      return refForward(L, xs, m).reduce((s, v, j) => s + v * dy[j], 0);
    };
    const L = make();
    refForward(L, x, m);
    const { dx, dgamma, dbeta } = refBackward(L, dy);
    const h = 1e-6;
    const numeric = (f) => (f(h) - f(-h)) / (2 * h);
    for (let j = 0; j < m * n; j++) {
      const d = numeric((e) => { const xs = x.slice(); xs[j] += e; return loss(xs); });
      assert.ok(Math.abs(d - dx[j]) < 1e-6, `dx[${j}] ${dx[j]} vs ${d} (training ${training})`);
    }
    for (let k = 0; k < n; k++) {
      const dg = numeric((e) => { const g = make().gamma; g[k] += e; return loss(x, g); });
      const db = numeric((e) => { const b = make().beta; b[k] += e; return loss(x, null, b); });
      assert.ok(Math.abs(dg - dgamma[k]) < 1e-6 && Math.abs(db - dbeta[k]) < 1e-6, `dgamma/dbeta[${k}]`);
    }
  }
});

// ---- loading ----------------------------------------------------------------

describe("loadBN", () => {
  test("picks the SIMD build where the engine supports it (Node 20 does)", async () => {
    assert.equal(simdSupported(), true);
    const bn = await loadBN();
    assert.equal(bn.simd, true);
    assert.equal(await loadBN(), bn, "default loads share one instance");
    assert.equal(await loadBN({ simd: true }), bn);
  });

  test("simd: false gives the scalar build", async () => {
    const bn = await loadBN({ simd: false });
    assert.equal(bn.simd, false);
    assert.notEqual(bn, await loadBN());
  });

  test("version is package.json's version; memory is the instance's WebAssembly.Memory", async () => {
    for (const simd of [true, false]) {
      const bn = await loadBN({ simd });
      assert.equal(bn.version, packageJson.version);
      assert.ok(bn.memory instanceof WebAssembly.Memory);
      assert.ok(bn.memory.buffer.byteLength >= 65536);
    }
    assert.notEqual((await loadBN({ simd: true })).memory, (await loadBN({ simd: false })).memory);
  });

  test("wasmBinary as ArrayBuffer or Uint8Array gives a separate, working instance", async () => {
    for (const simd of [true, false]) {
      const bytes = await readFile(new URL(`bn-${simd ? "simd" : "scalar"}.wasm`, wasmDir));
      const asArrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      for (const wasmBinary of [new Uint8Array(bytes), asArrayBuffer]) {
        const bn = await loadBN({ simd, wasmBinary });
        assert.equal(bn.simd, simd);
        assert.notEqual(bn, await loadBN({ simd }));
        const y = new bn.BatchNorm1d(2).forward([1, 10, 3, 30], 2);
        assertClose(y, [-1, -1, 1, 1], { atol: 1e-4, what: "y" });
      }
    }
  });

  test("locateFile is asked for the .wasm name and may return a file: URL or a path", async () => {
    const asked = [];
    const bn = await loadBN({ simd: false, locateFile: (name) => { asked.push(name); return new URL(name, wasmDir).href; } });
    assert.ok(asked.includes("bn-scalar.wasm"), `asked for ${asked}`);
    assert.equal(bn.simd, false);
    assert.equal(new bn.BatchNorm1d(1).forward([0, 2], 2)[1] > 0.99, true);
    const fromPath = await loadBN({ locateFile: (name) => new URL(name, wasmDir).pathname });
    assert.equal(fromPath.simd, true);
    assert.equal(new fromPath.BatchNorm1d(1).forward([0, 2], 2)[1] > 0.99, true);
  });

  test("locateFile may return an http URL (fetched, as in a browser)", async () => {
    const { server, url } = await startServer(new URL(".", wasmDir).pathname);
    try {
      const asked = [];
      const bn = await loadBN({ locateFile: (name) => { asked.push(name); return `${url}${name}`; } });
      assert.ok(asked.includes("bn-simd.wasm"));
      assertClose(new bn.BatchNorm1d(1).forward([4, 6], 2), [-1, 1], { atol: 1e-4, what: "y" });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test("bad options reject with an Error naming the option", async () => {
    await assert.rejects(loadBN(null), /options/);
    await assert.rejects(loadBN({ simd: "yes" }), /simd/);
    await assert.rejects(loadBN({ locateFile: "bn.wasm" }), /locateFile/);
    await assert.rejects(loadBN({ wasmBinary: "bytes" }), /wasmBinary/);
    await assert.rejects(loadBN({ locateFile: (name) => new URL(`missing/${name}`, wasmDir).href }), /missing/);
    assert.equal((await loadBN()).simd, true, "the shared instance still loads");
  });
});

// ---- BatchNorm1d, for both builds --------------------------------------------

for (const simd of [true, false]) {
  describe(`BatchNorm1d (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const bn = await loadBN({ simd });
    const { BatchNorm1d } = bn;

    test("construction: every member of docs/api.md with its starting value", () => {
      const layer = new BatchNorm1d(3);
      assert.equal(layer.features, 3);
      assert.equal(layer.training, true);
      assert.deepEqual(layer.gamma, new Float32Array([1, 1, 1]));
      assert.deepEqual(layer.beta, new Float32Array([0, 0, 0]));
      assert.deepEqual(layer.runningMean, new Float32Array([0, 0, 0]));
      assert.deepEqual(layer.runningVar, new Float32Array([1, 1, 1]));
      assert.equal(layer.numBatchesTracked, 0);
      assert.equal(layer.eval(), layer, "eval() returns the layer");
      assert.equal(layer.training, false);
      assert.equal(layer.train(), layer, "train() returns the layer");
      assert.equal(layer.training, true);
      for (const name of ["setParams", "forward", "backward", "trace", "dispose"]) {
        assert.equal(typeof layer[name], "function", name);
      }
      assert.deepEqual([layer.eps, layer.momentum, layer.affine], [1e-5, 0.1, true]);
      const custom = new BatchNorm1d(1, { eps: 1e-3, momentum: null, affine: false });
      assert.deepEqual([custom.eps, custom.momentum, custom.affine], [1e-3, null, false]);
      assert.throws(() => { layer.features = 9; }, TypeError, "features is read-only");
      layer.dispose();
      custom.dispose();
    });

    test("training forward matches the float64 reference (several shapes, offsets, gamma/beta)", () => {
      const shapes = [[2, 1], [3, 4], [5, 3], [16, 7], [64, 33], [9, 129]];
      shapes.forEach(([m, n], s) => {
        const layer = new BatchNorm1d(n);
        const ref = refLayer(n);
        if (s % 2) {
          const gamma = randomArray(n, 100 + s, { offset: 1 }), beta = randomArray(n, 200 + s);
          layer.setParams({ gamma, beta });
          ref.gamma = Float64Array.from(gamma);
          ref.beta = Float64Array.from(beta);
        }
        const x = randomArray(m * n, s, { offset: s === 3 ? 1000 : 0, scale: 1 + s });
        const y = layer.forward(x, m);
        assert.ok(y instanceof Float32Array && y.length === m * n);
        assertClose(y, refForward(ref, x, m), { rtol: 1e-5, atol: s === 3 ? 5e-4 : 1e-5, what: `y ${m}x${n}` });
        assertClose(layer.runningMean, ref.runningMean, { what: "runningMean" });
        assertClose(layer.runningVar, ref.runningVar, { what: "runningVar" });
        assert.equal(layer.numBatchesTracked, 1);
        layer.dispose();
      });
    });

    test("running statistics: momentum 0.1, 0.5, 0, 1 and null (cumulative average) over 6 batches", () => {
      for (const momentum of [0.1, 0.5, 0, 1, null]) {
        const n = 5, layer = new BatchNorm1d(n, { momentum }), ref = refLayer(n, { momentum });
        for (let step = 0; step < 6; step++) {
          const m = 2 + step * 3;
          const x = randomArray(m * n, 40 + step, { offset: step, scale: 1 + step });
          layer.forward(x, m);
          refForward(ref, x, m);
          assertClose(layer.runningMean, ref.runningMean, { what: `runningMean momentum ${momentum} step ${step}` });
          assertClose(layer.runningVar, ref.runningVar, { what: `runningVar momentum ${momentum} step ${step}` });
          assert.equal(layer.numBatchesTracked, step + 1);
        }
        layer.dispose();
      }
    });

    test("running variance is the unbiased batch variance (m / (m - 1)); the batch variance in trace is biased", () => {
      const layer = new BatchNorm1d(1, { momentum: 1 });
      layer.forward([1, 2, 3, 6], 4);  // mean 3, biased var 3.5, unbiased 14/3
      assertClose(layer.runningMean, [3], { what: "runningMean" });
      assertClose(layer.runningVar, [14 / 3], { what: "runningVar" });
      assertClose(layer.trace().var, [3.5], { what: "trace var" });
      layer.dispose();
    });

    test("momentum null: running stats are the plain average of the batch statistics", () => {
      const layer = new BatchNorm1d(1, { momentum: null });
      layer.forward([0, 2], 2);    // mean 1, unbiased var 2
      layer.forward([4, 8], 2);    // mean 6, unbiased var 8
      layer.forward([-3, -1], 2);  // mean -2, unbiased var 2
      assertClose(layer.runningMean, [5 / 3], { what: "runningMean" });
      assertClose(layer.runningVar, [4], { what: "runningVar" });
      layer.dispose();
    });

    test("eval forward uses the running statistics, updates nothing, and accepts batch 1", () => {
      const n = 6, layer = new BatchNorm1d(n), ref = refLayer(n);
      const warm = randomArray(8 * n, 7, { offset: 3, scale: 2 });
      layer.forward(warm, 8);
      refForward(ref, warm, 8);
      layer.setParams({ gamma: randomArray(n, 8, { offset: 1 }), beta: randomArray(n, 9) });
      ref.gamma = Float64Array.from(layer.gamma);
      ref.beta = Float64Array.from(layer.beta);
      layer.eval();
      ref.training = false;
      const before = [layer.runningMean, layer.runningVar, layer.numBatchesTracked];
      for (const m of [1, 2, 5]) {
        const x = randomArray(m * n, 20 + m, { offset: 3 });
        assertClose(layer.forward(x, m), refForward(ref, x, m), { what: `eval y batch ${m}` });
      }
      assert.deepEqual([layer.runningMean, layer.runningVar, layer.numBatchesTracked], before);
      const single = [0.5, -1, 2, 0, 1, 3];
      const yBatch = layer.forward([...single, ...single], 2);
      assertBitIdentical(layer.forward(single, 1), yBatch.subarray(0, n), "row-independent in eval");
      layer.dispose();
    });

    test("affine: false has no gamma/beta: y = x̂, gamma/beta/dgamma/dbeta are null", () => {
      const n = 4, m = 6, layer = new BatchNorm1d(n, { affine: false }), ref = refLayer(n, { affine: false });
      assert.equal(layer.gamma, null);
      assert.equal(layer.beta, null);
      const x = randomArray(m * n, 31, { scale: 3 }), dy = randomArray(m * n, 32);
      assertClose(layer.forward(x, m), refForward(ref, x, m), { what: "y" });
      const { dx, dgamma, dbeta } = layer.backward(dy);
      assert.equal(dgamma, null);
      assert.equal(dbeta, null);
      assertClose(dx, refBackward(ref, dy).dx, { rtol: 1e-4, atol: 1e-5, what: "dx" });
      layer.eval();
      ref.training = false;
      assertClose(layer.forward(x, m), refForward(ref, x, m), { what: "eval y" });
      assertClose(layer.backward(dy).dx, refBackward(ref, dy).dx, { what: "eval dx" });
      layer.dispose();
    });

    test("backward in training mode (through the batch statistics) matches the reference", () => {
      for (const [m, n, seed] of [[2, 1, 1], [4, 3, 2], [7, 5, 3], [32, 17, 4], [100, 8, 5]]) {
        const layer = new BatchNorm1d(n), ref = refLayer(n);
        const gamma = randomArray(n, seed * 10, { offset: 1 }), beta = randomArray(n, seed * 10 + 1);
        layer.setParams({ gamma, beta });
        ref.gamma = Float64Array.from(gamma);
        ref.beta = Float64Array.from(beta);
        const x = randomArray(m * n, seed, { offset: 2, scale: 3 }), dy = randomArray(m * n, seed + 50);
        layer.forward(x, m);
        refForward(ref, x, m);
        const got = layer.backward(dy), want = refBackward(ref, dy);
        // dx is a difference of terms of size |γ/σ|·|dy| that cancel: compare
        // against that size, not against dx itself.
        const scale = Math.max(...ref.saved.std.map((s, k) => Math.abs(gamma[k] / s))) * Math.max(...dy.map(Math.abs));
        assertClose(got.dx, want.dx, { rtol: 1e-4, atol: 1e-5 * scale, what: `dx ${m}x${n}` });
        assertClose(got.dgamma, want.dgamma, { rtol: 1e-4, atol: 1e-5 * m, what: "dgamma" });
        assertClose(got.dbeta, want.dbeta, { rtol: 1e-5, atol: 1e-6 * m, what: "dbeta" });
        // Σ_i dx_ik = 0 in training mode (the mean is subtracted).
        for (let k = 0; k < n; k++) {
          let sum = 0;
          for (let i = 0; i < m; i++) sum += got.dx[i * n + k];
          assert.ok(Math.abs(sum) < 1e-4 * scale * m, `Σ dx[:,${k}] = ${sum}`);
        }
        const again = layer.backward(dy);
        assertBitIdentical(again.dx, got.dx, "a second backward gives the same dx");
        layer.dispose();
      }
    });

    test("backward after an eval forward goes through the fixed statistics", () => {
      const n = 3, m = 4, layer = new BatchNorm1d(n), ref = refLayer(n);
      layer.setParams({ gamma: [2, -1, 0.5], runningMean: [1, 2, 3], runningVar: [4, 0.25, 9] });
      Object.assign(ref, { gamma: Float64Array.from([2, -1, 0.5]), runningMean: Float64Array.from([1, 2, 3]),
        runningVar: Float64Array.from([4, 0.25, 9]), training: false });
      layer.eval();
      const x = randomArray(m * n, 61, { scale: 4 }), dy = randomArray(m * n, 62);
      layer.forward(x, m);
      refForward(ref, x, m);
      const got = layer.backward(dy), want = refBackward(ref, dy);
      assertClose(got.dx, want.dx, { what: "dx" });
      assertClose(got.dgamma, want.dgamma, { what: "dgamma" });
      assertClose(got.dbeta, want.dbeta, { what: "dbeta" });
      layer.dispose();
    });

    test("backward is for the last forward (shape and mode of the last call)", () => {
      const n = 2, layer = new BatchNorm1d(n);
      layer.forward(randomArray(10 * n, 70), 10);
      layer.forward(randomArray(3 * n, 71), 3);
      assert.equal(layer.backward(randomArray(3 * n, 72)).dx.length, 3 * n);
      assert.throws(() => layer.backward(randomArray(10 * n, 73)), /dy/);
      layer.dispose();
    });

    test("trace(): fields, sizes and the relations between them (training)", () => {
      const m = 5, n = 3, layer = new BatchNorm1d(n, { eps: 1e-3 }), ref = refLayer(n, { eps: 1e-3 });
      layer.setParams({ gamma: [1.5, 0.5, -2], beta: [0, 1, 2] });
      Object.assign(ref, { gamma: Float64Array.from([1.5, 0.5, -2]), beta: Float64Array.from([0, 1, 2]) });
      const x = randomArray(m * n, 80, { offset: 1, scale: 2 });
      const y = layer.forward(x, m);
      refForward(ref, x, m);
      const t = layer.trace();
      assert.deepEqual(Object.keys(t).sort(),
        ["batch", "features", "invStd", "mean", "saveInvstd", "saveMean", "shape", "statsShape", "std", "training", "var", "xCentered", "xhat", "y"]);
      assert.equal(t.training, true);
      assert.deepEqual([t.shape, t.statsShape], [[m, n], [n]]);
      assert.equal(t.batch, m);
      assert.equal(t.features, n);
      for (const key of ["mean", "var", "std", "invStd"]) assert.equal(t[key].length, n, key);
      for (const key of ["xCentered", "xhat", "y"]) assert.equal(t[key].length, m * n, key);
      for (const key of ["mean", "var", "std", "invStd", "xCentered", "xhat", "y"]) assert.ok(t[key] instanceof Float32Array, key);
      const s = ref.saved;
      assertClose(t.mean, s.mean, { what: "mean" });
      assertClose(t.var, s.variance, { what: "var (biased)" });
      assertClose(t.std, s.std, { what: "std = √(var + eps)" });
      assertClose(t.invStd, s.std.map((v) => 1 / v), { what: "invStd" });
      assertClose(t.xCentered, s.xCentered, { atol: 1e-5, what: "xCentered" });
      assertClose(t.xhat, s.xhat, { atol: 1e-5, what: "xhat" });
      assertBitIdentical(t.y, y, "trace y is forward's y");
      // A training forward: the saved batch statistics are the ones it used.
      assertBitIdentical(t.saveMean, t.mean, "saveMean = mean");
      assertBitIdentical(t.saveInvstd, t.invStd, "saveInvstd = invStd");
      layer.dispose();
    });

    test("trace() after an eval forward holds the running statistics", () => {
      const n = 4, m = 3, layer = new BatchNorm1d(n);
      layer.forward(randomArray(6 * n, 90, { offset: 5 }), 6);
      layer.eval();
      const x = randomArray(m * n, 91, { offset: 5 });
      layer.forward(x, m);
      const t = layer.trace();
      assert.equal(t.training, false);
      assertBitIdentical(t.mean, layer.runningMean, "mean = runningMean");
      assertBitIdentical(t.var, layer.runningVar, "var = runningVar");
      const rm = layer.runningMean, rv = layer.runningVar;
      assertClose(t.std, Array.from(rv, (v) => Math.sqrt(v + 1e-5)), { what: "std" });
      assertClose(t.xCentered, Array.from(x, (v, j) => v - rm[j % n]), { atol: 1e-6, what: "xCentered = x − runningMean" });
      layer.dispose();
    });

    test("trace().saveMean / saveInvstd: the last training batch's statistics, still there after eval forwards", () => {
      const n = 3, m = 6, eps = 1e-3, layer = new BatchNorm1d(n, { eps });
      layer.eval();
      layer.forward(randomArray(2 * n, 94), 2);
      assert.equal(layer.trace().saveMean, null, "no training forward yet");
      assert.equal(layer.trace().saveInvstd, null);
      layer.train();
      layer.forward(randomArray(4 * n, 95, { offset: -3 }), 4);   // an earlier batch: replaced by the next
      const x = randomArray(m * n, 96, { offset: 2, scale: 3 });
      layer.forward(x, m);
      const trained = layer.trace();
      layer.eval();
      layer.forward(randomArray(2 * n, 97), 2);
      layer.forward(randomArray(5 * n, 98), 5);
      const t = layer.trace();
      assert.equal(t.training, false);
      assertBitIdentical(t.mean, layer.runningMean, "mean is still the running mean");
      assertBitIdentical(t.saveMean, trained.mean, "saveMean = the training forward's batch mean");
      assertBitIdentical(t.saveInvstd, trained.invStd, "saveInvstd = the training forward's invStd");
      const mean = Array.from({ length: n }, (_, k) => {
        let s = 0;
        for (let i = 0; i < m; i++) s += x[i * n + k];
        return s / m;
      });
      const invstd = mean.map((mu, k) => {
        let s = 0;
        for (let i = 0; i < m; i++) s += (x[i * n + k] - mu) ** 2;
        return 1 / Math.sqrt(s / m + eps);
      });
      assertClose(t.saveMean, mean, { atol: 1e-6, what: "saveMean = (1/m) Σ x" });
      assertClose(t.saveInvstd, invstd, { atol: 1e-6, what: "saveInvstd = 1/√(σ²_B + eps)" });
      layer.dispose();
    });

    test("every returned array is a fresh copy: mutating it changes nothing, later calls do not overwrite it", () => {
      const n = 3, m = 4, layer = new BatchNorm1d(n);
      const x = randomArray(m * n, 100), dy = randomArray(m * n, 101);
      const y = layer.forward(x, m);
      const grads = layer.backward(dy);
      const t = layer.trace();
      const getters = { gamma: layer.gamma, beta: layer.beta, runningMean: layer.runningMean, runningVar: layer.runningVar };
      const returned = { y, ...grads, ...getters, ...Object.fromEntries(
        ["mean", "var", "xCentered", "std", "invStd", "xhat", "y", "saveMean", "saveInvstd"].map((k) => [`trace.${k}`, t[k]])) };
      for (const [name, arr] of Object.entries(returned)) {
        assert.notEqual(arr.buffer, bn.memory.buffer, `${name} is not a view of WASM memory`);
      }
      const copies = Object.fromEntries(Object.entries(returned).map(([k, a]) => [k, a.slice()]));
      // Later calls (other data, other shapes) must not touch what was returned.
      layer.forward(randomArray(9 * n, 102, { offset: 7 }), 9);
      layer.backward(randomArray(9 * n, 103));
      layer.setParams({ gamma: [3, 3, 3], runningMean: [9, 9, 9] });
      for (const [name, arr] of Object.entries(returned)) assertBitIdentical(arr, copies[name], `${name} after later calls`);
      // Mutating what was returned changes nothing inside.
      const inside = { gamma: layer.gamma, beta: layer.beta, runningMean: layer.runningMean, runningVar: layer.runningVar };
      const trace = layer.trace();
      for (const arr of [...Object.values(returned), ...Object.values(inside), ...Object.values(trace).filter((v) => v instanceof Float32Array)]) arr.fill(-42);
      assert.deepEqual(layer.gamma, new Float32Array([3, 3, 3]));
      assert.deepEqual(layer.beta, new Float32Array(3));
      assert.deepEqual(layer.runningMean, new Float32Array([9, 9, 9]));
      assert.ok(layer.runningVar.every((v) => v !== -42));
      assert.ok(Object.values(layer.trace()).filter((v) => v instanceof Float32Array).every((a) => a.every((v) => v !== -42)));
      const input = x.slice();
      layer.forward(input, m);
      input.fill(0);
      assert.ok(layer.trace().xCentered.some((v) => v !== 0), "the layer keeps its own copy of x");
      layer.dispose();
    });

    test("inputs may be plain arrays or other typed arrays", () => {
      const layer = new BatchNorm1d(2);
      const x = [1, 2, 3, 5, 6, 11];
      const fromArray = layer.forward(x, 3);
      const fromF64 = layer.forward(Float64Array.from(x), 3);
      const fromI32 = layer.forward(Int32Array.from(x), 3);
      assertBitIdentical(fromF64, fromArray, "Float64Array");
      assertBitIdentical(fromI32, fromArray, "Int32Array");
      const dy = [0.5, -1, 0, 2, 1, 1];
      assertBitIdentical(layer.backward(dy).dx, layer.backward(Float32Array.from(dy)).dx, "dy as array");
      layer.setParams({ gamma: [2, 3], beta: new Float64Array([1, -1]) });
      assert.deepEqual(layer.gamma, new Float32Array([2, 3]));
      assert.deepEqual(layer.beta, new Float32Array([1, -1]));
      layer.dispose();
    });

    test("setParams: any subset, returns the layer, is used by the next forward", () => {
      const n = 3, names = ["gamma", "beta", "runningMean", "runningVar"];
      const values = { gamma: [2, 3, 4], beta: [-1, 0, 1], runningMean: [0.5, 1.5, 2.5], runningVar: [4, 9, 16] };
      const start = { gamma: [1, 1, 1], beta: [0, 0, 0], runningMean: [0, 0, 0], runningVar: [1, 1, 1] };
      for (let subset = 0; subset < 16; subset++) {
        const layer = new BatchNorm1d(n);
        const given = Object.fromEntries(names.filter((_, j) => subset & (1 << j)).map((k) => [k, values[k]]));
        assert.equal(layer.setParams(given), layer);
        for (const k of names) {
          assert.deepEqual(layer[k], new Float32Array(k in given ? values[k] : start[k]), `${k} after subset ${subset}`);
        }
        const expected = Object.fromEntries(names.map((k) => [k, k in given ? values[k] : start[k]]));
        const y = layer.eval().forward([1, 2, 3], 1);
        assertClose(y, [0, 1, 2].map((k) => expected.gamma[k] * (k + 1 - expected.runningMean[k]) /
          Math.sqrt(expected.runningVar[k] + 1e-5) + expected.beta[k]), { what: `eval y subset ${subset}` });
        layer.dispose();
      }
      const plain = new BatchNorm1d(2, { affine: false });
      plain.setParams({ runningMean: [1, 2], runningVar: [3, 4] });
      assert.deepEqual([plain.runningMean, plain.runningVar], [new Float32Array([1, 2]), new Float32Array([3, 4])]);
      plain.dispose();
    });

    test("setParams is all-or-nothing", () => {
      const layer = new BatchNorm1d(2);
      const cases = [
        { gamma: [5, 5], beta: [1] },
        { gamma: [5, 5], runningVar: [1, NaN] },
        { runningMean: [7, 7], runningVar: [-1, 1] },
        { beta: [2, 2], runningMean: [1, Infinity] },
        { gamma: [5, 5], beta: [1e39, 0] },   // finite in JS, Infinity as float32
        { gamma: [5, 5], bogus: [1, 1] },
      ];
      for (const params of cases) {
        assert.throws(() => layer.setParams(params), Error, JSON.stringify(params));
        assert.deepEqual(layer.gamma, new Float32Array([1, 1]));
        assert.deepEqual(layer.beta, new Float32Array([0, 0]));
        assert.deepEqual(layer.runningMean, new Float32Array([0, 0]));
        assert.deepEqual(layer.runningVar, new Float32Array([1, 1]));
      }
      layer.dispose();
    });

    test("dispose(): then every method and getter throws; a second dispose does nothing", () => {
      const layer = new BatchNorm1d(2);
      layer.forward([1, 2, 3, 4], 2);
      const other = new BatchNorm1d(2);
      layer.dispose();
      const uses = {
        features: () => layer.features, training: () => layer.training, gamma: () => layer.gamma,
        beta: () => layer.beta, runningMean: () => layer.runningMean, runningVar: () => layer.runningVar,
        numBatchesTracked: () => layer.numBatchesTracked, eps: () => layer.eps, momentum: () => layer.momentum,
        affine: () => layer.affine, train: () => layer.train(), eval: () => layer.eval(),
        setParams: () => layer.setParams({ gamma: [1, 1] }), forward: () => layer.forward([1, 2, 3, 4], 2),
        backward: () => layer.backward([1, 1, 1, 1]), trace: () => layer.trace(),
      };
      for (const [name, use] of Object.entries(uses)) assert.throws(use, /disposed/, name);
      assert.equal(layer.dispose(), undefined);
      assert.doesNotThrow(() => layer.dispose());
      assertClose(other.forward([1, 2, 3, 4], 2), [-1, -1, 1, 1], { atol: 1e-4, what: "another layer still works" });
      other.dispose();
    });

    test("layers are independent of each other", () => {
      const a = new BatchNorm1d(2), b = new BatchNorm1d(2);
      a.forward([0, 0, 10, 10], 2);
      assert.deepEqual(b.runningMean, new Float32Array(2));
      assert.equal(b.numBatchesTracked, 0);
      assert.throws(() => b.backward([1, 1, 1, 1]), /forward/);
      a.dispose();
      b.dispose();
    });
  });
}

// ---- SIMD and scalar agree -------------------------------------------------------

test("SIMD and scalar builds give bit-identical results (forward, backward, trace, running stats)", async () => {
  const builds = [await loadBN({ simd: true }), await loadBN({ simd: false })];
  for (const [m, n, seed] of [[2, 1, 1], [3, 4, 2], [5, 7, 3], [16, 9, 4], [33, 64, 5], [128, 13, 6]]) {
    for (const affine of [true, false]) {
      const results = builds.map((bn) => {
        const layer = new bn.BatchNorm1d(n, { affine, momentum: seed % 2 ? 0.1 : null });
        if (affine) layer.setParams({ gamma: randomArray(n, seed + 1, { offset: 1 }), beta: randomArray(n, seed + 2) });
        const out = [];
        for (let step = 0; step < 3; step++) {
          const x = randomArray(m * n, seed * 7 + step, { offset: step === 2 ? 1000 : 0, scale: 1 + step });
          out.push(layer.forward(x, m), ...Object.values(layer.backward(randomArray(m * n, seed * 9 + step))).filter(Boolean));
          out.push(...Object.values(layer.trace()).filter((v) => v instanceof Float32Array));
        }
        layer.eval();
        out.push(layer.forward(randomArray(n, seed + 3), 1), layer.runningMean, layer.runningVar);
        layer.dispose();
        return out;
      });
      assert.equal(results[0].length, results[1].length);
      results[0].forEach((a, i) => assertBitIdentical(a, results[1][i], `${m}x${n} affine ${affine} array ${i}`));
    }
  }
});
