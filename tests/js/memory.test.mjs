// Steady-state use must not grow WebAssembly memory: after a warm-up at the
// largest shape, 10,000 forward + backward calls (fixed or mixed shapes, both
// modes, with trace() reads) and many create/dispose cycles leave
// bn.memory.buffer.byteLength where it was. The byte count alone would miss
// a small leak hidden in the 2 MB the module starts with, so the bytes in use
// by malloc (bn.heapBytesInUse(), an extra of bn.js) must not change either. Each build gets a private
// instance (wasmBinary) so other tests' allocations cannot blur the figure.
// Set BN_MEMORY_REPORT=1 to print the figures.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { loadBN } from "../../web/js/bn.js";
import { seededStream } from "./test-data.mjs";

const CALLS = 10_000;
const report = (...args) => { if (process.env.BN_MEMORY_REPORT) console.log(...args); };

for (const simd of [true, false]) {
  describe(`WASM memory in steady state (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const wasmBinary = await readFile(new URL(`../../web/wasm/bn-${simd ? "simd" : "scalar"}.wasm`, import.meta.url));
    const bn = await loadBN({ simd, wasmBinary });
    const bytes = () => bn.memory.buffer.byteLength;
    const inUse = () => bn.heapBytesInUse();

    test(`${CALLS} forward + backward calls at a fixed shape`, () => {
      const features = 64, batch = 128;
      const layer = new bn.BatchNorm1d(features);
      const r = seededStream(1);
      const x = Float32Array.from({ length: batch * features }, r.float);
      const dy = Float32Array.from({ length: batch * features }, r.float);
      for (let i = 0; i < 2; i++) layer.backward(layer.forward(x, batch));   // warm-up: both buffers of the double-buffered input/output
      const before = bytes(), usedBefore = inUse();
      let checksum = 0;
      for (let i = 0; i < CALLS; i++) {
        const y = layer.forward(x, batch);
        const { dx } = layer.backward(dy);
        checksum += y[i % y.length] + dx[i % dx.length];
      }
      const after = bytes(), usedAfter = inUse();
      report(`fixed ${batch}x${features} (${simd ? "simd" : "scalar"}): byteLength ${before} -> ${after}, heap in use ${usedBefore} -> ${usedAfter}`);
      assert.ok(Number.isFinite(checksum));
      assert.equal(layer.numBatchesTracked, 2 + CALLS);
      assert.equal(after, before, "byteLength");
      assert.equal(usedAfter, usedBefore, "heap bytes in use");
      layer.dispose();
    });

    test(`${CALLS} forward + backward calls at mixed shapes up to the largest seen, both modes, with trace()`, () => {
      const features = 48, largest = 256;
      const layer = new bn.BatchNorm1d(features, { momentum: null });
      const r = seededStream(2);
      const x = Float32Array.from({ length: largest * features }, r.float);
      const dy = Float32Array.from({ length: largest * features }, r.float);
      // Warm-up: the largest shape once in each mode, with a trace.
      for (const mode of ["train", "eval"]) {
        layer[mode]();
        layer.forward(x, largest);
        layer.backward(dy);
        layer.trace();
      }
      layer.train();
      const before = bytes(), usedBefore = inUse();
      for (let i = 0; i < CALLS; i++) {
        const evalMode = i % 5 === 4;
        if (evalMode) layer.eval(); else layer.train();
        const batch = r.int(evalMode ? 1 : 2, largest);
        const n = batch * features;
        layer.forward(x.subarray(0, n), batch);
        layer.backward(dy.subarray(0, n));
        if (i % 50 === 0) layer.trace();
      }
      const after = bytes(), usedAfter = inUse();
      report(`mixed batch 1..${largest} x ${features} (${simd ? "simd" : "scalar"}): byteLength ${before} -> ${after}, heap in use ${usedBefore} -> ${usedAfter}`);
      assert.equal(after, before, "byteLength");
      assert.equal(usedAfter, usedBefore, "heap bytes in use");
      layer.dispose();
    });

    test("memory grown by a large warm-up is reused by every smaller shape afterwards", () => {
      const features = 512, largest = 1024;
      const layer = new bn.BatchNorm1d(features);
      const r = seededStream(5);
      const x = Float32Array.from({ length: largest * features }, r.float);
      const start = bytes();
      for (let i = 0; i < 2; i++) layer.backward(layer.forward(x, largest));
      const before = bytes(), usedBefore = inUse();
      assert.ok(before > start, `the warm-up at ${largest}x${features} grew memory (${start} -> ${before})`);
      for (let i = 0; i < 300; i++) {
        const evalMode = i % 3 === 2;
        if (evalMode) layer.eval(); else layer.train();
        const batch = i === 299 ? largest : r.int(evalMode ? 1 : 2, largest);
        const n = batch * features;
        layer.backward(layer.forward(x.subarray(0, n), batch));
      }
      const after = bytes(), usedAfter = inUse();
      report(`large ${largest}x${features} (${simd ? "simd" : "scalar"}): byteLength ${start} -> warm-up ${before} -> ${after}, heap in use ${usedBefore} -> ${usedAfter}`);
      assert.equal(after, before, "byteLength");
      assert.equal(usedAfter, usedBefore, "heap bytes in use");
      layer.dispose();
    });

    test("2,000 create / forward / backward / dispose cycles of varied sizes", () => {
      const r = seededStream(3);
      const x = Float32Array.from({ length: 64 * 128 }, r.float);
      const cycle = (features, batch) => {
        const layer = new bn.BatchNorm1d(features, { affine: features % 2 === 0 });
        layer.forward(x.subarray(0, batch * features), batch);
        layer.backward(x.subarray(0, batch * features));
        layer.setParams({ runningMean: x.subarray(0, features) });
        layer.dispose();
      };
      for (let i = 0; i < 20; i++) cycle(128, 64);   // warm-up at the largest size
      const before = bytes(), usedBefore = inUse();
      for (let i = 0; i < 2000; i++) cycle(r.int(1, 128), r.int(2, 64));
      const after = bytes(), usedAfter = inUse();
      report(`create/dispose cycles (${simd ? "simd" : "scalar"}): byteLength ${before} -> ${after}, heap in use ${usedBefore} -> ${usedAfter}`);
      assert.equal(after, before, "byteLength");
      assert.equal(usedAfter, usedBefore, "heap bytes in use");
    });

    test("several live layers at once, used in turn, do not grow memory after warm-up", () => {
      const r = seededStream(4);
      const layers = [16, 32, 64, 8].map((f) => new bn.BatchNorm1d(f));
      const x = Float32Array.from({ length: 128 * 64 }, r.float);
      const round = (batch) => {
        for (const layer of layers) {
          const n = batch * layer.features;
          layer.backward(layer.forward(x.subarray(0, n), batch));
        }
      };
      // Warm-up: twice at the largest batch, since each layer double-buffers
      // its input and output (a failing forward never touches the last good one).
      round(128);
      round(128);
      const before = bytes(), usedBefore = inUse();
      for (let i = 0; i < CALLS / 4; i++) round(r.int(2, 128));
      const after = bytes(), usedAfter = inUse();
      report(`4 live layers (${simd ? "simd" : "scalar"}): byteLength ${before} -> ${after}, heap in use ${usedBefore} -> ${usedAfter}`);
      assert.equal(after, before, "byteLength");
      assert.equal(usedAfter, usedBefore, "heap bytes in use");
      for (const layer of layers) layer.dispose();
    });
  });
}
