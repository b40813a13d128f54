// The fuzz suite's commands on a layer's state and lifetime: setParams,
// train / eval, the reads (trace, backwardTrace, getters), new layers
// (valid and bad constructor arguments), dispose, and memory growth.
import fc from "fast-check";
import { valueSpec, numbers, inputContainer, makeInput, makeOptions, readOnceProblem, mostly, OPTION_CONTAINERS } from "./values.mjs";
import { LayerCommand, show, keepView } from "./commands.mjs";
import { judge, addLayer, equal } from "./world.mjs";
import { LAYER_KINDS } from "./layers.mjs";

const PARAMS = ["gamma", "beta", "runningMean", "runningVar"];
const GETTERS = ["gamma", "runningVar", "numBatchesTracked", "features", "eps", "momentum"];

export class SetParams extends LayerCommand {
  build(world, entry) {
    const { fields: fs, container, shape } = this.spec, kind = entry.kind;
    const fields = {}, values = {}, expected = [], counted = [];
    fs.forEach((f, i) => {
      if (f === null) return;
      const name = PARAMS[i], n = i < 2 ? kind.paramLength(entry) : kind.runningLength(entry);
      const v = numbers(f.values, n, n).map((x) => (name === "runningVar" && !f.negative ? Math.abs(x) : x));
      const made = makeInput(f.container, v);
      fields[name] = made.value;
      values[name] = made.converted ? Float64Array.from(made.value) : v;
      if (made.counted) counted.push(made);
      const refusal = kind.setParamsRefusal(entry, name);
      if (refusal) expected.push(refusal);
      if (made.notArray) expected.push(new RegExp(`^${name} must be a Float32Array or an array of numbers`));
      else if (made.lengthOff) expected.push(new RegExp(`^${name} must have ${n} entries, got ${n + 1}$`));
      else if (!values[name].every((x) => Number.isFinite(Math.fround(x)))) expected.push(new RegExp(`^${name} must hold finite numbers`));
      else if (name === "runningVar" && values[name].some((x) => Math.fround(x) < 0)) expected.push(/^runningVar must be >= 0/);
    });
    if (this.spec.unknown) {
      fields.running_mean = [0];
      expected.push(/^setParams: unknown field "running_mean" \(expected gamma, beta, runningMean, runningVar\)$/);
    }
    let params = makeOptions(container, fields);
    if (shape !== "object") {
      params = { value: shape === "null" ? null : [1, 2], reads: new Map() };
      expected.length = 0;
      expected.push(/^setParams must be an object with any of gamma, beta, runningMean, runningVar, got /);
    }
    if (entry.disposed) expected.splice(0, expected.length, kind.disposed);
    return {
      label: `${this}`, expected,
      call: () => entry.obj.setParams(params.value),
      check: (r) => (r === entry.obj ? null : "setParams did not return the layer"),
      changed: (s, a) => {
        const want = { ...s };
        for (const name of Object.keys(values)) want[name] = Float32Array.from(values[name]);
        return equal(a, want) ? null : "setParams changed something else, or not the given values";
      },
      reads: (ok) => readOnceProblem(params.reads, params.keys ?? [], ok) ??
        counted.map((m) => readOnceProblem(m.reads, [], ok)).find((p) => p) ?? null,
    };
  }
}
const paramSpec = fc.oneof({ weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ values: valueSpec, container: inputContainer, negative: mostly(fc.constant(false), fc.constant(true), 10) }) });
SetParams.arbitrary = fc.record({
  target: fc.nat(240), fields: fc.tuple(paramSpec, paramSpec, paramSpec, paramSpec), container: fc.constantFrom(...OPTION_CONTAINERS),
  unknown: mostly(fc.constant(false), fc.constant(true), 15), shape: mostly(fc.constant("object"), fc.constantFrom("null", "array"), 15),
}).map((s) => new SetParams(s));

