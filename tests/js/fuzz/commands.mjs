// The layer commands of the fuzz suite (forward, backward, the views): each
// draws its arguments as data, makes them real against the world at run
// time, says which refusals the arguments call for (none: the call must
// succeed), and checks a success against the float64 reference. judge()
// (world.mjs) checks the rest: an Error naming the parameter, nothing
// changed on a refusal, no other object touched, the canary bit-identical,
// every argument read once.
import fc from "fast-check";
import { valueSpec, numbers, asFloat32, inputContainer, makeInput, readOnceProblem } from "./values.mjs";
import { optionsSpec, makeCallOptions } from "./outputs.mjs";
import { mismatch, SLACK, FLT_MAX } from "./reference.mjs";
import { judge, equal, keepView } from "./world.mjs";
export { keepView };
import { shapeSpec } from "./shaped-kind.mjs";
import { LAYER_KINDS } from "./layers.mjs";

// How the core refuses a valid input whose float32 arithmetic would
// overflow (KNOWN 11.5): each message names what passed float32's range.
const EDGE_FORWARD_REFUSAL = /^x spreads beyond float32|^eps = .* is too small for this input|^x gives feature \d+ a batch variance/;
const EDGE_BACKWARD_REFUSAL = /^dy is finite but the gradients overflow float32/;

// The engine's own length of a typed array (a subclass may lie in its `length`).
const lengthOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float32Array.prototype), "length").get;
export const show = (spec) => JSON.stringify(spec, (k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
export const rowsSpec = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, NaN, "4", null, 2 ** 31, 2 ** 32 + 2, "max+1") });
// A layer's size argument (rows or a shape, layers.mjs) is drawn as both;
// its kind takes the one it needs.
const sizeSpecs = { rows: rowsSpec, shape: shapeSpec };

// A command on one layer: run() picks it, judge() runs build()'s step,
// then done() records what a success changed in the world.
export class LayerCommand {
  constructor(spec) { this.spec = spec; }
  check() { return true; }
  toString() { return `${this.constructor.name}(${show(this.spec)})`; }
  run(model, world) {
    // Mostly a live layer (one that ran a forward, for the commands that
    // need one); one time in 12, any (a disposed one gets its Error).
    const usable = world.layers.filter((e) => !e.disposed && (!this.needsForward || e.last) && (!this.needsEval || !e.obj.training));
    const live = usable.length > 0 ? usable : world.layers.filter((e) => !e.disposed);
    let from = this.spec.target % 12 === 11 || live.length === 0 ? world.layers : live;
    // Half the calls go to BatchNorm1d layers (the Trainer's and the stepper's) while there are any.
    const first = from.filter((e) => e.kind === LAYER_KINDS[0]);
    if (first.length > 0 && this.spec.target < 120) from = first;
    const entry = from[Math.floor(this.spec.target / 12) % from.length];
    let step = null;
    judge(world, { name: this.constructor.name, target: entry, build: (before) => (step = this.build(world, entry, before)) });
    this.done?.(world, entry, step);
  }
}

export const arraySpec = fc.record({
  from: fc.constantFrom("values", "values", "values", "values", "pending", "pool"),
  pick: fc.nat(100), container: inputContainer, values: valueSpec,
});

// An input array argument (x, dy) of `length` values: from the spec's
// container, or a view the world holds. Returns { value, x32 (the float32
// values the layer reads, or null when it must refuse), defects, reads, keys }.
// lengthDefect(got): the refusal of `got` entries (forward(x, shape) names shape).
export function makeArrayArgument(world, entry, name, spec, length, pending,
  lengthDefect = (got) => new RegExp(`^${name} must have ${length} entries, got ${got}$`)) {
  const view = spec.from === "pending" ? pending : spec.from === "pool" && world.pool.length > 0 ? world.pool[spec.pick % world.pool.length].view : null;
  if (view) {
    const none = { reads: new Map(), keys: [] };
    if (view.length === 0) return { value: view, x32: null, defects: [new RegExp(`^${name} is a view of the WebAssembly memory that was detached by memory growth`)], ...none };
    if (view.length !== length) return { value: view, x32: null, defects: [lengthDefect(view.length)], ...none };
    return { value: view, x32: Float64Array.from(view), defects: [], ...none };
  }
  const values = numbers(spec.values, length, entry.kind.columns(entry));
  const made = makeInput(spec.container, values);
  const defects = [];
  if (made.notArray) defects.push(new RegExp(`^${name} must be a Float32Array or an array of numbers`));
  if (made.lengthOff) defects.push(lengthDefect(length + 1));
  const x32 = made.valid ? asFloat32(made.converted ? made.value : values) : null;
  const keys = made.counted ? [...(spec.container === "proxy" ? ["length"] : []), ...[...values.keys()].map(String)] : [];
  return { value: made.value, x32, defects, reads: made.reads, keys };
}

