// The Trainer with norm "layer" (LayerNorm over each hidden layer's units)
// and norm "group" (GroupNorm, `groups` per layer) trains at batch size 1,
// where batch norm cannot (issue 14 item 5), over several seeds in both
// builds. Controls: the same network is at chance before training; the
// normalization is really there (the first step's normalized values have
// mean 0 and std 1 over the one row, which they do not without it); batch
// norm at batch size 1 is refused in PyTorch's words.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";

const builds = { simd: await loadBN({ simd: true }), scalar: await loadBN({ simd: false }) };
const BASE = { dataset: "moons", hidden: [16, 16], batchSize: 1, lr: 0.05 };
const SEEDS = [1, 2, 3, 4, 5];

for (const [name, bn] of Object.entries(builds)) {
  describe(`Trainer at batch size 1 with LayerNorm / GroupNorm (${name} build)`, () => {
    for (const norm of ["layer", "group"]) {
      test(`norm "${norm}" trains at batch size 1 over seeds ${SEEDS.join(", ")}`, () => {
        for (const seed of SEEDS) {
          const tr = new bn.Trainer({ ...BASE, norm, groups: 4, seed });
          try {
            assert.equal(tr.options.norm, norm);
            assert.equal(tr.options.batchSize, 1);
            assert.equal(tr.options.batchNorm, false);
            const before = tr.evaluate().accuracy;
            for (let done = 0; done < 2000; done += 500) tr.step(500);
            const after = tr.evaluate();
            assert.ok(after.accuracy >= 0.85 && after.accuracy > before + 0.1,
              `seed ${seed}: accuracy ${before} -> ${after.accuracy}`);
          } finally {
            tr.dispose();
          }
        }
      });
    }

    test("control: the normalization is there (mean 0, std 1 over the one row of the first step), not without it", () => {
      const std = (norm) => {
        const tr = new bn.Trainer({ ...BASE, norm, groups: 4, seed: 1 });
        tr.step(1);
        const s = tr.layerStats();   // placement "before": preMean/preStd are the normalization's output
        tr.dispose();
        return s;
      };
      for (const norm of ["layer", "group"]) {
        for (const layer of std(norm)) {
          assert.ok(Math.abs(layer.preMean) < 1e-6, `${norm}: preMean ${layer.preMean}`);
          assert.ok(Math.abs(layer.preStd - 1) < 1e-3, `${norm}: preStd ${layer.preStd}`);
        }
      }
      const plain = std("none");
      assert.ok(plain.some((layer) => Math.abs(layer.preStd - 1) > 0.05), `none: preStd ${plain.map((l) => l.preStd)}`);
    });

    test("control: batch norm at batch size 1 is refused with PyTorch's message; the module keeps working", () => {
      assert.throws(() => new bn.Trainer({ ...BASE, norm: "batch" }),
        (e) => e instanceof Error && /Expected more than 1 value per channel when training/.test(e.message));
      assert.throws(() => new bn.Trainer({ ...BASE, batchNorm: true }),
        (e) => e instanceof Error && /Expected more than 1 value per channel when training/.test(e.message));
      const tr = new bn.Trainer({ ...BASE, norm: "layer" });
      assert.ok(Number.isFinite(tr.step(3)));
      tr.dispose();
    });

    test("groups must divide every hidden width (named); group norm with groups = width is per-unit", () => {
      assert.throws(() => new bn.Trainer({ ...BASE, norm: "group", groups: 3 }),
        (e) => e instanceof Error && /groups must divide every hidden width/.test(e.message));
      const tr = new bn.Trainer({ ...BASE, norm: "group", groups: 16, batchSize: 4 });
      assert.ok(Number.isFinite(tr.step(3)));
      tr.dispose();
    });
  });
}
