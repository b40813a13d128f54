// BatchNorm1d: the JS face of the C++ layer (docs/api.md). Validates
// arguments (options through the core's option schema), copies arrays into
// the WASM heap through the binding's staging buffers and hands back fresh
// Float32Array copies. Owns the native object's lifetime.
//
// The binding never throws into JS: every call goes through seam.js, which
// turns the binding's failure value into an Error thrown from plain JS, so
// the WASM instance never loses stack.
import { checkInteger, checkNumberArray, checkAllFinite, checkValue, readOptions, fail, describe } from "./validate.js";
import { checked, construct } from "./seam.js";

const PARAM_NAMES = ["gamma", "beta", "runningMean", "runningVar"];

// The optional last argument of forward / backward (extensions, docs/api.md): caller-owned output arrays, or `view: true` for
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

// schema: bn.schema (the optionSchema() binding), for the options' rules and defaults.
export function makeBatchNorm1d(wasm, schema) {
  const { arguments: args, options: optionSpecs } = schema.BatchNorm1d;
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

    constructor(features, options) {
      checkValue("features", args.features, features);
      const { eps, momentum, affine } = readOptions("BatchNorm1d", optionSpecs, options);
      const native = construct(wasm.BatchNormBinding, features, { eps, momentum, affine });
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
      checked(native, native.setParams(mask));   // e.g. 1e39 is Infinity in float32
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
      const at = checked(native, native.stagingInput(batch));
      const heap = wasm.HEAPF32;                // read after the call: memory may have grown
      if (!isHeapView(heap, x, at)) heap.set(x, at >>> 2);   // written in place via inputView(): no copy
      const out = checked(native, native.forward(batch));   // fails on NaN/Infinity in x: nothing changed
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
      const at = checked(native, native.stagingDy());
      if (!isHeapView(wasm.HEAPF32, dy, at)) wasm.HEAPF32.set(dy, at >>> 2);
      const out = checked(native, native.backward());   // fails on NaN/Infinity in dy
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
      const at = checked(native, native.stagingInput(batch));
      return wasm.HEAPF32.subarray(at >>> 2, (at >>> 2) + batch * this.#features);
    }

    // Zero-copy dy (an extra): the heap buffer the next backward(dy) reads,
    // sized for the last forward's batch. Same rules as inputView().
    gradOutputView() {
      const native = this.#live();
      if (!native.hasForward()) fail("gradOutputView called before any forward: call forward(x, batch) first");
      const at = checked(native, native.stagingDy());
      return wasm.HEAPF32.subarray(at >>> 2, (at >>> 2) + native.lastBatch() * this.#features);
    }

    // Every intermediate of the last forward, plus (an extension) saveMean /
    // saveInvstd: the batch statistics of the last training forward (ATen's
    // save_mean, save_invstd), still there after eval forwards; null before any.
    trace() {
      const native = this.#live();
      if (!native.hasForward()) fail("trace called before any forward: call forward(x, batch) first");
      return checked(native, native.trace());
    }

    // Extension (docs/api.md): every intermediate of the last
    // backward, { training, batch, features, dy, dxhat, dvar, dmean, dx,
    // dgamma, dbeta }, fresh Float32Array copies from the core. dvar/dmean
    // are 0 after an eval forward (fixed statistics); dgamma/dbeta are null
    // when affine is false. Throws before any backward since the last forward.
    backwardTrace() {
      const native = this.#live();
      return checked(native, native.backwardTrace());
    }

    dispose() {
      if (!this.#native) return;
      finalizer?.unregister(this);
      this.#native.delete();
      this.#native = null;
    }
  };
}
