// What the fuzz suite's layer kinds beyond BatchNorm1d's rows share
// (shaped-layers.mjs builds each from one description): forward(x, shape)
// and inputView(shape) with the shape drawn as data (valid, or with one
// defect, in a plain array, a Proxy or an array of getters, read once),
// the refusals docs/api.md gives for it, the layer's state, and the glue
// to the float64 reference (norm-reference.mjs).
import fc from "fast-check";
import { mostly } from "./values.mjs";
import { layerState } from "../test-data.mjs";
import { layoutOf, normForwardRef, normBackwardRef, normForwardEdge, normBackwardEdge } from "./norm-reference.mjs";

export const MAX_ELEMENTS = 134217727;   // 2^27 - 1, one WebAssembly buffer
export const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
export const exactly = (s) => new RegExp(`^${escape(s)}$`);
export const text = (dims) => `[${dims.join(", ")}]`;
export const product = (dims) => dims.reduce((p, d) => p * d, 1);

// A shape as data: sizes for the layer's own dimensions, and one defect
// one time in 7 ("rank-", "rank+", "channels": the layer's rules say
// whether, and how, it refuses the result).
const SHAPE_DEFECTS = ["rank-", "rank+", "channels", "rank-", "rank+", "channels", "channels", "zero", "fraction", "string", "negative", "not-array", "null", "empty", "too-many", "huge"];
export const shapeSpec = fc.record({
  n: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 1, max: 3 }), w: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 2 }),
  defect: mostly(fc.constant(null), fc.constantFrom(...SHAPE_DEFECTS), 7),
  container: fc.constantFrom("plain", "plain", "proxy", "getters"), pick: fc.nat(7), form: fc.nat(3),
});

// The shape argument in its container, counting reads of its keys.
function listArgument(container, list) {
  const reads = new Map(), count = (key) => reads.set(key, (reads.get(key) ?? 0) + 1);
  if (!Array.isArray(list)) return { value: list, reads, keys: [] };
  const indices = list.map((_, i) => String(i));
  if (container === "proxy") return { value: new Proxy(list.slice(), { get(t, k) { count(String(k)); return t[k]; } }), reads, keys: ["length", ...indices] };
  if (container === "getters") {
    const a = new Array(list.length);
    list.forEach((v, i) => Object.defineProperty(a, i, { get() { count(String(i)); return v; }, enumerable: true }));
    return { value: a, reads, keys: indices };
  }
  return { value: list.slice(), reads, keys: [] };
}

// The refusal readShape() (web/js/seam-shape.js) gives `list`, or null.
function shapeArgumentDefect(list) {
  if (!Array.isArray(list)) return /^shape must be an array of integers like \[N, C, H, W\], got /;
  if (list.length < 1 || list.length > 8) return exactly(`shape must have 1 to 8 dimensions, got ${list.length}`);
  const bad = list.findIndex((d) => !(typeof d === "number" && Number.isInteger(d) && d >= 1));
  if (bad >= 0) return new RegExp(`^shape\\[${bad}\\] must be an integer >= 1, got `);
  const total = product(list);
  return total > MAX_ELEMENTS ? exactly(`shape ${text(list)} has ${total} elements: one WebAssembly buffer holds at most ${MAX_ELEMENTS} values`) : null;
}

