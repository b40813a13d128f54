// The JS <-> WASM seam is memory-safe (issue 11): one test per class of
// failure the issue lists, each failing on the code before the fix. For
// every bad call: an Error whose message names the parameter(s), nothing
// changed (the layer's full state, bit for bit), and no other object in the
// same instance touched (a bystander layer, bit for bit). Both builds, each
// in a private instance (wasmBinary), so memory growth is ours to cause.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { loadBN } from "../../web/js/bn.js";
import { floats, layerState, thrown } from "./test-data.mjs";

const F = 4, B = 6;   // the layers under test: 4 features, batches of 6

for (const simd of [true, false]) {
  describe(`seam safety (${simd ? "SIMD" : "scalar"} build)`, async () => {
    const wasmBinary = await readFile(new URL(`../../web/wasm/bn-${simd ? "simd" : "scalar"}.wasm`, import.meta.url));
    const bn = await loadBN({ simd, wasmBinary });
    const x = floats(B * F, 1).map((v) => 2 + 3 * v), dy = floats(B * F, 2);

    // A layer with a history (forward, backward, forward), and a bystander
    // with one of its own: neither may change when a bad call fails.
    const trained = (features = F) => {
      const l = new bn.BatchNorm1d(features);
      l.setParams({ gamma: floats(features, 3).map((v) => 1 + v / 2), beta: floats(features, 4) });
      const xs = floats(B * features, 5);
      l.forward(xs, B);
      l.backward(floats(B * features, 6));
      l.forward(xs.map((v) => 2 * v), B);
      return l;
    };
    const bystander = trained(3);
    const bystanderState = layerState(bystander);

    // bad(layer) must throw an Error matching `message` and change nothing.
    function expectRefused(label, layer, bad, message) {
      const before = layerState(layer);
      const error = thrown(() => bad(layer));
      assert.ok(error instanceof Error, `${label}: an Error (got ${error})`);
      assert.match(error.message, message, label);
      assert.deepEqual(layerState(layer), before, `${label}: state unchanged`);
      assert.deepEqual(layerState(bystander), bystanderState, `${label}: the bystander unchanged`);
    }

    // Grows the WebAssembly memory (a layer holding ever larger input
    // buffers) until its buffer is replaced; returns that layer.
    function growMemory() {
      const hog = new bn.BatchNorm1d(1);
      const before = bn.memory.buffer;
      for (let rows = 1 << 16; bn.memory.buffer === before; rows *= 2) hog.inputView(rows);
      return hog;
    }

    describe("1. sizes at the boundary", () => {
      test("features at or past 2^31, or wrapping 32 bits: an Error naming features, nothing allocated", () => {
        const used = bn.heapBytesInUse(), bytes = bn.memory.buffer.byteLength;
        for (const [features, shown] of [[2 ** 32 + 2, "4294967298"], [3e9, "3000000000"], [2 ** 31, "2147483648"], [2 ** 27, "134217728"]]) {
          const error = thrown(() => new bn.BatchNorm1d(features));
          assert.ok(error instanceof Error, String(features));
          assert.equal(error.message, `features must be an integer in [1, 134217727], got ${shown} ` +
            "(one WebAssembly buffer holds at most 134217727 values)");
        }
        assert.equal(bn.heapBytesInUse(), used);
        assert.equal(bn.memory.buffer.byteLength, bytes);
      });

      test("inputView / forward with batch × features past the limit or 2^32: an Error naming batch, no view", () => {
        const layer = trained();
        for (const batch of [2 ** 32 + 2, 2 ** 31, 33554432]) {
          expectRefused(`inputView(${batch})`, layer, (l) => l.inputView(batch),
            new RegExp(`^batch must be an integer in \\[1, 33554431\\] for 4 features, got ${batch} \\(batch × features = ${batch * 4} values`));
          expectRefused(`forward(x, ${batch})`, layer, (l) => l.forward(x, batch), /^batch must be an integer in \[1, 33554431\] for 4 features/);
        }
        const wide = new bn.BatchNorm1d(4096);
        const error = thrown(() => wide.inputView(2 ** 20));
        assert.equal(error?.message, "batch must be an integer in [1, 32767] for 4096 features, got 1048576 " +
          "(batch × features = 4294967296 values; one WebAssembly buffer holds at most 134217727)");
        wide.dispose();
        layer.dispose();
      });
    });

    describe("2. every argument read once", () => {
      test("setParams: a getter is read once; a longer array on a second read cannot reach the heap", () => {
        const layer = trained();
        let reads = 0;
        const params = { get gamma() { reads++; return reads === 1 ? [1, 2, 3, 4] : new Array(100000).fill(7); } };
        layer.setParams(params);
        assert.equal(reads, 1);
        assert.deepEqual(layer.gamma, Float32Array.from([1, 2, 3, 4]));
        assert.deepEqual(layerState(bystander), bystanderState);
        layer.dispose();
      });

      test("forward options: a getter (or a Proxy's get trap) runs once per key", () => {
        const layer = trained();
        const out = new Float32Array(B * F);
        let reads = 0;
        const y = layer.forward(x, B, { get out() { reads++; return reads === 1 ? out : new Float32Array(1e5); } });
        assert.equal(reads, 1);
        assert.equal(y, out);
        const gets = [];
        const proxy = new Proxy({ out }, { get(target, key) { gets.push(key); return target[key]; } });
        layer.forward(x, B, proxy);
        assert.deepEqual(gets, ["out"]);
        layer.dispose();
      });

      test("x as a plain array with getters, or a Proxy of one: its length and each entry read once", () => {
        const layer = trained(), twin = trained();
        const reads = new Map();
        const proxy = new Proxy(Array.from(x), { get(target, key) { reads.set(key, (reads.get(key) ?? 0) + 1); return target[key]; } });
        assert.deepEqual(layer.forward(proxy, B), twin.forward(x, B));
        assert.equal(reads.get("length"), 1);
        for (let i = 0; i < x.length; i++) assert.equal(reads.get(String(i)), 1, `entry ${i}`);
        // A getter that would lengthen the array on a second read.
        const sneaky = Array.from(x);
        const plain = Float32Array.from(sneaky, (v, i) => (i === 0 ? 0.5 : v));
        let n = 0;
        Object.defineProperty(sneaky, 0, { get() { n++; if (n > 1) sneaky.push(...new Array(1000).fill(1)); return 0.5; } });
        twin.forward(plain, B);
        assert.deepEqual(layer.forward(sneaky, B), twin.trace().y);
        assert.equal(n, 1);
        layer.dispose(); twin.dispose();
      });

      test("Trainer: a hidden array behind a Proxy is read once, entry by entry", () => {
        const gets = [];
        const hidden = new Proxy([4, 3], { get(target, key) { gets.push(String(key)); return target[key]; } });
        const tr = new bn.Trainer({ hidden, samples: 40 });
        assert.deepEqual(tr.options.hidden, [4, 3]);
        assert.deepEqual(gets, ["length", "0", "1"]);
        tr.dispose();
      });
    });

    describe("3. aliasing", () => {
      test("forward(v, b, { out: v }) with v = inputView(b): refused naming out and x; backward after it is right", () => {
        const layer = trained(), twin = trained();
        const v = layer.inputView(B);
        v.set(x);
        expectRefused("out = x = inputView", layer, (l) => l.forward(v, B, { out: v }), /^out and x share memory: x is a view of the WebAssembly memory/);
        assert.deepEqual(layer.forward(v, B), twin.forward(x, B));
        assert.deepEqual(layer.backward(dy), twin.backward(dy));
        layer.dispose(); twin.dispose();
      });

      test("backward(g, { dx: g }) with g = gradOutputView(): refused naming dx and dy", () => {
        const layer = trained();
        const g = layer.gradOutputView();
        g.set(dy);
        expectRefused("dx = dy = gradOutputView", layer, (l) => l.backward(g, { dx: g }), /^dx and dy share memory/);
        layer.dispose();
      });

      test("the same array (or overlapping parts of one) as two outputs: refused naming both", () => {
        const layer = trained();
        const a = new Float32Array(F), big = new Float32Array(B * F + F);
        expectRefused("dgamma = dbeta", layer, (l) => l.backward(dy, { dgamma: a, dbeta: a }), /^dgamma and dbeta share memory/);
        expectRefused("dx overlaps dgamma", layer, (l) => l.backward(dy, { dx: big.subarray(0, B * F), dgamma: big.subarray(B * F - 1, B * F - 1 + F) }),
          /^dx and dgamma share memory/);
        layer.backward(dy, { dx: big.subarray(0, B * F), dgamma: big.subarray(B * F, B * F + F) });   // adjacent, not overlapping: fine
        layer.dispose();
      });

      test("an output that is another layer's view: refused, the other layer untouched", () => {
        const layer = trained(), other = trained();
        const otherY = other.forward(x, B, { view: true });
        const otherState = layerState(other);
        expectRefused("out = other layer's y view", layer, (l) => l.forward(x, B, { out: otherY }), /^out is a view of the WebAssembly memory/);
        expectRefused("dx = other layer's inputView", layer, (l) => l.backward(dy, { dx: other.inputView(B) }), /^dx is a view of the WebAssembly memory/);
        assert.deepEqual(layerState(other), otherState);
        layer.dispose(); other.dispose();
      });

      test("in place in the caller's own memory is correct: forward(x, b, { out: x }), backward(dy, { dx: dy })", () => {
        const layer = trained(), twin = trained();
        const xs = Float32Array.from(x), dys = Float32Array.from(dy);
        assert.equal(layer.forward(xs, B, { out: xs }), xs);
        assert.deepEqual(xs, twin.forward(x, B));
        assert.deepEqual(layer.trace(), twin.trace(), "the layer kept x, not y");
        assert.equal(layer.backward(dys, { dx: dys }).dx, dys);
        assert.deepEqual(dys, twin.backward(dy).dx);
        assert.deepEqual(layer.backwardTrace().dy, dy, "backwardTrace().dy is dy, not dx");
        layer.dispose(); twin.dispose();
      });
    });

    describe("4. views across memory growth", () => {
      test("inputView / gradOutputView / { view: true } passed back after growth: an Error saying so, nothing changed", () => {
        const layer = trained();
        const input = layer.inputView(B);
        const grad = layer.gradOutputView();
        const y = layer.forward(x, B, { view: true });
        const hog = growMemory();
        assert.equal(input.length, 0, "the platform detached the old views");
        const detached = /^(x|dy|out) is a view of the WebAssembly memory that was detached by memory growth .*take a new one/;
        expectRefused("stale inputView as x", layer, (l) => l.forward(input, B), detached);
        expectRefused("stale gradOutputView as dy", layer, (l) => l.backward(grad), detached);
        expectRefused("stale { view: true } result as out", layer, (l) => l.forward(x, B, { out: y }), detached);
        hog.dispose(); layer.dispose();
      });

      test("a heap view given as out when the call itself grows memory: refused before the running statistics change", () => {
        const layer = trained();
        const rows = 1 << 16, big = floats(rows * F, 7);
        const other = new bn.BatchNorm1d(F);
        const out = other.forward(big, rows, { view: true });   // the right length; the layer's staging for rows would grow the memory
        expectRefused("out = heap view, growing call", layer, (l) => l.forward(big, rows, { out }), /^out is a view of the WebAssembly memory/);
        assert.equal(layer.numBatchesTracked, 2);
        other.dispose(); layer.dispose();
      });

      test("an out array whose buffer was transferred: an Error saying it is detached", () => {
        const layer = trained();
        const out = new Float32Array(B * F);
        structuredClone(out.buffer, { transfer: [out.buffer] });
        expectRefused("transferred out", layer, (l) => l.forward(x, B, { out }), /^out must have 24 entries, got 0: its ArrayBuffer is detached/);
        layer.dispose();
      });

      test("a heap view of another layer as x, when staging grows the memory: read before the growth, correct", () => {
        const W = 1 << 14, rows = 6;
        const a = new bn.BatchNorm1d(W);
        const xW = floats(rows * W, 8);
        const kept = [];
        let grew = false;
        for (let attempt = 0; attempt < 60 && !grew; attempt++) {
          const layer = new bn.BatchNorm1d(W), twin = new bn.BatchNorm1d(W);
          kept.push(layer, twin);
          // One forward each first: y's buffer is then allocated, and the
          // next forward allocates only its staging (the buffer x is copied into).
          layer.forward(xW, rows);
          twin.forward(xW, rows);
          const expected = twin.forward(a.forward(xW, rows), rows);
          const yA = a.forward(xW, rows, { view: true });   // a is warm: no allocation, the same y
          const before = bn.memory.buffer;
          const y = layer.forward(yA, rows);
          grew = bn.memory.buffer !== before;
          assert.deepEqual(y, expected, `attempt ${attempt}${grew ? " (the memory grew during the call)" : ""}`);
        }
        assert.ok(grew, "some forward grew the memory while its x was a view of it");
        for (const l of [a, ...kept]) l.dispose();
      });
    });

    describe("6. running out of memory", () => {
      test("a constructor that does not fit: an Error that says so, and everything it took released", () => {
        const used = bn.heapBytesInUse();
        const error = thrown(() => new bn.BatchNorm1d(1e8));
        assert.match(error?.message, /^out of WebAssembly memory while allocating the layer's buffers\. [\d.]+ [KM]iB of the 2\.0 GiB the WebAssembly memory can grow to are in use, by \d+ live objects? \(\d+ BatchNorm1d(, 1 Trainer)?\)\. dispose\(\) frees/);
        assert.equal(bn.heapBytesInUse(), used, "heap bytes in use before = after");
      });
    });

    describe("7. unknown option keys", () => {
      test("every options object rejects an unknown key, naming it", () => {
        const layer = trained();
        assert.throws(() => new bn.BatchNorm1d(3, { momentun: 0.1 }), /^Error: unknown BatchNorm1d option "momentun" \(expected eps, momentum, affine\)/);
        assert.throws(() => new bn.BatchNorm1d(3, { track_running_stats: false }), /unknown BatchNorm1d option "track_running_stats"/);
        expectRefused("forward options", layer, (l) => l.forward(x, B, { outt: new Float32Array(B * F) }), /^forward options: unknown field "outt" \(expected out, view\)/);
        expectRefused("backward options", layer, (l) => l.backward(dy, { dX: new Float32Array(B * F) }), /^backward options: unknown field "dX"/);
        expectRefused("setParams", layer, (l) => l.setParams({ weight: [1, 1, 1, 1] }), /^setParams: unknown field "weight"/);
        assert.throws(() => new bn.Trainer({ learningRate: 0.1 }), /unknown Trainer option "learningRate"/);
        layer.dispose();
      });
    });

    test("the bystander is bit-identical after everything above", () => {
      assert.deepEqual(layerState(bystander), bystanderState);
    });
  });
}

// Item 6 in full, in an instance of its own: undisposed layers in a
// synchronous loop fill the 2 GiB memory; the Error says so, with how much
// is held and by how many objects, and dispose() gives it all back.
test("6. undisposed layers in a synchronous loop: the out-of-memory Error counts them and dispose() frees them", async () => {
  const wasmBinary = await readFile(new URL("../../web/wasm/bn-simd.wasm", import.meta.url));
  const bn = await loadBN({ simd: true, wasmBinary });
  const start = bn.heapBytesInUse();
  const tr = new bn.Trainer({ hidden: [4], samples: 40 });
  const layers = [];
  let error = null;
  const x = new Float32Array(1 << 20).fill(1);
  while (!error && layers.length < 1000) {
    error = thrown(() => {
      const l = new bn.BatchNorm1d(1 << 17);
      layers.push(l);
      l.forward(x, 8);
    });
  }
  assert.ok(error instanceof Error, "memory ran out");
  assert.ok(bn.heapBytesInUse() > 1.5 * 2 ** 30, `heap bytes in use read past 2^31 (${bn.heapBytesInUse()})`);
  const live = layers.length + 1;
  assert.match(error.message, new RegExp(`^out of WebAssembly memory while allocating .*\\. (1\\.9|2\\.0) GiB of the 2\\.0 GiB the WebAssembly memory can grow to ` +
    `are in use, by ${live} live objects \\(${layers.length} BatchNorm1d, 1 Trainer\\)\\. dispose\\(\\) frees an object's memory at once`));
  assert.match(error.message, /garbage collector .* synchronous loop/);
  // A forward that needs more than is left: the same Error (not "batch is too large").
  const small = new bn.BatchNorm1d(2);
  const again = thrown(() => small.forward(new Float32Array(2 << 22), 1 << 22));
  assert.match(again?.message ?? "", new RegExp(`^out of WebAssembly memory while allocating the input buffers\\. .* by ${live + 1} live objects`));
  for (const l of layers) l.dispose();
  small.dispose();
  tr.dispose();
  assert.equal(bn.heapBytesInUse(), start, "dispose() gave every byte back");
  const l = new bn.BatchNorm1d(1 << 17);
  assert.equal(l.forward(x, 8).length, 1 << 20);
  l.dispose();
});
