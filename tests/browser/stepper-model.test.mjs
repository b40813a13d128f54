// The stepper's model without a browser: parsing what the user types, the
// state ⇄ URL round trip, the widget's attribute forms, and computeView on
// the WASM core in Node against the float64 reference of the browser tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { parseNumber, parseEps, parseMomentum, parsePastedTable, isTablePaste } from "../../web/js/stepper/cells.js";
import { defaultState, decodeState, encodeState, normalize, stateFromOptions } from "../../web/js/stepper/state.js";
import { resize } from "../../web/js/stepper/transitions.js";
import { readInputs } from "../../web/js/stepper/inputs.js";
import { computeView, kerasMovingVar } from "../../web/js/stepper/compute.js";
import { gradientCheck } from "../../web/js/stepper/gradcheck.js";
import { pytorchSnippet, intermediatesCsv } from "../../web/js/stepper/export.js";
import { forwardRef, backwardRef, runningUpdate } from "./fixtures/stepper-helpers.mjs";

test("cells: numbers accepted, everything else explained", () => {
  assert.deepEqual(parseNumber(" -1.5e3 "), { value: -1500 });
  assert.deepEqual(parseNumber("−2"), { value: -2 }, "a typographic minus is a minus");
  assert.deepEqual(parseNumber(".5"), { value: 0.5 });
  assert.match(parseNumber("").error, /Empty/);
  assert.match(parseNumber("abc").error, /not a number/);
  assert.match(parseNumber("0x10").error, /not a number/);
  assert.match(parseNumber("Infinity").error, /Infinity/);
  assert.match(parseNumber("1e39").error, /float32/);
  assert.match(parseEps("0").error, /greater than 0/);
  assert.match(parseMomentum("1.5").error, /between 0 and 1/);
  assert.deepEqual(parsePastedTable("1\t2\n3\t4\n"), [["1", "2"], ["3", "4"]]);
  assert.deepEqual(parsePastedTable("1,2\r\n3,4"), [["1", "2"], ["3", "4"]]);
  assert.equal(isTablePaste("12.5"), false);
  assert.equal(isTablePaste("1\t2"), true);
});

test("state: URL round trip keeps every field; broken links fall back to defaults", () => {
  const s = normalize({
    cells: [["1", "abc"], ["3", "5"], ["2", "0"]], gamma: ["2", "1"], beta: ["0", "-1"], eps: "0.001", momentum: "0.2",
    mode: "eval", convention: "keras", phase: "backward", step: 4, dySource: "loss", target: [["1", "0"], ["0", "0"], ["0", "2"]],
    history: [[[1, 2], [3, 4]], [[0.5, 1], [2, 8], [1, 1]]], randomMean: "-1", randomSpread: "0.5", seed: 77,
  });
  const back = decodeState(`#${encodeState(s)}`);
  assert.deepEqual(back, s);
  assert.equal(decodeState(""), null);
  const broken = decodeState("#x=1,2;3,4&step=99&mode=zzz&eps");
  assert.equal(broken.step, 7, "step clamped to the last forward step");
  assert.equal(broken.mode, "train");
  assert.equal(broken.eps, "1e-5");
  const grown = resize(defaultState(), 6, 3, () => "9");
  assert.equal(grown.cells.length, 6);
  assert.deepEqual(grown.cells[5], ["9", "9", "9"]);
  assert.deepEqual(grown.gamma, ["1", "1", "1"]);
});

test("state: the <bn-stepper> attribute forms", () => {
  const s = stateFromOptions({ state: { data: "1,2;3,5;2,0;4,1", batch: 4, features: 2, gamma: "2,1", mode: "eval", step: "3" } });
  assert.deepEqual(s.cells, [["1", "2"], ["3", "5"], ["2", "0"], ["4", "1"]]);
  assert.deepEqual(s.gamma, ["2", "1"]);
  assert.equal(s.mode, "eval");
  assert.equal(s.step, 3);
  const wider = stateFromOptions({ batch: 3, features: 3, data: "1,2;3,4" });
  assert.equal(wider.cells.length, 3);
  assert.equal(wider.cells[0].length, 3);
  assert.equal(wider.cells[0][0], "1");
});

const X = [[1.5, -2], [0.25, 3], [-1, 0.5], [2.75, 4]];
const state = (extra) => normalize({ cells: X.map((r) => r.map(String)), gamma: ["2", "-0.5"], beta: ["0.25", "1"], ...extra });