// A layer kind from its description d: name, spec, options(spec),
// make(bn, spec, options), config(spec) (with params: gamma's length,
// running: the running statistics' length or 0, hasRunning: the getters
// exist, counted: numBatchesTracked exists), getters, goodDims(entry, s),
// withOtherChannels(entry, dims), planDefect(entry, dims) and
// trainDefect(entry, dims, training) (messages or null), layout(entry,
// dims) -> { stats, stat, param }, statsShape(entry, dims), useInput(entry,
// training), settable / fuse rules.
export function shapedKind(d) {
  const kind = {
    ...d,
    callForm: "shape",
    disposed: exactly(`${d.name} was disposed: create a new layer`),
    initialState(spec) {
      const c = d.config(spec), none = c.hasRunning ? null : undefined;
      return { training: true, numBatchesTracked: c.counted ? 0 : undefined,
        gamma: c.affine ? new Float32Array(c.params).fill(1) : null, beta: c.affine ? new Float32Array(c.params) : null,
        runningMean: c.running ? new Float32Array(c.running) : none, runningVar: c.running ? new Float32Array(c.running).fill(1) : none,
        trace: null, backwardTrace: null };
    },
    state: layerState,
    paramLength: (entry) => entry.params,
    runningLength: (entry) => entry.running,
    columns: (entry) => entry.params,
    elements: (entry, dims) => product(dims),
    // The forward / inputView argument for spec.shape, or for the dims a
    // pending inputView was taken for.
    sizeArgument(entry, spec, pending) {
      if (pending) return { args: [pending.slice()], size: pending, length: product(pending), defects: [], reads: new Map(), keys: [] };
      const s = spec.shape, dims = d.goodDims(entry, s);
      let list = dims.slice();
      switch (s.defect) {
        case "rank-": list = dims.slice(0, -1); break;
        case "rank+": list = [...dims, s.h]; break;
        case "channels": list = d.withOtherChannels(entry, dims); break;
        case "zero": case "fraction": case "string": case "negative":
          list[s.pick % list.length] = { zero: 0, fraction: 1.5, string: "2", negative: -1 }[s.defect]; break;
        case "not-array": list = product(dims); break;
        case "null": list = null; break;
        case "empty": list = []; break;
        case "too-many": list = Array(9).fill(1); break;
        case "huge": list[0] = MAX_ELEMENTS + 1; break;
        default: break;
      }
      const arg = listArgument(s.container, list);
      const bad = shapeArgumentDefect(list);
      if (bad) return { args: [arg.value], size: null, length: 8, defects: [bad], reads: arg.reads, keys: arg.keys };
      const plan = d.planDefect(entry, list), total = product(list);
      return { args: [arg.value], size: plan ? null : list, length: total, defects: plan ? [exactly(plan)] : [], reads: arg.reads, keys: arg.keys,
        lengthDefect: (got) => exactly(`shape ${text(list)} has ${total} elements but x has ${got}`) };
    },
    trainDefect(entry, dims, training) {
      const m = d.trainDefect(entry, dims, training);
      return m ? exactly(m) : null;
    },
    forwardRef(entry, x, dims, before) {
      const l = d.layout(entry, dims), layout = layoutOf(product(dims), l.stats, l.stat, l.param);
      const useInput = d.useInput(entry, before.training);
      const ref = normForwardRef(x, layout, { gamma: before.gamma, beta: before.beta, params: entry.params,
        runningMean: before.runningMean, runningVar: before.runningVar, eps: entry.eps, momentum: entry.momentum,
        numBatchesTracked: before.numBatchesTracked ?? 0, useInput, update: before.training && entry.running > 0, counted: entry.counted });
      ref.statsShape = d.statsShape(entry, dims);
      return ref;
    },
    forwardEdge: (entry, x32, dims, before) => {
      const l = d.layout(entry, dims);
      return normForwardEdge(x32, layoutOf(product(dims), l.stats, l.stat, l.param),
        { gamma: before.gamma, runningMean: before.runningMean, runningVar: before.runningVar, eps: entry.eps, useInput: d.useInput(entry, before.training) });
    },
    backwardRef: normBackwardRef,
    backwardEdge: (entry, saved, dy32) => normBackwardEdge(saved, dy32),
    // setParams: the refusal of a field the layer does not have, or null.
    setParamsRefusal(entry, name) {
      if ((name === "gamma" || name === "beta") && !entry.affine) {
        return exactly(`${name} cannot be set: this ${d.name} has no affine parameters (built with ${d.name === "LayerNorm" ? "elementwiseAffine" : "affine"}: false)`);
      }
      if ((name === "runningMean" || name === "runningVar") && entry.running === 0) {
        return exactly(`${name} cannot be set: this ${d.name} keeps no running statistics${d.name === "InstanceNorm2d" ? " (built with trackRunningStats: false)" : ""}`);
      }
      return null;
    },
  };
  return kind;
}
