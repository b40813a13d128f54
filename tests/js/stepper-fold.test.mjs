// The stepper's inference card in Node (web/js/stepper/fold-compute.js,
// fold-export.js): the eval map a, b and the fold W′, b′ of the stepper's
// own batch norm against a float64 computation from the same inputs; the map
// and the fused layer equal the eval output to float32 rounding and differ
// from the train-mode output; a batch of one in train mode; the Linear
// layer's cells read and refused; Random weights as torch.nn.Linear draws
// them; the snippet's fold lines; the fold's CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { normalize, encodeState, decodeState } from "../../web/js/stepper/state.js";
import { readInputs } from "../../web/js/stepper/inputs.js";
import { computeView } from "../../web/js/stepper/compute.js";
import { AGREE_ULPS, computeInference, readLinear, randomizeLinear } from "../../web/js/stepper/fold-compute.js";
import { pytorchSnippet } from "../../web/js/stepper/export.js";
import { FOLD_CSV_HEADER, foldCsv } from "../../web/js/stepper/fold-export.js";
import { ulp32 } from "../../web/js/stepper/float32.js";

const bn = await loadBN();
const f32 = Math.fround;

const STATES = [
  { cells: [["1", "2"], ["3", "5"], ["2", "0"], ["4", "1"]], mode: "eval" },
  { cells: [["1", "2"], ["3", "5"], ["2", "0"], ["4", "1"]], mode: "eval", gamma: ["1.5", "-0.7"], beta: ["0.2", "1"],
    linearWeight: [["0.3", "-0.7"], ["1.2", "0.45"]], linearBias: ["0.1", "-2"], history: [[[0, 1], [2, 3]], [[5, 1], [4, 4]]] },
  { cells: [["100.5", "-3", "7"], ["101", "-2.5", "0"], ["99.25", "-4", "1"]], mode: "eval", eps: "0.001", convention: "keras",
    linearWeight: [["2", "0", "-1"], ["0.25", "0.5", "0.125"], ["-3", "1", "1"]], linearBias: ["1", "2", "3"] },
  { cells: [["0.001", "1e4"], ["0.002", "2e4"], ["0.004", "-1e4"]], mode: "train", gamma: ["3", "0.01"], momentum: "0.9" },
];

function inference(partial) {
  const state = normalize(partial);
  const inputs = readInputs(state);
  const view = computeView(bn, state, inputs);
  return { state, view, inf: computeInference(bn, view, readLinear(state)) };
}

// a, b, W′, b′ in float64 from the float32 values the core holds.
function reference(view, linear) {
  const K = view.features;
  const a = Array.from({ length: K }, (_, k) => f32(view.gamma[k]) / Math.sqrt(view.after.var[k] + view.eps));
  const b = a.map((ak, k) => f32(view.beta[k]) - ak * view.after.mean[k]);
  const W = Array.from(linear.weight, (w, e) => a[Math.floor(e / K)] * f32(w));
  const bPrime = a.map((ak, i) => ak * (f32(linear.bias[i]) - view.after.mean[i]) + f32(view.beta[i]));
  return { a, b, W, bPrime };
}

// |got − want| within half a float32 ulp of want, plus a double rounding of the terms `scale`.
function assertRounded(got, want, scale, what) {
  const allowed = 0.5 * ulp32(want) + 4 * 2 ** -52 * Math.abs(scale);
  assert.ok(Math.abs(got - want) <= allowed, `${what}: ${got} vs ${want} (|Δ| ${Math.abs(got - want)} > ${allowed})`);
}

test("a, b, W′ and b′ are the float64 fold of the stepper's batch norm, rounded once", () => {
  for (const partial of STATES) {
    const { state, view, inf } = inference(partial);
    assert.equal(inf.failure, undefined);
    const linear = readLinear(state);
    const ref = reference(view, linear);
    const K = view.features;
    for (let k = 0; k < K; k++) {
      assertRounded(inf.scale[k], ref.a[k], ref.a[k], `a ${k + 1}`);
      assertRounded(inf.shift[k], ref.b[k], Math.abs(f32(view.beta[k])) + Math.abs(ref.a[k] * view.after.mean[k]), `b ${k + 1}`);
      assertRounded(inf.fold.fusedBias[k], ref.bPrime[k], Math.abs(ref.a[k]) * 1e3, `b′ ${k + 1}`);
    }
    inf.fold.fusedWeight.forEach((w, e) => assertRounded(w, ref.W[e], ref.W[e], `W′ ${e}`));
  }
});

