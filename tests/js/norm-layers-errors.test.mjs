// Bad input to BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d (and
// BatchNorm1d on [N, C, L]) through the JS API, both builds: every input
// PyTorch has a message for gets PyTorch's words (tests/data/golden_errors.json,
// from torch by tests/reference/golden_errors.py); the rest an Error naming
// the argument; nothing changes when a call fails, and a layer keeps working
// after thousands of failed calls.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadBN, simdSupported } from "../../web/js/bn.js";
import { randomArray } from "./test-data.mjs";

const errors = JSON.parse(readFileSync(new URL("../data/golden_errors.json", import.meta.url), "utf8")).cases;
const builds = [{ name: "scalar", simd: false }];
if (simdSupported()) builds.unshift({ name: "SIMD", simd: true });

function make(bn, layer, a) {
  if (layer === "BatchNorm1d") return new bn.BatchNorm1d(a.num_features);
  if (layer === "BatchNorm2d") return new bn.BatchNorm2d(a.num_features);
  if (layer === "LayerNorm") return new bn.LayerNorm(a.normalized_shape);
  if (layer === "GroupNorm") return new bn.GroupNorm(a.num_groups, a.num_channels);
  return new bn.InstanceNorm2d(a.num_features, { affine: a.affine ?? false, trackRunningStats: a.track_running_stats ?? false });
}

const throwsSaying = (fn, parts, what) => {
  let message = null;
  try { fn(); } catch (e) { message = e.message; }
  assert.notEqual(message, null, `${what}: no Error`);
  for (const part of parts) assert.ok(message.includes(part), `${what}: ${JSON.stringify(message)} does not say ${JSON.stringify(part)}`);
};

