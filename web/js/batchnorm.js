// BatchNorm1d: the JS face of the C++ layer (docs/api.md). Reads its
// arguments through the seam's validation layer (seam-args.js: options
// once, sizes against the heap's limits, arrays snapshotted, outputs and
// views checked) before its first call into WebAssembly, copies inputs into
// the heap through the binding's staging buffers and hands back fresh
// Float32Array copies (or views, or the caller's output arrays). Owns the
// native object's lifetime through the seam.
//
// The binding never throws into JS: every call goes through seam.js, which
// turns the binding's failure value into an Error thrown from plain JS, so
// the WASM instance never loses stack.
import { readOptions, fail, checkAllFinite } from "./validate.js";
import { checked, address, construct, seamFor, resolveExports } from "./seam.js";
import { record, snapshot, checkInput, checkOutputs, deliver, stage, IN_PLACE } from "./seam-args.js";
import { readShape, checkShapeLength } from "./seam-shape.js";
import { typedByteOffset } from "./seam-heap.js";

const PARAM_NAMES = ["gamma", "beta", "runningMean", "runningVar"];
const FORWARD_OPTIONS = ["out", "view"];
const FORWARD_OUTPUTS = ["out"];
const BACKWARD_OPTIONS = ["dx", "dgamma", "dbeta", "view"];
const BACKWARD_OUTPUTS = ["dx", "dgamma", "dbeta"];

