// The stepper's state as one table: every input, the shape, the mode, the
// step, and the earlier batches fed in training. Each entry names the field
// (key), its name in the URL hash (url), its <bn-stepper> attribute
// (attribute), its codec (codecs.js: text form <-> value) and its default
// (a value, or a function of the fields above it in the table; new cells
// of a grid come from its `fill`, once every field is known). Adding a
// field is one entry: normalize, the URL, the widget's attributes (and its
// observedAttributes) all follow from the table.
//
// Grid, matrix and per-feature fields (shape "grid" / "matrix" / "row") keep what was typed
// beyond the current shape: going to batch size 1 and back to 2 brings
// row 2 back. Only the first `batch` rows and `features` columns are shown
// and computed (visible()).
import { batches, choice, flag, grid, integer, list, text } from "./codecs.js";
import { CONVENTIONS, CONVENTION_KEYS } from "./conventions.js";
import { randomBatch, nextSeed } from "./random.js";
import { parseNumber } from "./cells.js";
import { DEFAULT_SHAPE, IMAGE_LIMITS, coverTensor, cutTensor, dims, randomImageCell, tensor } from "./lab-state.js";
import { NORM_KEYS } from "./norm-axes.js";

export const LIMITS = { minRows: 1, maxRows: 16, minFeatures: 1, maxFeatures: 8, maxHistory: 60 };
export const FORWARD_STEPS = 8;    // 0 intro … 7 running statistics
export const BACKWARD_STEPS = 7;   // 0 dy … 6 dx

const EXAMPLE = "1,2;3,5;2,0;4,1";

export const lastStep = (phase) => (phase === "backward" ? BACKWARD_STEPS : FORWARD_STEPS) - 1;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const widthOf = (rows) => Math.max(...rows.map((r) => r.length));

