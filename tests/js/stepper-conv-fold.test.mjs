// The normalization lab's "Fold a Conv2d into this BatchNorm2d" in Node
// (web/js/stepper/conv-fold-compute.js, conv-fold-export.js): over several
// seeds, kernel sizes and channel counts, the running statistics, a, b, W′,
// b′ and both paths against a plain float64 computation from the same
// float32 inputs; fused = unfused in eval to a few ulps and ≠ in train mode
// (the control: the same conv and fold, only the mode changes); a batch
// the core refuses in training; the state in the link; the snippet and the CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { loadBN } from "../../web/js/bn.js";
import { normalize, encodeState, decodeState } from "../../web/js/stepper/state.js";
import { readImage } from "../../web/js/stepper/lab-compute.js";
import { CONV_FORWARDS, computeConvFold, convOf, convParams } from "../../web/js/stepper/conv-fold-compute.js";
import { AGREE_ULPS } from "../../web/js/stepper/fold-compute.js";
import { CONV_FOLD_CSV_HEADER, convFoldCsv } from "../../web/js/stepper/conv-fold-export.js";
import { pytorchSnippet } from "../../web/js/stepper/export.js";
import { readInputs } from "../../web/js/stepper/inputs.js";
import { ulp32 } from "../../web/js/stepper/float32.js";
import { convFoldReference as reference } from "../reference/conv_fold_reference.mjs";

const bn = await loadBN();
const f32 = Math.fround;
const EPS = 1e-5;

