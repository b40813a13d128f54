// Every bad input of docs/api.md, for both builds. For each one: an Error
// whose message names the parameter; running statistics, parameters,
// numBatchesTracked, mode and trace() unchanged; and the same object keeps
// working afterwards, exactly like a twin that never saw the bad call. The
// WASM instance survives any number of errors.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";

const FEATURES = 3;
const X = Float32Array.from([0.5, -1, 2, 1.5, 0, -2, -0.5, 3, 1, 2.5, 1, 0]);   // batch 4
const DY = Float32Array.from([1, 0.5, -1, 0, 2, 1, -1, 1, 0.5, 0.25, -2, 1]);
const withAt = (a, i, v) => { const b = Array.from(a); b[i] = v; return b; };
const typedWithAt = (a, i, v) => { const b = Float32Array.from(a); b[i] = v; return b; };
const captured = (fn) => { try { fn(); } catch (e) { return e; } return null; };

// Everything observable about a layer's state (trace only after a forward).
function snapshot(layer, hasForward) {
  return {
    training: layer.training, numBatchesTracked: layer.numBatchesTracked,
    gamma: layer.gamma, beta: layer.beta, runningMean: layer.runningMean, runningVar: layer.runningVar,
    trace: hasForward ? layer.trace() : null,
  };
}

// The same good calls on the layer and on its twin give bit-identical results.
function assertStillWorksLike(layer, twin, label) {
  for (const mode of ["train", "eval", "train"]) {
    layer[mode]();
    twin[mode]();
    const x = X.map((v, i) => v * (1 + i % 3) + (mode === "eval" ? 1 : 0));
    assert.deepEqual(layer.forward(x, 4), twin.forward(x, 4), `${label}: forward after the error (${mode})`);
    assert.deepEqual(layer.backward(DY), twin.backward(DY), `${label}: backward after the error (${mode})`);
    assert.deepEqual(snapshot(layer, true), snapshot(twin, true), `${label}: state after the error (${mode})`);
  }
}

