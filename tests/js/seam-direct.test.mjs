// BatchNorm1d's training step reaches the core through the binding's plain
// exports (cpp/bindings/bindings_batchnorm.cpp: bn_batchnorm_staging_input,
// _forward, _staging_dy, _backward), not through Embind's generic invoker:
// the hot path of issue 16 at small shapes. Every Embind method of the
// binding is counted while layers step in each way of calling (fresh
// copies, out arrays, views, plain arrays); the step must call none, and
// the plain exports must be what it calls. The results are checked against
// a layer stepped by the public API. Errors still come back through the
// seam protocol (an address of 0, then lastError() through Embind).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { loadBN } from "../../web/js/bn.js";
import { makeBatchNorm1d } from "../../web/js/batchnorm.js";
import { floats, thrown } from "./test-data.mjs";

const B = 32, F = 16, N = B * F;
const HOT_EXPORTS = ["staging_input", "forward", "staging_dy", "backward"].map((n) => `_bn_batchnorm_${n}`);

// A module of its own, with every Embind method of BatchNormBinding and
// every hot export counted.
async function countedModule(simd) {
  const { default: factory } = await import("../../web/wasm/bn.mjs");
  const wasmBinary = await readFile(new URL(`../../web/wasm/bn-${simd ? "simd" : "scalar"}.wasm`, import.meta.url));
  const wasm = await factory({ wasmBinary });
  const schema = JSON.parse(wasm.optionSchema());
  // The glue's wrapper of an export replaces itself with the export on its
  // first call: make that call first (a binding of its own, one step on
  // its zero-filled buffers), so that the counters below stay in place.
  const warm = new wasm.BatchNormBinding(F, {});
  const handle = warm.handle();
  for (const name of HOT_EXPORTS) assert.notEqual(wasm[name](handle, B), 0, `${name} on a fresh binding`);
  warm.delete();
  const embindCalls = new Map(), exportCalls = new Map();
  const proto = wasm.BatchNormBinding.prototype;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const original = proto[name];
    if (typeof original !== "function" || name === "constructor") continue;
    proto[name] = function counted(...args) {
      embindCalls.set(name, (embindCalls.get(name) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  for (const name of HOT_EXPORTS) {
    assert.equal(typeof wasm[name], "function", `the module exports ${name}`);
    const original = wasm[name];
    wasm[name] = (...args) => {
      exportCalls.set(name, (exportCalls.get(name) ?? 0) + 1);
      return original(...args);
    };
  }
  return { BatchNorm1d: makeBatchNorm1d(wasm, schema), embindCalls, exportCalls };
}

for (const simd of [true, false]) {
  describe(`the training step calls the plain exports, no Embind method (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const { BatchNorm1d, embindCalls, exportCalls } = await countedModule(simd);
    const bn = await loadBN({ simd, wasmBinary: await readFile(new URL(`../../web/wasm/bn-${simd ? "simd" : "scalar"}.wasm`, import.meta.url)) });
    const x = floats(N, 11).map((v) => 1 + 2 * v), dy = floats(N, 12);
    const gamma = floats(F, 13).map((v) => 1 + v / 2), beta = floats(F, 14);
    const reference = new bn.BatchNorm1d(F);
    reference.setParams({ gamma, beta });
    const want = { y: reference.forward(x, B), ...reference.backward(dy) };

    const fresh = () => {
      const layer = new BatchNorm1d(F);
      layer.setParams({ gamma, beta });
      return layer;
    };
    const ways = {
      "fresh copies": (l) => ({ y: l.forward(x, B), ...l.backward(dy) }),
      "out arrays": (l) => {
        const y = new Float32Array(N), grads = { dx: new Float32Array(N), dgamma: new Float32Array(F), dbeta: new Float32Array(F) };
        l.forward(x, B, { out: y });
        return { y, ...l.backward(dy, grads) };
      },
      views: (l) => {
        l.inputView(B).set(x);
        const y = l.forward(l.inputView(B), B, { view: true }).slice();
        l.gradOutputView().set(dy);
        const g = l.backward(l.gradOutputView(), { view: true });
        return { y, dx: g.dx.slice(), dgamma: g.dgamma.slice(), dbeta: g.dbeta.slice() };
      },
      "plain arrays": (l) => ({ y: l.forward(Array.from(x), B), ...l.backward(Array.from(dy)) }),
    };
    for (const [way, step] of Object.entries(ways)) {
      test(`${way}: the same numbers, and no Embind call during the step`, () => {
        const layer = fresh();
        embindCalls.clear();
        exportCalls.clear();
        const got = step(layer);
        assert.deepEqual([...embindCalls], [], `Embind methods called during the step: ${[...embindCalls.keys()].join(", ")}`);
        for (const name of HOT_EXPORTS) assert.ok(exportCalls.get(name) >= 1, `${name} called (${exportCalls.get(name) ?? 0} times)`);
        for (const key of ["y", "dx", "dgamma", "dbeta"]) assert.deepEqual(Array.from(got[key]), Array.from(want[key]), key);
        layer.dispose();
      });
    }

    test("a failure through a plain export: an Error with the core's message, the layer unchanged", () => {
      const layer = fresh();
      const y = layer.forward(x, B);
      const bad = Float32Array.from(dy);
      bad[5] = NaN;
      const error = thrown(() => layer.backward(bad));
      assert.ok(error instanceof Error);
      assert.match(error.message, /dy/);
      assert.ok(embindCalls.get("lastError") >= 1, "the message came through lastError()");
      assert.deepEqual(Array.from(layer.backward(dy).dx), Array.from(want.dx), "backward works after the refusal");
      assert.deepEqual(Array.from(y), Array.from(want.y));
      layer.dispose();
    });

    test("a disposed layer never reaches the exports (its handle is gone)", () => {
      const layer = fresh();
      layer.forward(x, B);
      layer.dispose();
      exportCalls.clear();
      assert.throws(() => layer.forward(x, B), /disposed/);
      assert.throws(() => layer.backward(dy), /disposed/);
      assert.throws(() => layer.inputView(B), /disposed/);
      assert.deepEqual([...exportCalls], []);
    });
  });
}

test("views are made once per heap address: the same object back until the memory grows, then a live new one", async () => {
  const wasmBinary = await readFile(new URL("../../web/wasm/bn-simd.wasm", import.meta.url));
  const bn = await loadBN({ simd: true, wasmBinary });
  const layer = new bn.BatchNorm1d(F);
  const x = floats(N, 21), dy = floats(N, 22);
  const firstY = layer.forward(x, B, { view: true });
  const values = firstY.slice();
  const sameAddress = [firstY];
  for (let i = 0; i < 4; i++) sameAddress.push(layer.forward(x, B, { view: true }));
  // The core's output buffer does not move between equal batches: one view object, the same values.
  assert.ok(sameAddress.every((v) => v === firstY), "one view object per address");
  assert.deepEqual(Array.from(firstY), Array.from(values));
  const { dgamma } = layer.backward(dy, { view: true });
  assert.equal(layer.backward(dy, { view: true }).dgamma, dgamma, "dgamma's view too");
  // Growth: a layer far larger than the memory left detaches every view;
  // the next view is a new, live one, and the old one reads detached.
  const before = bn.memory.buffer;
  const big = new bn.BatchNorm1d(1 << 22);
  assert.notEqual(bn.memory.buffer, before, "the memory grew");
  assert.equal(firstY.length, 0, "the old view is detached");
  const y = layer.forward(x, B, { view: true });
  assert.notEqual(y, firstY);
  assert.equal(y.length, N);
  assert.deepEqual(Array.from(y), Array.from(values));
  big.dispose();
  layer.dispose();
});

// The heap's view cache (web/js/seam-heap.js) on a memory of its own: two
// addresses whose hash is the same both stay cached (a layer alternates two
// buffers for x and for y: with one slot per hash, a step's views at such
// addresses were made again every step); a third one of that hash takes
// the slot used longer ago; every view is of its address and length.
test("the view cache keeps two addresses of one hash, replaces the one used longer ago, and never mixes lengths", async () => {
  const { createHeap } = await import("../../web/js/seam-heap.js");
  const wasm = { HEAPF32: new Float32Array(1 << 20) };
  const heap = createHeap(wasm);
  const hash = (at) => ((at >>> 4) ^ (at >>> 10) ^ (at >>> 16)) & 63;   // the cache's, per pair of slots
  const colliding = [];
  for (let at = 4096; colliding.length < 3; at += 16) if (hash(at) === hash(4096)) colliding.push(at);
  const [a, b, c] = colliding;
  const va = heap.view(a, 8), vb = heap.view(b, 8);
  for (let i = 0; i < 3; i++) {
    assert.equal(heap.view(a, 8), va, "a stays");
    assert.equal(heap.view(b, 8), vb, "b stays");
  }
  heap.view(a, 8);                      // b is now the one used longer ago
  const vc = heap.view(c, 8);
  assert.equal(heap.view(a, 8), va, "a kept");
  assert.notEqual(heap.view(b, 8), vb, "b replaced by c, then made again");
  for (const [at, v] of [[a, va], [c, vc]]) assert.equal(v.byteOffset, at);
  const longer = heap.view(a, 16);
  assert.equal(longer.length, 16, "another length at the same address is a view of its own");
  assert.equal(longer.byteOffset, a);
  assert.equal(heap.view(a, 8).length, 8);
});