const near = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got} vs float64 ${want} (|Δ| ${Math.abs(got - want)} > ${tol})`);

const CASES = [];
for (const convSeed of [1, 2, 3, 5, 8, 13]) {
  for (const [convKernel, convOut, imageShape] of [[3, 2, [2, 4, 3, 3]], [1, 3, [2, 4, 3, 3]], [3, 4, [3, 2, 4, 4]], [1, 1, [4, 3, 2, 2]]]) {
    CASES.push({ norm: "batch2d", convSeed, convKernel, convOut, imageShape, imageSeed: convSeed + 1 });
  }
}

function run(partial, mode) {
  const state = normalize({ ...partial, mode });
  const input = readImage(state);
  const conv = convOf(state);
  return { state, input, conv, r: computeConvFold(bn, { x: input.x, shape: state.imageShape, conv, mode }) };
}

test("running statistics, a, b, W′ and b′ are the float64 fold, to float32 rounding", () => {
  for (const partial of CASES) {
    const { input, conv, r, state } = run(partial, "eval");
    assert.equal(r.failure, undefined);
    const ref = reference(input.x, state.imageShape, conv, "eval");
    for (let o = 0; o < conv.outC; o++) {
      // float32 sums in the core: the statistics within a few ulps of their size
      near(r.running.mean[o], ref.rm[o], 8 * ulp32(Math.abs(ref.rm[o]) + Math.sqrt(ref.rv[o])), `μ_run ${o}`);
      near(r.running.var[o], ref.rv[o], 8 * ulp32(ref.rv[o]), `σ²_run ${o}`);
      // from the core's own float32 running statistics, a and W′ are rounded once
      const a = f32(conv.gamma[o]) / Math.sqrt(r.running.var[o] + EPS);
      near(r.scale[o], a, 0.5 * ulp32(a), `a ${o}`);
      near(r.shift[o], f32(conv.beta[o]) - a * r.running.mean[o], ulp32(Math.abs(conv.beta[o]) + Math.abs(a * r.running.mean[o])), `b ${o}`);
      near(r.fusedBias[o], a * (f32(conv.bias[o]) - r.running.mean[o]) + f32(conv.beta[o]),
        ulp32(Math.abs(a) * (Math.abs(conv.bias[o]) + Math.abs(r.running.mean[o])) + Math.abs(conv.beta[o])), `b′ ${o}`);
      near(r.scale[o], ref.a[o], 16 * ulp32(ref.a[o]), `a ${o} vs float64 statistics`);
      near(r.fusedBias[o], ref.bp[o], 16 * ulp32(Math.abs(ref.a[o]) * (Math.abs(conv.bias[o]) + Math.abs(ref.rm[o])) + Math.abs(conv.beta[o]) + 1), `b′ ${o} vs float64`);
    }
    const per = conv.inC * conv.k * conv.k;
    r.fusedWeight.forEach((w, e) => {
      const want = f32(conv.weight[e]) * (f32(conv.gamma[Math.floor(e / per)]) / Math.sqrt(r.running.var[Math.floor(e / per)] + EPS));
      near(w, want, 0.5 * ulp32(want) + 1e-12, `W′ ${e}`);
      near(w, ref.Wp[e], 16 * ulp32(ref.Wp[e]) + 1e-12, `W′ ${e} vs float64`);
    });
    r.z.forEach((v, e) => near(v, ref.z[e], 0.5 * ulp32(ref.z[e]) + 1e-30, `z ${e}`));
  }
});

test("in eval the fused conv gives conv → BatchNorm2d to float32 rounding; in train mode it does not", () => {
  let worstEval = 0, smallestTrainGap = Infinity, largestTrainGap = 0;
  for (const partial of CASES) {
    const ev = run(partial, "eval"), tr = run(partial, "train");
    assert.equal(ev.r.failure, undefined);
    assert.equal(tr.r.failure, undefined);
    assert.ok(ev.r.worst.ulps <= AGREE_ULPS, `eval ${JSON.stringify(partial)}: ${ev.r.worst.ulps} ulps`);
    worstEval = Math.max(worstEval, ev.r.worst.ulps);
    // the unfused outputs themselves are the float64 batch norm of z, in both modes
    const refE = reference(ev.input.x, ev.state.imageShape, ev.conv, "eval"), refT = reference(tr.input.x, tr.state.imageShape, tr.conv, "train");
    ev.r.unfusedY.forEach((v, e) => near(v, refE.unfused[e], 1e-5 * (1 + Math.abs(refE.unfused[e])), `eval y ${e}`));
    tr.r.unfusedY.forEach((v, e) => near(v, refT.unfused[e], 1e-5 * (1 + Math.abs(refT.unfused[e])), `train y ${e}`));
    // control: the same fused conv (W′, b′ do not depend on the mode), only the unfused path's statistics change
    assert.deepEqual(Array.from(tr.r.fusedY), Array.from(ev.r.fusedY));
    assert.ok(tr.r.worst.ulps > 1000 * AGREE_ULPS, `train ${JSON.stringify(partial)}: only ${tr.r.worst.ulps} ulps`);
    assert.ok(tr.r.gap > 1e-2, `train gap ${tr.r.gap}`);
    for (let o = 0; o < tr.conv.outC; o++) {
      near(tr.r.batchStats.mean[o], refT.mean[o], 1e-5 * (1 + Math.abs(refT.mean[o])), `batch mean ${o}`);
      assert.notEqual(tr.r.batchStats.mean[o], tr.r.running.mean[o], "batch statistics ≠ running statistics");
    }
    smallestTrainGap = Math.min(smallestTrainGap, tr.r.gap);
    largestTrainGap = Math.max(largestTrainGap, tr.r.gap);
  }
  console.log(`conv fold over ${CASES.length} cases: eval worst ${worstEval.toFixed(3)} ulps; train |fused − unfused| max per case from ${smallestTrainGap.toPrecision(3)} to ${largestTrainGap.toPrecision(3)}`);
});

test("a batch the core refuses in training (N·H·W = 1): running statistics stay 0 and 1, eval still folds, train gives the core's message", () => {
  const partial = { norm: "batch2d", imageShape: [1, 2, 1, 1], convKernel: 1 };
  const ev = run(partial, "eval"), tr = run(partial, "train");
  assert.match(ev.r.running.error, /Expected more than 1 value per channel when training/);
  assert.deepEqual(Array.from(ev.r.running.mean), [0, 0]);
  assert.deepEqual(Array.from(ev.r.running.var), [1, 1]);
  assert.ok(ev.r.worst.ulps <= AGREE_ULPS);
  assert.match(tr.r.unfusedError, /Expected more than 1 value per channel when training/);
  assert.equal(tr.r.unfusedY, null);
});

test("the conv's numbers: seeded, torch.nn.Conv2d's bound, and the link keeps kernel, channels and seed", () => {
  const a = convParams(7, { inC: 4, outC: 2, k: 3 }), b = convParams(7, { inC: 4, outC: 2, k: 3 });
  assert.deepEqual(a, b);
  const bound = 1 / Math.sqrt(4 * 9);
  for (const w of [...a.weight, ...a.bias]) assert.ok(Math.abs(w) <= bound + 0.005 && Math.abs(w * 100 - Math.round(w * 100)) < 1e-9, `${w}`);
  assert.ok(a.gamma.every((g) => g >= 0.5 && g <= 1.5) && a.beta.every((v) => Math.abs(v) <= 0.5));
  assert.notDeepEqual(convParams(8, { inC: 4, outC: 2, k: 3 }).weight, a.weight);
  const s = normalize({ norm: "batch2d", convKernel: 1, convOut: 4, convSeed: 9 });
  assert.match(encodeState(s), /&ck=1&cout=4&cs=9/);
  assert.deepEqual(decodeState(encodeState(s)), s);
  const d = normalize({ norm: "batch2d" });
  assert.doesNotMatch(encodeState(d), /ck=|cout=|cs=/, "defaults stay out of the URL");
  const bad = decodeState(`${encodeState(d)}&ck=2&cout=5&cs=-1`);
  assert.equal(bad.convKernel, 3);
  assert.equal(bad.convOut, 2);
  assert.equal(bad.convSeed, 1);
});

test("Copy as PyTorch folds with fuse_conv_bn_eval while BatchNorm2d is chosen; the CSV holds every number once", () => {
  for (const mode of ["eval", "train"]) {
    const state = normalize({ norm: "batch2d", mode, cells: [["1", "2"], ["3", "5"]] });
    const snippet = pytorchSnippet(state, readInputs(state));
    assert.match(snippet, /fuse_conv_bn_eval\(conv, bn2\)/);
    assert.match(snippet, /torch\.nn\.Conv2d\(4, 2, 3, padding=1\)/);
    assert.match(snippet, new RegExp(`range\\(${CONV_FORWARDS}\\)`));
    assert.equal(/train mode \(batch statistics\)/.test(snippet), mode === "train");
  }
  assert.doesNotMatch(pytorchSnippet(normalize({ norm: "layer" }), readInputs(normalize({ norm: "layer" }))), /fuse_conv_bn_eval/);
  const { r, conv } = run({ norm: "batch2d" }, "eval");
  const lines = convFoldCsv(r).trim().split("\n");
  assert.equal(lines[0], CONV_FOLD_CSV_HEADER);
  const count = (q) => lines.filter((l) => l.startsWith(`${q},`)).length;
  assert.equal(count("fusedWeight"), conv.outC * conv.inC * 9);
  assert.equal(count("fusedBias"), conv.outC);
  assert.equal(count("unfusedY"), r.z.length);
  const first = lines.find((l) => l.startsWith("fusedWeight,")).split(",");
  assert.deepEqual(first.slice(1, 5), ["1", "1", "1", "1"]);
  assert.equal(Number(first[8]), r.fusedWeight[0]);
  const y = lines.filter((l) => l.startsWith("fusedY,")).map((l) => Number(l.split(",")[8]));
  assert.deepEqual(y, Array.from(r.fusedY));
});

test("the snippet run in torch (where python3-torch is installed) gives the page's running statistics, W′ and b′", { timeout: 120_000 }, (t) => {
  if (spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" }).status !== 0) {
    t.skip("python3-torch not importable: the snippet is checked as text only");
    return;
  }
  for (const partial of [{ norm: "batch2d", mode: "eval" }, { norm: "batch2d", mode: "train", convKernel: 1, convOut: 3, convSeed: 4 }]) {
    const state = normalize(partial);
    const snippet = pytorchSnippet(state, readInputs(state));
    const script = `${snippet}\nimport json\nprint("JSON" + json.dumps({"w": fused_conv.weight.detach().flatten().tolist(), "b": fused_conv.bias.detach().tolist(), "rm": bn2.running_mean.tolist(), "rv": bn2.running_var.tolist()}))\n`;
    const out = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8", timeout: 100_000 });
    assert.equal(out.status, 0, out.stderr);
    const got = JSON.parse(out.stdout.split("JSON")[1]);
    const { r } = run(partial, partial.mode);
    // torch's float32 statistics and fuse round after each operation: a few ulps
    got.rm.forEach((v, o) => near(v, r.running.mean[o], 8 * ulp32(Math.abs(r.running.mean[o]) + Math.sqrt(r.running.var[o])), `torch μ_run ${o}`));
    got.rv.forEach((v, o) => near(v, r.running.var[o], 8 * ulp32(r.running.var[o]), `torch σ²_run ${o}`));
    got.w.forEach((v, e) => near(v, r.fusedWeight[e], 8 * ulp32(r.fusedWeight[e]) + 1e-12, `torch W′ ${e}`));
    got.b.forEach((v, o) => near(v, r.fusedBias[o], 8 * ulp32(Math.abs(r.fusedBias[o]) + 1), `torch b′ ${o}`));
  }
});
