// loadBN inside a Node worker_threads Worker: both builds load, compute the
// same bits as on the main thread, and report bad input as Errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { loadBN } from "../../web/js/bn.js";

const bnUrl = new URL("../../web/js/bn.js", import.meta.url).href;
const X = [0.5, -1, 2, 1.5, 0, -2, -0.5, 3, 1, 2.5, 1, 0];   // 4 rows, 3 features
const DY = [1, 0.5, -1, 0, 2, 1, -1, 1, 0.5, 0.25, -2, 1];

// The worker: loads bn-wasm, runs one forward/backward, one bad input, and
// posts everything back. An ES module given as a data: URL.
const workerSource = `
import { parentPort, workerData } from "node:worker_threads";
import { loadBN } from ${JSON.stringify(bnUrl)};
try {
  const bn = await loadBN({ simd: workerData.simd });
  const layer = new bn.BatchNorm1d(3);
  const y = layer.forward(workerData.x, 4);
  const { dx, dgamma, dbeta } = layer.backward(workerData.dy);
  let badMessage = null;
  try { layer.forward([1, NaN, 3, 4, 5, 6], 2); } catch (e) { badMessage = e.message; }
  parentPort.postMessage({ simd: bn.simd, version: bn.version, hasMemory: bn.memory instanceof WebAssembly.Memory,
    y, dx, dgamma, dbeta, runningMean: layer.runningMean, badMessage });
} catch (e) {
  parentPort.postMessage({ error: String(e && e.stack || e) });
}
`;

function runWorker(simd) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(workerSource)}`),
      { workerData: { simd, x: X, dy: DY } });
    worker.once("message", (m) => { worker.terminate(); resolve(m); });
    worker.once("error", reject);
  });
}

for (const simd of [true, false]) {
  test(`loadBN works inside a worker_threads Worker (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const result = await runWorker(simd);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.simd, simd);
    assert.equal(result.hasMemory, true);
    const bn = await loadBN({ simd });
    assert.equal(result.version, bn.version);
    const layer = new bn.BatchNorm1d(3);
    const y = layer.forward(X, 4);
    const grads = layer.backward(DY);
    assert.deepEqual(result.y, y, "same y as on the main thread");
    assert.deepEqual(result.dx, grads.dx);
    assert.deepEqual(result.dgamma, grads.dgamma);
    assert.deepEqual(result.dbeta, grads.dbeta);
    assert.deepEqual(result.runningMean, layer.runningMean);
    assert.match(result.badMessage, /^x must hold finite numbers/);
    layer.dispose();
  });
}

test("two workers at once each get their own instance", async () => {
  const [a, b] = await Promise.all([runWorker(true), runWorker(true)]);
  assert.equal(a.error, undefined, a.error);
  assert.deepEqual(a.y, b.y);
  assert.deepEqual(a.runningMean, b.runningMean, "no shared state: each saw one training forward");
});
