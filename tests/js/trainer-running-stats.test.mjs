// tr.runningStats(layerIndex) (docs/api.md), in both builds: its shape and
// that it changes nothing; with momentum null over one batch of the whole
// training split, recalibrate() puts the running statistics on the
// population to float32 rounding (the population variance is unbiased, as
// the running variance); in the preset "Slow running statistics" the running
// statistics lag the population at momentum 0.001 and follow it at 0.1 (the
// control), over 5 seeds, and recalibrate() closes the gap; bad layers are
// named; the builds agree bit for bit.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { PRESET_CONFIGS, PRESET_SEEDS } from "../../web/js/presets-config.js";
import { runningGap } from "../../web/js/trainer-page/running-gap.js";

const builds = { simd: await loadBN({ simd: true }), scalar: await loadBN({ simd: false }) };
const { base, panels, steps } = PRESET_CONFIGS.slowStats;

for (const [name, bn] of Object.entries(builds)) {
  describe(`Trainer.runningStats (${name} build)`, () => {
    test("per feature, fresh arrays; changes nothing (the next steps are the same)", () => {
      const a = new bn.Trainer({ hidden: [12, 5], samples: 300 }), b = new bn.Trainer({ hidden: [12, 5], samples: 300 });
      const fresh = a.runningStats(1);
      assert.deepEqual(Array.from(fresh.runningMean), Array(5).fill(0));
      assert.deepEqual(Array.from(fresh.runningVar), Array(5).fill(1));
      a.step(20);
      b.step(20);
      const s = a.runningStats(1);
      assert.equal(s.layer, 1);
      assert.equal(s.features, 5);
      assert.equal(s.rows, 240);
      for (const key of ["runningMean", "runningVar"]) assert.ok(s[key] instanceof Float32Array && s[key].length === 5, key);
      for (const key of ["populationMean", "populationVar"]) assert.ok(s[key] instanceof Float64Array && s[key].length === 5, key);
      assert.ok(s.populationVar.every((v) => v > 0 && Number.isFinite(v)));
      s.runningMean[0] = 99;
      assert.notEqual(a.runningStats(1).runningMean[0], 99);
      assert.equal(a.step(5), b.step(5));
      a.dispose();
      b.dispose();
    });

    test("momentum null, one batch of the whole split: recalibrate() gives the population (unbiased) to float rounding", () => {
      const tr = new bn.Trainer({ samples: 100, batchSize: 80, momentum: null, seed: 4 });
      tr.step(15);
      tr.recalibrate();
      const s = tr.runningStats(0);
      for (let k = 0; k < s.features; k++) {
        const scale = Math.sqrt(s.populationVar[k]);
        assert.ok(Math.abs(s.runningMean[k] - s.populationMean[k]) <= 1e-6 * (1 + scale), `mean ${k}`);
        assert.ok(Math.abs(s.runningVar[k] / s.populationVar[k] - 1) <= 1e-5, `var ${k}: ${s.runningVar[k]} vs ${s.populationVar[k]}`);
        // The biased variance is 79/80 of it: 1.3 % off, far outside float rounding.
        assert.ok(Math.abs(s.runningVar[k] / (s.populationVar[k] * 79 / 80) - 1) > 1e-2);
      }
      tr.dispose();
    });

    test(`"Slow running statistics": momentum 0.001 lags, 0.1 follows, recalibrate() snaps; seeds ${PRESET_SEEDS.join(", ")}`, () => {
      for (const seed of PRESET_SEEDS) {
        const slow = new bn.Trainer({ ...base, ...panels.bn, seed }), fast = new bn.Trainer({ ...base, ...panels.plain, seed });
        slow.step(steps);
        fast.step(steps);
        const lag = runningGap(slow.runningStats(0)), control = runningGap(fast.runningStats(0));
        slow.recalibrate();
        const after = runningGap(slow.runningStats(0));
        const figures = `seed ${seed}: momentum 0.001 ${JSON.stringify(lag)}, 0.1 ${JSON.stringify(control)}, recalibrated ${JSON.stringify(after)}`;
        assert.ok(lag.var > 1 && control.var < 0.05, figures);
        assert.ok(lag.mean > 3 * control.mean && control.mean < 0.01, figures);
        assert.ok(after.mean < 1e-5 && after.var < 0.05, figures);
        slow.dispose();
        fast.dispose();
      }
    });

    test("a bad layerIndex is named (out of range, not an integer, no BatchNorm1d); the trainer keeps working", () => {
      const tr = new bn.Trainer({ samples: 100 });
      for (const bad of [2, -1, 0.5, "0", undefined]) {
        assert.throws(() => tr.runningStats(bad), /^Error: layerIndex must be an integer in \[0, 1\]/, String(bad));
      }
      assert.ok(Number.isFinite(tr.step(2)));
      assert.equal(tr.runningStats(0).features, 16);
      tr.dispose();
      assert.throws(() => tr.runningStats(0), /disposed/);
      for (const norm of ["layer", "group", "none"]) {
        const other = new bn.Trainer({ samples: 100, norm });
        assert.throws(() => other.runningStats(0),
          (e) => e.message === `layerIndex 0: hidden layer 0 has no BatchNorm1d (norm "${norm}"); running statistics exist with norm "batch" only`);
        assert.ok(Number.isFinite(other.step(1)));
        other.dispose();
      }
    });
  });
}

test("the SIMD and scalar builds give the same running and population statistics, bit for bit", () => {
  const [a, b] = Object.values(builds).map((bn) => new bn.Trainer({ ...base, ...panels.bn, seed: 2 }));
  a.step(50);
  b.step(50);
  const sa = a.runningStats(0), sb = b.runningStats(0);
  for (const key of ["runningMean", "runningVar", "populationMean", "populationVar"]) assert.deepEqual(sa[key], sb[key], key);
  a.dispose();
  b.dispose();
});
