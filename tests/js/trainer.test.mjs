// The Trainer of docs/api.md, in both builds: defaults, stepping and
// epochs, evaluate / predictGrid / activations / points, fresh copies, bad
// options and bad calls (clear errors, state unchanged, object keeps
// working), dispose, and determinism across instances, across runs (a fresh
// engine in a worker thread) and between the SIMD and scalar builds.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { loadBN } from "../../web/js/bn.js";
import { defaultsOf } from "../../web/js/validate.js";
import { loadRawModule, lossSequence } from "./test-data.mjs";

const builds = { simd: await loadBN({ simd: true }), scalar: await loadBN({ simd: false }) };

function columnStats(v, batch, width) {
  const mean = new Float64Array(width), variance = new Float64Array(width);
  for (let i = 0; i < batch; i++) for (let k = 0; k < width; k++) mean[k] += v[i * width + k] / batch;
  for (let i = 0; i < batch; i++) for (let k = 0; k < width; k++) variance[k] += (v[i * width + k] - mean[k]) ** 2 / batch;
  return { mean, variance };
}

const CONFIGS = [
  {},
  { dataset: "moons", activation: "tanh", optimizer: "momentum", hidden: [8, 12, 5], seed: 7 },
  { dataset: "circles", activation: "sigmoid", optimizer: "adam", lr: 0.01, batchNorm: false, seed: 3 },
  { dataset: "xor", hidden: [32], batchSize: 10, seed: 4294967295, init: "xavier" },
  { dataset: "gaussians", samples: 100, noise: 0.5, testFraction: 0, batchSize: 100 },
];

