// BatchNorm1d: the JS face of the C++ layer (API.md). Validates arguments,
// copies arrays into the WASM heap through the binding's staging buffers and
// hands back fresh Float32Array copies. Owns the native object's lifetime.
//
// The binding never throws into JS (see bindings_batchnorm.cpp): a failing
// call returns 0 / false / null and lastError() holds the message, which is
// thrown here, from plain JS, so the WASM instance never loses stack.
import { checkBoolean, checkFinite, checkInteger, checkNumberArray, checkAllFinite, fail, describe } from "./validate.js";

const PARAM_NAMES = ["gamma", "beta", "runningMean", "runningVar"];

// The optional last argument of forward / backward (extras of this package,
// not in API.md's minimum): caller-owned output arrays, or `view: true` for
// zero-copy views into the WASM heap (valid until this layer's next call, and
// detached if the memory grows). Returns the options object's arrays after
// checking each given one is a Float32Array of `lengths[name]` entries;
// unknown keys are an error too.
function outputArrays(method, options, lengths) {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") {
    fail(`${method} options must be an object like { ${Object.keys(lengths).join(", ")} } or { view: true }, got ${describe(options)}`);
  }
  const arrays = {};
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (key === "view") {
      if (value !== undefined && typeof value !== "boolean") fail(`view must be true or false, got ${describe(value)}`);
      continue;
    }
    if (!(key in lengths)) fail(`${method} options: unknown field ${JSON.stringify(key)} (expected ${Object.keys(lengths).join(", ")} or view)`);
    if (value === undefined) continue;
    if (!(value instanceof Float32Array)) fail(`${key} must be a Float32Array (an output array), got ${describe(value)}`);
    if (value.length !== lengths[key]) fail(`${key} must have ${lengths[key]} entries, got ${value.length}`);
    arrays[key] = value;
  }
  if (options.view === true) {
    if (Object.keys(arrays).length > 0) fail(`${method} options: view: true cannot be combined with output arrays`);
    arrays.view = true;
  }
  return arrays;
}

// Copies `length` floats at heap byte address `at` into `target`, or into a
// fresh Float32Array when no target is given; target === true: the view itself.
function copyOut(heap, at, length, target) {
  const view = heap.subarray(at >>> 2, (at >>> 2) + length);
  if (target === true) return view;
  if (!target) return view.slice();
  target.set(view);
  return target;
}

// True when `array` is the very heap region at byte address `at` (a view
// from inputView() / gradOutputView()), so copying it there would be a no-op.
function isHeapView(heap, array, at) {
  return array.buffer === heap.buffer && array.byteOffset === at;
}