for (const build of builds) {
  describe(`layer bad input, ${build.name} build`, async () => {
    const bn = await loadBN({ simd: build.simd });

    test("every input torch refuses gets torch's words (golden_errors.json)", () => {
      for (const c of errors) {
        if (c.where === "constructor" || (c.layer === "LayerNorm" && c.args.normalized_shape.length === 0)) {
          throwsSaying(() => make(bn, c.layer, c.args), c.ours_must_say, c.name);
          continue;
        }
        const layer = make(bn, c.layer, c.args);
        c.mode === "train" ? layer.train() : layer.eval();
        const n = c.shape.reduce((p, d) => p * d, 1);
        throwsSaying(() => layer.forward(new Float32Array(n).fill(0.5), c.shape), c.ours_must_say, c.name);
        assert.throws(() => layer.trace(), /trace called before any forward/, `${c.name}: a refused forward leaves no trace`);
        layer.dispose();
      }
    });

    test("constructor arguments and options are checked, naming them", () => {
      assert.throws(() => new bn.BatchNorm2d(0), /^Error: numFeatures must be an integer in \[1, \d+\], got 0$/);
      assert.throws(() => new bn.BatchNorm2d("3"), /numFeatures must be an integer .* got "3"/);
      assert.throws(() => new bn.InstanceNorm2d(2.5), /numFeatures must be an integer .* got 2.5/);
      assert.throws(() => new bn.GroupNorm(0, 4), /numGroups must be an integer/);
      assert.throws(() => new bn.GroupNorm(2, NaN), /numChannels must be an integer .* got NaN/);
      assert.throws(() => new bn.GroupNorm(3, 4), /num_channels must be divisible by num_groups/);
      assert.throws(() => new bn.LayerNorm("4"), /normalizedShape must be an integer or an array/);
      assert.throws(() => new bn.LayerNorm([3, 0]), /normalizedShape\[1\] must be an integer >= 1, got 0/);
      assert.throws(() => new bn.LayerNorm(Array(8).fill(2)), /normalizedShape must be an integer or an array of 1 to 7/);
      assert.throws(() => new bn.BatchNorm2d(3, { momentun: 0.1 }), /^Error: unknown BatchNorm2d option "momentun" \(expected eps, momentum, affine\)$/);
      assert.throws(() => new bn.LayerNorm([4], { affine: true }), /unknown LayerNorm option "affine" \(expected eps, elementwiseAffine\)/);
      assert.throws(() => new bn.GroupNorm(2, 4, { eps: 0 }), /^Error: eps must be a finite number > 0, got 0$/);
      assert.throws(() => new bn.InstanceNorm2d(3, { momentum: null }), /momentum must be a finite number >= 0 and <= 1, got null/);
      assert.throws(() => new bn.InstanceNorm2d(3, { trackRunningStats: 1 }), /trackRunningStats must be true or false, got 1/);
      assert.throws(() => new bn.BatchNorm2d(3, { momentum: 1.5 }), /momentum must be a finite number >= 0 and <= 1, or null, got 1.5/);
    });

    test("the options are the schema's: defaults as torch, every value as given", () => {
      for (const [name, group] of Object.entries({ BatchNorm2d: ["eps", "momentum", "affine"], LayerNorm: ["eps", "elementwiseAffine"],
        GroupNorm: ["eps", "affine"], InstanceNorm2d: ["eps", "momentum", "affine", "trackRunningStats"] })) {
        assert.deepEqual(Object.keys(bn.schema[name].options), group, name);
      }
      const i = new bn.InstanceNorm2d(3);
      assert.deepEqual([i.numFeatures, i.eps, i.momentum, i.affine, i.trackRunningStats, i.gamma, i.runningMean], [3, 1e-5, 0.1, false, false, null, null]);
      const g = new bn.GroupNorm(2, 4, { eps: 1e-3 });
      assert.deepEqual([g.numGroups, g.numChannels, g.eps, g.affine, Array.from(g.gamma), Array.from(g.beta)], [2, 4, 1e-3, true, [1, 1, 1, 1], [0, 0, 0, 0]]);
      const l = new bn.LayerNorm(5);
      assert.deepEqual(l.normalizedShape, [5]);
      l.normalizedShape.push(9);   // a copy
      assert.deepEqual(l.normalizedShape, [5]);
      const b = new bn.BatchNorm2d(2, { momentum: null, affine: false });
      assert.deepEqual([b.numFeatures, b.momentum, b.affine, b.gamma, Array.from(b.runningVar), b.numBatchesTracked], [2, null, false, null, [1, 1], 0]);
      for (const layer of [i, g, l, b]) layer.dispose();
    });

    test("forward's shape and x are checked first; a refused call changes nothing", () => {
      const g = new bn.GroupNorm(2, 4);
      const x = randomArray(2 * 4 * 9, 5);
      const y0 = g.forward(x, [2, 4, 3, 3]);
      const before = g.trace();
      throwsSaying(() => g.forward(x, 36), ["shape must be an array of integers like [N, C, H, W], got 36"], "a number");
      throwsSaying(() => g.forward(x, [2, 4, 3, 0]), ["shape[3] must be an integer >= 1, got 0"], "a 0");
      throwsSaying(() => g.forward(x, [2, 4, 3, 4]), ["shape [2, 4, 3, 4] has 96 elements but x has 72"], "length");
      throwsSaying(() => g.forward(x, [2, 4, 3, 3], { out: new Float32Array(5) }), ["out must have 72 entries, got 5"], "out");
      const bad = x.slice(); bad[7] = NaN;
      assert.throws(() => g.forward(bad, [2, 4, 3, 3]), /NaN/);
      const g4 = new bn.GroupNorm(4, 4);
      assert.throws(() => g4.forward(new Float32Array(4), [1, 4, 1, 1]), /Expected more than 1 value per channel when training/);
      g4.dispose();
      assert.deepEqual(Array.from(g.trace().y), Array.from(before.y), "the trace is the last good forward's");
      const { dx } = g.backward(randomArray(72, 6));
      assert.equal(dx.length, 72);
      assert.throws(() => g.backward(new Float32Array(71)), /dy must have 72 entries, got 71/);
      assert.deepEqual(Array.from(g.forward(x, [2, 4, 3, 3])), Array.from(y0), "still the same layer");
      g.dispose();
      assert.throws(() => g.forward(x, [2, 4, 3, 3]), /^Error: GroupNorm was disposed: create a new layer$/);
    });

    test("setParams: what the layer has, checked all-or-nothing; running statistics untouched by refused forwards", () => {
      const l = new bn.LayerNorm([3], { elementwiseAffine: false });
      assert.throws(() => l.setParams({ gamma: [1, 1, 1] }), /gamma cannot be set: this LayerNorm has no affine parameters \(built with elementwiseAffine: false\)/);
      assert.throws(() => l.setParams({ runningMean: [0, 0, 0] }), /runningMean cannot be set: this LayerNorm keeps no running statistics/);
      l.forward([1, 2, 4], [1, 3]);
      assert.throws(() => l.backward([1, 0, 0], { dgamma: new Float32Array(3) }),
        /^Error: backward options: this LayerNorm has no affine parameters, so there is no dgamma or dbeta to write$/);
      const i = new bn.InstanceNorm2d(2, { affine: true });
      assert.throws(() => i.setParams({ runningVar: [1, 1] }), /trackRunningStats: false/);
      const b = new bn.BatchNorm2d(2);
      assert.throws(() => b.setParams({ gamma: [1, 2], runningVar: [1, -1] }), /runningVar/);
      assert.deepEqual(Array.from(b.gamma), [1, 1], "all-or-nothing");
      b.setParams({ gamma: [2, 3], runningMean: [0.5, -0.5] });
      assert.deepEqual([Array.from(b.gamma), Array.from(b.runningMean)], [[2, 3], [0.5, -0.5]]);
      const mean = b.runningMean;
      assert.throws(() => b.forward(new Float32Array(8), [1, 2, 2, 3]), /shape \[1, 2, 2, 3\] has 12 elements but x has 8/);
      assert.throws(() => b.forward(new Float32Array(2), [1, 2, 1, 1]), /Expected more than 1 value per channel when training, got input size \[1, 2, 1, 1\]/);
      assert.deepEqual(Array.from(b.runningMean), Array.from(mean));
      assert.equal(b.numBatchesTracked, 0);
      for (const layer of [l, i, b]) layer.dispose();
    });

    test("a layer keeps working after 20000 refused calls (the seam never throws through WebAssembly)", () => {
      const g = new bn.InstanceNorm2d(3);
      const x = randomArray(2 * 3 * 4, 9);
      const y = g.forward(x, [2, 3, 2, 2]);
      for (let k = 0; k < 20000; k++) {
        assert.throws(() => g.forward(new Float32Array(6), [2, 3, 1, 1]), /Expected more than 1 spatial element/);
      }
      assert.deepEqual(Array.from(g.forward(x, [2, 3, 2, 2])), Array.from(y));
      g.dispose();
    });

    test("BatchNorm1d takes [N, C, L] as torch does; backward and views follow the shape", () => {
      const b = new bn.BatchNorm1d(3);
      const x = randomArray(2 * 3 * 4, 11);
      const y = b.forward(x, [2, 3, 4]);
      assert.equal(y.length, 24);
      assert.deepEqual(b.trace().statsShape, [3]);
      assert.deepEqual(b.trace().shape, [2, 3, 4]);
      assert.equal(b.backward(randomArray(24, 12)).dx.length, 24);
      assert.equal(b.gradOutputView().length, 24);
      const view = b.inputView([2, 3, 4]);
      view.set(x);
      assert.deepEqual(Array.from(b.forward(view, [2, 3, 4])), Array.from(y), "a view of the shape, passed back");
      assert.throws(() => b.forward(x, [2, 4, 3]), /shape \[2, 4, 3\].*expected 3 channels.*got 4/);
      // [N, C] through the shape form is the same as forward(x, N)
      const twin = new bn.BatchNorm1d(3);
      const x2 = randomArray(12, 13);
      assert.deepEqual(Array.from(b.forward(x2, [4, 3])), Array.from(twin.forward(x2, 4)));
      b.dispose(); twin.dispose();
    });
  });
}
