// The layer kinds the fuzz suite drives, one table entry each. The commands
// (commands.mjs) only use what an entry gives: how to build one (and the
// bad constructor arguments with the message each must get), how forward
// is called for a size (BatchNorm1d: a number of rows; the others: a shape,
// shaped-layers.mjs), how long its parameters are, its state, and its
// float64 reference. Each layer joins the fuzz as one more entry.
import fc from "fast-check";
import { forwardRef, backwardRef, FLT_MAX } from "./reference.mjs";
import { layerState } from "../test-data.mjs";
import { SHAPED_KINDS, BatchNorm1dShapes } from "./shaped-layers.mjs";

const EPS = [1e-5, 1e-5, 1e-3, 1, 1e-12];
const MOMENTUM = [0.1, 0.1, 0.5, 0, 1, null];

// Constructor options as data: valid values, or one bad entry with the
// message it must get.
const BAD_OPTIONS = [
  { key: "momentun", value: 0.1, message: /^unknown BatchNorm1d option "momentun" \(expected eps, momentum, affine\)$/ },
  { key: "track_running_stats", value: true, message: /^unknown BatchNorm1d option "track_running_stats"/ },
  { key: "eps", value: 0, message: /^eps must be a finite number > 0, got 0$/ },
  { key: "eps", value: NaN, message: /^eps must be a finite number > 0, got NaN$/ },
  { key: "eps", value: "1e-5", message: /^eps must be a finite number > 0, got "1e-5"$/ },
  { key: "momentum", value: 1.5, message: /^momentum must be a finite number >= 0 and <= 1, or null, got 1.5$/ },
  { key: "affine", value: "yes", message: /^affine must be true or false, got "yes"$/ },
];
// Bad feature counts and the message each must get.
const BAD_FEATURES = [0, -1, 1.5, NaN, Infinity, "3", null, 2 ** 27, 2 ** 31, 2 ** 32 + 2, 3e9];

