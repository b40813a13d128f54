// The JS face shared by BatchNorm2d, LayerNorm, GroupNorm and InstanceNorm2d
// (docs/api.md, "More normalization layers"): forward(x, shape), backward,
// trace(), backwardTrace(), setParams, train/eval, views, dispose, over the
// one NormLayerBinding (cpp/bindings/bindings_norm_layers.cpp). Each layer
// class (norm-layers.js) only reads its constructor's arguments and options
// and names its getters. Arguments go through the seam's validation layer
// (seam-args.js) before the first call into WebAssembly, exactly as
// BatchNorm1d's; what only the core knows (a shape the layer refuses, in
// PyTorch's words; NaN in x) comes back through the seam protocol.
import { fail, checkAllFinite } from "./validate.js";
import { checked, address, construct, seamFor } from "./seam.js";
import { record, snapshot, checkInput, checkOutputs, deliver, stage } from "./seam-args.js";
import { readShape, checkShapeLength } from "./seam-shape.js";
import { typedByteOffset } from "./seam-heap.js";

const PARAM_NAMES = ["gamma", "beta", "runningMean", "runningVar"];
const FORWARD_OPTIONS = ["out", "view"];
const FORWARD_OUTPUTS = ["out"];
const BACKWARD_OPTIONS = ["dx", "dgamma", "dbeta", "view"];
const BACKWARD_OUTPUTS = ["dx", "dgamma", "dbeta"];

