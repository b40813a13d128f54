// Zero-copy views (an extra of web/js/batchnorm.js): inputView(batch) /
// gradOutputView() hand out the heap buffers the next forward / backward
// read (passing them back skips the copy in), and { view: true } returns
// y / dx / dgamma / dbeta as views into the heap instead of copies. Checked
// on both builds: bit-identical to the default copy path, the documented
// lifetime (a returned view is overwritten by the next call, copies are
// not), stale views still give correct results, bad inputs rejected with an
// Error naming the parameter and nothing changed, and no WebAssembly memory
// growth over 10,000 view-mode calls.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { loadBN } from "../../web/js/bn.js";
import { floats, twinLayers } from "./test-data.mjs";

const CALLS = 10_000;
const SHAPES = [[1, 2], [3, 2], [5, 7], [13, 9], [16, 32], [33, 4]];   // [features, batch]

// Everything a failed call must leave as it was (after at least one forward).
function snapshot(layer) {
  return {
    training: layer.training,
    runningMean: layer.runningMean, runningVar: layer.runningVar,
    numBatchesTracked: layer.numBatchesTracked,
    trace: layer.trace(),
  };
}

for (const simd of [true, false]) {
  describe(`zero-copy views (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const wasmBinary = await readFile(new URL(`../../web/wasm/bn-${simd ? "simd" : "scalar"}.wasm`, import.meta.url));
    const bn = await loadBN({ simd, wasmBinary });

    // Two layers with the same parameters: one on the default copy path,
    // one on views; both see the same calls.
    const pair = (features, options = {}) =>
      twinLayers(bn, features, options, { gamma: floats(features, 3).map((v) => 1 + 0.5 * v), beta: floats(features, 4) });

    for (const mode of ["train", "eval"]) {
      for (const [features, batch] of SHAPES) {
        test(`${mode} ${batch}x${features}: views give the copy path's values bit for bit`, () => {
          const [plain, viewed] = pair(features);
          plain[mode](); viewed[mode]();
          for (let step = 0; step < 3; step++) {   // running statistics move between steps; both input buffers used
            const x = floats(batch * features, 10 + step).map((v) => 3 + 2 * v);
            const dy = floats(batch * features, 20 + step);
            const input = viewed.inputView(batch);
            input.set(x);                            // x lives only in the view
            const yView = viewed.forward(input, batch, { view: true });
            const y = plain.forward(x, batch);
            assert.ok(yView instanceof Float32Array);
            assert.equal(yView.buffer, bn.memory.buffer);
            assert.deepEqual(yView, y);
            const gradOutput = viewed.gradOutputView();
            assert.equal(gradOutput.length, batch * features);
            gradOutput.set(dy);
            const g = viewed.backward(gradOutput, { view: true });
            const p = plain.backward(dy);
            for (const name of ["dx", "dgamma", "dbeta"]) {
              assert.ok(g[name] instanceof Float32Array, name);
              assert.equal(g[name].buffer, bn.memory.buffer, name);
              assert.deepEqual(g[name], p[name], name);
            }
            assert.deepEqual(viewed.runningMean, plain.runningMean);
            assert.deepEqual(viewed.runningVar, plain.runningVar);
            assert.equal(viewed.numBatchesTracked, plain.numBatchesTracked);
          }
          plain.dispose(); viewed.dispose();
        });
      }

      test(`${mode}: affine false returns dx as a view and null dgamma / dbeta`, () => {
        const features = 6, batch = 5;
        const [plain, viewed] = pair(features, { affine: false });
        plain[mode](); viewed[mode]();
        const x = floats(batch * features, 30), dy = floats(batch * features, 31);
        assert.deepEqual(viewed.forward(x, batch, { view: true }), plain.forward(x, batch));
        const g = viewed.backward(dy, { view: true });
        assert.equal(g.dx.buffer, bn.memory.buffer);
        assert.deepEqual(g.dx, plain.backward(dy).dx);
        assert.equal(g.dgamma, null);
        assert.equal(g.dbeta, null);
        plain.dispose(); viewed.dispose();
      });
    }

    test("successive inputView() calls alternate between two buffers, each consumed correctly", () => {
      const features = 7, batch = 3;
      const [plain, viewed] = pair(features);
      const offsets = new Set();
      for (let step = 0; step < 4; step++) {
        const x = floats(batch * features, 40 + step);
        const input = viewed.inputView(batch);
        offsets.add(input.byteOffset);
        input.set(x);
        assert.deepEqual(viewed.forward(input, batch, { view: true }), plain.forward(x, batch));
      }
      assert.equal(offsets.size, 2);
      plain.dispose(); viewed.dispose();
    });

    test("a view returned by forward / backward is overwritten by the next call; default copies are not", () => {
      const features = 5, batch = 4;
      const layer = new bn.BatchNorm1d(features);
      const x1 = floats(batch * features, 50), x2 = floats(batch * features, 51).map((v) => 10 * v);
      const dy1 = floats(batch * features, 52), dy2 = floats(batch * features, 53).map((v) => 5 * v);
      const yView = layer.forward(x1, batch, { view: true });
      const y1 = yView.slice();
      const dxView = layer.backward(dy1, { view: true }).dx;
      const dx1 = dxView.slice();
      const y2 = layer.forward(x2, batch);
      assert.notDeepEqual(y2, y1);
      assert.deepEqual(yView, y2);                       // the old view now shows the new y
      const dx2 = layer.backward(dy2).dx;
      assert.notDeepEqual(dx2, dx1);
      assert.deepEqual(dxView, dx2);
      // Copies keep their values across later calls.
      const y2Copy = y2.slice(), dx2Copy = dx2.slice();
      layer.forward(x1, batch);
      layer.backward(dy1);
      assert.deepEqual(y2, y2Copy);
      assert.deepEqual(dx2, dx2Copy);
      layer.dispose();
    });

    test("a stale view from an earlier call passed as x / dy is copied in and gives correct results", () => {
      const features = 9, batch = 6;
      const [plain, viewed] = pair(features);
      const x1 = floats(batch * features, 60), dy1 = floats(batch * features, 61);
      const input = viewed.inputView(batch);
      input.set(x1);
      viewed.forward(input, batch);
      plain.forward(x1, batch);
      const gradOutput = viewed.gradOutputView();
      gradOutput.set(dy1);
      viewed.backward(gradOutput);
      plain.backward(dy1);
      for (let step = 0; step < 3; step++) {             // the stale views hold x1 / dy1 still
        assert.deepEqual(viewed.forward(input, batch), plain.forward(x1, batch));
        assert.deepEqual(viewed.backward(gradOutput), plain.backward(dy1));
      }
      assert.deepEqual(viewed.runningMean, plain.runningMean);
      plain.dispose(); viewed.dispose();
    });

    test("bad inputs: an Error naming the parameter, state unchanged", () => {
      const features = 4, batch = 3;
      const layer = new bn.BatchNorm1d(features);
      const x = floats(batch * features, 70), dy = floats(batch * features, 71);
      assert.throws(() => layer.gradOutputView(), /gradOutputView.*before any forward/);
      assert.equal(layer.numBatchesTracked, 0);
      assert.deepEqual(layer.runningMean, new Float32Array(features));
      assert.throws(() => layer.trace(), /before any forward/);
      layer.forward(x, batch);
      layer.backward(dy);
      const before = snapshot(layer);
      const bad = [
        () => layer.forward(x, batch, { view: "yes" }),
        () => layer.forward(x, batch, { view: 1 }),
        () => layer.backward(dy, { view: "yes" }),
        () => layer.forward(x, batch, { view: true, out: new Float32Array(batch * features) }),
        () => layer.backward(dy, { view: true, dx: new Float32Array(batch * features) }),
        () => layer.backward(dy, { view: true, dgamma: new Float32Array(features) }),
      ];
      for (const call of bad) {
        assert.throws(call, (e) => e instanceof Error && /view/.test(e.message));
        assert.deepEqual(snapshot(layer), before);
      }
      for (const b of [0, 1.5, -1, NaN, "3"]) {
        assert.throws(() => layer.inputView(b), (e) => e instanceof Error && /batch/.test(e.message), String(b));
        assert.deepEqual(snapshot(layer), before);
      }
      // view: false is the default copy path.
      const y = layer.forward(x, batch, { view: false });
      assert.notEqual(y.buffer, bn.memory.buffer);
      layer.dispose();
    });

    test("after dispose every view method throws", () => {
      const features = 4, batch = 2;
      const layer = new bn.BatchNorm1d(features);
      const x = floats(batch * features, 80);
      layer.forward(x, batch);
      layer.dispose();
      for (const call of [
        () => layer.inputView(batch),
        () => layer.gradOutputView(),
        () => layer.forward(x, batch, { view: true }),
        () => layer.backward(x, { view: true }),
      ]) {
        assert.throws(call, /disposed/);
      }
    });

    test(`${CALLS} view-mode forward + backward calls grow no memory`, () => {
      const features = 64, batch = 128;
      const layer = new bn.BatchNorm1d(features);
      const x = floats(batch * features, 90), dy = floats(batch * features, 91);
      for (let i = 0; i < 2; i++) {                      // warm-up: both buffers of input and dy
        layer.inputView(batch).set(x);
        layer.forward(layer.inputView(batch), batch, { view: true });
        layer.gradOutputView().set(dy);
        layer.backward(layer.gradOutputView(), { view: true });
      }
      const bytes = bn.memory.buffer.byteLength, used = bn.heapBytesInUse();
      let checksum = 0;
      for (let i = 0; i < CALLS; i++) {
        const input = layer.inputView(batch);
        input[i % input.length] = x[i % x.length];
        const y = layer.forward(input, batch, { view: true });
        const { dx } = layer.backward(layer.gradOutputView(), { view: true });
        checksum += y[i % y.length] + dx[i % dx.length];
      }
      assert.ok(Number.isFinite(checksum));
      assert.equal(layer.numBatchesTracked, 2 + CALLS);
      assert.equal(bn.memory.buffer.byteLength, bytes, "byteLength");
      assert.equal(bn.heapBytesInUse(), used, "heap bytes in use");
      layer.dispose();
    });
  });
}