export const BatchNorm1d = {
  name: "BatchNorm1d",
  // new BatchNorm1d(features, options) as data.
  spec: fc.record({
    features: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_FEATURES) }),
    eps: fc.constantFrom(...EPS),
    momentum: fc.constantFrom(...MOMENTUM),
    affine: fc.boolean(),
    bad: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_OPTIONS.keys()) }),
  }),
  // The constructor's options fields and the messages the spec's defects must get.
  options(spec) {
    const fields = { eps: spec.eps, momentum: spec.momentum, affine: spec.affine };
    const expected = [];
    if (spec.bad !== null) {
      const bad = BAD_OPTIONS[spec.bad];
      fields[bad.key] = bad.value;
      expected.push(bad.message);
    }
    if (!(Number.isInteger(spec.features) && spec.features >= 1 && spec.features <= 134217727)) {
      expected.push(/^features must be an integer in \[1, 134217727\], got /);
    }
    return { fields, expected };
  },
  make: (bn, spec, options) => new bn.BatchNorm1d(spec.features, options),
  // What the world keeps of a layer built from spec (read by the functions below).
  config: (spec) => ({ features: spec.features, eps: spec.eps, momentum: spec.momentum, affine: spec.affine,
    params: spec.features, running: spec.features, counted: true }),
  getters: ["gamma", "runningVar", "numBatchesTracked", "features", "eps", "momentum", "beta", "runningMean", "affine"],
  callForm: "batch",
  initialState: (spec) => {
    const ones = new Float32Array(spec.features).fill(1), zeros = new Float32Array(spec.features);
    return { training: true, numBatchesTracked: 0, gamma: spec.affine ? ones : null, beta: spec.affine ? zeros : null,
      runningMean: zeros, runningVar: ones, trace: null, backwardTrace: null };
  },
  disposed: /^BatchNorm1d was disposed: create a new layer$/,
  // forward(x, rows) / inputView(rows): the argument for spec.rows (or the
  // rows a pending inputView was taken for), what it calls for, and how
  // many values x holds; "constant" x: columns of entry.features.
  sizeArgument(entry, spec, pending) {
    const max = Math.floor(134217727 / entry.features);
    const rows = pending ?? (spec.rows === "max+1" ? max + 1 : spec.rows);
    const ok = Number.isInteger(rows) && rows >= 1 && rows <= max;
    const defects = ok ? [] : [new RegExp(`^batch must be an integer in \\[1, ${max}\\] for ${entry.features} features, got `)];
    return { args: [rows], size: ok ? rows : null, length: ok ? rows * entry.features : 8, defects, reads: new Map(), keys: [] };
  },
  trainDefect: (entry, rows, training) => (rows < 2 && training ? /^Expected more than 1 value per channel when training/ : null),
  elements: (entry, rows) => rows * entry.features,
  columns: (entry) => entry.features,
  paramLength: (entry) => entry.features,
  runningLength: (entry) => entry.features,
  setParamsRefusal: (entry, name) => ((name === "gamma" || name === "beta") && !entry.affine
    ? new RegExp(`^${name} cannot be set: the layer was built with affine: false$`) : null),
  fuse: { channels: (entry) => entry.features, refusal: () => null },
  state: layerState,
  // The reference for x (float32 values, rows of entry.features) from the
  // state before the call.
  forwardRef: (entry, x, rows, before) => forwardRef(x, rows, entry.features, {
    gamma: before.gamma, beta: before.beta, runningMean: before.runningMean, runningVar: before.runningVar,
    eps: entry.eps, momentum: entry.momentum, numBatchesTracked: before.numBatchesTracked, training: before.training,
  }),
  backwardRef,
  // Whether the core's float32 arithmetic may overflow where the float64
  // reference does not (KNOWN 11.5, fixed by core-norm): forward on x32.
  forwardEdge(entry, x32, rows, before) {
    const n = entry.features;
    for (let k = 0; k < n; k++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < rows; i++) { lo = Math.min(lo, x32[i * n + k]); hi = Math.max(hi, x32[i * n + k]); }
      const center = before.training ? x32[k] : before.runningMean[k];
      const reach = Math.max(Math.abs(hi - center), Math.abs(lo - center), hi - lo);
      const spread = before.training ? ((hi - lo) / 2) ** 2 / rows : before.runningVar[k];
      const gamma = before.gamma ? Math.abs(before.gamma[k]) : 1, root = Math.sqrt(spread + entry.eps);
      if (reach > FLT_MAX / 4 || 1 / root > FLT_MAX / 1e6 || gamma * reach / root > FLT_MAX / 16 || gamma / root > FLT_MAX / 16) return "11.5";
    }
    return null;
  },
  // ... and backward, given what forwardRef saved and dy32.
  backwardEdge(entry, saved, dy32) {
    const big = dy32.some((v, j) => {
      const k = j % saved.n;
      return Math.abs(v * saved.xhat[j]) * saved.m > FLT_MAX / 64 || Math.abs(v) * saved.m * saved.invstd[k] * Math.abs(saved.gamma[k]) > FLT_MAX / 64;
    });
    return big ? "11.5" : null;
  },
};

// One forward in 4 takes a shape ([N, C] or [N, C, L]) instead of rows: on
// the same layers, so that the two forms interleave (inputView takes rows only).
const byRows = { ...BatchNorm1d };
const shaped = (size) => Array.isArray(size);
Object.assign(BatchNorm1d, {
  // (A shape that is no array is the rows form's.)
  sizeArgument: (entry, spec, pending, forView) => (shaped(pending) || (pending == null && !forView && spec.shape.form === 0 &&
    !["null", "not-array"].includes(spec.shape.defect)) ? BatchNorm1dShapes.sizeArgument(entry, spec, pending) : byRows.sizeArgument(entry, spec, pending)),
  trainDefect: (entry, size, training) => (shaped(size) ? BatchNorm1dShapes : byRows).trainDefect(entry, size, training),
  elements: (entry, size) => (shaped(size) ? BatchNorm1dShapes : byRows).elements(entry, size),
  forwardRef: (entry, x, size, before) => (shaped(size) ? BatchNorm1dShapes : byRows).forwardRef(entry, x, size, before),
  forwardEdge: (entry, x, size, before) => (shaped(size) ? BatchNorm1dShapes : byRows).forwardEdge(entry, x, size, before),
  backwardRef: (saved, dy) => (saved.layout ? BatchNorm1dShapes : byRows).backwardRef(saved, dy),
  backwardEdge: (entry, saved, dy) => (saved.layout ? BatchNorm1dShapes : byRows).backwardEdge(entry, saved, dy),
});

export const LAYER_KINDS = [BatchNorm1d, ...SHAPED_KINDS];
