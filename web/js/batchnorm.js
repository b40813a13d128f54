// BatchNorm1d: the JS face of the C++ layer (API.md). Validates arguments,
// copies arrays into the WASM heap through the binding's staging buffers and
// hands back fresh Float32Array copies. Owns the native object's lifetime.
import { checkBoolean, checkFinite, checkInteger, checkNumberArray, checkAllFinite, fail, describe } from "./validate.js";

export function makeBatchNorm1d(wasm, onDisposed) {
  // Frees native layers that were never disposed once JS drops them.
  const finalizer = typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((native) => native.delete())
    : null;

  return class BatchNorm1d {
    #native;
    #features;

    constructor(features, options = {}) {
      checkInteger("features", features, 1);
      if (options === null || typeof options !== "object") fail(`options must be an object, got ${describe(options)}`);
      const { eps = 1e-5, momentum = 0.1, affine = true } = options;
      checkFinite("eps", eps, { min: 0, minExclusive: true });
      if (momentum !== null) checkFinite("momentum", momentum, { min: 0, max: 1 });
      checkBoolean("affine", affine);
      this.#native = new wasm.BatchNormBinding(features, eps, momentum === null ? NaN : momentum, affine);
      this.#features = features;
      this.eps = eps;
      this.momentum = momentum;
      this.affine = affine;
      finalizer?.register(this, this.#native, this);
    }

    #live() {
      if (!this.#native) fail("BatchNorm1d was disposed: create a new layer");
      return this.#native;
    }

    get features() { this.#live(); return this.#features; }
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
      const names = ["gamma", "beta", "runningMean", "runningVar"];
      for (const key of Object.keys(params)) {
        if (!names.includes(key)) fail(`setParams: unknown field ${JSON.stringify(key)} (expected ${names.join(", ")})`);
      }
      const n = this.#features;
      let mask = 0;
      names.forEach((name, j) => {
        const v = params[name];
        if (v === undefined) return;
        if ((name === "gamma" || name === "beta") && !this.affine) {
          fail(`${name} cannot be set: the layer was built with affine: false`);
        }
        checkNumberArray(name, v, n);
        checkAllFinite(name, v);
        if (name === "runningVar" && Array.prototype.some.call(v, (x) => x < 0)) fail("runningVar must be >= 0");
        mask |= 1 << j;
      });
      const base = native.paramScratch() >> 2;
      names.forEach((name, j) => {
        if (mask & (1 << j)) wasm.HEAPF32.set(params[name], base + j * n);
      });
      native.setParams(mask);
      return this;
    }

    forward(x, batch) {
      const native = this.#live();
      checkInteger("batch", batch, 1);
      checkNumberArray("x", x, batch * this.#features);
      if (batch < 2 && native.training()) {
        fail("Expected more than 1 value per channel when training, got input of batch 1 (use eval() for a single example)");
      }
      const at = native.stagingInput(batch) >> 2;
      wasm.HEAPF32.set(x, at);
      const out = native.forward(batch) >> 2;   // throws on NaN/Infinity, nothing changed
      return wasm.HEAPF32.slice(out, out + batch * this.#features);
    }

    backward(dy) {
      const native = this.#live();
      if (!native.hasForward()) fail("backward called before any forward: call forward(x, batch) first");
      const n = this.#features;
      const total = native.lastBatch() * n;
      checkNumberArray("dy", dy, total);
      const at = native.stagingGradOutput() >> 2;
      wasm.HEAPF32.set(dy, at);
      const out = native.backward() >> 2;       // throws on NaN/Infinity in dy
      const heap = wasm.HEAPF32;
      const dx = heap.slice(out, out + total);
      if (!this.affine) return { dx, dgamma: null, dbeta: null };
      const g = native.gradGamma() >> 2, b = native.gradBeta() >> 2;
      return { dx, dgamma: heap.slice(g, g + n), dbeta: heap.slice(b, b + n) };
    }

    trace() {
      const native = this.#live();
      if (!native.hasForward()) fail("trace called before any forward: call forward(x, batch) first");
      return native.trace();
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
