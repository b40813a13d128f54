// Caller-owned output arrays (an extra of web/js/batchnorm.js):
// forward(x, batch, { out }) and backward(dy, { dx, dgamma, dbeta }) write
// into the given Float32Arrays and return them. Checked on both builds:
// the same values as the default path (fresh copies), the very same array
// objects back, bad arrays rejected with an Error naming the parameter and
// nothing changed, and no WebAssembly memory growth over 10,000 calls.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { loadBN } from "../../web/js/bn.js";
import { floats, twinLayers } from "./test-data.mjs";

const CALLS = 10_000;

// Everything a failed call must leave as it was.
function snapshot(layer) {
  return {
    training: layer.training,
    gamma: layer.gamma, beta: layer.beta,
    runningMean: layer.runningMean, runningVar: layer.runningVar,
    numBatchesTracked: layer.numBatchesTracked,
    trace: layer.trace(),
  };
}

for (const simd of [true, false]) {
  describe(`output arrays (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const wasmBinary = await readFile(new URL(`../../web/wasm/bn-${simd ? "simd" : "scalar"}.wasm`, import.meta.url));
    const bn = await loadBN({ simd, wasmBinary });
    const features = 13, batch = 9;
    const x = floats(batch * features, 1).map((v) => 3 + 2 * v);
    const dy = floats(batch * features, 2);
    const gamma = floats(features, 3).map((v) => 1 + 0.5 * v);
    const beta = floats(features, 4);

    // Two layers with the same parameters: one on the default path, one
    // writing into output arrays; both see the same calls.
    const pair = (options = {}) => twinLayers(bn, features, options, { gamma, beta });

    for (const mode of ["train", "eval"]) {
      test(`${mode}: forward { out } and backward { dx, dgamma, dbeta } give the default path's values in the given arrays`, () => {
        const [plain, into] = pair();
        plain[mode](); into[mode]();
        const out = new Float32Array(batch * features).fill(NaN);
        const dx = new Float32Array(batch * features).fill(NaN);
        const dgamma = new Float32Array(features).fill(NaN), dbeta = new Float32Array(features).fill(NaN);
        for (let step = 0; step < 3; step++) {   // running statistics move between steps
          const y = plain.forward(x, batch);
          assert.equal(into.forward(x, batch, { out }), out);
          assert.deepEqual(out, y);
          const g = plain.backward(dy);
          const r = into.backward(dy, { dx, dgamma, dbeta });
          assert.equal(r.dx, dx);
          assert.equal(r.dgamma, dgamma);
          assert.equal(r.dbeta, dbeta);
          assert.deepEqual(dx, g.dx);
          assert.deepEqual(dgamma, g.dgamma);
          assert.deepEqual(dbeta, g.dbeta);
          assert.deepEqual(into.runningMean, plain.runningMean);
          assert.deepEqual(into.runningVar, plain.runningVar);
        }
        plain.dispose(); into.dispose();
      });
    }

    test("backward with some of the arrays: the others are fresh copies", () => {
      const [plain, into] = pair();
      plain.forward(x, batch); into.forward(x, batch);
      const g = plain.backward(dy);
      const dgamma = new Float32Array(features);
      const r = into.backward(dy, { dgamma });
      assert.equal(r.dgamma, dgamma);
      assert.deepEqual(r.dx, g.dx);
      assert.deepEqual(r.dbeta, g.dbeta);
      assert.deepEqual(dgamma, g.dgamma);
      // The fresh ones are not overwritten by a later call into the arrays.
      const keep = Float32Array.from(r.dx);
      into.backward(dy.map((v) => 2 * v), { dx: new Float32Array(batch * features) });
      assert.deepEqual(r.dx, keep);
      assert.deepEqual(into.forward(x, batch, {}), plain.forward(x, batch));
      plain.dispose(); into.dispose();
    });

    test("affine false: dgamma and dbeta stay null, the given arrays untouched", () => {
      const [plain, into] = pair({ affine: false });
      plain.forward(x, batch); into.forward(x, batch);
      const dx = new Float32Array(batch * features);
      const dgamma = new Float32Array(features).fill(7), dbeta = new Float32Array(features).fill(7);
      const r = into.backward(dy, { dx, dgamma, dbeta });
      assert.equal(r.dx, dx);
      assert.equal(r.dgamma, null);
      assert.equal(r.dbeta, null);
      assert.deepEqual(dx, plain.backward(dy).dx);
      assert.ok(dgamma.every((v) => v === 7) && dbeta.every((v) => v === 7));
      plain.dispose(); into.dispose();
    });

    test("bad output arrays: an Error naming the parameter, state and arrays unchanged", () => {
      const layer = new bn.BatchNorm1d(features);
      layer.setParams({ gamma, beta });
      layer.forward(x, batch);
      const expected = layer.backward(dy);
      const x2 = x.map((v) => 2 * v);
      const good = new Float32Array(batch * features).fill(5);
      const forwardCases = [
        [{ out: new Float32Array(batch * features - 1) }, /out must have 117 entries, got 116/],
        [{ out: new Float64Array(batch * features) }, /out must be a Float32Array/],
        [{ out: Array.from(good) }, /out must be a Float32Array/],
        [{ out: null }, /out must be a Float32Array/],
        [{ y: good }, /unknown field "y"/],
        [5, /forward options must be an object/],
      ];
      for (const [options, message] of forwardCases) {
        const before = snapshot(layer);
        assert.throws(() => layer.forward(x2, batch, options), message);
        assert.deepEqual(snapshot(layer), before);
        assert.ok(good.every((v) => v === 5));
      }
      const backwardCases = [
        [{ dx: new Float32Array(batch * features + 1) }, /dx must have 117 entries, got 118/],
        [{ dgamma: new Float32Array(features - 1) }, /dgamma must have 13 entries, got 12/],
        [{ dbeta: new Int32Array(features) }, /dbeta must be a Float32Array/],
        [{ dx: good, dbeta: "x" }, /dbeta must be a Float32Array/],
        [{ out: good }, /unknown field "out"/],
        ["dx", /backward options must be an object/],
      ];
      for (const [options, message] of backwardCases) {
        const before = snapshot(layer);
        assert.throws(() => layer.backward(dy.map((v) => 3 * v), options), message);
        assert.deepEqual(snapshot(layer), before);
        assert.ok(good.every((v) => v === 5));
      }
      // The layer still works, and its last forward is still the one above.
      assert.deepEqual(layer.backward(dy), expected);
      layer.dispose();
    });

    test(`${CALLS} calls into the same arrays: no WebAssembly memory growth`, () => {
      const layer = new bn.BatchNorm1d(features);
      const out = new Float32Array(batch * features), dx = new Float32Array(batch * features);
      const dgamma = new Float32Array(features), dbeta = new Float32Array(features);
      for (let i = 0; i < 2; i++) {   // warm-up: both buffers of the double-buffered input/output
        layer.forward(x, batch, { out });
        layer.backward(dy, { dx, dgamma, dbeta });
      }
      const before = bn.memory.buffer.byteLength, usedBefore = bn.heapBytesInUse();
      for (let i = 0; i < CALLS; i++) {
        layer.forward(x, batch, { out });
        layer.backward(dy, { dx, dgamma, dbeta });
      }
      assert.equal(bn.memory.buffer.byteLength, before);
      assert.equal(bn.heapBytesInUse(), usedBefore);
      assert.ok(out.every(Number.isFinite) && dx.every(Number.isFinite));
      layer.dispose();
    });
  });
}