// The base class of the four layers of one loaded module, and two helpers
// for its subclasses (they need the base's private state, so each loaded
// module has its own):
//   defineConfigGetters(Class, names): read-only getters on Class.prototype
//     for the values the constructor passed as `config` (arrays as copies);
//   defineRunningGetters(Class, { batches }): runningMean / runningVar (null
//     when the layer tracks none) and, with batches, numBatchesTracked.
export function makeShapedLayer(wasm) {
  const seam = seamFor(wasm);
  const { heap } = seam;
  let defineConfigGetters, defineRunningGetters;

  class ShapedLayer {
    #native;
    #label;
    #config;
    #params;               // gamma / beta entries (0 without affine parameters)
    #running;              // running-statistics entries (0 when not tracked)
    #training = true;
    #lastTotal = 0;        // elements of the last successful forward (0: none yet)
    #inputView = null;     // the view inputView() handed out, until the next forward
    #dyView = null;        // the view gradOutputView() handed out, until the next forward / backward

    static {
      defineConfigGetters = (Class, names) => {
        for (const name of names) {
          Object.defineProperty(Class.prototype, name, {
            get() {
              this.#live();
              const value = this.#config[name];
              return Array.isArray(value) ? value.slice() : value;
            },
            configurable: true,
          });
        }
      };
      defineRunningGetters = (Class, { batches }) => {
        const getters = {
          runningMean() { return this.#live().runningMean(); },
          runningVar() { return this.#live().runningVar(); },
        };
        if (batches) getters.numBatchesTracked = function numBatchesTracked() { return this.#live().numBatchesTracked(); };
        for (const [name, get] of Object.entries(getters)) {
          Object.defineProperty(Class.prototype, name, { get, configurable: true });
        }
      };
    }

    // label: the class name (the binding's kind, and messages); args: the
    // constructor's numbers, checked; options: read by readOptions; config:
    // what the getters return.
    constructor(label, args, options, config) {
      const native = construct(wasm.NormLayerBinding, label, args, options);
      seam.adopt(this, native, label);
      this.#native = native;
      this.#label = label;
      this.#config = config;
      this.#params = native.params();
      this.#running = native.running();
    }

    #live() {
      if (!this.#native) fail(`${this.#label} was disposed: create a new layer`);
      return this.#native;
    }

    get training() { this.#live(); return this.#training; }
    train() { this.#live().setTraining(true); this.#training = true; return this; }
    eval() { this.#live().setTraining(false); this.#training = false; return this; }
    // PyTorch's weight / bias; null without affine parameters.
    get gamma() { return this.#live().gamma(); }
    get beta() { return this.#live().beta(); }

    // Any subset of { gamma, beta, runningMean, runningVar } the layer has;
    // all-or-nothing.
    setParams(params) {
      const native = this.#live();
      const given = record("setParams", params, PARAM_NAMES);
      const lengths = [this.#params, this.#params, this.#running, this.#running];
      const arrays = [];
      for (const [j, name] of PARAM_NAMES.entries()) {
        if (given[name] === undefined) continue;
        if (lengths[j] === 0) {
          fail(j < 2 ? `${name} cannot be set: this ${this.#label} has no affine parameters (built with ${this.#label === "LayerNorm" ? "elementwiseAffine" : "affine"}: false)`
            : `${name} cannot be set: this ${this.#label} keeps no running statistics${this.#label === "InstanceNorm2d" ? " (built with trackRunningStats: false)" : ""}`);
        }
        arrays.push([j, snapshot(name, given[name])]);     // every user read first...
      }
      let mask = 0;
      for (const entry of arrays) {                         // ...then the checks, which run no user code
        const [j] = entry;
        const value = checkInput(heap, PARAM_NAMES[j], entry[1], lengths[j], null);
        checkAllFinite(PARAM_NAMES[j], value, lengths[j], j === 3);
        entry[1] = value;
        mask |= 1 << j;
      }
      const base = native.paramScratch() >>> 2;              // no allocation: the memory cannot grow here
      const offsets = [0, this.#params, 2 * this.#params, 2 * this.#params + this.#running];
      const f32 = heap.f32();
      for (const [j, value] of arrays) f32.set(value, base + offsets[j]);
      checked(native, native.setParams(mask));   // e.g. 1e39 is Infinity in float32
      return this;
    }

    // x: row-major in `shape` (NCHW for images); options.out: a Float32Array
    // that receives y; options.view: y as a view of the heap.
    forward(x, shape, options) {
      const native = this.#live();
      const given = record("forward options", options, FORWARD_OPTIONS);
      const data = snapshot("x", x);
      const { dims, total } = readShape(seam, shape);
      checkShapeLength(data, dims, total);
      const input = checkInput(heap, "x", data, total, this.#inputView);
      const outputs = checkOutputs(heap, "forward", given, FORWARD_OUTPUTS, [total], "x", x);
      // Every argument is read and checked: only the core can refuse from
      // here on (the shape, NaN or Infinity in x, out of memory), and it
      // changes nothing when it does.
      const at = address(native, native.stagingInput(dims));   // may grow the memory
      stage(heap, at, input, x, this.#inputView);
      if (this.#inputView !== null && at !== typedByteOffset(this.#inputView)) this.#inputView = null;
      const y = address(native, native.forward());
      this.#lastTotal = total;
      this.#inputView = null;
      this.#dyView = null;
      return deliver(heap, y, total, outputs.view || outputs.out);
    }

    // dy of the last forward's shape; { dx, dgamma, dbeta } (dgamma, dbeta
    // null without affine parameters); options: output arrays or view.
    backward(dy, options) {
      const native = this.#live();
      const given = record("backward options", options, BACKWARD_OPTIONS);
      const data = snapshot("dy", dy);
      if (this.#lastTotal === 0) fail("backward called before any forward: call forward(x, shape) first");
      const total = this.#lastTotal, p = this.#params;
      const input = checkInput(heap, "dy", data, total, this.#dyView);
      if (p === 0 && (given.dgamma !== undefined || given.dbeta !== undefined)) {
        fail(`backward options: this ${this.#label} has no affine parameters, so there is no dgamma or dbeta to write`);
      }
      const outputs = checkOutputs(heap, "backward", given, BACKWARD_OUTPUTS, [total, p, p], "dy", dy);
      const at = address(native, native.stagingDy());
      stage(heap, at, input, dy, this.#dyView);
      if (this.#dyView !== null && at !== typedByteOffset(this.#dyView)) this.#dyView = null;
      const dxAt = address(native, native.backward());   // fails on NaN/Infinity in dy: nothing changed
      this.#dyView = null;
      const dx = deliver(heap, dxAt, total, outputs.view || outputs.dx);
      if (p === 0) return { dx, dgamma: null, dbeta: null };
      return { dx, dgamma: deliver(heap, native.dgamma(), p, outputs.view || outputs.dgamma),
        dbeta: deliver(heap, native.dbeta(), p, outputs.view || outputs.dbeta) };
    }

    // Zero-copy input: the heap buffer the next forward(x, shape) reads.
    // Valid until this layer's next call, or until the memory grows.
    inputView(shape) {
      const native = this.#live();
      const { dims, total } = readShape(seam, shape);
      const at = address(native, native.stagingInput(dims));
      this.#inputView = heap.view(at, total);
      return this.#inputView;
    }

    // Zero-copy dy: the heap buffer the next backward(dy) reads.
    gradOutputView() {
      const native = this.#live();
      if (this.#lastTotal === 0) fail("gradOutputView called before any forward: call forward(x, shape) first");
      const at = address(native, native.stagingDy());
      this.#dyView = heap.view(at, this.#lastTotal);
      return this.#dyView;
    }

    // Every intermediate of the last forward: { training, shape, statsShape,
    // mean, var, std, invStd (statsShape), xCentered, xhat, y (shape),
    // saveMean, saveInvstd (the last training forward's; null before any) }.
    trace() {
      const native = this.#live();
      if (this.#lastTotal === 0) fail("trace called before any forward: call forward(x, shape) first");
      return checked(native, native.trace());
    }

    // Every intermediate of the last backward: { dy, dxhat, dvar, dmean, dx,
    // dgamma, dbeta, shape, statsShape }.
    backwardTrace() {
      const native = this.#live();
      return checked(native, native.backwardTrace());
    }

    dispose() {
      if (!this.#native) return;
      seam.release(this, this.#native, this.#label);
      this.#native = null;
      this.#inputView = this.#dyView = null;
    }
  }

  return { ShapedLayer, defineConfigGetters, defineRunningGetters };
}
