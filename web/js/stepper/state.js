// The stepper's state table: every input, the mode, the step, and the
// earlier batches fed in training. One plain object, written to and read from
// the URL hash, so any view is a link (and a widget can start from attributes).
import { parseDataString, toDataString } from "./cells.js";
import { randomBatch } from "./random.js";

export const LIMITS = { minRows: 1, maxRows: 16, minFeatures: 1, maxFeatures: 8, maxHistory: 60 };
export const FORWARD_STEPS = 8;    // 0 intro … 7 running statistics
export const BACKWARD_STEPS = 7;   // 0 dy … 6 dx

export const CONVENTIONS = {
  pytorch: { label: "PyTorch", eps: "1e-5", momentum: "0.1" },
  keras: { label: "Keras", eps: "0.001", momentum: "0.99" },
};

const EXAMPLE = "1,2;3,5;2,0;4,1";

export function defaultState() {
  const cells = parseDataString(EXAMPLE);
  return normalize({ cells });
}

// Fills every missing field and makes all arrays match the grid's shape.
export function normalize(partial) {
  const s = { ...partial };
  s.cells = (s.cells?.length ? s.cells : parseDataString(EXAMPLE)).map((r) => r.map(String));
  const rows = clamp(s.cells.length, LIMITS.minRows, LIMITS.maxRows);
  const features = clamp(Math.max(...s.cells.map((r) => r.length)), LIMITS.minFeatures, LIMITS.maxFeatures);
  s.cells = fit(s.cells, rows, features, () => "0");
  s.gamma = fitRow(s.gamma, features, "1");
  s.beta = fitRow(s.beta, features, "0");
  s.convention = s.convention === "keras" ? "keras" : "pytorch";
  s.eps = s.eps ?? CONVENTIONS[s.convention].eps;
  s.momentum = s.momentum ?? CONVENTIONS[s.convention].momentum;
  s.mode = s.mode === "eval" ? "eval" : "train";
  s.phase = s.phase === "backward" ? "backward" : "forward";
  const last = (s.phase === "forward" ? FORWARD_STEPS : BACKWARD_STEPS) - 1;
  s.step = clamp(Number.isInteger(s.step) ? s.step : 0, 0, last);
  s.dySource = s.dySource === "loss" ? "loss" : "manual";
  s.dy = fit(s.dy ?? [], rows, features, (i, k) => defaultDy(i, k));
  s.target = fit(s.target ?? [], rows, features, () => "0");
  s.history = (s.history ?? []).filter((b) => b.length >= 2 && b.every((r) => r.length === features &&
    r.every(Number.isFinite))).slice(-LIMITS.maxHistory);
  s.randomMean = s.randomMean ?? "3";
  s.randomSpread = s.randomSpread ?? "2";
  s.seed = Number.isInteger(s.seed) && s.seed > 0 ? s.seed : 1;
  return s;
}

// dy by hand starts as a small fixed pattern (−0.5, 0, 0.5, …) so the
// gradients are not all zero.
function defaultDy(i, k) {
  return String(((i + 2 * k) % 3 - 1) * 0.5);
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}

function fitRow(row, n, fill) {
  const out = (row ?? []).slice(0, n).map(String);
  while (out.length < n) out.push(fill);
  return out;
}

function fit(grid, rows, features, fill) {
  const out = [];
  for (let i = 0; i < rows; i++) {
    const row = (grid[i] ?? []).slice(0, features).map(String);
    for (let k = row.length; k < features; k++) row.push(fill(i, k));
    out.push(row);
  }
  return out;
}

export function shapeOf(state) {
  return { rows: state.cells.length, features: state.cells[0].length };
}

// New shape: keeps what fits, fills new cells with `fillCell(i, k)`; earlier
// batches are dropped when the feature count changes (they no longer fit).
export function resize(state, rows, features, fillCell) {
  const { features: oldFeatures } = shapeOf(state);
  const s = { ...state };
  s.cells = fit(state.cells, rows, features, fillCell);
  s.dy = fit(state.dy, rows, features, defaultDy);
  s.target = fit(state.target, rows, features, () => "0");
  s.gamma = fitRow(state.gamma, features, "1");
  s.beta = fitRow(state.beta, features, "0");
  if (features !== oldFeatures) s.history = [];
  return s;
}

