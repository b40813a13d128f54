// The Trainer's depth options and measures (docs/api.md, "Trainer: depth,
// residual blocks, the choice of normalization"), in both builds: norm,
// normPlacement, residual, momentum, groups and their errors; layerStats(),
// evaluate()'s train-mode figures, recalibrate(), landscape(); the bound on
// one step() call; the batch size that fits a small training split; and
// bit-identical deep runs across the two builds.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { lossSequence } from "./test-data.mjs";

const builds = { simd: await loadBN({ simd: true }), scalar: await loadBN({ simd: false }) };

const DEEP = { dataset: "moons", hidden: Array(40).fill(8), residual: true, normPlacement: "after", momentum: null,
  activation: "tanh", lr: 0.05, seed: 3 };

for (const [name, bn] of Object.entries(builds)) {
  describe(`Trainer depth options (${name} build)`, () => {
    test("norm, normPlacement, residual, momentum: accepted, resolved in options, and batchNorm agrees", () => {
      const tr = new bn.Trainer({ hidden: Array(100).fill(4), residual: true, normPlacement: "after", momentum: null });
      const o = tr.options;
      assert.equal(o.hidden.length, 100);
      assert.equal(o.norm, "batch");
      assert.equal(o.batchNorm, true);
      assert.equal(o.normPlacement, "after");
      assert.equal(o.residual, true);
      assert.equal(o.momentum, null);
      assert.ok(Number.isFinite(tr.step(2)));
      tr.dispose();
      const plain = new bn.Trainer({ batchNorm: false });
      assert.equal(plain.options.norm, "none");
      plain.dispose();
      const none = new bn.Trainer({ norm: "none" });
      assert.equal(none.options.batchNorm, false);
      none.dispose();
      const both = new bn.Trainer({ norm: "batch", batchNorm: true });
      assert.equal(both.options.norm, "batch");
      both.dispose();
    });

    test("bad depth options throw an Error that names them; the module keeps working", () => {
      const cases = [
        [{ hidden: Array(101).fill(4) }, /hidden must .*1 to 100/],
        [{ norm: "instance" }, /norm must be one of/],
        [{ normPlacement: "middle" }, /normPlacement must be/],
        [{ residual: "yes" }, /residual must be/],
        [{ momentum: 1.5 }, /momentum must be/],
        [{ momentum: NaN }, /momentum must be/],
        [{ batchNorm: true, norm: "none" }, /batchNorm.*norm|norm.*batchNorm/],
        [{ batchNorm: false, norm: "batch" }, /batchNorm.*norm|norm.*batchNorm/],
        [{ batchSize: 1 }, /Expected more than 1 value per channel when training/],
        [{ hidden: Array(100).fill(256), batchSize: 200 }, /batchSize \* \(sum of hidden widths\)/],
      ];
      for (const [options, message] of cases) {
        assert.throws(() => new bn.Trainer(options), (e) => e instanceof Error && message.test(e.message), JSON.stringify(options).slice(0, 80));
      }
      const tr = new bn.Trainer({ norm: "none", batchSize: 1 });   // batch 1 is fine without batch norm
      assert.ok(Number.isFinite(tr.step(3)));
      tr.dispose();
      const two = new bn.Trainer({ batchSize: 2 });   // batch norm down to batches of 2
      assert.ok(Number.isFinite(two.step(50)));
      assert.ok(Number.isFinite(two.evaluate().trainModeAccuracy));
      two.recalibrate();
      two.dispose();
    });

    test("a small training split fits the default batch size; a given one that does not fit names both numbers", () => {
      const tr = new bn.Trainer({ samples: 10 });   // 8 training points
      assert.equal(tr.options.batchSize, 8);
      assert.ok(Number.isFinite(tr.step(3)));
      tr.dispose();
      assert.throws(() => new bn.Trainer({ samples: 10, batchSize: 32 }), /batchSize must be an integer in \[1, 8\].*got 32/);
    });

    test("layerStats(): per hidden layer, from the last step; throws before the first", () => {
      const tr = new bn.Trainer({ hidden: [8, 8, 8], activation: "tanh" });
      assert.throws(() => tr.layerStats(), /step\(n\)/);
      tr.step(20);
      const stats = tr.layerStats();
      assert.equal(stats.length, 3);
      for (const s of stats) {
        assert.deepEqual(Object.keys(s).sort(), ["actMean", "actStd", "gradNorm", "outMean", "outStd", "preMean", "preStd", "saturation", "weightNorm"]);
        for (const v of Object.values(s)) assert.ok(Number.isFinite(v));
        assert.ok(s.saturation >= 0 && s.saturation <= 1);
        assert.ok(Math.abs(s.preStd - 1) < 0.5, `BN before tanh: preStd ${s.preStd}`);
        assert.ok(s.gradNorm > 0);
      }
      stats[0].preStd = 99;   // a fresh copy
      assert.notEqual(tr.layerStats()[0].preStd, 99);
      tr.dispose();
    });

    test("evaluate(): train-mode figures beside eval mode, changing nothing; equal without batch norm", () => {
      const a = new bn.Trainer({ momentum: 0.001 }), b = new bn.Trainer({ momentum: 0.001 });
      a.step(50);
      b.step(50);
      const e = a.evaluate();
      for (const key of ["trainModeLoss", "trainModeAccuracy", "trainModeTrainLoss", "trainModeTrainAccuracy",
        "trainModeTestLoss", "trainModeTestAccuracy"]) assert.ok(Number.isFinite(e[key]), key);
      assert.equal(e.diverged, false);
      assert.deepEqual([a.step(5), a.step(5)], [b.step(5), b.step(5)]);   // nothing changed
      const plain = new bn.Trainer({ batchNorm: false });
      plain.step(20);
      const p = plain.evaluate();
      assert.equal(p.trainModeAccuracy, p.accuracy);
      assert.equal(p.trainModeTestAccuracy, p.testAccuracy);
      for (const t of [a, b, plain]) t.dispose();
    });

    test("recalibrate(): update_bn over the training split closes a slow-statistics gap; the next steps are unchanged", () => {
      const options = { dataset: "circles", hidden: [32, 32, 32, 32], lr: 0.3, batchSize: 64, momentum: 0.001 };
      const a = new bn.Trainer(options), b = new bn.Trainer(options);
      a.step(300);
      b.step(300);
      const before = a.evaluate();
      assert.equal(a.recalibrate(), undefined);
      const after = a.evaluate();
      assert.ok(after.trainModeAccuracy - before.accuracy > 0.3, `gap before ${before.trainModeAccuracy - before.accuracy}`);
      assert.ok(Math.abs(after.accuracy - after.trainModeAccuracy) <= 0.05, `after ${after.accuracy} vs ${after.trainModeAccuracy}`);
      assert.equal(a.step(5), b.step(5));
      a.dispose();
      b.dispose();
    });

    test("landscape(): plain numbers along the gradient direction and the ICS per layer; changes nothing", () => {
      const a = new bn.Trainer({ hidden: [8, 8, 8] }), b = new bn.Trainer({ hidden: [8, 8, 8] });
      assert.throws(() => a.landscape(), /step\(n\)/);
      a.step(10);
      b.step(10);
      const l = a.landscape({ steps: 4, maxScale: 2 });
      assert.equal(l.lr, 0.1);
      assert.deepEqual(Array.from(l.eta).map((v) => +v.toFixed(6)), [0.05, 0.1, 0.15, 0.2]);
      for (const key of ["lossAt", "gradChange"]) assert.equal(l[key].length, 4);
      assert.equal(l.ics.length, 3);
      assert.equal(l.ics[0], 0);
      assert.equal(l.icsCosine[0], 1);
      for (const key of ["loss", "gradNorm", "lossMin", "lossMax", "gradChangeMax", "betaSmoothness"]) {
        assert.equal(typeof l[key], "number", key);
        assert.ok(Number.isFinite(l[key]), key);
      }
      assert.ok(l.lossMin <= l.lossMax);
      assert.equal(a.landscape().eta.length, 8);   // defaults: 8 steps up to 4 lr
      assert.throws(() => a.landscape({ steps: 0 }), /steps must be an integer in \[1, 64\]/);
      assert.throws(() => a.landscape({ maxScale: -1 }), /maxScale must be/);
      assert.throws(() => a.landscape({ step: 3 }), /unknown landscape option "step"/);
      assert.equal(a.step(5), b.step(5));
      a.dispose();
      b.dispose();
    });

    test("step(n): the work of one call is bounded; the error names n and the limit", () => {
      const big = new bn.Trainer({ hidden: Array(100).fill(128), batchSize: 8 });
      assert.ok(big.maxStepsPerCall < 2000, `${big.maxStepsPerCall}`);
      assert.ok(big.parameterCount > 1.6e6);
      assert.throws(() => big.step(1e6), new RegExp(`n must be an integer in \\[0, ${big.maxStepsPerCall}\\]`));
      assert.equal(big.steps, 0);
      big.dispose();
      const small = new bn.Trainer();
      assert.equal(small.maxStepsPerCall, 1e6);
      small.dispose();
    });

    test("predictGrid names the range that overflows", () => {
      const tr = new bn.Trainer();
      tr.step(3);
      assert.throws(() => tr.predictGrid(4, -1e308, 1e308, -1, 1), /xmax - xmin overflows/);
      assert.throws(() => tr.predictGrid(4, -1, 1, -1e39, 1), /ymin and ymax must lie within float32/);
      assert.equal(tr.predictGrid(4, -1e30, 1e30, -1, 1).length, 16);
      tr.dispose();
    });

    test("after divergence evaluate() reports NaN and diverged: true", () => {
      const tr = new bn.Trainer({ batchNorm: false, hidden: [64, 64, 64], lr: 1e6 });
      for (let c = 0; c < 20 && !tr.diverged; c++) tr.step(5);
      assert.ok(tr.diverged);
      const e = tr.evaluate();
      assert.equal(e.diverged, true);
      assert.ok(Number.isNaN(e.accuracy) && Number.isNaN(e.trainModeAccuracy) && Number.isNaN(e.loss));
      tr.dispose();
    });
  });
}

test("a deep residual run is bit for bit the same in the SIMD and scalar builds", () => {
  assert.deepEqual(lossSequence(builds.simd, DEEP, 6), lossSequence(builds.scalar, DEEP, 6));
});
