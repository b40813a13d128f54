// The normalization lab's numbers (web/js/stepper/lab-compute.js) with the
// real layers of both builds, against the lab's own float64 computation
// (lab-gradcheck.js normBackward64) and the gradient check: every
// statistic, x̂, y and dx within float32 rounding, for all five layers and
// GroupNorm with G = 1, between and G = C; the batch-independence answer
// (BatchNorm yes, the others no) and the batch-1 cases with PyTorch's words.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN, simdSupported } from "../../web/js/bn.js";
import { dependence, labDy, layersAvailable, runNorm } from "../../web/js/stepper/lab-compute.js";
import { labGradientCheck, normBackward64 } from "../../web/js/stepper/lab-gradcheck.js";
import { NORM_KEYS } from "../../web/js/stepper/norm-axes.js";

const builds = [{ name: "scalar", simd: false }];
if (simdSupported()) builds.unshift({ name: "SIMD", simd: true });

const maxAbs = (a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const CASES = [
  { shape: [2, 4, 2, 3], groups: 2 }, { shape: [3, 4, 3, 3], groups: 1 }, { shape: [2, 4, 2, 2], groups: 4 },
  { shape: [1, 3, 2, 2], groups: 3 }, { shape: [4, 2, 4, 4], groups: 2 },
];

for (const build of builds) {
  describe(`the lab's numbers with the real layers, ${build.name} build`, async () => {
    const bn = await loadBN({ simd: build.simd });

    test("this build has the lab's layers", () => assert.equal(layersAvailable(bn), true));

    test("every layer's statistics, x̂, y and dx match the lab's float64 computation", () => {
      let compared = 0;
      for (const { shape, groups } of CASES) {
        const count = shape.reduce((p, d) => p * d, 1);
        const x = Float64Array.from({ length: count }, (_, j) => Math.fround(3 * Math.sin(1.7 * j) + (j % 5) - 40));   // an offset too
        for (const norm of NORM_KEYS) {
          const r = runNorm(bn, { norm, shape, groups, x });
          if (norm === "batch1d" && shape[0] * shape[2] * shape[3] === 1) continue;
          assert.equal(r.error, undefined, `${norm} ${shape}: ${r.error}`);
          const ref = normBackward64(Float64Array.from(Float32Array.from(x)), labDy(count).map(Math.fround), { norm, shape, groups, eps: r.eps });
          const at = `${norm} on [${shape}] G=${groups}`;
          assert.equal(r.mean.length, ref.mean.length, `${at}: statistics`);
          assert.ok(maxDiff(r.mean, ref.mean) <= 1e-6 * Math.max(1, maxAbs(ref.mean)), `${at}: mean`);
          assert.ok(maxDiff(r.var, ref.var) <= 1e-5 * Math.max(1e-6, maxAbs(ref.var)), `${at}: var`);
          assert.ok(maxDiff(r.xhat, ref.xhat) <= 1e-5 * Math.max(1, maxAbs(ref.xhat)), `${at}: xhat ${maxDiff(r.xhat, ref.xhat)}`);
          assert.ok(maxDiff(r.y, ref.y) <= 1e-5 * Math.max(1, maxAbs(ref.y)), `${at}: y`);
          assert.ok(maxDiff(r.dx, ref.dx) <= 1e-5 * Math.max(1, maxAbs(ref.dx)), `${at}: dx ${maxDiff(r.dx, ref.dx)}`);
          const check = labGradientCheck(r);
          assert.ok(check.agree, `${at}: gradient check ${check.relError}`);
          compared++;
        }
      }
      assert.ok(compared >= 24, `${compared} layer runs compared`);
    });

    test("does my sample depend on the others? BatchNorm yes; LayerNorm, GroupNorm, InstanceNorm no", () => {
      const shape = [3, 4, 2, 2], count = 48;
      const x = Float64Array.from({ length: count }, (_, j) => Math.cos(j) * 2 + (j % 3));
      const answers = dependence(bn, { shape, groups: 2, x, probe: 1 });
      const changed = Object.fromEntries(answers.map((a) => [a.norm, a.changed]));
      assert.deepEqual(changed, { batch1d: true, batch2d: true, layer: false, group: false, instance: false });
      for (const a of answers) {
        if (a.changed) assert.ok(a.maxChange > 1e-3, `${a.norm}: a visible change (${a.maxChange})`);
        else assert.equal(a.maxChange, 0, `${a.norm}: bit for bit the same`);
      }
    });

    test("batch 1: BatchNorm2d trains on one image with H·W > 1, refuses H·W = 1 in PyTorch's words; the others never need the batch", () => {
      const one = Float64Array.from({ length: 12 }, (_, j) => j * 0.5 - 2);
      assert.equal(runNorm(bn, { norm: "batch2d", shape: [1, 3, 2, 2], groups: 1, x: one }).error, undefined);
      assert.match(runNorm(bn, { norm: "batch2d", shape: [1, 3, 1, 1], groups: 1, x: one.slice(0, 3) }).error,
        /^Expected more than 1 value per channel when training, got input size \[1, 3, 1, 1\]/);
      assert.match(runNorm(bn, { norm: "instance", shape: [1, 3, 1, 1], groups: 1, x: one.slice(0, 3) }).error,
        /^Expected more than 1 spatial element when training, got input size \[1, 3, 1, 1\]/);
      for (const norm of ["layer", "group"]) assert.equal(runNorm(bn, { norm, shape: [1, 3, 2, 2], groups: 3, x: one }).error, undefined, norm);
      const live = bn.heapBytesInUse();
      for (let k = 0; k < 50; k++) runNorm(bn, { norm: "batch2d", shape: [1, 3, 1, 1], groups: 1, x: one.slice(0, 3) });
      assert.equal(bn.heapBytesInUse(), live, "refused layers are disposed");
    });
  });
}
