// BatchNorm1d: the JS face of the C++ layer (API.md). Validates arguments,
// copies arrays into the WASM heap through the binding's staging buffers and
// hands back fresh Float32Array copies. Owns the native object's lifetime.
//
// The binding never throws into JS (see bindings_batchnorm.cpp): a failing
// call returns 0 / false / null and lastError() holds the message, which is
// thrown here, from plain JS, so the WASM instance never loses stack.
import { checkBoolean, checkFinite, checkInteger, checkNumberArray, checkAllFinite, fail, describe } from "./validate.js";

const PARAM_NAMES = ["gamma", "beta", "runningMean", "runningVar"];

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

    forward(x, batch) {
      const native = this.#live();
      checkInteger("batch", batch, 1);
      checkNumberArray("x", x, batch * this.#features);
      if (batch < 2 && native.training()) {
        fail("Expected more than 1 value per channel when training, got input of batch 1 (use eval() for a single example)");
      }
      const at = native.stagingInput(batch);
      if (at === 0) fail(native.lastError());
      wasm.HEAPF32.set(x, at >>> 2);            // HEAPF32 read after the call: memory may have grown
      const out = native.forward(batch);       // 0 on NaN/Infinity in x: nothing changed
      if (out === 0) fail(native.lastError());
      return wasm.HEAPF32.slice(out >>> 2, (out >>> 2) + batch * this.#features);
    }

    backward(dy) {
      const native = this.#live();
      if (!native.hasForward()) fail("backward called before any forward: call forward(x, batch) first");
      const n = this.#features;
      const total = native.lastBatch() * n;
      checkNumberArray("dy", dy, total);
      const at = native.stagingGradOutput();
      if (at === 0) fail(native.lastError());
      wasm.HEAPF32.set(dy, at >>> 2);
      const out = native.backward();           // 0 on NaN/Infinity in dy
      if (out === 0) fail(native.lastError());
      const heap = wasm.HEAPF32;
      const dx = heap.slice(out >>> 2, (out >>> 2) + total);
      if (!this.#affine) return { dx, dgamma: null, dbeta: null };
      const g = native.gradGamma() >>> 2, b = native.gradBeta() >>> 2;
      return { dx, dgamma: heap.slice(g, g + n), dbeta: heap.slice(b, b + n) };
    }

    trace() {
      const native = this.#live();
      if (!native.hasForward()) fail("trace called before any forward: call forward(x, batch) first");
      const t = native.trace();
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