export const FIELDS = [
  { key: "cells", url: "x", attribute: "data", codec: grid, shape: "grid", default: () => grid.read(EXAMPLE),
    fill: randomCell },
  { key: "batch", url: "batch", attribute: "batch", codec: integer, omitDefault: true,
    default: (s) => s.cells.length, fit: (v) => clamp(v, LIMITS.minRows, LIMITS.maxRows) },
  { key: "features", url: "features", attribute: "features", codec: integer, omitDefault: true,
    default: (s) => widthOf(s.cells), fit: (v) => clamp(v, LIMITS.minFeatures, LIMITS.maxFeatures) },
  { key: "gamma", url: "g", attribute: "gamma", codec: list, shape: "row", default: [], fill: () => "1" },
  { key: "beta", url: "b", attribute: "beta", codec: list, shape: "row", default: [], fill: () => "0" },
  { key: "convention", url: "conv", attribute: "convention", codec: choice(CONVENTION_KEYS), default: "pytorch" },
  { key: "eps", url: "eps", attribute: "eps", codec: text, default: (s) => CONVENTIONS[s.convention].eps },
  { key: "momentum", url: "mom", attribute: "momentum", codec: text, default: (s) => CONVENTIONS[s.convention].momentum },
  { key: "mode", url: "mode", attribute: "mode", codec: choice(["train", "eval"]), default: "train" },
  { key: "phase", url: "phase", attribute: "phase", codec: choice(["forward", "backward"]), default: "forward" },
  { key: "step", url: "step", attribute: "step", codec: integer, default: 0, fit: (v, s) => clamp(v, 0, lastStep(s.phase)) },
  { key: "earlier", url: "earlier", attribute: "earlier", codec: flag, default: false, omitDefault: true },
  { key: "presenter", url: "presenter", attribute: "presenter", codec: flag, default: false, omitDefault: true },
  { key: "dySource", url: "dys", attribute: "dy-source", codec: choice(["manual", "loss"]), default: "manual" },
  { key: "dy", url: "dy", attribute: "dy", codec: grid, shape: "grid", default: [], fill: defaultDy },
  { key: "target", url: "t", attribute: "target", codec: grid, shape: "grid", default: [], fill: () => "0", omitDefault: true },
  { key: "history", url: "hist", attribute: "history", codec: batches, default: [], omitDefault: true,
    fit: (v, s) => v.filter((b) => Array.isArray(b) && b.length >= 2 && b.every((r) => Array.isArray(r) &&
      r.length === s.features && r.every(Number.isFinite))).slice(-LIMITS.maxHistory) },
  { key: "seed", url: "seed", attribute: "seed", codec: integer, default: 1, fit: (v) => (v > 0 ? v : undefined) },
  { key: "randomMean", url: "rm", attribute: "random-mean", codec: text, default: "3" },
  { key: "randomSpread", url: "rs", attribute: "random-spread", codec: text, default: "2" },
  // The Linear layer in front of the batch norm (the fold view, fold-view.js): W [features × features], its bias, and
  // the seed of "Random weights".
  { key: "linearWeight", url: "lw", attribute: "linear-weight", codec: grid, shape: "matrix", default: [], fill: defaultWeight,
    omitDefault: true },
  { key: "linearBias", url: "lb", attribute: "linear-bias", codec: list, shape: "row", default: [], fill: () => "0", omitDefault: true },
  { key: "linearSeed", url: "ls", attribute: "linear-seed", codec: integer, default: 1, omitDefault: true,
    fit: (v) => (v > 0 ? v : undefined) },
  // The normalization lab (lab-view.js): the layer (BatchNorm1d, the default, is the batch stepper above; any other
  // opens the lab), GroupNorm's groups, the N×C×H×W shape, the image batch (a
  // "tensor" field: [n][c][h][w] typed text, lab-state.js), its seed, the chosen statistic and the watched sample.
  { key: "norm", url: "norm", attribute: "norm", codec: choice(NORM_KEYS), default: "batch1d", omitDefault: true },
  { key: "groups", url: "groups", attribute: "groups", codec: integer, default: 2, omitDefault: true,
    fit: (v) => (v >= 1 && v <= IMAGE_LIMITS.max ? v : undefined) },
  { key: "imageShape", url: "shape", attribute: "shape", codec: dims, default: DEFAULT_SHAPE, omitDefault: true },
  { key: "imageSeed", url: "iseed", attribute: "image-seed", codec: integer, default: 1, omitDefault: true,
    fit: (v) => (v > 0 ? v : undefined) },
  { key: "image", url: "img", attribute: "image", codec: tensor, shape: "tensor", default: [], omitDefault: true,
    fill: (s) => randomImageCell(s.imageSeed) },
  { key: "stat", url: "stat", attribute: "stat", codec: integer, default: 1, omitDefault: true, fit: (v) => (v >= 1 ? v : undefined) },
  { key: "probe", url: "probe", attribute: "probe", codec: integer, default: 1, omitDefault: true,
    fit: (v, s) => (v >= 1 ? Math.min(v, s.imageShape[0]) : undefined) },
  // The Conv2d folded into the lab's BatchNorm2d (conv-fold-view.js): its kernel size (1 or 3), output channels
  // (1–4) and the seed its weights, bias, γ and β are drawn from.
  { key: "convKernel", url: "ck", attribute: "conv-kernel", codec: integer, default: 3, omitDefault: true,
    fit: (v) => (v === 1 || v === 3 ? v : undefined) },
  { key: "convOut", url: "cout", attribute: "conv-out", codec: integer, default: 2, omitDefault: true,
    fit: (v) => (v >= 1 && v <= 4 ? v : undefined) },
  { key: "convSeed", url: "cs", attribute: "conv-seed", codec: integer, default: 1, omitDefault: true,
    fit: (v) => (v > 0 ? v : undefined) },
];

// dy by hand starts as a small fixed pattern (−0.5, 0, 0.5, …) so the
// gradients are not all zero.
function defaultDy(i, k) {
  return String(((i + 2 * k) % 3 - 1) * 0.5);
}

// The Linear layer's weights start as 1 on the diagonal and ±0.5 beside it,
// so that folding changes every entry.
function defaultWeight(i, k) {
  return i === k ? "1" : i < k ? "0.5" : "-0.5";
}

// What "Random batch" draws: normal(random mean, random spread²).
export function randomParams(state) {
  const mean = parseNumber(state.randomMean), spread = parseNumber(state.randomSpread);
  return { mean: mean.value ?? 0, spread: Math.abs(spread.value ?? 1), ok: !mean.error && !spread.error };
}

// A cell that was never typed (a larger batch size or feature count than
// the data given): drawn from the seed and the shape, so the view is still
// a link.
function randomCell(i, k, state) {
  const { batch: rows, features } = state;
  const { mean, spread } = randomParams(state);
  return randomBatch(nextSeed(state.seed + rows * 31 + features), rows, features, mean, spread)[i]?.[k] ?? "0";
}

const valueOf = (field, s) => {
  const d = typeof field.default === "function" ? field.default(s) : field.default;
  return structuredClone(d);
};

// Fills every missing or unreadable field with its default and makes every
// grid and per-feature list cover the shape. `partial` holds values or their
// text forms (URL / attribute text), keyed by field key.
export function normalize(partial = {}) {
  const s = {};
  for (const field of FIELDS) {
    const read = partial[field.key] === undefined ? undefined : field.codec.read(partial[field.key]);
    const fit = (v) => (v === undefined || !field.fit ? v : field.fit(v, s));
    s[field.key] = fit(read) ?? fit(valueOf(field, s));
  }
  for (const field of FIELDS) if (field.shape) s[field.key] = cover(field, s, s[field.key]);
  return s;
}