// The state a widget or page asks for: options.state (any subset of the
// fields above) and/or the <bn-stepper> attribute forms at the top level or
// inside it: data "1,2;3,5", batch, features (numbers or strings),
// gamma/beta "1,1", eps, momentum, mode, convention, phase, step.
export function stateFromOptions(options = {}) {
  const partial = { ...(options.state ?? {}) };
  for (const key of ["batch", "features", "data", "gamma", "beta", "eps", "momentum", "mode", "step", "phase", "convention"]) {
    if (options[key] !== undefined && partial[key] === undefined) partial[key] = options[key];
  }
  if (typeof partial.data === "string") partial.cells = parseDataString(partial.data);
  if (typeof partial.gamma === "string") partial.gamma = partial.gamma.split(",");
  if (typeof partial.beta === "string") partial.beta = partial.beta.split(",");
  for (const key of ["eps", "momentum"]) if (typeof partial[key] === "number") partial[key] = String(partial[key]);
  if (partial.step !== undefined) partial.step = Number(partial.step);
  let s = normalize(partial);
  const rows = Number(partial.batch), features = Number(partial.features);
  if ((Number.isInteger(rows) && rows !== s.cells.length) || (Number.isInteger(features) && features !== s.cells[0].length)) {
    const r = Number.isInteger(rows) ? Math.min(LIMITS.maxRows, Math.max(LIMITS.minRows, rows)) : s.cells.length;
    const f = Number.isInteger(features) ? Math.min(LIMITS.maxFeatures, Math.max(LIMITS.minFeatures, features)) : s.cells[0].length;
    const fill = randomBatch(s.seed, r, f, 0, 1);
    s = resize(s, r, f, (i, k) => fill[i][k]);
  }
  return s;
}

// ---- URL form: #x=1,2;3,5&g=1,1&… (commas, semicolons and bars kept readable)

const enc = (v) => encodeURIComponent(v).replace(/%2C/g, ",").replace(/%3B/g, ";").replace(/%7C/g, "|");

export function encodeState(s) {
  const parts = [
    ["x", toDataString(s.cells)],
    ["g", s.gamma.join(",")],
    ["b", s.beta.join(",")],
    ["eps", s.eps],
    ["mom", s.momentum],
    ["mode", s.mode],
    ["conv", s.convention],
    ["phase", s.phase],
    ["step", String(s.step)],
    ["dys", s.dySource],
    ["dy", toDataString(s.dy)],
    ["rm", s.randomMean],
    ["rs", s.randomSpread],
    ["seed", String(s.seed)],
  ];
  if (s.dySource === "loss" || s.target.some((r) => r.some((c) => c !== "0"))) parts.push(["t", toDataString(s.target)]);
  if (s.history.length) parts.push(["hist", s.history.map((b) => toDataString(b)).join("|")]);
  return parts.map(([k, v]) => `${k}=${enc(v)}`).join("&");
}

// Reads a hash (with or without "#"); unknown or broken fields fall back to
// defaults, so an edited link still opens.
export function decodeState(hash) {
  const text = String(hash ?? "").replace(/^#/, "");
  if (!text) return null;
  const p = {};
  for (const pair of text.split("&")) {
    const at = pair.indexOf("=");
    if (at < 0) continue;
    try {
      p[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
    } catch {
      // a broken %-escape: ignore that field
    }
  }
  if (p.x === undefined) return null;
  const list = (v) => (v === undefined ? undefined : v.split(","));
  const grid = (v) => (v === undefined ? undefined : parseDataString(v));
  return normalize({
    cells: grid(p.x),
    gamma: list(p.g),
    beta: list(p.b),
    eps: p.eps,
    momentum: p.mom,
    mode: p.mode,
    convention: p.conv,
    phase: p.phase,
    step: p.step === undefined ? 0 : Number(p.step),
    dySource: p.dys,
    dy: grid(p.dy),
    target: grid(p.t),
    randomMean: p.rm,
    randomSpread: p.rs,
    seed: p.seed === undefined ? undefined : Number(p.seed),
    history: p.hist ? p.hist.split("|").map((b) => parseDataString(b).map((r) => r.map(Number))) : [],
  });
}
