// The normalization lab's part of the state table (state.js): the input
// shape N×C×H×W as a field, and the image batch as one 4-D field of typed
// text. Text forms (URL and <bn-stepper> attributes):
//   shape  "2,4,3,3"                         (N, C, H, W; each 1–4)
//   image  "1,2;3,4|5,6;7,8/…"               rows ";", cells ",", channels "|", samples "/"
// A cell's text is escaped as in codecs.js, and "/" too. Like the batch
// grid, the image keeps what was typed beyond the current shape (up to the
// limits): 2 samples, then 1, then 2 brings sample 2 back.
import { escapeCell, unescapeCell } from "./codecs.js";
import { randomBatch, nextSeed } from "./random.js";
import { index } from "./norm-axes.js";

export const IMAGE_LIMITS = { min: 1, max: 4 };
export const DEFAULT_SHAPE = [2, 4, 3, 3];
const clamp = (v) => Math.min(IMAGE_LIMITS.max, Math.max(IMAGE_LIMITS.min, v));

// [N, C, H, W] <-> "2,4,3,3"; any dimension that is not an integer 1–4 makes
// the whole text unreadable (the default shape is used), as for Batch size.
export const dims = {
  read(v) {
    const parts = typeof v === "string" ? v.split(",").map((p) => p.trim()) : Array.isArray(v) ? v : null;
    if (!parts || parts.length !== 4) return undefined;
    const out = parts.map((p) => (typeof p === "string" && /^\d+$/.test(p) ? Number(p) : p));
    return out.every((d) => Number.isInteger(d) && d >= IMAGE_LIMITS.min && d <= IMAGE_LIMITS.max) ? out : undefined;
  },
  write: (v) => v.join(","),
};

const escape = (text) => escapeCell(text).replace(/\//g, "%2F");

// [n][c][h][w] strings <-> text.
export const tensor = {
  read(v) {
    if (typeof v === "string") return v.split("/").map((s) => s.split("|").map((g) => g.split(";").map((r) => r.split(",").map(unescapeCell))));
    const ok = Array.isArray(v) && v.length && v.every((s) => Array.isArray(s) && s.every((g) => Array.isArray(g) && g.every(Array.isArray)));
    return ok ? v.map((s) => s.map((g) => g.map((r) => r.map(String)))) : undefined;
  },
  write: (v) => v.map((s) => s.map((g) => g.map((r) => r.map(escape).join(",")).join(";")).join("|")).join("/"),
};

// The image made at least the shape on every axis (at most the limits),
// rectangular, keeping what lies beyond; new cells from fill(n, c, h, w).
export function coverTensor(value, shape, fill) {
  const size = (axis, of) => clamp(Math.max(shape[axis], ...of));
  const N = size(0, [value.length]);
  const C = size(1, value.map((s) => s.length));
  const H = size(2, value.flatMap((s) => s.map((g) => g.length)));
  const W = size(3, value.flatMap((s) => s.flatMap((g) => g.map((r) => r.length))));
  return Array.from({ length: N }, (_, n) => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) =>
    Array.from({ length: W }, (_, w) => value[n]?.[c]?.[h]?.[w] ?? fill(n, c, h, w)))));
}

// Only the shape's part, as shown and computed.
export function cutTensor(value, [N, C, H, W]) {
  return value.slice(0, N).map((s) => s.slice(0, C).map((g) => g.slice(0, H).map((r) => r.slice(0, W))));
}

// The typed text of cell (n, c, h, w) as a flat row-major NCHW list.
export function flatTexts(image, shape) {
  return cutTensor(image, shape).flat(3);
}

// A random image batch: normal(mean, spread²) per channel, the channel's
// mean moved by its index (so BatchNorm's per-channel statistics differ),
// rounded to 2 decimals.
export function randomImage(seed, [N, C, H, W], mean = 0, spread = 1) {
  const values = randomBatch(seed, N * C, H * W, 0, spread);
  return nest([N, C, H, W], (n, c, h, w) => {
    const v = Math.round((Number(values[n * C + c][h * W + w]) + mean + c) * 100) / 100;
    return String(Object.is(v, -0) ? 0 : v);
  });
}

// The tiny patterns: the same picture in every sample and channel, scaled by
// (channel + 1) and shifted by the sample, so that the statistics differ.
export const PATTERNS = {
  gradient: { label: "Gradient", value: (h, w, H, W) => (H + W > 2 ? (h + w) / (H + W - 2) : 0) },
  edge: { label: "Edge", value: (h, w, H, W) => (w >= W / 2 ? 1 : 0) },
  checkerboard: { label: "Checkerboard", value: (h, w) => ((h + w) % 2 ? 1 : 0) },
};

export function patternImage(name, [N, C, H, W]) {
  const p = PATTERNS[name];
  return nest([N, C, H, W], (n, c, h, w) => String(Number(((c + 1) * p.value(h, w, H, W) + n).toFixed(4))));
}

export function nest([N, C, H, W], cell) {
  return Array.from({ length: N }, (_, n) => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) =>
    Array.from({ length: W }, (_, w) => cell(n, c, h, w)))));
}

// A cell never typed (a larger shape than the image given): drawn from the
// seed, so a link still opens with the same numbers.
let drawn = { seed: null, image: null };
export function randomImageCell(seed) {
  if (drawn.seed !== seed) drawn = { seed, image: randomImage(nextSeed(seed + 7919), Array(4).fill(IMAGE_LIMITS.max)) };
  const { image } = drawn;
  return (n, c, h, w) => image[n][c][h][w];
}

// The flat index of a cell, re-exported for views that only import this file.
export { index };
