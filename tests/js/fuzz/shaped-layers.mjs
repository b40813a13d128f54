// The fuzz suite's entries for BatchNorm2d, GroupNorm, LayerNorm and
// InstanceNorm2d (docs/api.md, "More normalization layers"): constructor
// arguments as data (valid, or one bad argument or option with the
// message it must get), the shapes each takes and the refusals of the
// others in PyTorch's words, and which elements share a statistic (the
// float64 reference is norm-reference.mjs's, for all four).
import fc from "fast-check";
import { mostly } from "./values.mjs";
import { shapedKind, exactly, text, MAX_ELEMENTS } from "./shaped-kind.mjs";

const EPS = [1e-5, 1e-5, 1e-3, 1, 1e-12];
const MOMENTUM = [0.1, 0.1, 0.5, 0, 1];
const BAD_COUNTS = [0, -1, 1.5, NaN, Infinity, "3", null, 2 ** 27, 2 ** 31, 3e9];
const count = (name, v) => (Number.isInteger(v) && v >= 1 && v <= MAX_ELEMENTS ? null : new RegExp(`^${name} must be an integer in \\[1, ${MAX_ELEMENTS}\\], got `));

// Bad options of `label` (its option names `names`) and their messages.
function badOptions(label, names, extra) {
  return [
    { key: "momentun", value: 0.1, message: exactly(`unknown ${label} option "momentun" (expected ${names.join(", ")})`) },
    { key: "eps", value: 0, message: exactly("eps must be a finite number > 0, got 0") },
    { key: "eps", value: NaN, message: exactly("eps must be a finite number > 0, got NaN") },
    { key: "eps", value: "1e-5", message: exactly('eps must be a finite number > 0, got "1e-5"') },
    ...extra,
  ];
}
const AFFINE_BAD = { key: "affine", value: "yes", message: exactly('affine must be true or false, got "yes"') };

// options(spec) for a kind: the fields (bad one applied) and the messages
// the spec's defects must get (counts checked by check(spec)).
const optionsFrom = (bad, fieldsOf, check) => (spec) => {
  const fields = fieldsOf(spec), expected = check(spec).filter((m) => m);
  if (spec.bad !== null) {
    const b = bad[spec.bad % bad.length];
    fields[b.key] = b.value;
    expected.push(b.message);
  }
  return { fields, expected };
};
const badSpec = mostly(fc.constant(null), fc.nat(20), 7);
const countSpec = (max) => mostly(fc.integer({ min: 1, max }), fc.constantFrom(...BAD_COUNTS), 10);

// [N, C, *spatial] layouts: statistic and parameter of element j.
const spatialOf = (dims, from) => dims.slice(from).reduce((p, v) => p * v, 1);
const channelOf = (dims, j) => Math.floor(j / spatialOf(dims, 2)) % dims[1];
const otherDim = (dims, at) => dims.map((v, i) => (i === at ? v + 1 : v));

const BN2D_BAD = badOptions("BatchNorm2d", ["eps", "momentum", "affine"], [AFFINE_BAD,
  { key: "momentum", value: 1.5, message: exactly("momentum must be a finite number >= 0 and <= 1, or null, got 1.5") }]);