test("in eval the map and the fused layer give the eval output to float32 rounding; in train mode they do not", () => {
  for (const partial of STATES) {
    const evalCase = inference({ ...partial, mode: "eval" });
    assert.ok(evalCase.inf.mapWorst.ulps <= AGREE_ULPS, `map: ${evalCase.inf.mapWorst.ulps} ulps`);
    assert.ok(evalCase.inf.fold.worst.ulps <= AGREE_ULPS, `fold: ${evalCase.inf.fold.worst.ulps} ulps`);
    assert.deepEqual(evalCase.inf.evalY, evalCase.view.trace.y, "the map is checked against the view's own eval output");
    const trainCase = inference({ ...partial, mode: "train" });
    assert.deepEqual(trainCase.inf.evalY, evalCase.inf.evalY, "the same eval map and eval output in both modes");
    assert.ok(trainCase.inf.fold.worst.ulps > 100 * AGREE_ULPS, `train: ${trainCase.inf.fold.worst.ulps} ulps`);
    assert.ok(trainCase.inf.fold.gap > 1e-3, `train gap ${trainCase.inf.fold.gap}`);
    // The batch statistics the train path used are those of z = W x + b_lin.
    const { z, batchStats } = trainCase.inf.fold;
    const K = trainCase.view.features, m = trainCase.view.rows;
    for (let i = 0; i < K; i++) {
      let mean = 0;
      for (let r = 0; r < m; r++) mean += z[r * K + i] / m;
      assert.ok(Math.abs(batchStats.mean[i] - mean) <= 1e-6 * (1 + Math.abs(mean)), `μ_B of z, output ${i + 1}`);
    }
  }
});

test("a batch of one in train mode: the eval map and fold exist, the train path gives the core's message (the page shows none, as the rest of the stepper)", () => {
  const { view, inf } = inference({ cells: [["1", "2"]], mode: "train" });
  assert.ok(view.error);
  assert.equal(inf.fold.unfusedY, null);
  assert.match(inf.fold.unfusedError, /Expected more than 1 value per channel when training/);
  assert.equal(inf.fold.fusedY.length, 2);
  assert.ok(inf.mapWorst.ulps <= AGREE_ULPS);
});

test("the Linear layer's cells: read as typed, bad cells keyed for the page, nothing folded from them", () => {
  const state = normalize({ cells: [["1", "2"], ["3", "4"]], linearWeight: [["1", "abc"], ["", "2"]], linearBias: ["Infinity", "0"] });
  const linear = readLinear(state);
  assert.equal(linear.ok, false);
  assert.deepEqual([...linear.errors.keys()].sort(), ["W:0:1", "W:1:0", "linearBias:0"]);
  const { inf } = inference({ cells: [["1", "2"], ["3", "4"]], linearWeight: [["1", "abc"], ["", "2"]] });
  assert.ok(inf.fold.errors.size === 2 && inf.scale.length === 2, "the eval map is still computed");
  // Defaults: 1 on the diagonal, ±0.5 beside it; the shape follows the feature count and keeps what was typed.
  const three = normalize({ cells: [["1", "2", "3"], ["4", "5", "6"]] });
  assert.deepEqual(three.linearWeight, [["1", "0.5", "0.5"], ["-0.5", "1", "0.5"], ["-0.5", "-0.5", "1"]]);
  assert.deepEqual(three.linearBias, ["0", "0", "0"]);
  const typed = normalize({ ...three, linearWeight: [["9", "8", "7"], ["6", "5", "4"], ["3", "2", "1"]], features: 2 });
  assert.deepEqual(readLinear(typed).weight, Float64Array.from([9, 8, 6, 5]));
  assert.deepEqual(normalize({ ...typed, features: 3 }).linearWeight[2], ["3", "2", "1"], "kept beyond the shape");
});