for (const [name, bn] of Object.entries(builds)) {
  describe(`Trainer (${name} build)`, () => {
    test("is exported with the defaults of docs/api.md (those of bn.schema)", () => {
      assert.equal(typeof bn.Trainer, "function");
      const tr = new bn.Trainer();
      const defaults = defaultsOf(bn.schema.Trainer.options);
      assert.deepEqual(tr.options, { ...defaults, init: "kaiming" });
      assert.deepEqual(defaults, {
        dataset: "spiral", samples: 400, noise: 0.1, hidden: [16, 16], activation: "relu", batchNorm: true,
        optimizer: "sgd", lr: 0.1, batchSize: 32, seed: 1, init: "auto", testFraction: 0.2,
        norm: "batch", groups: 1, normPlacement: "before", residual: false, momentum: 0.1,
      });
      assert.equal(tr.steps, 0);
      assert.equal(tr.epoch, 0);
      assert.equal(tr.stepsPerEpoch, 10);
      assert.ok(Number.isNaN(tr.lastBatchLoss));
      assert.equal(new bn.Trainer({ activation: "tanh" }).options.init, "xavier");
      tr.options.hidden.push(3);   // a copy
      assert.deepEqual(tr.options.hidden, [16, 16]);
      tr.dispose();
    });

    test("step(0) returns NaN and trains nothing; step(n) returns the mean loss; epochs count passes", () => {
      const a = new bn.Trainer(), b = new bn.Trainer();
      assert.ok(Number.isNaN(a.step(0)));
      assert.equal(a.steps, 0);
      const mean = a.step(3);
      const singles = [b.step(1), b.step(1), b.step(1)];
      assert.ok(Math.abs(mean - (singles[0] + singles[1] + singles[2]) / 3) < 1e-12);
      assert.equal(a.lastBatchLoss, singles[2]);
      assert.equal(a.steps, 3);
      assert.equal(a.epoch, 0);
      a.step(7);
      assert.equal(a.epoch, 1);            // 10 steps of 32 = the 320 training points
      a.step(25);
      assert.equal(a.epoch, 3);
      assert.equal(a.steps, 35);
      a.dispose(); b.dispose();
    });

    test("evaluate() runs in eval mode: figures in range, repeatable, training unaffected", () => {
      const a = new bn.Trainer({ dataset: "moons", optimizer: "momentum" }), b = new bn.Trainer({ dataset: "moons", optimizer: "momentum" });
      const before = a.evaluate();
      for (const key of ["loss", "accuracy", "testLoss", "testAccuracy", "trainLoss", "trainAccuracy"]) {
        assert.equal(typeof before[key], "number", key);
      }
      a.step(300); b.step(300);
      const e1 = a.evaluate(), e2 = a.evaluate();
      assert.deepEqual(e1, e2);
      assert.ok(e1.loss < before.loss);
      assert.ok(e1.accuracy > 0.9 && e1.testAccuracy > 0.85, JSON.stringify(e1));
      assert.ok(Math.abs(e1.accuracy - (0.8 * e1.trainAccuracy + 0.2 * e1.testAccuracy)) < 1e-12);
      a.predictGrid(16);
      assert.equal(a.step(20), b.step(20));   // a evaluated in between, b did not
      a.dispose(); b.dispose();
    });

    test("predictGrid: res*res class-1 probabilities, row 0 at the top (ymax), fresh copies", () => {
      const tr = new bn.Trainer({ dataset: "gaussians", noise: 0 });   // class 1 at (0.5, 0.5)
      tr.step(200);
      const res = 8;
      const g = tr.predictGrid(res, -1.5, 1.5, -1.5, 1.5);
      assert.ok(g instanceof Float32Array);
      assert.equal(g.length, res * res);
      assert.ok(g.every((p) => p >= 0 && p <= 1));
      assert.ok(g[res - 1] > 0.9, "top right is class 1");
      assert.ok(g[(res - 1) * res] < 0.1, "bottom left is class 0");
      g.fill(7);
      assert.deepEqual(tr.predictGrid(res, -1.5, 1.5, -1.5, 1.5).slice(0, 4), tr.predictGrid(res).slice(0, 4));
      assert.equal(tr.predictGrid(64).length, 4096);
      tr.dispose();
    });

    test("activations(l): pre, xhat = batch-normalized pre (mean 0, var 1), post its alias, fresh copies", () => {
      const tr = new bn.Trainer({ hidden: [12, 6] });
      assert.throws(() => tr.activations(0), /call step\(n\)/);
      tr.step(40);
      const a = tr.activations(1);
      assert.equal(a.batch, 32);
      assert.equal(a.width, 6);
      for (const key of ["pre", "xhat", "activated"]) {
        assert.ok(a[key] instanceof Float32Array, key);
        assert.equal(a[key].length, 32 * 6, key);
      }
      assert.equal(a.post, a.xhat);   // the 0.1 name, kept one release
      const s = columnStats(a.xhat, 32, 6);
      for (let k = 0; k < 6; k++) {
        assert.ok(Math.abs(s.mean[k]) < 1e-5, `mean ${s.mean[k]}`);
        assert.ok(Math.abs(s.variance[k] - 1) < 0.01, `variance ${s.variance[k]}`);
      }
      const pre = columnStats(a.pre, 32, 6);
      assert.ok(Math.abs(a.xhat[0] - (a.pre[0] - pre.mean[0]) / Math.sqrt(pre.variance[0] + 1e-5)) < 1e-4);
      // The x-hat of the layer itself: evaluate() and predictGrid() (eval-mode
      // passes through the same layers) change nothing of it.
      tr.evaluate(); tr.predictGrid(8);
      assert.deepEqual(tr.activations(1).xhat, a.xhat);
      a.pre.fill(0);
      assert.notDeepEqual(tr.activations(1).pre, a.pre);
      assert.throws(() => tr.activations(2), /layerIndex must be an integer in \[0, 1\]/);
      assert.throws(() => tr.activations(0.5), /layerIndex/);
      const plain = new bn.Trainer({ batchNorm: false });
      plain.step(2);
      const p = plain.activations(0);
      assert.deepEqual(p.xhat, p.pre);   // no batch norm: xhat is pre
      tr.dispose(); plain.dispose();
    });

    test("points(): all samples, labels 0/1, test flags, fresh copies; batchIndices()", () => {
      const tr = new bn.Trainer({ samples: 200, testFraction: 0.25 });
      const p = tr.points();
      assert.ok(p.x instanceof Float32Array && p.x.length === 400);
      assert.ok(p.y instanceof Uint8Array && p.y.length === 200);
      assert.ok(p.test instanceof Uint8Array && p.test.length === 200);
      assert.equal(p.y.reduce((s, v) => s + v, 0), 100);
      assert.equal(p.test.reduce((s, v) => s + v, 0), 50);
      p.x.fill(0);
      assert.notEqual(tr.points().x[0], 0);
      assert.throws(() => tr.batchIndices(), /call step\(n\)/);
      tr.step(1);
      const idx = tr.batchIndices();
      assert.equal(idx.length, 32);
      assert.ok(Array.from(idx).every((i) => i >= 0 && i < 200 && tr.points().test[i] === 0));
      tr.dispose();
    });

    test("bad options throw an Error naming the option", () => {
      const cases = [
        [{ dataset: "spirals" }, /dataset must be one of "spiral", "moons", "circles", "xor", "gaussians"/],
        [{ activation: "gelu" }, /activation must be one of/],
        [{ optimizer: "rmsprop" }, /optimizer must be one of/],
        [{ init: "he" }, /init must be one of/],
        [{ lr: 0 }, /lr must be a finite number > 0/],
        [{ lr: -1 }, /lr must be a finite number > 0/],
        [{ lr: NaN }, /lr must be a finite number > 0/],
        [{ lr: "0.1" }, /lr must be a finite number/],
        [{ hidden: [] }, /hidden must be an array of 1 to 100 layer widths/],
        [{ hidden: Array(101).fill(4) }, /hidden must be an array of 1 to 100/],
        [{ hidden: 16 }, /hidden must be an array/],
        [{ hidden: [16, 257] }, /hidden\[1\] must be an integer in \[1, 256\]/],
        [{ hidden: [16, 2.5] }, /hidden\[1\] must be an integer/],
        [{ hidden: [0] }, /hidden\[0\] must be an integer/],
        [{ batchSize: 1 }, /batchSize must be >= 2 with batchNorm: Expected more than 1 value per channel when training/],
        [{ batchSize: 0 }, /batchSize must be an integer in \[1, 20000\], got 0/],
        [{ batchSize: 8.5 }, /batchSize must be an integer/],
        [{ batchSize: 400 }, /batchSize must be an integer in \[1, 320\]/],
        [{ samples: 12.5 }, /samples must be an integer in \[10, 20000\]/],
        [{ samples: 3 }, /samples must be an integer/],
        [{ batchSize: 81, samples: 100 }, /batchSize must be an integer in \[1, 80\] \(the number of training points\), got 81/],
        [{ noise: -0.1 }, /noise must be a finite number >= 0/],
        [{ seed: -1 }, /seed must be an integer in \[0, 4294967295\]/],
        [{ seed: 1.5 }, /seed must be an integer/],
        [{ batchNorm: "yes" }, /batchNorm must be true or false/],
        [{ testFraction: 0.9 }, /testFraction must be a finite number/],
        [{ learningRate: 0.1 }, /unknown Trainer option "learningRate"/],
        [null, /Trainer options must be an object/],
      ];
      for (const [options, message] of cases) {
        assert.throws(() => new bn.Trainer(options), (e) => e instanceof Error && message.test(e.message),
          `options ${JSON.stringify(options)}`);
      }
      assert.doesNotThrow(() => new bn.Trainer({ batchNorm: false, batchSize: 1 }).dispose());
      assert.equal(new bn.Trainer({ noise: undefined }).options.noise, 0.1);
    });

    test("the C++ core refuses bad options on its own (binding called directly: ok() false, lastError())", async () => {
      const wasm = await loadRawModule(name);
      const good = { dataset: "spiral", samples: 400, noise: 0.1, hidden: [16], activation: "relu", batchNorm: true,
        optimizer: "sgd", lr: 0.1, batchSize: 32, seed: 1, init: "auto", testFraction: 0.2 };
      const make = (over) => new wasm.TrainerBinding({ ...good, ...over });
      const cases = [
        [{ dataset: "swirl" }, /dataset must be one of/],
        [{ activation: "elu" }, /activation must be one of/],
        [{ optimizer: "lbfgs" }, /optimizer must be one of/],
        [{ lr: 0 }, /lr must be a finite number > 0/],
        [{ lr: NaN }, /lr must be a finite number > 0/],
        [{ hidden: [] }, /hidden must be an array of 1 to 100 layer widths/],
        [{ hidden: "16" }, /hidden must be an array of 1 to 100 layer widths, got "16"/],
        [{ lr: "0.1" }, /lr must be a finite number > 0, got "0.1"/],
        [{ learningRate: 1 }, /unknown Trainer option "learningRate"/],
        [{ hidden: [300] }, /hidden\[0\] must be an integer in \[1, 256\]/],
        [{ batchSize: 1 }, /Expected more than 1 value per channel/],
        [{ seed: 0.5 }, /seed must be an integer/],
      ];
      for (const [over, message] of cases) {
        const binding = make(over);
        assert.equal(binding.ok(), false, JSON.stringify(over));
        assert.match(binding.lastError(), message, JSON.stringify(over));
        binding.delete();
      }
      const tr = make({});   // the instance keeps working after the errors
      assert.ok(tr.ok());
      assert.ok(Number.isFinite(tr.step(3)));
      assert.equal(tr.step(-1), undefined);
      assert.match(tr.lastError(), /n must be an integer in \[0, 1000000\], got -1/);
      assert.equal(tr.activations(1), undefined);
      assert.match(tr.lastError(), /layerIndex must be an integer in \[0, 0\]/);
      assert.equal(tr.predictGrid(4, 1, -1, -1, 1), undefined);
      assert.match(tr.lastError(), /xmin < xmax/);
      assert.equal(tr.steps(), 3);
      // Thousands of refused calls leak no stack: the instance still works.
      for (let i = 0; i < 20000; i++) tr.step(-1);
      assert.ok(Number.isFinite(tr.step(1)));
      tr.delete();
    });

    test("bad calls throw, leave the state unchanged, and the object keeps working", () => {
      const a = new bn.Trainer(), twin = new bn.Trainer();
      a.step(5); twin.step(5);
      const bad = [
        [() => a.step(-1), /n must be an integer/],
        [() => a.step(1.5), /n must be an integer/],
        [() => a.step("3"), /n must be an integer/],
        [() => a.step(1e7), /n must be an integer in \[0, 1000000\]/],
        [() => a.predictGrid(0), /res must be an integer in \[1, 1024\]/],
        [() => a.predictGrid(2000), /res must be an integer/],
        [() => a.predictGrid(8, 1, -1, -1, 1), /xmax must be greater than xmin/],
        [() => a.predictGrid(8, -1, 1, 0, 0), /ymax must be greater than ymin/],
        [() => a.predictGrid(8, NaN, 1, -1, 1), /xmin must be a finite number/],
        [() => a.activations(-1), /layerIndex must be an integer/],
        [() => a.activations("0"), /layerIndex must be an integer/],
      ];
      for (const [call, message] of bad) assert.throws(call, message);
      assert.equal(a.steps, 5);
      assert.deepEqual(a.evaluate(), twin.evaluate());
      assert.equal(a.step(5), twin.step(5));
      a.dispose(); twin.dispose();
    });

    test("dispose(): every method and getter throws afterwards; a second dispose does nothing", () => {
      const tr = new bn.Trainer();
      tr.step(1);
      tr.dispose();
      for (const use of [() => tr.step(1), () => tr.evaluate(), () => tr.predictGrid(4), () => tr.activations(0),
        () => tr.points(), () => tr.steps, () => tr.epoch, () => tr.options, () => tr.batchIndices()]) {
        assert.throws(use, /Trainer was disposed/);
      }
      assert.doesNotThrow(() => tr.dispose());
    });

    test("same options give bit-identical loss sequences", () => {
      for (const options of CONFIGS) {
        const a = lossSequence(bn, options), b = lossSequence(bn, options);
        assert.deepEqual(a, b, JSON.stringify(options));
        assert.ok(a.every(Number.isFinite));
      }
      assert.notDeepEqual(lossSequence(bn, { seed: 2 }), lossSequence(bn, { seed: 1 }));
    });

    test("steady-state training does not grow the WASM memory", () => {
      const tr = new bn.Trainer();
      tr.step(50); tr.evaluate(); tr.predictGrid(64); tr.activations(0);
      const bytes = bn.memory.buffer.byteLength;
      for (let i = 0; i < 20; i++) { tr.step(50); tr.evaluate(); tr.predictGrid(64); tr.activations(1); }
      assert.equal(bn.memory.buffer.byteLength, bytes);
      tr.dispose();
    });
  });
}

