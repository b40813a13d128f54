// Property-based fuzzing of the JS <-> WASM seam (issue 11): random
// sequences of calls on several layers (BatchNorm1d on rows and on
// [N, C, L], BatchNorm2d, GroupNorm, LayerNorm, InstanceNorm2d: the kinds of
// tests/js/fuzz/layers.mjs) and trainers in one WebAssembly
// instance, with valid and invalid arguments of every kind (sizes near the
// limits, getters and Proxies, aliased outputs, views across memory growth,
// NaN, ±Infinity, huge and tiny values). After every call (tests/js/fuzz/):
//   - the canary layer is bit-identical (parameters, running statistics,
//     last outputs), and so is every object the call was not made on;
//   - a call that threw threw an Error whose message is the one its bad
//     argument calls for (so it names the parameter), and changed nothing;
//   - a call that succeeded matches the float64 reference
//     (tests/js/fuzz/reference.mjs and norm-reference.mjs, bounds justified
//     there; both checked against PyTorch float64 below), or its twin;
//   - every getter, Proxy trap and array entry was read at most once.
// Fixed seed in CI; FUZZ_RUNS=N (runs of up to 90 calls, per build),
// FUZZ_SEED=S for longer or other runs. A failure prints the shrunk
// sequence of commands.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { loadBN } from "../../web/js/bn.js";
import { createWorld, disposeWorld, KNOWN } from "./fuzz/world.mjs";
import { Forward, Backward, TakeView } from "./fuzz/commands.mjs";
import { SetParams, ModeOrRead, Dispose, NewLayer, GrowMemory } from "./fuzz/commands-state.mjs";
import { NewTrainer, TrainerCall } from "./fuzz/trainer-commands.mjs";
import { Fuse } from "./fuzz/fuse-commands.mjs";
import { forwardRef, backwardRef } from "./fuzz/reference.mjs";
import { loadGolden } from "../reference/golden.mjs";
import { goldenSteps } from "./fuzz/golden-kinds.mjs";

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 11);
// 90: BatchNorm1d layers share the calls with the four other kinds (one
// layer of each from the start; half the layer calls are on BatchNorm1d's,
// commands.mjs) and still get as many as with 60 calls on BatchNorm1d alone.
const MAX_COMMANDS = 90;

// Drawn uniformly from this list: repeats are weights.
const COMMANDS = [
  ...Array(12).fill(Forward), ...Array(8).fill(Backward), ...Array(4).fill(TakeView), ...Array(3).fill(SetParams),
  ...Array(4).fill(ModeOrRead), ...Array(3).fill(NewLayer), Dispose, ...Array(2).fill(GrowMemory), NewTrainer, ...Array(5).fill(TrainerCall), ...Array(2).fill(Fuse),
].map((c) => c.arbitrary);

