// The golden cases of BatchNorm1d on [N, C, L], BatchNorm2d, LayerNorm,
// GroupNorm and InstanceNorm2d (tests/data/golden_*.json, from torch by
// tests/reference/golden_layers.py) through the public JS API, SIMD and
// scalar builds, with the tolerances of tests/cpp/test_golden_layers.cpp:
// within float32 rounding of the float64 truth and of torch float32; the
// statistics' shape as the contract says; on large-offset cases an error at
// least 100x smaller than torch float32's; the two builds within float32
// rounding of each other.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN, simdSupported } from "../../web/js/bn.js";
import { maxAbs, maxDiff, normwise, checkArray as checkGoldenArray } from "../reference/golden.mjs";
import { loadLayerGolden, replayLayer, dxTermScale, expectedStatsShape, inputStats } from "../reference/golden-layers.mjs";

const cases = loadLayerGolden();
const builds = [{ name: "scalar", simd: false }];
if (simdSupported()) builds.unshift({ name: "SIMD", simd: true });

const checkArray = (...args) => checkGoldenArray(assert, ...args);

const sumAbs = (a) => a.reduce((s, v) => s + Math.abs(v), 0);

test("the golden files hold every layer, and the cases the issue names", () => {
  const layers = new Set(cases.map((c) => c.layer));
  assert.deepEqual([...layers].sort(), ["BatchNorm1d", "BatchNorm2d", "GroupNorm", "InstanceNorm2d", "LayerNorm"]);
  const has = (f) => cases.some(f);
  assert.ok(has((c) => c.layer === "BatchNorm2d" && c.steps[0].shape[0] === 1 && c.steps[0].shape[2] * c.steps[0].shape[3] > 1), "BatchNorm2d at N = 1");
  assert.ok(has((c) => c.layer === "GroupNorm" && c.args.num_groups === 1), "GroupNorm G = 1");
  assert.ok(has((c) => c.layer === "GroupNorm" && c.args.num_groups === c.args.num_channels), "GroupNorm G = C");
  assert.ok(has((c) => c.layer === "LayerNorm" && c.args.normalized_shape.length === 3), "LayerNorm over [C, H, W]");
  for (const layer of layers) assert.ok(has((c) => c.layer === layer && c.largeOffset), `large offset ${layer}`);
});

for (const build of builds) {
  describe(`golden layer cases, ${build.name} build`, async () => {
    const bn = await loadBN({ simd: build.simd });

    for (const c of cases) {
      test(`${c.layer}: ${c.name}`, () => {
        const ours = replayLayer(bn, c);
        c.steps.forEach((s, k) => {
          const o = ours[k], at = `step ${k} (${s.training ? "train" : "eval"}, shape [${s.shape}])`;
          checkArray(`${at} y`, o.y, s.torch.y, s.truth.y, 1e-6, maxAbs(s.truth.y));
          checkArray(`${at} dx`, o.dx, s.torch.dx, s.truth.dx, 2e-6, Math.max(maxAbs(s.truth.dx), dxTermScale(c, k)));
          if (c.affine) {
            const scale = (t) => Math.max(maxAbs(t), 1e-6 * sumAbs(s.dy));
            checkArray(`${at} dgamma`, o.dgamma, s.torch.dgamma, s.truth.dgamma, 1e-6, scale(s.truth.dgamma));
            checkArray(`${at} dbeta`, o.dbeta, s.torch.dbeta, s.truth.dbeta, 1e-6, scale(s.truth.dbeta));
          } else {
            assert.equal(o.dgamma, null);
            assert.equal(o.dbeta, null);
          }
          assert.deepEqual(o.trace.statsShape, expectedStatsShape(c, s.shape), `${at} statsShape`);
          assert.deepEqual(o.trace.shape, s.shape, `${at} shape`);
          const stats = o.trace.statsShape.reduce((p, d) => p * d, 1);
          for (const key of ["mean", "var", "std", "invStd"]) assert.equal(o.trace[key].length, stats, `${at} trace ${key}`);
          assert.deepEqual(Array.from(o.trace.y), Array.from(o.y), `${at} trace y`);
          if (!c.tracks) {
            assert.equal(o.runningMean, null);
            return;
          }
          if (c.layer.startsWith("BatchNorm")) assert.equal(o.numBatchesTracked, s.torch.numBatchesTracked, `${at} numBatchesTracked`);
          checkArray(`${at} runningMean`, o.runningMean, s.torch.runningMean, s.truth.runningMean, 2e-7, maxAbs(s.truth.runningMean));
          checkArray(`${at} runningVar`, o.runningVar, s.torch.runningVar, s.truth.runningVar, 2e-7, maxAbs(s.truth.runningVar));
        });
      });
    }

    test("large offsets: y and dx errors at least 100x smaller than torch float32's, for every layer", () => {
      const per = new Map();
      for (const c of cases.filter((k) => k.largeOffset)) {
        const ours = replayLayer(bn, c);
        c.steps.forEach((s, k) => {
          if (!inputStats(c, s)) return;   // the offset cancels in the statistics of x only
          for (const key of ["y", "dx"]) {
            const mine = normwise(ours[k][key], s.truth[key]), theirs = s.torchError[key].normwise;
            assert.ok(100 * mine <= theirs, `${c.name}, step ${k}, ${key}: ours ${mine.toExponential(2)} vs torch ${theirs.toExponential(2)}`);
          }
          per.set(c.layer, (per.get(c.layer) ?? 0) + 1);
        });
      }
      for (const layer of ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "InstanceNorm2d"]) {
        assert.ok((per.get(layer) ?? 0) >= 1, `no large-offset step of ${layer}`);
      }
    });
  });
}

test("SIMD and scalar builds agree within float32 rounding on every golden layer step", async (t) => {
  if (!simdSupported()) return t.skip("this engine has no WebAssembly SIMD");
  const simd = await loadBN({ simd: true }), scalar = await loadBN({ simd: false });
  for (const c of cases) {
    const a = replayLayer(simd, c), b = replayLayer(scalar, c);
    c.steps.forEach((s, k) => {
      for (const key of ["y", "dx", "dgamma", "dbeta", "runningMean", "runningVar"]) {
        if (a[k][key] === null) continue;
        const scale = Math.max(maxAbs(b[k][key]), key === "dx" ? dxTermScale(c, k) : 0) || 1;
        const gap = maxDiff(a[k][key], b[k][key]);
        assert.ok(gap <= 2 ** -22 * scale, `${c.name}, step ${k}, ${key}: SIMD and scalar differ by ${gap}`);
      }
    });
  }
});