for (const simd of [true, false]) {
  describe(`bad input (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const bn = await loadBN({ simd });

    // Two layers with the same history: `prepare` runs on both.
    function twins(options, prepare) {
      const pair = [new bn.BatchNorm1d(FEATURES, options), new bn.BatchNorm1d(FEATURES, options)];
      for (const layer of pair) prepare?.(layer);
      return pair;
    }
    const trained = (layer) => {
      layer.setParams({ gamma: [2, 0.5, -1], beta: [0.1, 0.2, 0.3] });
      layer.forward(X, 4);
      layer.backward(DY);
      layer.forward(X.map((v) => 2 * v + 1), 4);
    };

    // Runs `bad` on a layer (fresh or trained), checks the Error, the state
    // and that the layer then behaves exactly like its untouched twin.
    function expectBad(label, bad, message, { options, prepare = trained, mode = "train" } = {}) {
      const [layer, twin] = twins(options, prepare);
      layer[mode]();
      twin[mode]();
      const hasForward = captured(() => layer.trace()) === null;
      const before = snapshot(layer, hasForward);
      const error = captured(() => bad(layer));
      assert.ok(error instanceof Error, `${label}: throws an Error (got ${error})`);
      assert.match(String(error), message, label);
      assert.deepEqual(snapshot(layer, hasForward), before, `${label}: state unchanged`);
      if (!hasForward) assert.throws(() => layer.trace(), /forward/, `${label}: still no trace`);
      assertStillWorksLike(layer, twin, label);
      layer.dispose();
      twin.dispose();
    }

    test("constructor: features not a positive integer", () => {
      for (const features of [0, -1, 1.5, NaN, Infinity, "3", null, undefined, [3]]) {
        assert.throws(() => new bn.BatchNorm1d(features), /^Error: features must be an integer in \[1, 134217727\], got /, String(features));
      }
    });

    test("constructor: features too large for WebAssembly memory", () => {
      const before = bn.memory.buffer.byteLength;
      assert.throws(() => new bn.BatchNorm1d(2 ** 30),
        /^Error: features must be an integer in \[1, 134217727\], got 1073741824 \(one WebAssembly buffer holds at most 134217727 values\)$/);
      assert.equal(bn.memory.buffer.byteLength, before);
    });

    test("constructor: eps <= 0, NaN, infinite or not a number", () => {
      for (const eps of [0, -1e-5, NaN, Infinity, -Infinity, "1e-5", null]) {
        assert.throws(() => new bn.BatchNorm1d(2, { eps }), /^Error: eps must be a finite number > 0/, String(eps));
      }
    });

    test("constructor: momentum outside [0, 1], NaN or not a number (null is allowed)", () => {
      for (const momentum of [-0.1, 1.01, NaN, Infinity, "0.1", false]) {
        assert.throws(() => new bn.BatchNorm1d(2, { momentum }), /^Error: momentum must be a finite number >= 0 and <= 1/, String(momentum));
      }
      assert.equal(new bn.BatchNorm1d(2, { momentum: null }).momentum, null);
    });

    test("constructor: affine not a boolean, options not an object", () => {
      assert.throws(() => new bn.BatchNorm1d(2, { affine: "yes" }), /affine/);
      assert.throws(() => new bn.BatchNorm1d(2, { affine: 1 }), /affine/);
      assert.throws(() => new bn.BatchNorm1d(2, null), /options/);
      assert.throws(() => new bn.BatchNorm1d(2, 0.1), /options/);
    });

    test("forward: x null, not array-like, or with non-number entries", () => {
      const cases = [null, undefined, 42, "0.5,1,2", { length: 12 }, new DataView(new ArrayBuffer(48)),
        withAt(X, 5, "2"), withAt(X, 0, null), withAt(X, 11, undefined), new Array(12)];
      for (const x of cases) {
        expectBad(`x = ${String(x).slice(0, 20)}`, (l) => l.forward(x, 4), /^Error: x must be a Float32Array or an array of numbers/);
      }
    });

    test("forward: x of the wrong length", () => {
      for (const x of [X.subarray(0, 11), [...X, 1], [], X.subarray(0, 9)]) {
        expectBad(`x length ${x.length}`, (l) => l.forward(x, 4), /^Error: x must have 12 entries, got \d+/);
      }
    });

    test("forward: NaN or ±Infinity in x (typed array or plain array; training and eval)", () => {
      for (const mode of ["train", "eval"]) {
        for (const [i, v] of [[0, NaN], [7, Infinity], [11, -Infinity], [4, 1e39]]) {
          for (const make of [withAt, typedWithAt]) {
            expectBad(`x[${i}] = ${v} (${mode})`, (l) => l.forward(make(X, i, v), 4), /^Error: x must hold finite numbers/, { mode });
          }
        }
      }
      // Also on a layer that has never run a forward.
      expectBad("x NaN, first forward", (l) => l.forward(withAt(X, 3, NaN), 4), /x must hold finite numbers/, { prepare: null });
    });

    test("forward: batch not a positive integer", () => {
      for (const batch of [0, -4, 2.5, NaN, Infinity, "4", null, undefined]) {
        expectBad(`batch ${String(batch)}`, (l) => l.forward(X, batch), /^Error: batch must be an integer in \[1, 44739242\] for 3 features, got /);
      }
    });

    test("forward: batch 1 in training mode says PyTorch's message; eval accepts it", () => {
      const message = /Expected more than 1 value per channel when training/;
      expectBad("batch 1 training", (l) => l.forward([1, 2, 3], 1), message);
      expectBad("batch 1 training, first forward", (l) => l.forward([1, 2, 3], 1), message, { prepare: null });
      const layer = new bn.BatchNorm1d(FEATURES).eval();
      assert.equal(layer.forward([1, 2, 3], 1).length, 3);
      layer.dispose();
    });

    test("backward before any forward (also after a failed first forward)", () => {
      expectBad("backward first", (l) => l.backward(DY), /^Error: backward called before any forward/, { prepare: null });
      expectBad("backward after failed forward", (l) => {
        assert.throws(() => l.forward(withAt(X, 0, NaN), 4), /x must/);
        l.backward(DY);
      }, /backward called before any forward/, { prepare: null });
      expectBad("trace first", (l) => l.trace(), /^Error: trace called before any forward/, { prepare: null });
    });

    test("backward: dy of the wrong length, not array-like, or with non-number entries", () => {
      for (const dy of [DY.subarray(0, 9), [...DY, 0], [], new Float32Array(3)]) {
        expectBad(`dy length ${dy.length}`, (l) => l.backward(dy), /^Error: dy must have 12 entries, got \d+/);
      }
      for (const dy of [null, undefined, 1, "1", { length: 12 }, withAt(DY, 2, "x")]) {
        expectBad(`dy ${String(dy).slice(0, 20)}`, (l) => l.backward(dy), /^Error: dy must be a Float32Array or an array of numbers/);
      }
    });

    test("backward: NaN or ±Infinity in dy (after a training and after an eval forward)", () => {
      for (const mode of ["train", "eval"]) {
        const prepare = (l) => { trained(l); l[mode](); l.forward(X, 4); };
        for (const [i, v] of [[0, NaN], [5, Infinity], [11, -Infinity], [3, -1e39]]) {
          for (const make of [withAt, typedWithAt]) {
            expectBad(`dy[${i}] = ${v} (${mode})`, (l) => l.backward(make(DY, i, v)), /^Error: dy must hold finite numbers/, { prepare, mode });
          }
        }
      }
    });

    test("setParams: wrong length, NaN, ±Infinity, negative runningVar, unknown field, not an object", () => {
      const cases = [
        [{ gamma: [1, 2] }, /^Error: gamma must have 3 entries/],
        [{ beta: [1, 2, 3, 4] }, /^Error: beta must have 3 entries/],
        [{ runningMean: [] }, /^Error: runningMean must have 3 entries/],
        [{ runningVar: new Float32Array(2) }, /^Error: runningVar must have 3 entries/],
        [{ gamma: [1, NaN, 1] }, /^Error: gamma must hold finite numbers/],
        [{ beta: new Float32Array([0, 0, Infinity]) }, /^Error: beta must hold finite numbers/],
        [{ runningMean: [-Infinity, 0, 0] }, /^Error: runningMean must hold finite numbers/],
        [{ runningVar: [1, 1, NaN] }, /^Error: runningVar must hold finite numbers/],
        [{ runningVar: [1, -0.5, 1] }, /^Error: runningVar must be >= 0/],
        [{ gamma: [1, 1e39, 1] }, /^Error: gamma must hold finite numbers/],   // Infinity as float32
        [{ gamma: [1, "2", 3] }, /^Error: gamma must be a Float32Array or an array of numbers/],
        [{ runningMean: null }, /^Error: runningMean must be a Float32Array or an array of numbers/],
        [{ gamma: [1, 1, 1], running_mean: [0, 0, 0] }, /^Error: setParams: unknown field "running_mean"/],
        [null, /^Error: setParams must be an object with any of gamma, beta, runningMean, runningVar, got null/],
        [[1, 2, 3], /^Error: setParams must be an object with any of gamma, beta, runningMean, runningVar, got an array of length 3/],
        // all-or-nothing: the good fields given with the bad one are not applied
        [{ gamma: [9, 9, 9], beta: [9, 9, 9], runningMean: [9, 9, 9], runningVar: [1, 1, -1] }, /runningVar must be >= 0/],
        [{ gamma: [9, 9, 9], runningVar: [1, 1] }, /runningVar must have 3 entries/],
      ];
      for (const [params, message] of cases) {
        expectBad(`setParams ${JSON.stringify(params)}`, (l) => l.setParams(params), message);
        expectBad(`setParams ${JSON.stringify(params)} (fresh)`, (l) => l.setParams(params), message, { prepare: null });
      }
    });

    test("setParams: gamma/beta on an affine: false layer", () => {
      const options = { affine: false };
      const prepare = (l) => l.forward(X, 4);
      for (const params of [{ gamma: [1, 1, 1] }, { beta: [0, 0, 0], runningMean: [1, 1, 1] }]) {
        const [layer, twin] = twins(options, prepare);
        const before = snapshot(layer, true);
        assert.throws(() => layer.setParams(params), /(gamma|beta) cannot be set: the layer was built with affine: false/);
        assert.deepEqual(snapshot(layer, true), before);
        assertStillWorksLike(layer, twin, JSON.stringify(params));
      }
    });

    test("use after dispose() throws naming the disposal; other layers are unaffected", () => {
      const [layer, twin] = twins(undefined, trained);
      const bystander = new bn.BatchNorm1d(FEATURES);
      trained(bystander);
      const bystanderBefore = snapshot(bystander, true);
      layer.dispose();
      for (const use of [() => layer.forward(X, 4), () => layer.backward(DY), () => layer.trace(),
        () => layer.setParams({}), () => layer.runningMean, () => layer.numBatchesTracked, () => layer.train()]) {
        assert.throws(use, /^Error: BatchNorm1d was disposed/);
      }
      assert.deepEqual(snapshot(bystander, true), bystanderBefore);
      trained(bystander);   // the bystander keeps working
      assert.equal(bystander.numBatchesTracked, 4);
      twin.dispose();
      bystander.dispose();
    });

    test("the WASM instance survives 20,000 errors of every kind without growing or breaking", () => {
      const layer = new bn.BatchNorm1d(FEATURES);
      const [, twin] = twins(undefined, null);
      const badX = withAt(X, 4, NaN), badDy = withAt(DY, 1, Infinity), badGamma = { gamma: [1, 1e39, 1] };
      layer.forward(X, 4);
      twin.forward(X, 4);
      const bads = [() => layer.forward(badX, 4), () => layer.backward(badDy),
        () => layer.setParams(badGamma), () => new bn.BatchNorm1d(2 ** 30)];
      for (const bad of bads) captured(bad);   // warm-up: the message buffer reaches its size
      const bytes = bn.memory.buffer.byteLength, used = bn.heapBytesInUse();
      let errors = 0;
      for (let i = 0; i < 5000; i++) {
        for (const bad of bads) {
          const e = captured(bad);
          if (e instanceof Error && !(e instanceof WebAssembly.RuntimeError)) errors++;
        }
      }
      assert.equal(errors, 20000);
      assert.equal(bn.memory.buffer.byteLength, bytes, "WASM memory did not grow");
      assert.equal(bn.heapBytesInUse(), used, "no heap bytes leaked by the errors");
      assertStillWorksLike(layer, twin, "after 20,000 errors");
      const fresh = new bn.BatchNorm1d(2);
      assert.equal(fresh.forward([1, 2, 3, 4], 2).length, 4);
      fresh.dispose();
      layer.dispose();
      twin.dispose();
    });
  });
}

test("loadBN: bad options reject naming the option, and good loads still work afterwards", async () => {
  await assert.rejects(loadBN("simd"), /^Error: loadBN options must be an object/);
  await assert.rejects(loadBN({ simd: 1 }), /^Error: simd must be true, false or left out/);
  await assert.rejects(loadBN({ wasmBinary: [0, 97, 115, 109] }), /^Error: wasmBinary must be an ArrayBuffer or a Uint8Array/);
  await assert.rejects(loadBN({ locateFile: "x.wasm" }), /^Error: locateFile must be a function/);
  await assert.rejects(loadBN({ wasmBinary: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]) }), Error);
  const bn = await loadBN();
  assert.equal(new bn.BatchNorm1d(1).forward([1, 3], 2).length, 2);
});