test("the SIMD and scalar builds give bit-identical loss sequences", () => {
  for (const options of CONFIGS) {
    assert.deepEqual(lossSequence(builds.simd, options), lossSequence(builds.scalar, options), JSON.stringify(options));
  }
  const grid = (bn) => { const tr = new bn.Trainer({ dataset: "moons" }); tr.step(50); return tr.predictGrid(16); };
  assert.deepEqual(grid(builds.simd), grid(builds.scalar));
});

test("a fresh run (new engine instance in a worker thread) gives the same losses", async () => {
  const bnUrl = new URL("../../web/js/bn.js", import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(workerData.bnUrl).then(async ({ loadBN }) => {
      const out = {};
      for (const simd of [true, false]) {
        const bn = await loadBN({ simd });
        out[simd ? "simd" : "scalar"] = workerData.configs.map((o) => {
          const tr = new bn.Trainer(o);
          const seq = Array.from({ length: 12 }, () => tr.step(5));
          tr.dispose();
          return seq;
        });
      }
      parentPort.postMessage(out);
    });`;
  const result = await new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { bnUrl, configs: CONFIGS } });
    w.once("message", resolve);
    w.once("error", reject);
  });
  for (const variant of ["simd", "scalar"]) {
    CONFIGS.forEach((options, c) => assert.deepEqual(result[variant][c], lossSequence(builds[variant], options)));
  }
});