test("computeView (WASM in Node): train forward, running statistics and backward match float64", async () => {
  const bn = await loadBN();
  const s = state({ dy: [["1", "0.5"], ["-1", "2"], ["0.25", "0"], ["0", "-1"]] });
  const inputs = readInputs(s);
  const view = computeView(bn, s, inputs);
  const ref = forwardRef(X, { gamma: [2, -0.5], beta: [0.25, 1], eps: 1e-5 });
  const close = (a, b, tol = 1e-5) => Math.abs(a - b) <= tol * (Math.abs(b) + 1e-3);
  ref.mean.forEach((v, k) => assert.ok(close(view.trace.mean[k], v)));
  ref.y.flat().forEach((v, j) => assert.ok(close(view.trace.y[j], v), `y[${j}]`));
  const run = runningUpdate({ mean: [0, 0], var: [1, 1] }, X, 0.1);
  run.var.forEach((v, k) => assert.ok(close(view.after.var[k], v), "running var"));
  const dy = [[1, 0.5], [-1, 2], [0.25, 0], [0, -1]];
  const g = backwardRef(X, dy, { gamma: [2, -0.5], beta: [0.25, 1], eps: 1e-5 });
  g.dx.flat().forEach((v, j) => assert.ok(close(view.dx[j], v, 1e-4), `dx[${j}]`));
  g.dvar.forEach((v, k) => assert.ok(close(view.dvar[k], v, 1e-4), "dvar"));
  g.dmean.forEach((v, k) => assert.ok(close(view.dmean[k], v, 1e-4), "dmean"));
  // The chain-rule factors shown rebuild the core's dx.
  for (let j = 0; j < 8; j++) {
    const k = j % 2;
    const assembled = view.dxhat[j] * view.trace.invStd[k] + view.dvar[k] * 2 * view.trace.xCentered[j] / 4 + view.dmean[k] / 4;
    assert.ok(close(assembled, view.dx[j], 1e-4), `assembled dx[${j}]`);
  }
  assert.ok(gradientCheck(view, inputs).relError < 1e-3);
  const csv = intermediatesCsv(view);
  assert.equal(csv.trim().split("\n").length, 1 + 8 + 2 + 8 + 2 * 3 + 8 * 2 + 2 * 2 + 8 + 2 * 2 + 8 + 2 * 2 + 8);
});

test("computeView: eval uses the running statistics; Keras's biased moving variance; a batch of one", async () => {
  const bn = await loadBN();
  const history = [[[0, 1], [2, 3], [4, -1]]];
  const evalView = computeView(bn, state({ mode: "eval", history }), readInputs(state({ mode: "eval", history })));
  let run = runningUpdate({ mean: [0, 0], var: [1, 1] }, history[0], 0.1);
  run = runningUpdate(run, X, 0.1);
  run.mean.forEach((v, k) => assert.ok(Math.abs(evalView.trace.mean[k] - v) < 1e-6));
  run.var.forEach((v, k) => assert.ok(Math.abs(evalView.trace.var[k] - v) < 1e-5));
  assert.equal(evalView.dvar, null, "no gradient into fixed statistics");

  const keras = state({ convention: "keras", eps: "0.001", momentum: "0.99" });
  const kView = computeView(bn, keras, readInputs(keras));
  const biased = forwardRef(X, { gamma: [1, 1], beta: [0, 0], eps: 1e-3 }).var;
  biased.forEach((v, k) => assert.ok(Math.abs(kView.after.var[k] - (0.99 + 0.01 * v)) < 1e-5));
  assert.deepEqual(kerasMovingVar([1, 2], [3, 5], 0.9).map((v) => +v.toFixed(12)), [1.2, 2.3]);

  const one = normalize({ cells: [["3", "4"]] });
  const oneView = computeView(bn, one, readInputs(one));
  assert.match(oneView.error, /Expected more than 1 value per channel when training/);
});

test("pytorchSnippet: the batches fed, the mode, dy", () => {
  const s = state({ mode: "eval", history: [[[0, 1], [2, 3]]] });
  const text = pytorchSnippet(s, readInputs(s));
  assert.match(text, /torch\.nn\.BatchNorm1d\(2, eps=0\.00001, momentum=0\.1\)/);
  assert.match(text, /bn\(torch\.tensor\(\[\[0\., 1\.\],\s+\[2\., 3\.\]\]\)\)/);
  assert.match(text, /bn\.eval\(\)\ny = bn\(x\)/);
  assert.match(text, /y\.backward\(dy\)/);
  const k = state({ convention: "keras", momentum: "0.99", dySource: "loss" });
  const kt = pytorchSnippet(k, readInputs(k));
  assert.match(kt, /momentum=0\.01/);
  assert.match(kt, /loss = 0\.5 \* \(\(y - target\) \*\* 2\)\.sum\(\)/);
});
