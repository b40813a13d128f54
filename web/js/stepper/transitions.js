// Everything a user can do to the stepper, as pure functions of the state
// (state.js): each takes a state and returns the next one (or an object
// with the next state and a message for the page to show). No DOM, so each
// can be tested in Node; mount.js maps clicks and keys onto them.
import { CONVENTIONS } from "./conventions.js";
import { readInputs } from "./inputs.js";
import { randomBatch, nextSeed } from "./random.js";
import { LIMITS, lastStep, normalize, randomParams, shapeOf } from "./state.js";
import { NORMS } from "./norm-axes.js";

// ---- stepping (the numbers stay the same, only the view moves)

export function nextStep(state) {
  return state.step < lastStep(state.phase) ? { ...state, step: state.step + 1 } : state;
}

export function previousStep(state) {
  if (state.step > 0) return { ...state, step: state.step - 1 };
  if (state.phase === "backward") return { ...state, phase: "forward", step: lastStep("forward") };
  return state;
}

// The Normalization control: BatchNorm1d (the batch stepper) or a layer of
// the normalization lab, from its first statistic.
export function setNorm(state, norm) {
  return NORMS[norm] ? normalize({ ...state, norm, stat: 1 }) : state;
}

// Back to step 0 of the forward pass; data, parameters and mode are kept.
export function reset(state) {
  return { ...state, phase: "forward", step: 0 };
}

export function startBackward(state) {
  return { ...state, phase: "backward", step: 0 };
}

// "Earlier steps" open or closed (a link keeps it).
export function openEarlierSteps(state, open) {
  return { ...state, earlier: Boolean(open) };
}

// Presenter mode on or off (a link keeps it).
export function setPresenter(state, on) {
  return { ...state, presenter: Boolean(on) };
}

// The → / Space shortcut: the next step, and from the last forward step on
// into the backward pass (as the Backward button).
export function advance(state) {
  if (state.phase === "forward" && state.step === lastStep("forward")) return startBackward(state);
  return nextStep(state);
}

export const atFirstStep = (state) => state.phase === "forward" && state.step === 0;
export const atLastStep = (state) => state.step === lastStep(state.phase);

// ---- settings

export function setMode(state, mode) {
  return normalize({ ...state, mode });
}

// A convention brings its own eps and momentum.
export function setConvention(state, convention) {
  const c = CONVENTIONS[convention];
  return c ? { ...state, convention, eps: c.eps, momentum: c.momentum } : state;
}

export function setDySource(state, dySource) {
  return normalize({ ...state, dySource });
}

// ---- edits: what was typed is kept as typed (checked by readInputs)

// grid: "cells" | "dy" | "target"; i, k from 0.
export function editCell(state, grid, i, k, text) {
  const cells = state[grid].map((row) => row.slice());
  cells[i][k] = String(text);
  return { ...state, [grid]: cells };
}

// list: "gamma" | "beta".
export function editParam(state, list, k, text) {
  const values = state[list].slice();
  values[k] = String(text);
  return { ...state, [list]: values };
}

// key: "eps" | "momentum" | "randomMean" | "randomSpread".
export function editText(state, key, text) {
  return { ...state, [key]: String(text) };
}

// ---- shape

export function checkShape(rows, features) {
  const okRows = Number.isInteger(rows) && rows >= LIMITS.minRows && rows <= LIMITS.maxRows;
  const okFeatures = Number.isInteger(features) && features >= LIMITS.minFeatures && features <= LIMITS.maxFeatures;
  return { okRows, okFeatures, error: okRows && okFeatures ? null
    : `Batch size must be ${LIMITS.minRows}–${LIMITS.maxRows} and features ${LIMITS.minFeatures}–${LIMITS.maxFeatures}.` };
}

// A new batch size / feature count. Cells typed earlier come back when the
// shape grows again; cells never typed are drawn from the seed (or, with
// `fill`, take fill(i, k)). Earlier batches are dropped when the feature
// count changes (they no longer fit).
export function resize(state, rows, features, fill = null) {
  let cells = state.cells;
  if (fill) {
    cells = Array.from({ length: Math.max(rows, cells.length) }, (_, i) =>
      Array.from({ length: Math.max(features, cells[0].length) }, (_, k) => cells[i]?.[k] ?? fill(i, k)));
  }
  const history = features === state.features ? state.history : [];
  return normalize({ ...state, cells, batch: rows, features, history });
}

// A table pasted at row i0, feature k0: the grid grows to hold it (up to the
// limits); cells it opens that the table does not cover are 0.
export function pasteTable(state, table, i0, k0) {
  const { rows, features } = shapeOf(state);
  const width = Math.max(...table.map((r) => r.length));
  const newRows = Math.min(LIMITS.maxRows, Math.max(rows, i0 + table.length));
  const newFeatures = Math.min(LIMITS.maxFeatures, Math.max(features, k0 + width));
  const grown = newRows !== rows || newFeatures !== features ? resize(state, newRows, newFeatures, () => "0") : state;
  const cells = grown.cells.map((r) => r.slice());
  table.forEach((row, di) => row.forEach((text, dk) => {
    if (i0 + di < newRows && k0 + dk < newFeatures) cells[i0 + di][k0 + dk] = text;
  }));
  const cut = table.length + i0 > LIMITS.maxRows || width + k0 > LIMITS.maxFeatures;
  return { state: { ...grown, cells },
    message: `Pasted ${table.length} × ${width} values${cut ? ` (cut to the ${LIMITS.maxRows} × ${LIMITS.maxFeatures} limit)` : ""}.` };
}

// ---- random batches and the running statistics

// A fresh batch of the current shape from normal(random mean, spread²); the
// seed moves on so the view stays a link. Rows hidden by a smaller batch
// size belonged to the old batch and go with it.
export function randomizeBatch(state) {
  const { mean, spread, ok } = randomParams(state);
  if (!ok) return { state, message: "Random mean and spread must be numbers." };
  return { state: drawBatch(state), message: `New random batch: mean ${mean}, spread ${spread}.` };
}

function drawBatch(state) {
  const { mean, spread } = randomParams(state);
  const seed = nextSeed(state.seed);
  const { rows, features } = shapeOf(state);
  return { ...state, seed, cells: randomBatch(seed, rows, features, mean, spread) };
}

export const canFeed = (state, inputs = readInputs(state)) =>
  inputs.forwardOk && inputs.rows >= 2 && state.history.length < LIMITS.maxHistory;

// "Next batch": this batch joins the earlier ones fed in training, and a new
// random batch takes its place.
export function feedBatch(state) {
  const inputs = readInputs(state);
  if (!canFeed(state, inputs)) return { state, message: "" };
  const { rows, features } = shapeOf(state);
  const fed = Array.from({ length: rows }, (_, i) => Array.from(inputs.x.subarray(i * features, (i + 1) * features)));
  return { state: drawBatch({ ...state, history: [...state.history, fed] }), message: "New batch drawn." };
}

export function forgetHistory(state) {
  return { ...state, history: [] };
}