// Where a result must be: a view of the heap, the caller's output array,
// or a fresh copy outside the heap.
const placed = (world, value, fields, name) => (fields.view === true ? value.buffer === world.bn.memory.buffer
  : fields[name] ? value === fields[name] : value instanceof Float32Array && value.buffer !== world.bn.memory.buffer);

export class Forward extends LayerCommand {
  build(world, entry, before) {
    const { x: xs, options: os } = this.spec, kind = entry.kind;
    // x from the pending inputView: mostly the size it was taken for.
    const pending = xs.from === "pending" && entry.pendingInput?.length > 0 && xs.pick % 8 !== 7 ? entry.pendingSize : null;
    const size = kind.sizeArgument(entry, this.spec, pending), rows = size.size, length = size.length;
    const arg = makeArrayArgument(world, entry, "x", xs, length, entry.pendingInput, size.lengthDefect);
    const opts = makeCallOptions(world, "forward", os, ["out"], [length], { name: "x", value: arg.value }, xs.pick);
    const expected = [];
    if (entry.disposed) expected.push(kind.disposed);
    else {
      expected.push(...opts.defects, ...arg.defects, ...size.defects);
      const modeDefect = rows !== null ? kind.trainDefect(entry, rows, before.training) : null;
      if (modeDefect) expected.push(modeDefect);
      if (arg.x32 && !arg.x32.every(Number.isFinite)) expected.push(/^x must hold finite numbers/);
    }
    let ref = expected.length === 0 ? kind.forwardRef(entry, arg.x32, rows, before) : null;
    // A running variance past float32's range is refused (naming x); within
    // rounding of the largest float32, refused or kept are both right.
    const past = ref?.runningVar?.map((v, k) => (v - SLACK * ref.runningVarBound[k] > FLT_MAX ? 2 : v + SLACK * ref.runningVarBound[k] > FLT_MAX ? 1 : 0)) ?? [];
    const tooBig = /^x gives feature \d+ a batch variance of .* which is Infinity as float32 in runningVar/;
    if (past.includes(2)) { expected.push(tooBig); ref = null; }
    const valid = expected.length === 0;
    const boundary = past.includes(1);
    const edge = valid ? kind.forwardEdge(entry, arg.x32, rows, before) : null;
    let y = null, yCopy = null;
    return {
      label: `${this}`, expected, rows, ref, edge, opts, result: () => y,
      call: () => (y = entry.obj.forward(arg.value, ...size.args, opts.value)),
      known: (error) => (edge && (error === null || EDGE_FORWARD_REFUSAL.test(error.message)) ? edge
        : boundary && error && tooBig.test(error.message) ? "float32 boundary" : null),
      check: () => {
        yCopy = Float32Array.from(y);
        if (!placed(world, y, opts.fields, "out") || lengthOf.call(y) !== length) return "y is not where the options put it";
        return mismatch("y", y, ref.y, ref.yBound);
      },
      changed: (s, a) => {
        if (!equal(a.trace?.y, yCopy)) return "trace().y is not the y returned";
        if (ref.statsShape && !(equal(a.trace.statsShape, ref.statsShape) && equal(a.trace.shape, rows))) return "trace()'s shape or statsShape is wrong";
        if (a.training !== s.training || !equal(a.gamma, s.gamma) || !equal(a.beta, s.beta)) return "forward changed the mode or the parameters";
        if (!(ref.update ?? s.training)) {
          return equal([a.runningMean, a.runningVar, a.numBatchesTracked], [s.runningMean, s.runningVar, s.numBatchesTracked])
            ? null : "an eval forward changed the running statistics";
        }
        if (a.numBatchesTracked !== (entry.counted ? s.numBatchesTracked + 1 : s.numBatchesTracked)) return "numBatchesTracked did not grow by 1 (or grew where not counted)";
        return mismatch("runningMean", a.runningMean, ref.runningMean, ref.runningMeanBound) ??
          mismatch("runningVar", a.runningVar, ref.runningVar, ref.runningVarBound);
      },
      reads: (ok) => readOnceProblem(arg.reads, arg.keys, ok) ?? readOnceProblem(opts.reads, opts.keys, ok) ?? readOnceProblem(size.reads, size.keys, ok),
    };
  }

  done(world, entry, step) {
    // A view is valid until the layer's next call, failed or not (a failed
    // larger forward may move the buffer inputView() gave).
    entry.pendingInput = entry.pendingGrad = entry.pendingSize = null;
    const y = step.result();
    if (y === null) return;
    entry.last = { saved: step.ref.saved, size: step.rows, edge: step.edge };
    if (step.opts.fields.view === true) keepView(world, y, entry);
  }
}
Forward.arbitrary = fc.record({ target: fc.nat(240), ...sizeSpecs, x: arraySpec, options: optionsSpec(["out"]) }).map((s) => new Forward(s));

export class Backward extends LayerCommand {
  get needsForward() { return this.spec.target % 10 !== 9; }