test("Random weights: U(−1/√K, 1/√K) as torch.nn.Linear, seeded, and the link keeps them", () => {
  const s = normalize({ cells: [["1", "2", "3", "4"], ["5", "6", "7", "8"]] });
  const a = randomizeLinear(s), b = randomizeLinear(s);
  assert.deepEqual(a, b, "same seed, same weights");
  assert.notEqual(a.linearSeed, s.linearSeed);
  assert.notDeepEqual(randomizeLinear(a).linearWeight, a.linearWeight, "the next press draws new ones");
  const values = [...a.linearWeight.flat(), ...a.linearBias].map(Number);
  assert.ok(values.every((v) => Math.abs(v) <= 0.5 && Number.isFinite(v)), `|w| ≤ 1/√4: ${values}`);
  assert.ok(new Set(values).size > 10, "not constant");
  assert.deepEqual(decodeState(encodeState(a)), a);
  assert.match(encodeState(a), /&lw=[^&]+&lb=[^&]+&ls=\d+/);
  assert.doesNotMatch(encodeState(s), /lw=|lb=|ls=/, "defaults stay out of the URL");
});

test("Copy as PyTorch folds with torch.nn.utils.fusion.fuse_linear_bn_eval, in eval mode", () => {
  for (const mode of ["eval", "train"]) {
    const state = normalize({ ...STATES[1], mode });
    const snippet = pytorchSnippet(state, readInputs(state));
    assert.match(snippet, /from torch\.nn\.utils\.fusion import fuse_linear_bn_eval/);
    assert.match(snippet, /linear\.weight\.copy_\(torch\.tensor\(\[\[0\.3, -0\.7\],\n\s+\[1\.2, 0\.45\]\]\)\)/);
    assert.match(snippet, /linear\.bias\.copy_\(torch\.tensor\(\[0\.1, -2\.\]\)\)/);
    assert.match(snippet, /linear\.eval\(\)\nbn\.eval\(\)/);
    assert.match(snippet, /fused = fuse_linear_bn_eval\(linear, bn\)/);
    assert.equal(/train mode \(batch statistics\)/.test(snippet), mode === "train");
  }
  const bad = normalize({ ...STATES[0], linearWeight: [["x", "1"], ["1", "1"]] });
  assert.match(pytorchSnippet(bad, readInputs(bad)), /the Linear layer of the fold view has bad cells/);
});

// The CSV's values of one quantity, keyed "feature,input,row".
function csvValues(csv, quantity) {
  const values = new Map();
  for (const line of csv.trim().split("\n").slice(1)) {
    const [q, feature, input, row, value] = line.split(",");
    if (q === quantity) values.set(`${feature},${input},${row}`, Number(value));
  }
  return values;
}

test("the fold as CSV: a, b, W, b_lin, W′, b′ and both paths' outputs, each number once at full precision", () => {
  for (const partial of STATES) {
    for (const mode of ["eval", "train"]) {
      const { view, inf } = inference({ ...partial, mode });
      const csv = foldCsv(view, inf);
      const K = view.features, m = view.rows, fold = inf.fold;
      assert.equal(csv.split("\n")[0], FOLD_CSV_HEADER);
      assert.equal(csv.trim().split("\n").length, 1 + 4 * K + 2 * K * K + 4 * m * K, `${mode}: one line per number`);
      const expect = (quantity, arr, key) => {
        const got = csvValues(csv, quantity);
        assert.equal(got.size, arr.length, quantity);
        Array.from(arr).forEach((v, e) => assert.equal(got.get(key(e)), v, `${quantity} ${key(e)}`));
      };
      const feature = (i) => `${i + 1},,`, weight = (e) => `${Math.floor(e / K) + 1},${e % K + 1},`;
      const row = (e) => `${e % K + 1},,${Math.floor(e / K) + 1}`;
      expect("scale", inf.scale, feature);
      expect("shift", inf.shift, feature);
      expect("W", Float32Array.from(fold.weight), weight);
      expect("linearBias", Float32Array.from(fold.bias), feature);
      expect("fusedWeight", fold.fusedWeight, weight);
      expect("fusedBias", fold.fusedBias, feature);
      for (const [q, arr] of [["z", fold.z], ["unfusedY", fold.unfusedY], ["fusedY", fold.fusedY], ["ulpsApart", fold.ulps]]) expect(q, arr, row);
      // From the CSV alone: fused = unfused to float32 rounding in eval, not in train mode.
      const worst = Math.max(...csvValues(csv, "ulpsApart").values());
      if (mode === "eval") assert.ok(worst <= AGREE_ULPS, `eval: ${worst} ulps`);
      else assert.ok(worst > 100 * AGREE_ULPS, `train: ${worst} ulps`);
    }
  }
});
