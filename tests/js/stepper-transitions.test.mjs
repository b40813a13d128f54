// The stepper's pure transitions (web/js/stepper/transitions.js), in Node:
// stepping, reset, modes and conventions, edits, shape changes, paste,
// random batches and the batches fed to the running statistics. Every
// transition leaves the state it was given unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BACKWARD_STEPS, FORWARD_STEPS, LIMITS, decodeState, encodeState, normalize, visible } from "../../web/js/stepper/state.js";
import { CONVENTIONS } from "../../web/js/stepper/conventions.js";
import * as T from "../../web/js/stepper/transitions.js";

const start = () => normalize({ cells: [["1", "2"], ["3", "5"], ["2", "0"]], gamma: ["2", "1"], mode: "eval" });

// Runs fn on a frozen copy, so a transition that writes into its input throws.
function pure(fn, state, ...args) {
  const frozen = deepFreeze(structuredClone(state));
  const out = fn(frozen, ...args);
  assert.deepEqual(frozen, state, `${fn.name} changed its input`);
  return out;
}
function deepFreeze(v) {
  if (v && typeof v === "object") { Object.values(v).forEach(deepFreeze); Object.freeze(v); }
  return v;
}

test("Next / Previous step walk the forward pass, then the backward pass; Reset keeps data and mode", () => {
  let s = start();
  assert.ok(T.atFirstStep(s));
  assert.deepEqual(pure(T.previousStep, s), s, "nothing before the first step");
  for (let i = 1; i < FORWARD_STEPS; i++) s = pure(T.nextStep, s);
  assert.equal(s.step, FORWARD_STEPS - 1);
  assert.ok(T.atLastStep(s));
  assert.equal(T.nextStep(s), s, "Next stops at the last forward step");
  s = pure(T.startBackward, s);
  assert.deepEqual([s.phase, s.step], ["backward", 0]);
  for (let i = 1; i < BACKWARD_STEPS + 3; i++) s = T.nextStep(s);
  assert.equal(s.step, BACKWARD_STEPS - 1);
  s = T.previousStep({ ...s, step: 0 });
  assert.deepEqual([s.phase, s.step], ["forward", FORWARD_STEPS - 1], "Previous from backward 0 goes back to the forward pass");
  const back = pure(T.reset, { ...s, phase: "backward", step: 3 });
  assert.deepEqual([back.phase, back.step, back.mode, back.cells], ["forward", 0, "eval", s.cells]);
  assert.equal(pure(T.openEarlierSteps, s, true).earlier, true);
});

test("mode, convention (with its eps and momentum) and dy source", () => {
  const s = start();
  assert.equal(pure(T.setMode, s, "train").mode, "train");
  assert.equal(T.setMode(s, "nonsense").mode, "train", "an unknown mode falls back to the default");
  const keras = pure(T.setConvention, s, "keras");
  assert.deepEqual([keras.convention, keras.eps, keras.momentum], ["keras", CONVENTIONS.keras.eps, CONVENTIONS.keras.momentum]);
  assert.equal(T.setConvention(s, "caffe"), s);
  assert.equal(pure(T.setDySource, s, "loss").dySource, "loss");
});

test("edits keep what was typed, exactly, and only where it was typed", () => {
  const s = start();
  const a = pure(T.editCell, s, "cells", 1, 0, "1,5");
  assert.deepEqual(a.cells, [["1", "2"], ["1,5", "5"], ["2", "0"]]);
  assert.equal(pure(T.editCell, s, "dy", 0, 1, "").dy[0][1], "");
  assert.equal(pure(T.editCell, s, "target", 2, 0, "abc").target[2][0], "abc");
  assert.deepEqual(pure(T.editParam, s, "beta", 1, "−0.5").beta, ["0", "−0.5"]);
  assert.equal(pure(T.editText, s, "eps", "1e-3").eps, "1e-3");
  assert.equal(pure(T.editText, s, "randomSpread", "x").randomSpread, "x");
  assert.deepEqual(decodeState(encodeState(a)), a, "and a link keeps it");
});

test("resize: hidden rows come back, new cells are drawn from the seed, a new feature count drops the fed batches", () => {
  const s = { ...start(), history: [[[1, 2], [3, 4]]] };
  assert.deepEqual(T.checkShape(0, 2).okRows, false);
  assert.match(T.checkShape(4, 9).error, new RegExp(`features ${LIMITS.minFeatures}–${LIMITS.maxFeatures}`));
  assert.equal(T.checkShape(4, 2).error, null);
  const one = pure(T.resize, s, 1, 2);
  assert.deepEqual(visible(one).cells, [["1", "2"]]);
  assert.deepEqual(T.resize(one, 3, 2).cells, s.cells);
  assert.deepEqual(one.history, s.history, "same features: the fed batches stay");
  const wide = pure(T.resize, s, 3, 3);
  assert.deepEqual(wide.history, []);
  assert.deepEqual(wide.gamma, ["2", "1", "1"]);
  assert.deepEqual(T.resize(s, 3, 3).cells, wide.cells, "deterministic");
});

test("paste grows the grid to hold the table and says when it was cut", () => {
  const s = start();
  const { state, message } = pure(T.pasteTable, s, [["7", "8", "9"], ["10", "11", "12"]], 2, 0);
  assert.deepEqual([state.batch, state.features], [4, 3]);
  assert.deepEqual(state.cells[3], ["10", "11", "12"]);
  assert.deepEqual(state.cells[0], ["1", "2", "0"], "opened cells the table does not cover are 0");
  assert.equal(message, "Pasted 2 × 3 values.");
  const big = Array.from({ length: 20 }, () => ["1"]);
  const cut = T.pasteTable(s, big, 0, 0);
  assert.equal(cut.state.batch, LIMITS.maxRows);
  assert.match(cut.message, /cut to the 16 × 8 limit/);
});

test("Random batch and Next batch: the seed moves, the view stays a link; fed batches feed the running statistics", () => {
  const s = start();
  const r = pure(T.randomizeBatch, s);
  assert.notEqual(r.state.seed, s.seed);
  assert.deepEqual(T.randomizeBatch(s).state.cells, r.state.cells, "same seed, same batch");
  assert.deepEqual([r.state.cells.length, r.state.cells[0].length], [3, 2]);
  assert.match(r.message, /mean 3, spread 2/);
  const hidden = T.randomizeBatch(T.resize(s, 1, 2)).state;
  assert.equal(hidden.cells.length, 1, "rows hidden by batch size 1 belonged to the old batch");
  assert.match(T.randomizeBatch({ ...s, randomMean: "x" }).message, /must be numbers/);

  assert.ok(T.canFeed(s));
  const fed = pure(T.feedBatch, s).state;
  assert.deepEqual(fed.history, [[[1, 2], [3, 5], [2, 0]]]);
  assert.notDeepEqual(fed.cells, s.cells);
  assert.deepEqual(pure(T.forgetHistory, fed).history, []);
  const single = T.resize(s, 1, 2);
  assert.equal(T.canFeed(single), false, "a batch of one cannot be fed in training");
  assert.equal(T.feedBatch(single).state, single);
  assert.equal(T.canFeed(T.editCell(s, "cells", 0, 0, "abc")), false, "nor a batch with a bad cell");
});