// train() / eval(), and the reads: nothing but the mode may change.
export class ModeOrRead extends LayerCommand {
  build(world, entry) {
    const { what: drawn } = this.spec, kind = entry.kind;
    // A getter the kind does not have: one it has, in its stead.
    const what = ["train", "eval", "trace", "backwardTrace"].includes(drawn) || kind.getters.includes(drawn) ? drawn
      : kind.getters[GETTERS.indexOf(drawn) % kind.getters.length];
    const expected = [];
    if (entry.disposed) expected.push(kind.disposed);
    else if (what === "trace" && !entry.last) expected.push(new RegExp(`^trace called before any forward: call forward\\(x, ${kind.callForm}\\) first$`));
    else if (what === "backwardTrace" && !(entry.last && entry.lastBackward === entry.last)) {
      expected.push(/^backwardTrace called before any backward since the last forward: call backward\(dy\) first$/);
    }
    return {
      label: `${this}`, expected,
      call: () => (["train", "eval", "trace", "backwardTrace"].includes(what) ? entry.obj[what]() : entry.obj[what]),
      known: () => null,
      // A constructor's value as given (normalizedShape as an array of sizes).
      check: (r) => (!Object.hasOwn(entry, what) || equal(r, entry[what]) ? null : `${what} is ${show(r)}, built with ${show(entry[what])}`),
      changed: (s, a) => (equal(a, what === "train" || what === "eval" ? { ...s, training: what === "train" } : s) ? null : `${what} changed the state`),
    };
  }
}
ModeOrRead.arbitrary = fc.record({
  target: fc.nat(240),
  what: fc.constantFrom("train", "eval", "eval", "trace", "backwardTrace", ...GETTERS),
}).map((s) => new ModeOrRead(s));

export class Dispose extends LayerCommand {
  build(world, entry) {
    return {
      label: `${this}`, expected: [],
      call: () => { entry.obj.dispose(); entry.disposed = true; entry.pendingInput = entry.pendingGrad = null; },
      changed: () => null,
    };
  }
}
Dispose.arbitrary = fc.record({ target: fc.nat(240) }).map((s) => new Dispose(s));

// A new layer: valid arguments (it joins the world, up to 8) or bad ones,
// which must be refused, naming the argument, with every byte they took given back.
export class NewLayer {
  constructor(spec) { this.spec = spec; }
  check() { return true; }
  toString() { return `NewLayer(${show(this.spec)})`; }
  run(model, world) {
    const { kind: name, args, container } = this.spec, kind = LAYER_KINDS.find((k) => k.name === name);
    const { fields, expected } = kind.options(args);
    const options = makeOptions(container, fields);
    let layer = null;
    judge(world, { name: "NewLayer", target: null, build: () => ({
      kindName: kind.name,
      label: `${this}`, expected, heap: true,
      call: () => (layer = kind.make(world.bn, args, options.value)),
      check: () => (equal(kind.state(layer), kind.initialState(args)) ? null : "a new layer's state is not the initial one"),
      reads: (ok) => readOnceProblem(options.reads, options.keys, ok),
    }) });
    if (layer === null) return;
    const live = world.layers.filter((e) => !e.disposed);
    if (live.length >= 8) live[0].obj.dispose(), (live[0].disposed = true);
    addLayer(world, kind, args, layer);
  }
}
// BatchNorm1d as often as all the others together.
NewLayer.arbitrary = fc.oneof(...LAYER_KINDS.map((kind, i) => ({ weight: i === 0 ? LAYER_KINDS.length - 1 : 1,
  arbitrary: fc.record({ kind: fc.constant(kind.name), args: kind.spec, container: fc.constantFrom(...OPTION_CONTAINERS) }) })))
  .map((s) => new NewLayer(s));

// Grows the WebAssembly memory (the hog takes a larger input buffer), so
// that the views the world holds go stale; at most 64 MiB in all.
export class GrowMemory {
  constructor(spec) { this.spec = spec; }
  check() { return true; }
  toString() { return "GrowMemory()"; }
  run(model, world) {
    const hog = world.hog;
    if (hog.rows > 1 << 24) return;
    const before = world.bn.memory.buffer;
    judge(world, { name: "GrowMemory", target: null, build: () => ({
      label: "GrowMemory()", expected: [],
      call: () => { while (world.bn.memory.buffer === before && hog.rows <= 1 << 24) hog.obj.inputView((hog.rows *= 2)); },
    }) });
    keepView(world, hog.obj.inputView(1), null);   // a view of the hog, for outputs and inputs that are someone else's view
  }
}
GrowMemory.arbitrary = fc.constant(null).map(() => new GrowMemory());