// schema: bn.schema (the optionSchema() binding), for the options' rules and defaults.
export function makeBatchNorm1d(wasm, schema) {
  const { options: optionSpecs } = schema.BatchNorm1d;
  const seam = seamFor(wasm);
  const { heap } = seam;
  // The step's four calls as plain exports (cpp/bindings/bindings_batchnorm.cpp),
  // called with the binding's handle(): no Embind invoker on the hot path.
  // Resolved by the first layer, with calls its fresh binding refuses (batch
  // 0; dy before any forward).
  let hot = null;
  const resolveHot = (handle) => resolveExports(wasm, {
    _bn_batchnorm_staging_input: (f) => f(handle, 0),
    _bn_batchnorm_forward: (f) => f(handle, 0),
    _bn_batchnorm_staging_dy: (f) => f(handle),
    _bn_batchnorm_backward: (f) => f(handle),
  });
  const stagingInputOf = (native, handle, rows) => address(native, hot._bn_batchnorm_staging_input(handle, rows));
  const forwardOf = (native, handle, rows) => address(native, hot._bn_batchnorm_forward(handle, rows));
  const stagingDyOf = (native, handle) => address(native, hot._bn_batchnorm_staging_dy(handle));
  const backwardOf = (native, handle) => address(native, hot._bn_batchnorm_backward(handle));

  return class BatchNorm1d {
    #native;
    #handle = 0;           // the binding's address, for the plain exports
    #features;
    #eps;
    #momentum;
    #affine;
    #training = true;
    #lastBatch = 0;        // rows of the last successful forward (0: none yet)
    #lastTotal = 0;        // its elements (rows × features × L)
    #inputView = null;     // the view inputView() handed out, until the next forward
    #inputViewStaged = false;   // it is where the core reads x: inputView(batch) staged it, no forward since
    #inputViewAt = 0;      // its heap address (the engine's byteOffset getter is a builtin call)
    #dyView = null;        // the view gradOutputView() handed out, until the next forward / backward
    #dgammaAt = 0;         // where backward leaves dgamma and dbeta: fixed for the layer's life
    #dbetaAt = 0;          // (sized at construction, cpp/bindings/bindings_batchnorm.cpp)

    constructor(features, options) {
      seam.count("features", features);   // bn.schema's integer >= 1, within what one buffer holds
      const { eps, momentum, affine } = readOptions("BatchNorm1d", optionSpecs, options);
      const native = construct(wasm.BatchNormBinding, features, { eps, momentum, affine });
      seam.adopt(this, native, "BatchNorm1d");
      this.#native = native;
      this.#handle = native.handle();
      hot ??= resolveHot(this.#handle);
      this.#dgammaAt = native.dgamma();
      this.#dbetaAt = native.dbeta();
      this.#features = features;
      this.#eps = eps;
      this.#momentum = momentum;
      this.#affine = affine;
    }

    #live() {
      if (!this.#native) fail("BatchNorm1d was disposed: create a new layer");
      return this.#native;
    }

    get features() { this.#live(); return this.#features; }
    get eps() { this.#live(); return this.#eps; }
    get momentum() { this.#live(); return this.#momentum; }
    get affine() { this.#live(); return this.#affine; }
    get training() { this.#live(); return this.#training; }
    train() { this.#live().setTraining(true); this.#training = true; return this; }
    eval() { this.#live().setTraining(false); this.#training = false; return this; }
    get gamma() { return this.#live().gamma(); }
    get beta() { return this.#live().beta(); }
    get runningMean() { return this.#live().runningMean(); }
    get runningVar() { return this.#live().runningVar(); }
    get numBatchesTracked() { return this.#live().numBatchesTracked(); }

    // Any subset of { gamma, beta, runningMean, runningVar }; all-or-nothing.
    setParams(params) {
      const native = this.#live();
      const given = record("setParams", params, PARAM_NAMES);
      const n = this.#features;
      const arrays = [];
      for (const name of PARAM_NAMES) {
        if (given[name] === undefined) continue;
        if ((name === "gamma" || name === "beta") && !this.#affine) {
          fail(`${name} cannot be set: the layer was built with affine: false`);
        }
        arrays.push([name, snapshot(name, given[name])]);   // every user read first...
      }
      let mask = 0;
      for (const entry of arrays) {                         // ...then the checks, which run no user code
        const [name] = entry;
        const value = checkInput(heap, name, entry[1], n, null);
        checkAllFinite(name, value, n, name === "runningVar");
        entry[1] = value;
        mask |= 1 << PARAM_NAMES.indexOf(name);
      }
      const base = native.paramScratch() >>> 2;              // no allocation: the memory cannot grow here
      const f32 = heap.f32();
      for (const [name, value] of arrays) f32.set(value, base + PARAM_NAMES.indexOf(name) * n);
      checked(native, native.setParams(mask));   // e.g. 1e39 is Infinity in float32
      return this;
    }

    // options.out (optional): a Float32Array(batch * features) that receives
    // y and is returned, instead of a fresh copy; options.view: y as a view.
    // forward(x, shape) with shape an array: see #forwardShaped.
    forward(x, batch, options) {
      if (Array.isArray(batch)) return this.#forwardShaped(x, batch, options);
      const native = this.#live();
      const given = record("forward options", options, FORWARD_OPTIONS);
      const data = snapshot("x", x);
      const n = this.#features;
      const rows = seam.count("batch", batch, n, "features");
      const input = checkInput(heap, "x", data, rows * n, this.#inputView);
      const outputs = checkOutputs(heap, "forward", given, FORWARD_OUTPUTS, [rows * n], "x", x);
      if (rows < 2 && this.#training) {
        fail("Expected more than 1 value per channel when training, got input of batch 1 (use eval() for a single example)");
      }
      // Every argument is read and checked: from here on only the core can
      // refuse (NaN or Infinity in x, out of memory), and it changes nothing when it does.
      const handle = this.#handle;
      // x in the view inputView(batch) staged, no forward since: no staging call again.
      const staged = input === IN_PLACE && this.#inputViewStaged;
      this.#inputViewStaged = false;
      // (staged: x is that view, live, so still at the address it was made at)
      const at = staged ? this.#inputViewAt : stagingInputOf(native, handle, rows);   // may grow the memory: no caller array is a heap view now
      return this.#commitForward(native, at, input, x, outputs, rows, rows * n, false);
    }

    // forward(x, shape): x of shape [N, C] or [N, C, L] (statistics per
    // channel over N·L), as torch.nn.BatchNorm1d; the core checks the shape
    // (PyTorch's messages).
    #forwardShaped(x, shapeArg, options) {
      const native = this.#live();
      const given = record("forward options", options, FORWARD_OPTIONS);
      const data = snapshot("x", x);
      const { dims, total } = readShape(seam, shapeArg);
      checkShapeLength(data, dims, total);
      const input = checkInput(heap, "x", data, total, this.#inputView);
      const outputs = checkOutputs(heap, "forward", given, FORWARD_OUTPUTS, [total], "x", x);
      this.#inputViewStaged = false;
      const at = address(native, native.stagingInputShaped(dims));
      return this.#commitForward(native, at, input, x, outputs, dims[0], total, true);
    }

    // Stages x at `at` and runs the core's forward (of a shape, or of `rows`
    // rows); only the core can refuse from here on (NaN or Infinity in x,
    // out of memory, the shape), and it changes nothing when it does.
    #commitForward(native, at, input, x, outputs, rows, total, shaped) {
      // x the view inputView() made at `at`: in place, nothing to stage (the
      // staging call asked for what that view holds, so the memory did not grow).
      if (input !== IN_PLACE || at !== this.#inputViewAt) {
        stage(heap, at, input, x, this.#inputView);   // x, read before, is intact if the buffer moved
        if (this.#inputView !== null && at !== typedByteOffset(this.#inputView)) this.#inputView = null;   // no longer where forward reads
      }
      const y = shaped ? address(native, native.forwardShaped()) : forwardOf(native, this.#handle, rows);
      this.#lastBatch = rows;
      this.#lastTotal = total;
      this.#inputView = null;
      this.#dyView = null;
      return deliver(heap, y, total, outputs.view || outputs.out);
    }

    // options { dx, dgamma, dbeta } (each optional): Float32Arrays that
    // receive those gradients and are returned, instead of fresh copies
    // (dgamma / dbeta stay null when affine is false); options.view: views.
    backward(dy, options) {
      const native = this.#live();
      const given = record("backward options", options, BACKWARD_OPTIONS);
      const data = snapshot("dy", dy);
      if (this.#lastBatch === 0) fail("backward called before any forward: call forward(x, batch) first");
      const n = this.#features;
      const total = this.#lastTotal;
      const input = checkInput(heap, "dy", data, total, this.#dyView);
      const outputs = checkOutputs(heap, "backward", given, BACKWARD_OUTPUTS, [total, n, n], "dy", dy);
      // dy in the view gradOutputView() staged: only forward or backward
      // could move that buffer, and a successful one drops the view.
      // (dy is that view, live, at the address it was made at: nothing to stage.)
      if (input !== IN_PLACE) {
        const at = stagingDyOf(native, this.#handle);
        stage(heap, at, input, dy, this.#dyView);   // as in forward
        if (this.#dyView !== null && at !== typedByteOffset(this.#dyView)) this.#dyView = null;
      }
      const dxAt = backwardOf(native, this.#handle);   // fails on NaN/Infinity in dy: nothing changed
      this.#dyView = null;
      const dx = deliver(heap, dxAt, total, outputs.view || outputs.dx);
      if (!this.#affine) return { dx, dgamma: null, dbeta: null };
      return { dx, dgamma: deliver(heap, this.#dgammaAt, n, outputs.view || outputs.dgamma),
        dbeta: deliver(heap, this.#dbetaAt, n, outputs.view || outputs.dbeta) };
    }

    // Zero-copy input (an extra): a Float32Array view of the heap buffer the
    // next forward(x, batch) reads. Write x into it and pass it as x: the copy
    // into WASM memory is skipped. Valid until this layer's next call, or
    // until the memory grows (docs/api.md, "View lifetimes").
    inputView(batch) {
      const native = this.#live();
      if (Array.isArray(batch)) {   // inputView(shape), for forward(x, shape)
        const { dims, total } = readShape(seam, batch);
        this.#inputViewStaged = false;
        this.#inputViewAt = address(native, native.stagingInputShaped(dims));
        this.#inputView = heap.view(this.#inputViewAt, total);
        return this.#inputView;
      }
      const rows = seam.count("batch", batch, this.#features, "features");
      this.#inputViewStaged = false;
      const at = stagingInputOf(native, this.#handle, rows);
      this.#inputViewAt = at;
      this.#inputView = heap.view(at, rows * this.#features);
      this.#inputViewStaged = true;
      return this.#inputView;
    }

    // Zero-copy dy (an extra): the heap buffer the next backward(dy) reads,
    // sized for the last forward's batch. Same rules as inputView().
    gradOutputView() {
      const native = this.#live();
      if (this.#lastBatch === 0) fail("gradOutputView called before any forward: call forward(x, batch) first");
      const at = stagingDyOf(native, this.#handle);
      this.#dyView = heap.view(at, this.#lastTotal);
      return this.#dyView;
    }

    // Every intermediate of the last forward, plus (an extension) saveMean /
    // saveInvstd: the batch statistics of the last training forward (ATen's
    // save_mean, save_invstd), still there after eval forwards; null before any.
    trace() {
      const native = this.#live();
      if (this.#lastBatch === 0) fail("trace called before any forward: call forward(x, batch) first");
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
      seam.release(this, this.#native, "BatchNorm1d");
      this.#native = null;
      this.#handle = 0;
      this.#inputView = this.#dyView = null;
    }
  };
}