// A grid at least batch × features (a matrix: features × features) and at
// most the limits, rectangular; a list at least `features` long. What lies
// beyond the shape is kept.
function cover(field, s, value) {
  if (field.shape === "tensor") return coverTensor(value, s.imageShape, field.fill(s));
  if (field.shape === "row") {
    const out = value.slice(0, LIMITS.maxFeatures);
    for (let k = out.length; k < s.features; k++) out.push(field.fill(0, k, s));
    return out;
  }
  const rows = field.shape === "matrix" ? clamp(Math.max(value.length, s.features), 0, LIMITS.maxFeatures)
    : clamp(Math.max(value.length, s.batch), 0, LIMITS.maxRows);
  const width = clamp(Math.max(s.features, ...value.map((r) => r.length)), 0, LIMITS.maxFeatures);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: width }, (_, k) => value[i]?.[k] ?? field.fill(i, k, s)));
}

export function defaultState() {
  return normalize({});
}

export function shapeOf(state) {
  return { rows: state.batch, features: state.features };
}

// The state as shown and computed: grids and lists cut to the shape.
export function visible(state) {
  const s = { ...state };
  for (const field of FIELDS) {
    if (field.shape === "row") s[field.key] = state[field.key].slice(0, state.features);
    if (field.shape === "grid") s[field.key] = state[field.key].slice(0, state.batch).map((r) => r.slice(0, state.features));
    if (field.shape === "matrix") s[field.key] = state[field.key].slice(0, state.features).map((r) => r.slice(0, state.features));
    if (field.shape === "tensor") s[field.key] = cutTensor(state[field.key], state.imageShape);
  }
  return s;
}

const isDefault = (field, s) => field.codec.write(s[field.key]) === field.codec.write(cover(field, s, valueOf(field, s)));
const impliedByDefault = (field, s) => field.omitDefault && (field.shape ? isDefault(field, s)
  : field.codec.write(s[field.key]) === field.codec.write(valueOf(field, s)));

// ---- URL form: #x=1,2;3,5&g=1,1&… (commas, semicolons and bars kept readable)

const enc = (v) => encodeURIComponent(v).replace(/%2C/g, ",").replace(/%3B/g, ";").replace(/%7C/g, "|");

export function encodeState(state) {
  return FIELDS.filter((f) => !impliedByDefault(f, state))
    .map((f) => `${f.url}=${enc(f.codec.write(state[f.key]))}`).join("&");
}

// Reads a hash (with or without "#"); unknown or broken fields fall back to
// defaults, so an edited link still opens. null when it holds no batch (x).
export function decodeState(hash) {
  const raw = String(hash ?? "").replace(/^#/, "");
  const byUrl = new Map(FIELDS.map((f) => [f.url, f.key]));
  const partial = {};
  for (const pair of raw.split("&")) {
    const at = pair.indexOf("=");
    if (at < 0 || !byUrl.has(pair.slice(0, at))) continue;
    try {
      partial[byUrl.get(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1));
    } catch {
      // a broken %-escape: ignore that field
    }
  }
  return partial.cells === undefined ? null : normalize(partial);
}

// ---- <bn-stepper> attributes: the same text forms under the attribute names

export const ATTRIBUTES = FIELDS.map((f) => f.attribute);

// { data: "1,2;3,5", batch: "2", … }: every field as attribute text.
export function stateToAttributes(state) {
  return Object.fromEntries(FIELDS.map((f) => [f.attribute, f.codec.write(state[f.key])]));
}

// `read(name)` gives an attribute's text or null/undefined when absent.
export function stateFromAttributes(read) {
  const partial = {};
  for (const f of FIELDS) {
    const value = read(f.attribute);
    if (value !== null && value !== undefined) partial[f.key] = value;
  }
  return normalize(partial);
}

// The state a page or widget asks for: options.state and/or options itself,
// each field by its key (a value or its text form) or by its attribute name
// (text or number), e.g. { state: { data: "1,2;3,5", batch: 4, mode: "eval" } }.
export function stateFromOptions(options = {}) {
  const sources = [options.state ?? {}, options];
  const partial = {};
  for (const f of FIELDS) {
    for (const source of sources) {
      const value = source[f.key] ?? source[f.attribute];
      if (value !== undefined) { partial[f.key] = value; break; }
    }
  }
  return normalize(partial);
}
