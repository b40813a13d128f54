// The golden torch.nn.BatchNorm1d cases (tests/data/golden.json, written by
// tests/reference/make_golden.py) through the public JS API, SIMD and scalar
// builds: results within float32 rounding of the float64 truth and of torch
// float32; on large-offset cases an error at least 100x smaller than torch
// float32's; the two builds within float32 rounding of each other.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN, simdSupported } from "../../web/js/bn.js";
import { loadGolden, replay, normwise, maxAbs, maxDiff, dxTermScale, runningMeanWithinNoise, checkArray as checkGoldenArray } from "../reference/golden.mjs";

const cases = loadGolden();
const builds = [{ name: "scalar", simd: false }];
if (simdSupported()) builds.unshift({ name: "SIMD", simd: true });

const checkArray = (...args) => checkGoldenArray(assert, ...args);

for (const build of builds) {
  describe(`golden cases, ${build.name} build`, async () => {
    const bn = await loadBN({ simd: build.simd });

    test("the build asked for is the one running", () => {
      assert.equal(bn.simd, build.simd);
    });

    for (const c of cases) {
      test(`${c.name}: every step matches torch float32 and the float64 truth`, () => {
        const ours = replay(bn, c);
        c.steps.forEach((s, k) => {
          const o = ours[k], at = `step ${k} (${s.training ? "train" : "eval"})`;
          checkArray(`${at} y`, o.y, s.torch.y, s.truth.y, 1e-6, maxAbs(s.truth.y));
          checkArray(`${at} dx`, o.dx, s.torch.dx, s.truth.dx, 2e-6,
            Math.max(maxAbs(s.truth.dx), dxTermScale(c, k)));
          if (c.affine) {
            checkArray(`${at} dgamma`, o.dgamma, s.torch.dgamma, s.truth.dgamma, 1e-6, maxAbs(s.truth.dgamma));
            checkArray(`${at} dbeta`, o.dbeta, s.torch.dbeta, s.truth.dbeta, 1e-6, maxAbs(s.truth.dbeta));
          } else {
            assert.equal(o.dgamma, null);
            assert.equal(o.dbeta, null);
          }
          assert.equal(o.numBatchesTracked, s.torch.numBatchesTracked, `${at} numBatchesTracked`);
          checkArray(`${at} runningMean`, o.runningMean, s.torch.runningMean, s.truth.runningMean, 2e-7,
            maxAbs(s.truth.runningMean));
          checkArray(`${at} runningVar`, o.runningVar, s.torch.runningVar, s.truth.runningVar, 2e-7,
            maxAbs(s.truth.runningVar));
        });
      });
    }

    test("large offsets: y and dx errors at least 100x smaller than torch float32's", () => {
      let checked = 0, evalChecked = 0;
      for (const c of cases.filter((k) => k.largeOffset)) {
        const ours = replay(bn, c);
        c.steps.forEach((s, k) => {
          // Eval steps count where the running mean sits within the noise of
          // x; their dx = gamma invstd dy never sees the offset.
          if (!s.training && !runningMeanWithinNoise(c, k)) return;
          for (const key of s.training ? ["y", "dx"] : ["y"]) {
            const mine = normwise(ours[k][key], s.truth[key]);
            const theirs = s.torchError[key].normwise;
            assert.ok(100 * mine <= theirs,
              `${c.name}, step ${k}, ${key}: ours ${mine.toExponential(2)} vs torch ${theirs.toExponential(2)}`);
          }
          checked++;
          if (!s.training) evalChecked++;
        });
      }
      assert.ok(checked >= 9 && evalChecked >= 1, `only ${checked} large-offset steps (${evalChecked} eval)`);
    });
  });
}

test("SIMD and scalar builds agree within float32 rounding on every golden step", async (t) => {
  if (!simdSupported()) return t.skip("this engine has no WebAssembly SIMD");
  const simd = await loadBN({ simd: true }), scalar = await loadBN({ simd: false });
  for (const c of cases) {
    const a = replay(simd, c), b = replay(scalar, c);
    c.steps.forEach((s, k) => {
      for (const key of ["y", "dx", "dgamma", "dbeta", "runningMean", "runningVar"]) {
        if (a[k][key] === null) continue;
        const scale = maxAbs(b[k][key]) || 1;
        const gap = maxDiff(a[k][key], b[k][key]);
        assert.ok(gap <= 2 ** -23 * scale, `${c.name}, step ${k}, ${key}: SIMD and scalar differ by ${gap}`);
      }
    });
  }
});