  build(world, entry) {
    const { dy: ds, options: os } = this.spec, kind = entry.kind;
    let noAffine = false;
    const n = kind.paramLength(entry), total = entry.last ? kind.elements(entry, entry.last.size) : 8;
    const arg = makeArrayArgument(world, entry, "dy", ds, total, entry.pendingGrad);
    const opts = makeCallOptions(world, "backward", os, ["dx", "dgamma", "dbeta"], [total, n, n], { name: "dy", value: arg.value }, ds.pick);
    const expected = [];
    if (entry.disposed) expected.push(kind.disposed);
    else {
      expected.push(...opts.defects);
      // A layer without gamma has no dgamma / dbeta to write into (BatchNorm1d ignores them).
      if (kind.callForm === "shape" && !entry.affine && ("dgamma" in opts.fields || "dbeta" in opts.fields)) noAffine = true;
      if (noAffine) expected.push(new RegExp(`^backward options: this ${kind.name} has no affine parameters, so there is no dgamma or dbeta to write$`));
      if (!entry.last) expected.push(new RegExp(`^backward called before any forward: call forward\\(x, ${kind.callForm}\\) first$`));
      else {
        expected.push(...arg.defects);
        if (arg.x32 && !arg.x32.every(Number.isFinite)) expected.push(/^dy must hold finite numbers/);
      }
    }
    const valid = expected.length === 0;
    const edge = valid ? entry.last.edge ?? kind.backwardEdge(entry, entry.last.saved, arg.x32) : null;
    const ref = valid ? kind.backwardRef(entry.last.saved, arg.x32) : null;
    let g = null, dxCopy = null;
    return {
      label: `${this}`, expected, opts, result: () => g,
      call: () => (g = entry.obj.backward(arg.value, opts.value)),
      known: (error) => (edge && (error === null || EDGE_BACKWARD_REFUSAL.test(error.message)) ? edge : null),
      check: () => {
        dxCopy = Float32Array.from(g.dx);
        for (const name of ["dx", "dgamma", "dbeta"]) {
          const v = g[name];
          if (name !== "dx" && !entry.affine) {
            if (v !== null) return `${name} is not null (affine: false)`;
            continue;
          }
          if (!placed(world, v, opts.fields, name)) return `${name} is not where the options put it`;
          const problem = mismatch(name, v, ref[name], ref[`${name}Bound`]);
          if (problem) return problem;
        }
        return null;
      },
      changed: (s, a) => {
        const { backwardTrace: bt, ...rest } = a, { backwardTrace: _, ...restBefore } = s;
        if (!equal(rest, restBefore)) return "backward changed the layer's state";
        if (!equal(bt?.dy, Float32Array.from(arg.x32))) return "backwardTrace().dy is not the dy given";
        return equal(bt.dx, dxCopy) ? null : "backwardTrace().dx is not the dx returned";
      },
      reads: (ok) => readOnceProblem(arg.reads, arg.keys, ok) ?? readOnceProblem(opts.reads, opts.keys, ok),
    };
  }

  done(world, entry, step) {
    entry.pendingGrad = null;
    const g = step.result();
    if (g === null) return;
    entry.lastBackward = entry.last;   // backwardTrace() is there until the next forward
    if (step.opts.fields.view === true) keepView(world, g.dx, entry);
  }
}
Backward.arbitrary = fc.record({ target: fc.nat(240), dy: arraySpec, options: optionsSpec(["dx", "dgamma", "dbeta"]) })
  .map((s) => new Backward(s));

// inputView(rows) or gradOutputView(): the view is filled, as a caller
// would, and kept (pending for the layer's next forward / backward).
export class TakeView extends LayerCommand {
  get needsForward() { return this.spec.grad; }

  build(world, entry) {
    const { grad } = this.spec, kind = entry.kind;
    const size = grad ? null : kind.sizeArgument(entry, this.spec, null, true);
    const rows = grad ? entry.last?.size : size.size;
    const expected = [];
    if (entry.disposed) expected.push(kind.disposed);
    else if (grad && !entry.last) expected.push(new RegExp(`^gradOutputView called before any forward: call forward\\(x, ${kind.callForm}\\) first$`));
    else if (!grad) expected.push(...size.defects);
    let view = null;
    return {
      label: `${this}`, expected, result: () => view,
      call: () => (view = grad ? entry.obj.gradOutputView() : entry.obj.inputView(...size.args)),
      check: () => (view.buffer === world.bn.memory.buffer && view.length === kind.elements(entry, rows) ? null : "the view is not of the heap, or of the wrong length"),
      reads: (ok) => (size ? readOnceProblem(size.reads, size.keys, ok) : null),
      size: rows,
    };
  }

  done(world, entry, step) {
    const view = step.result();
    if (view === null) return;
    view.set(numbers(this.spec.values, view.length, entry.kind.columns(entry)));
    if (this.spec.grad) entry.pendingGrad = view;
    else {
      entry.pendingInput = view;
      entry.pendingSize = step.size;
    }
    keepView(world, view, entry);
  }
}
TakeView.arbitrary = fc.record({ target: fc.nat(240), grad: fc.boolean(), ...sizeSpecs, values: valueSpec }).map((s) => new TakeView(s));