export const BatchNorm2d = shapedKind({
  name: "BatchNorm2d",
  starter: { features: 3, eps: 1e-5, momentum: 0.1, affine: true, bad: null },
  spec: fc.record({ features: countSpec(4), eps: fc.constantFrom(...EPS), momentum: fc.constantFrom(...MOMENTUM, null), affine: fc.boolean(), bad: badSpec }),
  options: optionsFrom(BN2D_BAD, (s) => ({ eps: s.eps, momentum: s.momentum, affine: s.affine }), (s) => [count("numFeatures", s.features)]),
  make: (bn, spec, options) => new bn.BatchNorm2d(spec.features, options),
  config: (s) => ({ channels: s.features, params: s.features, running: s.features, hasRunning: true, counted: true,
    eps: s.eps, momentum: s.momentum, affine: s.affine, numFeatures: s.features }),
  getters: ["numFeatures", "eps", "momentum", "affine", "gamma", "beta", "runningMean", "runningVar", "numBatchesTracked"],
  goodDims: (e, s) => [s.n, e.channels, s.h, s.w],
  withOtherChannels: (e, dims) => otherDim(dims, 1),
  planDefect(e, dims) {
    if (dims.length !== 4) return `shape ${text(dims)}: expected 4D input (got ${dims.length}D input)`;
    return dims[1] !== e.channels ? `shape ${text(dims)}: expected ${e.channels} channels (num_features) at dim 1, got ${dims[1]}` : null;
  },
  trainDefect: (e, dims, training) => (training && dims[0] * dims[2] * dims[3] === 1
    ? `Expected more than 1 value per channel when training, got input size ${text(dims)} (use eval mode for a single example)` : null),
  layout: (e, dims) => ({ stats: e.channels, stat: (j) => channelOf(dims, j), param: (j) => channelOf(dims, j) }),
  statsShape: (e) => [e.channels],
  useInput: (e, training) => training,
  fuse: { channels: (e) => e.channels, refusal: () => null },
});

// numGroups from the channels' divisors (valid), or a bad pair.
const GROUPS = [[1, 1], [1, 2], [2, 2], [1, 4], [2, 4], [4, 4], [3, 3], [1, 3], [2, 6], [3, 6]];
const GN_BAD = badOptions("GroupNorm", ["eps", "affine"], [AFFINE_BAD]);
export const GroupNorm = shapedKind({
  name: "GroupNorm",
  starter: { pair: [2, 4], eps: 1e-5, affine: true, bad: null },
  spec: fc.record({ pair: mostly(fc.constantFrom(...GROUPS), fc.constantFrom([3, 4], [2, 3], [0, 4], [2, NaN], ["2", 4], [2, 2 ** 27], [4, 2]), 10),
    eps: fc.constantFrom(...EPS), affine: fc.boolean(), bad: badSpec }),
  options: optionsFrom(GN_BAD, (s) => ({ eps: s.eps, affine: s.affine }), ({ pair: [g, c] }) => {
    const bad = [count("numGroups", g), count("numChannels", c)];
    if (!bad[0] && !bad[1] && c % g !== 0) bad.push(exactly(`num_channels must be divisible by num_groups (num_channels = ${c}, num_groups = ${g})`));
    return bad;
  }),
  make: (bn, spec, options) => new bn.GroupNorm(spec.pair[0], spec.pair[1], options),
  config: ({ pair: [g, c], eps, affine }) => ({ channels: c, groups: g, params: c, running: 0, hasRunning: false, counted: false,
    eps, momentum: null, affine, numGroups: g, numChannels: c }),
  getters: ["numGroups", "numChannels", "eps", "affine", "gamma", "beta"],
  goodDims: (e, s) => [s.n, e.channels, s.h, s.w].slice(0, 2 + s.extra),
  withOtherChannels: (e, dims) => otherDim(dims, 1),
  planDefect(e, dims) {
    const s = text(dims);
    if (dims.length < 2) return `shape ${s}: expected input of at least 2 dimensions, [N, C, *] (got ${dims.length}D input)`;
    if (dims[1] % e.groups !== 0) return `shape ${s}: Expected number of channels in input to be divisible by num_groups, but got input of shape ${s} and num_groups=${e.groups}`;
    return dims[1] !== e.channels ? `shape ${s}: expected ${e.channels} channels (num_channels) at dim 1, got ${dims[1]}` : null;
  },
  // PyTorch's check, in any mode: the view [N * C/G, G, *spatial] holds more than one value per G.
  trainDefect(e, dims) {
    const per = e.channels / e.groups;
    return dims[0] * per * spatialOf(dims, 2) === 1
      ? `Expected more than 1 value per channel when training, got input size ${text([dims[0] * per, e.groups, ...dims.slice(2)])}` : null;
  },
  layout: (e, dims) => ({ stats: dims[0] * e.groups, param: (j) => channelOf(dims, j),
    stat: (j) => Math.floor(j / (e.channels * spatialOf(dims, 2))) * e.groups + Math.floor(channelOf(dims, j) / (e.channels / e.groups)) }),
  statsShape: (e, dims) => [dims[0], e.groups],
  useInput: () => true,
  fuse: { channels: () => null, refusal: () => /^layer: a GroupNorm has no running statistics/ },
});