// Two float64 evaluations of the same formulas differ by about
// 2^-53 * |mean| / std (x = 1000 + 0.01 noise: 1e-11): 1e-9 is far below
// float32's 6e-8 and still catches any wrong formula.
test("the float64 reference agrees with PyTorch's float64 (golden.json truth) to 1e-9", () => {
  for (const c of loadGolden()) {
    let state = { gamma: c.init.gamma ?? null, beta: c.init.beta ?? null, runningMean: c.init.runningMean ?? new Float64Array(c.features),
      runningVar: c.init.runningVar ?? new Float64Array(c.features).fill(1), eps: c.eps, momentum: c.momentum, numBatchesTracked: 0 };
    if (c.affine && !state.gamma) state = { ...state, gamma: new Float64Array(c.features).fill(1), beta: new Float64Array(c.features) };
    if (!c.affine) state = { ...state, gamma: null, beta: null };
    c.steps.forEach((s, k) => {
      if (k > 0) state = { ...state, runningMean: c.steps[k - 1].torch.runningMean, runningVar: c.steps[k - 1].torch.runningVar };
      const f = forwardRef(Float64Array.from(s.x), s.batch, c.features, { ...state, training: s.training });
      const b = backwardRef(f.saved, Float64Array.from(s.dy));
      const close = (a, t, what) => t.forEach((v, i) => assert.ok(Math.abs(a[i] - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${c.name} step ${k} ${what}[${i}]: ${a[i]} vs ${v}`));
      close(f.y, s.truth.y, "y");
      close(b.dx, s.truth.dx, "dx");
      if (c.affine) { close(b.dgamma, s.truth.dgamma, "dgamma"); close(b.dbeta, s.truth.dbeta, "dbeta"); }
      if (s.training) { close(f.runningMean, s.truth.runningMean, "runningMean"); close(f.runningVar, s.truth.runningVar, "runningVar"); }
      state = { ...state, numBatchesTracked: s.truth.numBatchesTracked };
    });
  }
});

// The same for the other layers (golden_{batchnorm,layernorm,groupnorm,
// instancenorm}.json), through the fuzz suite's kinds: their layouts,
// statsShape, running statistics (BatchNorm1d on [N, C, L] included).
test("the layer kinds' float64 reference agrees with PyTorch's float64 (golden layer files) to 1e-9", () => {
  let steps = 0;
  for (const { name, c, s, f, b, statsShape } of goldenSteps()) {
    const close = (a, t, what) => t.forEach((v, i) => assert.ok(Math.abs(a[i] - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${name} ${what}[${i}]: ${a[i]} vs ${v}`));
    close(f.y, s.truth.y, "y");
    close(b.dx, s.truth.dx, "dx");
    if (c.affine) { close(b.dgamma, s.truth.dgamma, "dgamma"); close(b.dbeta, s.truth.dbeta, "dbeta"); }
    if (f.statsShape) assert.deepEqual(f.statsShape, statsShape, `${name} statsShape`);
    if (c.tracks && s.training) { close(f.runningMean, s.truth.runningMean, "runningMean"); close(f.runningVar, s.truth.runningVar, "runningVar"); }
    assert.equal(Boolean(f.runningMean), c.tracks && s.training, `${name}: running statistics updated iff tracked and training`);
    steps++;
  }
  assert.ok(steps > 50, `${steps} golden steps`);
});

for (const simd of [true, false]) {
  const build = simd ? "SIMD" : "scalar";
  describe(`fuzz: random call sequences in one instance (${build} build)`, () => {
    test(`${RUNS} runs of up to ${MAX_COMMANDS} calls, seed ${SEED}`, { timeout: 600_000 }, async (t) => {
      const wasmBinary = await readFile(new URL(`../../web/wasm/bn-${simd ? "simd" : "scalar"}.wasm`, import.meta.url));
      const totals = { calls: 0, ok: 0, refused: 0, known: {}, byCommand: {}, reasons: {}, byKind: {} };
      const started = performance.now();
      await fc.assert(fc.asyncProperty(fc.commands(COMMANDS, { maxCommands: MAX_COMMANDS, size: "max" }), async (cmds) => {
        const world = await createWorld(loadBN, { simd, wasmBinary });
        try {
          fc.modelRun(() => ({ model: {}, real: world }), cmds);
        } finally {
          totals.calls += world.calls;
          totals.ok += world.stats.ok;
          totals.refused += world.stats.refused;
          for (const [k, v] of Object.entries(world.stats.known)) totals.known[k] = (totals.known[k] ?? 0) + v;
          for (const [k, v] of Object.entries(world.stats.reasons)) totals.reasons[k] = (totals.reasons[k] ?? 0) + v;
          for (const [k, v] of Object.entries(world.stats.byKind)) totals.byKind[k] = (totals.byKind[k] ?? 0) + v;
          for (const [k, v] of Object.entries(world.stats.byCommand)) {
            const c = (totals.byCommand[k] ??= { ok: 0, refused: 0 });
            c.ok += v.ok;
            c.refused += v.refused;
          }
          disposeWorld(world);
        }
      }), { seed: SEED, numRuns: RUNS, verbose: 0, includeErrorInReport: true });
      const seconds = (performance.now() - started) / 1000;
      t.diagnostic(`${build}: ${totals.calls} calls (${totals.ok} succeeded, ${totals.refused} refused) in ${seconds.toFixed(1)} s`);
      for (const [k, v] of Object.entries(totals.byCommand).sort()) t.diagnostic(`  ${k}: ${v.ok} succeeded, ${v.refused} refused`);
      for (const [k, v] of Object.entries(totals.byKind).sort()) t.diagnostic(`  calls on ${k} layers: ${v}`);
      for (const [k, v] of Object.entries(totals.known).sort()) t.diagnostic(`  known ${k} (${KNOWN[k.split(":")[0]]}): ${v} calls`);
      if (process.env.FUZZ_VERBOSE) {
        for (const [k, v] of Object.entries(totals.reasons).sort((a, b) => b[1] - a[1])) t.diagnostic(`  refused ${v}× ${k}`);
      }
    });
  });
}
