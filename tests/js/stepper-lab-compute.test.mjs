// How the lab calls the layers' JS API (web/js/stepper/lab-compute.js),
// against a recording stand-in written to docs/api.md's contract ("More
// normalization layers"): the constructor and its arguments per layer, the
// shape given to forward (BatchNorm1d: [N, C, H·W]), train() before it, the
// lab's dy to backward, dispose() always (also when the layer refuses), the
// layer's message as the result's error, and the batch-independence
// comparison. The numbers of the real layers are checked in the browser
// (tests/browser/stepper-lab-numbers.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LAB_EPS, dependence, labDy, layersAvailable, runNorm } from "../../web/js/stepper/lab-compute.js";
import { normBackward64 } from "../../web/js/stepper/lab-gradcheck.js";
import { statsShape, trainingProblem } from "../../web/js/stepper/norm-axes.js";

// A stand-in for bn with the contract's classes, computing in float64 and
// recording every call.
function standIn() {
  const calls = [];
  const make = (name, norm) => class {
    constructor(...args) {
      this.args = args;
      calls.push([name, "new", structuredClone(args)]);
      if (norm === "group" && args[1] % args[0] !== 0) throw new Error("num_channels must be divisible by num_groups");
    }
    train() { calls.push([name, "train"]); }
    forward(x, shape) {
      calls.push([name, "forward", x.constructor.name, [...shape]]);
      const s4 = shape.length === 3 ? [shape[0], shape[1], 1, shape[2]] : shape;
      this.groups = norm === "group" ? this.args[0] : 1;
      const problem = trainingProblem(norm, s4, this.groups);
      if (problem) throw new Error(problem);
      this.spec = { norm, shape: s4, groups: this.groups, eps: this.args.at(-1).eps };
      this.x = Float64Array.from(x);
      return Float32Array.from(normBackward64(this.x, new Float64Array(x.length), this.spec).y);
    }
    trace() {
      const r = normBackward64(this.x, new Float64Array(this.x.length), this.spec);
      return { mean: r.mean, var: r.var, std: r.var.map((v) => Math.sqrt(v + LAB_EPS)), invStd: r.var.map((v) => 1 / Math.sqrt(v + LAB_EPS)),
        xCentered: this.x.map((v, j) => v - r.mean[r.stats.findIndex((s) => s.cells.includes(j))]), xhat: r.xhat, y: r.y,
        statsShape: statsShape(norm, this.spec.shape, this.groups) };
    }
    backward(dy) {
      calls.push([name, "backward", Array.from(dy)]);
      const r = normBackward64(this.x, Float64Array.from(dy), this.spec);
      return { dx: r.dx, dgamma: [0], dbeta: [0] };
    }
    dispose() { calls.push([name, "dispose"]); }
  };
  return { calls, bn: { BatchNorm1d: make("BatchNorm1d", "batch1d"), BatchNorm2d: make("BatchNorm2d", "batch2d"),
    LayerNorm: make("LayerNorm", "layer"), GroupNorm: make("GroupNorm", "group"), InstanceNorm2d: make("InstanceNorm2d", "instance") } };
}

const shape = [2, 4, 2, 3];
const x = Float64Array.from({ length: 48 }, (_, j) => Math.sin(j) * 3 + (j % 7));

test("each layer is built, trained, fed and disposed as the contract says", () => {
  const expected = {
    batch1d: ["BatchNorm1d", [4, { eps: LAB_EPS }], [2, 4, 6]],
    batch2d: ["BatchNorm2d", [4, { eps: LAB_EPS }], shape],
    layer: ["LayerNorm", [[4, 2, 3], { eps: LAB_EPS }], shape],
    group: ["GroupNorm", [2, 4, { eps: LAB_EPS }], shape],
    instance: ["InstanceNorm2d", [4, { eps: LAB_EPS, affine: true }], shape],
  };
  for (const [norm, [name, args, fed]] of Object.entries(expected)) {
    const { bn, calls } = standIn();
    const r = runNorm(bn, { norm, shape, groups: 2, x });
    assert.equal(r.error, undefined, norm);
    assert.deepEqual(calls.map((c) => c.slice(0, 2)), [[name, "new"], [name, "train"], [name, "forward"], [name, "backward"], [name, "dispose"]], norm);
    assert.deepEqual(calls[0][2], args, `${norm}: constructor arguments`);
    assert.deepEqual(calls[2].slice(2), ["Float32Array", fed], `${norm}: forward(x as float32, shape)`);
    assert.deepEqual(calls[3][2], Array.from(Float32Array.from(labDy(48))), `${norm}: the lab's dy`);
    assert.equal(r.count, norm === "layer" ? 24 : norm === "group" ? 12 : norm === "instance" ? 6 : 12);
    assert.deepEqual(r.statsShape, statsShape(norm, shape, 2));
  }
  assert.equal(layersAvailable(standIn().bn), true);
  assert.equal(layersAvailable({ BatchNorm1d: class {} }), false, "a build with BatchNorm1d only");
});

test("a layer that refuses gives its message and is still disposed", () => {
  for (const [norm, s, G, message] of [["batch2d", [1, 3, 1, 1], 1, /^Expected more than 1 value per channel when training$/],
    ["instance", [2, 3, 1, 1], 1, /^Expected more than 1 spatial element when training$/],
    ["group", [1, 4, 1, 2], 3, /^num_channels must be divisible by num_groups$/]]) {
    const { bn, calls } = standIn();
    const r = runNorm(bn, { norm, shape: s, groups: G, x: new Float64Array(s.reduce((a, b) => a * b)) });
    assert.match(r.error, message, norm);
    if (norm !== "group") assert.deepEqual(calls.at(-1).slice(1), ["dispose"], `${norm}: disposed after refusing`);
  }
});

test("the batch-independence comparison: only BatchNorm's output for the watched sample moves", () => {
  const { bn } = standIn();
  const rows = dependence(bn, { shape, groups: 2, x, probe: 1 });
  assert.deepEqual(rows.map((r) => [r.norm, r.changed]), [["batch1d", true], ["batch2d", true], ["layer", false], ["group", false], ["instance", false]]);
  for (const r of rows) assert.equal(r.before.length, 24, "the watched sample's 4·2·3 outputs");
  assert.ok(rows[1].maxChange > 0.1);
  const single = dependence(bn, { shape: [1, 4, 2, 3], groups: 2, x: x.slice(0, 24), probe: 0 });
  assert.ok(single.every((r) => !r.changed), "one sample: nothing else to change");
});