const LN_BAD = badOptions("LayerNorm", ["eps", "elementwiseAffine"], [
  { key: "elementwiseAffine", value: "yes", message: exactly('elementwiseAffine must be true or false, got "yes"') }]);
const LN_SHAPE_BAD = [
  ["4", /^normalizedShape must be an integer or an array of 1 to 7 integers >= 1 \(the trailing dimensions, e\.g\. \[C, H, W\]\), got "4"$/],
  [[], exactly("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []")],
  [[3, 0], exactly("normalizedShape[1] must be an integer >= 1, got 0")], [0, exactly("normalizedShape[0] must be an integer >= 1, got 0")],
  [[2, 1.5], exactly("normalizedShape[1] must be an integer >= 1, got 1.5")], [Array(8).fill(2), /^normalizedShape must be an integer or an array of 1 to 7 /],
  [2 ** 28, /^normalizedShape's element count must be an integer in \[1, 134217727\], got 268435456/], [null, /^normalizedShape must be an integer or an array/],
];
const lnShape = (s) => (s.badShape !== null ? null : typeof s.shape === "number" ? [s.shape] : s.shape);
export const LayerNorm = shapedKind({
  name: "LayerNorm",
  starter: { shape: [2, 3], badShape: null, eps: 1e-5, affine: true, bad: null },
  spec: fc.record({ shape: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })),
    badShape: mostly(fc.constant(null), fc.constantFrom(...LN_SHAPE_BAD.keys()), 10), eps: fc.constantFrom(...EPS), affine: fc.boolean(), bad: badSpec }),
  options: optionsFrom(LN_BAD, (s) => ({ eps: s.eps, elementwiseAffine: s.affine }), (s) => [lnShape(s) ? null : LN_SHAPE_BAD[s.badShape][1]]),
  make: (bn, spec, options) => new bn.LayerNorm(lnShape(spec) ? spec.shape : LN_SHAPE_BAD[spec.badShape][0], options),
  config: (s) => {
    const ns = lnShape(s) ?? [1], d = ns.reduce((p, v) => p * v, 1);
    return { normalizedShape: ns, params: d, running: 0, hasRunning: false, counted: false, eps: s.eps, momentum: null, affine: s.affine, elementwiseAffine: s.affine };
  },
  getters: ["normalizedShape", "eps", "elementwiseAffine", "gamma", "beta"],
  goodDims: (e, s) => [s.n, s.h].slice(0, s.extra).concat(e.normalizedShape),
  withOtherChannels: (e, dims) => otherDim(dims, dims.length - 1),
  planDefect(e, dims) {
    const ns = e.normalizedShape, k = ns.length;
    if (dims.length >= k && ns.every((v, i) => v === dims[dims.length - k + i])) return null;
    return `shape ${text(dims)}: Given normalized_shape=${text(ns)}, expected input with shape [*, ${ns.join(", ")}], but got input of size${text(dims)}`;
  },
  trainDefect: () => null,
  layout: (e, dims) => ({ stats: dims.reduce((p, v) => p * v, 1) / e.params, stat: (j) => Math.floor(j / e.params), param: (j) => j % e.params }),
  statsShape: (e, dims) => (dims.length > e.normalizedShape.length ? dims.slice(0, dims.length - e.normalizedShape.length) : [1]),
  useInput: () => true,
  fuse: { channels: () => null, refusal: () => /^layer: a LayerNorm has no running statistics/ },
});

const IN_BAD = badOptions("InstanceNorm2d", ["eps", "momentum", "affine", "trackRunningStats"], [AFFINE_BAD,
  { key: "momentum", value: null, message: exactly("momentum must be a finite number >= 0 and <= 1, got null") },
  { key: "momentum", value: 1.5, message: exactly("momentum must be a finite number >= 0 and <= 1, got 1.5") },
  { key: "trackRunningStats", value: 1, message: exactly("trackRunningStats must be true or false, got 1") }]);
