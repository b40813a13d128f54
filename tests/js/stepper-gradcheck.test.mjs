// The stepper's gradient check (web/js/stepper/gradcheck.js) in Node, on the
// WASM core: it agrees on the cases where the float32 check said "They
// disagree" (large offset, batch of 2, x ≈ 1e5) and on ordinary ones, the
// earlier float32 check (scripts/gradcheck-figures.mjs) fails those same
// cases (the control: the fix is float64 and the floor, nothing else), and
// a wrong dx is still caught, also where the true dx is ≈ 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { AGREE_BELOW, FLOOR, finiteDifferences, forward64, gradientCheck, judge, storedInputs } from "../../web/js/stepper/gradcheck.js";
import { CASES, float32Check, viewFor } from "../../scripts/gradcheck-figures.mjs";
import { backwardRef, forwardRef } from "../browser/fixtures/stepper-helpers.mjs";

const bn = await loadBN();
const HARD = Object.keys(CASES).slice(0, 3);

test("forward64 is the float64 batch norm of the browser tests' reference", () => {
  const x = [[1.5, -2], [0.25, 3], [-1, 0.5]];
  const y = forward64(x.flat(), { rows: 3, features: 2, gamma: [2, -0.5], beta: [0.25, 1], eps: 1e-5 });
  const ref = forwardRef(x, { gamma: [2, -0.5], beta: [0.25, 1], eps: 1e-5 }).y.flat();
  ref.forEach((v, j) => assert.ok(Math.abs(y[j] - v) < 1e-14, `y[${j}]`));
  const fixed = forward64([3, 4], { rows: 1, features: 2, gamma: [1, 1], beta: [0, 0], eps: 1e-5, stats: { mean: [1, 2], var: [4, 1] } });
  assert.ok(Math.abs(fixed[0] - 2 / Math.sqrt(4 + 1e-5)) < 1e-15);
});

test("finite differences in float64 match the float64 backward to 1e−8 of |γ| ‖dy‖ / σ", () => {
  for (const name of Object.keys(CASES)) {
    const { view, inputs } = viewFor(bn, CASES[name]);
    if (view.mode !== "train" || inputs.target) continue;   // backwardRef: training, dy typed
    const s = storedInputs(view, inputs);
    const { fd, sigma } = finiteDifferences(s);
    // (storedInputs shifts each feature by its first value: the same dx)
    const rows = (a) => Array.from({ length: s.rows }, (_, i) => Array.from(a.subarray(i * s.features, (i + 1) * s.features)));
    const exact = backwardRef(rows(s.x), rows(s.dy), { gamma: Array.from(s.gamma), beta: Array.from(s.beta), eps: s.eps }).dx.flat();
    const { perFeature } = judge(view.dx, fd, s, sigma);
    exact.forEach((v, j) => {
      const scale = perFeature[j % s.features].floor / FLOOR;
      assert.ok(Math.abs(fd[j] - v) <= 1e-8 * scale, `${name} fd[${j}] ${fd[j]} vs ${v}`);
    });
  }
});

test("the check agrees on every case, the hard ones included; the float32 check it replaces did not", () => {
  for (const [name, fields] of Object.entries(CASES)) {
    const { view, inputs } = viewFor(bn, fields);
    const check = gradientCheck(view, inputs);
    assert.ok(check.agree && check.relError < 1e-3, `${name}: relative error ${check.relError}`);
    if (HARD.includes(name)) {
      const before = float32Check(bn, view, inputs);
      assert.equal(before.agree, false, `${name}: the float32 check said ${before.relError}`);
    }
  }
  // The figures: the core's dx at x = 1000, 1000.001 is 183.148, and so is the estimate.
  const { view, inputs } = viewFor(bn, CASES[HARD[0]]);
  assert.ok(Math.abs(view.dx[0] - 183.148) < 1e-3);
  assert.ok(Math.abs(gradientCheck(view, inputs).fd[0] - 183.148) < 1e-3);
});

test("a wrong dx is caught, also where the true dx is ≈ 0 (batch of 2)", () => {
  for (const name of [HARD[0], HARD[1], "default 4 × 2 batch"]) {
    const { view, inputs } = viewFor(bn, CASES[name]);
    const s = storedInputs(view, inputs);
    const { fd, sigma } = finiteDifferences(s);
    const m = view.rows, K = view.features;
    // the eval formula in training (no dσ², dμ paths), and a dx of 0
    const noStats = view.dx.map((_, j) => view.dxhat[j] * view.trace.invStd[j % K]);
    const zero = view.dx.map(() => 0);
    const noVar = view.dx.map((_, j) => view.dxhat[j] * view.trace.invStd[j % K] + view.dmean[j % K] / m);
    for (const [what, dx] of [["no dσ², dμ", noStats], ["zero", zero], ["no dσ²", noVar]]) {
      const r = judge(dx, fd, s, sigma);
      assert.equal(r.agree, false, `${name}, ${what}: relative error ${r.relError}`);
    }
    assert.equal(judge(view.dx, fd, s, sigma).agree, true);
  }
  assert.ok(AGREE_BELOW <= 1e-2);
});