export function makeBatchNorm1d(wasm, onDisposed) {
  // Frees native layers that were never disposed once JS drops them.
  const finalizer = typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((native) => native.delete())
    : null;

  return class BatchNorm1d {
    #native;
    #features;
    #eps;
    #momentum;
    #affine;

    constructor(features, options = {}) {
      checkInteger("features", features, 1);
      if (options === null || typeof options !== "object") fail(`options must be an object, got ${describe(options)}`);
      const { eps = 1e-5, momentum = 0.1, affine = true } = options;
      checkFinite("eps", eps, { min: 0, minExclusive: true });
      if (momentum !== null) checkFinite("momentum", momentum, { min: 0, max: 1 });
      checkBoolean("affine", affine);
      const native = new wasm.BatchNormBinding(features, eps, momentum === null ? NaN : momentum, affine);
      if (!native.ok()) {
        const message = native.lastError();
        native.delete();
        fail(message);
      }
      this.#native = native;
      this.#features = features;
      this.#eps = eps;
      this.#momentum = momentum;
      this.#affine = affine;
      finalizer?.register(this, native, this);
    }

    #live() {
      if (!this.#native) fail("BatchNorm1d was disposed: create a new layer");
      return this.#native;
    }

    get features() { this.#live(); return this.#features; }
    get eps() { this.#live(); return this.#eps; }
    get momentum() { this.#live(); return this.#momentum; }
    get affine() { this.#live(); return this.#affine; }
    get training() { return this.#live().training(); }
    train() { this.#live().setTraining(true); return this; }
    eval() { this.#live().setTraining(false); return this; }
    get gamma() { return this.#live().gamma(); }
    get beta() { return this.#live().beta(); }
    get runningMean() { return this.#live().runningMean(); }
    get runningVar() { return this.#live().runningVar(); }
    get numBatchesTracked() { return this.#live().numBatchesTracked(); }

    // Any subset of { gamma, beta, runningMean, runningVar }; all-or-nothing.
    setParams(params) {
      const native = this.#live();
      if (params === null || typeof params !== "object") fail(`setParams expects an object, got ${describe(params)}`);
      for (const key of Object.keys(params)) {
        if (!PARAM_NAMES.includes(key)) fail(`setParams: unknown field ${JSON.stringify(key)} (expected ${PARAM_NAMES.join(", ")})`);
      }
      const n = this.#features;
      let mask = 0;
      PARAM_NAMES.forEach((name, j) => {
        const v = params[name];
        if (v === undefined) return;
        if ((name === "gamma" || name === "beta") && !this.#affine) {
          fail(`${name} cannot be set: the layer was built with affine: false`);
        }
        checkNumberArray(name, v, n);
        checkAllFinite(name, v);
        if (name === "runningVar" && Array.prototype.some.call(v, (x) => x < 0)) fail("runningVar must be >= 0");
        mask |= 1 << j;
      });
      const base = native.paramScratch() >>> 2;
      PARAM_NAMES.forEach((name, j) => {
        if (mask & (1 << j)) wasm.HEAPF32.set(params[name], base + j * n);
      });
      if (!native.setParams(mask)) fail(native.lastError());   // e.g. 1e39 is Infinity in float32
      return this;
    }

    // options.out (optional): a Float32Array(batch * features) that receives
    // y and is returned, instead of a fresh copy.
    forward(x, batch, options) {
      const native = this.#live();
      checkInteger("batch", batch, 1);
      checkNumberArray("x", x, batch * this.#features);
      const outputs = outputArrays("forward", options, { out: batch * this.#features });
      if (batch < 2 && native.training()) {
        fail("Expected more than 1 value per channel when training, got input of batch 1 (use eval() for a single example)");
      }
      const at = native.stagingInput(batch);
      if (at === 0) fail(native.lastError());
      const heap = wasm.HEAPF32;                // read after the call: memory may have grown
      if (!isHeapView(heap, x, at)) heap.set(x, at >>> 2);   // written in place via inputView(): no copy
      const out = native.forward(batch);       // 0 on NaN/Infinity in x: nothing changed
      if (out === 0) fail(native.lastError());
      return copyOut(wasm.HEAPF32, out, batch * this.#features, outputs.view || outputs.out);
    }

    // options { dx, dgamma, dbeta } (each optional): Float32Arrays that
    // receive those gradients and are returned, instead of fresh copies
    // (dgamma / dbeta stay null when affine is false).
    backward(dy, options) {
      const native = this.#live();
      if (!native.hasForward()) fail("backward called before any forward: call forward(x, batch) first");
      const n = this.#features;
      const total = native.lastBatch() * n;
      checkNumberArray("dy", dy, total);
      const targets = outputArrays("backward", options, { dx: total, dgamma: n, dbeta: n });
      const at = native.stagingDy();
      if (at === 0) fail(native.lastError());
      if (!isHeapView(wasm.HEAPF32, dy, at)) wasm.HEAPF32.set(dy, at >>> 2);
      const out = native.backward();           // 0 on NaN/Infinity in dy
      if (out === 0) fail(native.lastError());
      const heap = wasm.HEAPF32;
      const dx = copyOut(heap, out, total, targets.view || targets.dx);
      if (!this.#affine) return { dx, dgamma: null, dbeta: null };
      return { dx, dgamma: copyOut(heap, native.dgamma(), n, targets.view || targets.dgamma),
        dbeta: copyOut(heap, native.dbeta(), n, targets.view || targets.dbeta) };
    }

    // Zero-copy input (an extra): a Float32Array view of the heap buffer the
    // next forward(x, batch) reads. Write x into it and pass it as x: the copy
    // into WASM memory is skipped. Valid until this layer's next call.
    inputView(batch) {
      const native = this.#live();
      checkInteger("batch", batch, 1);
      const at = native.stagingInput(batch);
      if (at === 0) fail(native.lastError());
      return wasm.HEAPF32.subarray(at >>> 2, (at >>> 2) + batch * this.#features);
    }

    // Zero-copy dy (an extra): the heap buffer the next backward(dy) reads,
    // sized for the last forward's batch. Same rules as inputView().
    gradOutputView() {
      const native = this.#live();
      if (!native.hasForward()) fail("gradOutputView called before any forward: call forward(x, batch) first");
      const at = native.stagingDy();
      if (at === 0) fail(native.lastError());
      return wasm.HEAPF32.subarray(at >>> 2, (at >>> 2) + native.lastBatch() * this.#features);
    }

    trace() {
      const native = this.#live();
      if (!native.hasForward()) fail("trace called before any forward: call forward(x, batch) first");
      const t = native.trace();
      if (t === null) fail(native.lastError());
      return t;
    }

    // Extra (not in API.md's minimum): every intermediate of the last
    // backward, { training, batch, features, dy, dxhat, dvar, dmean, dx,
    // dgamma, dbeta }, fresh Float32Array copies from the core. dvar/dmean
    // are 0 after an eval forward (fixed statistics); dgamma/dbeta are null
    // when affine is false. Throws before any backward since the last forward.
    backwardTrace() {
      const native = this.#live();
      const t = native.backwardTrace();
      if (t === null) fail(native.lastError());
      return t;
    }

    dispose() {
      if (!this.#native) return;
      finalizer?.unregister(this);
      this.#native.delete();
      this.#native = null;
      onDisposed?.();
    }
  };
}