export const InstanceNorm2d = shapedKind({
  name: "InstanceNorm2d",
  starter: { features: 2, eps: 1e-5, momentum: 0.1, affine: true, track: true, bad: null },
  spec: fc.record({ features: countSpec(4), eps: fc.constantFrom(...EPS), momentum: fc.constantFrom(...MOMENTUM), affine: fc.boolean(), track: fc.boolean(), bad: badSpec }),
  options: optionsFrom(IN_BAD, (s) => ({ eps: s.eps, momentum: s.momentum, affine: s.affine, trackRunningStats: s.track }), (s) => [count("numFeatures", s.features)]),
  make: (bn, spec, options) => new bn.InstanceNorm2d(spec.features, options),
  config: (s) => ({ channels: s.features, params: s.features, running: s.track ? s.features : 0, hasRunning: true, counted: false,
    eps: s.eps, momentum: s.momentum, affine: s.affine, numFeatures: s.features, trackRunningStats: s.track }),
  getters: ["numFeatures", "eps", "momentum", "affine", "trackRunningStats", "gamma", "beta", "runningMean", "runningVar"],
  goodDims: (e, s) => (s.extra === 0 ? [e.channels, s.h, s.w] : [s.n, e.channels, s.h, s.w]),
  withOtherChannels: (e, dims) => otherDim(dims, dims.length - 3),
  planDefect(e, dims) {
    const r = dims.length;
    if (r !== 3 && r !== 4) return `shape ${text(dims)}: expected 3D or 4D input (got ${r}D input)`;
    return dims[r - 3] !== e.channels ? `shape ${text(dims)}: expected ${e.channels} channels (num_features) at dim ${r - 3}, got ${dims[r - 3]}` : null;
  },
  trainDefect(e, dims, training) {
    const r = dims.length, useInput = training || e.running === 0;
    return useInput && dims[r - 1] * dims[r - 2] === 1
      ? `Expected more than 1 spatial element when training, got input size ${text([r === 4 ? dims[0] : 1, e.channels, 1, 1])}` : null;
  },
  layout: (e, dims) => {
    const pixels = dims[dims.length - 1] * dims[dims.length - 2];
    return { stats: dims.reduce((p, v) => p * v, 1) / pixels, stat: (j) => Math.floor(j / pixels), param: (j) => Math.floor(j / pixels) % e.channels };
  },
  statsShape: (e, dims) => (dims.length === 4 ? [dims[0], e.channels] : [e.channels]),
  useInput: (e, training) => training || e.running === 0,
  fuse: { channels: (e) => (e.running ? e.channels : null),
    refusal: (e) => (e.running ? null : /^layer: this InstanceNorm2d tracks no running statistics \(trackRunningStats: false\)/) },
});

// BatchNorm1d's forward(x, [N, C]) and forward(x, [N, C, L]) (statistics
// per channel over N·L), its other members those of layers.mjs's entry.
export const BatchNorm1dShapes = shapedKind({
  name: "BatchNorm1d",
  goodDims: (e, s) => [s.n, e.features, s.h].slice(0, s.extra === 0 ? 2 : 3),
  withOtherChannels: (e, dims) => otherDim(dims, 1),
  planDefect(e, dims) {
    if (dims.length < 2 || dims.length > 3) return `shape ${text(dims)}: expected 2D or 3D input (got ${dims.length}D input)`;
    return dims[1] !== e.features ? `shape ${text(dims)}: expected ${e.features} channels (num_features) at dim 1, got ${dims[1]}` : null;
  },
  trainDefect: (e, dims, training) => (training && dims[0] * (dims[2] ?? 1) === 1
    ? `Expected more than 1 value per channel when training, got input size ${text(dims)} (use eval mode for a single example)` : null),
  layout: (e, dims) => ({ stats: e.features, stat: (j) => channelOf(dims, j), param: (j) => channelOf(dims, j) }),
  statsShape: (e) => [e.features],
  useInput: (e, training) => training,
});

export const SHAPED_KINDS = [GroupNorm, BatchNorm2d, LayerNorm, InstanceNorm2d];
