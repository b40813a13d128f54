// The normalization lab's axis logic (web/js/stepper/norm-axes.js): which
// cells share a statistic, for all five layers and GroupNorm with G = 1,
// G = C and between, checked against the definitions written out by hand
// (loops over n, c, h, w here, not the module's index arithmetic), and
// PyTorch's refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MESSAGES, NORM_KEYS, coordsOf, index, mixesSamples, paramIndex, paramShape, reducedCount, shapeText, statOf,
  statistics, statsShape, trainingProblem,
} from "../../web/js/stepper/norm-axes.js";

const SHAPES = [[2, 4, 3, 3], [1, 1, 1, 1], [3, 2, 1, 4], [4, 4, 4, 4], [1, 3, 2, 1]];

// Every (n, c, h, w) of a shape, in row-major NCHW order.
function* cells([N, C, H, W]) {
  let j = 0;
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) yield { j: j++, n, c, h, w };
}

// Two cells share a statistic exactly when the definition says so.
function sameStat(norm, a, b, C, G) {
  if (norm === "batch1d" || norm === "batch2d") return a.c === b.c;
  if (norm === "layer") return a.n === b.n;
  if (norm === "group") return a.n === b.n && Math.floor(a.c * G / C) === Math.floor(b.c * G / C);
  return a.n === b.n && a.c === b.c;
}

test("index and coordsOf are inverse, row-major NCHW", () => {
  for (const shape of SHAPES) {
    for (const cell of cells(shape)) {
      assert.equal(index(shape, cell.n, cell.c, cell.h, cell.w), cell.j);
      assert.deepEqual(coordsOf(shape, cell.j), { n: cell.n, c: cell.c, h: cell.h, w: cell.w });
    }
  }
});

test("every layer: each cell is in exactly one statistic, and two cells share one exactly as the definition says", () => {
  const cases = [];
  for (const shape of SHAPES) {
    for (const norm of NORM_KEYS) {
      if (norm !== "group") { cases.push([norm, shape, 1]); continue; }
      for (let G = 1; G <= shape[1]; G++) if (shape[1] % G === 0) cases.push([norm, shape, G]);
    }
  }
  assert.ok(cases.some(([n, s, G]) => n === "group" && G === 1 && s[1] > 1), "G = 1");
  assert.ok(cases.some(([n, s, G]) => n === "group" && G === s[1] && s[1] > 1), "G = C");
  assert.ok(cases.some(([n, s, G]) => n === "group" && G > 1 && G < s[1]), "G between");
  for (const [norm, shape, G] of cases) {
    const where = `${norm} ${shape} G=${G}`;
    const stats = statistics(norm, shape, G);
    const all = [...cells(shape)];
    const owner = new Map();
    stats.forEach((s, k) => {
      assert.equal(s.stat, k, `${where}: listed in statsShape order`);
      assert.equal(s.cells.length, reducedCount(norm, shape, G), `${where}: ${s.label} reduces over reducedCount cells`);
      for (const j of s.cells) { assert.ok(!owner.has(j), `${where}: cell ${j} in two statistics`); owner.set(j, k); }
    });
    assert.equal(owner.size, all.length, `${where}: every cell has a statistic`);
    for (const a of all) {
      assert.equal(statOf(norm, shape, G, a.j), owner.get(a.j), `${where}: statOf agrees with statistics()`);
      for (const b of all) assert.equal(owner.get(a.j) === owner.get(b.j), sameStat(norm, a, b, shape[1], G), `${where}: cells ${a.j}, ${b.j}`);
    }
    assert.equal(stats.length, statsShape(norm, shape, G).reduce((x, y) => x * y, 1), `${where}: as many statistics as statsShape holds`);
  }
});

test("statistics' shapes, labels and coordinates", () => {
  const shape = [2, 4, 3, 3];
  assert.deepEqual(statsShape("batch1d", shape, 2), [4]);
  assert.deepEqual(statsShape("batch2d", shape, 2), [4]);
  assert.deepEqual(statsShape("layer", shape, 2), [2]);
  assert.deepEqual(statsShape("group", shape, 2), [2, 2]);
  assert.deepEqual(statsShape("instance", shape, 2), [2, 4]);
  assert.equal(shapeText("group", shape, 2), "[N, G] = [2, 2]");
  assert.equal(shapeText("instance", shape, 2), "[N, C] = [2, 4]");
  const group = statistics("group", shape, 2);
  assert.deepEqual(group.map((s) => s.label), ["sample 1 group 1", "sample 1 group 2", "sample 2 group 1", "sample 2 group 2"]);
  assert.deepEqual(group[3].coords, { sample: 2, group: 2 });
  assert.deepEqual(statistics("instance", shape, 1)[5].coords, { sample: 2, channel: 2 });
  assert.deepEqual(statistics("batch2d", shape, 1)[2].coords, { channel: 3 });
  assert.deepEqual(statistics("layer", shape, 1)[1].coords, { sample: 2 });
  // GroupNorm, group 2 of sample 1 with 4 channels in 2 groups: channels 3 and 4 of sample 1 only.
  assert.deepEqual([...new Set(group[1].cells.map((j) => `${coordsOf(shape, j).n}:${coordsOf(shape, j).c}`))], ["0:2", "0:3"]);
  assert.throws(() => statsShape("batch3d", shape, 1), /norm must be one of batch1d, batch2d, layer, group, instance/);
});

test("G = 1 has LayerNorm's statistics and G = C InstanceNorm's", () => {
  for (const shape of SHAPES) {
    const cellsOf = (norm, G) => statistics(norm, shape, G).map((s) => s.cells);
    assert.deepEqual(cellsOf("group", 1), cellsOf("layer", 1), `${shape}`);
    assert.deepEqual(cellsOf("group", shape[1]), cellsOf("instance", 1), `${shape}`);
  }
});

test("gamma/beta: per channel, per element of [C, H, W] for LayerNorm", () => {
  const shape = [2, 3, 2, 2];
  assert.deepEqual(paramShape("layer", shape), [3, 2, 2]);
  assert.deepEqual(paramShape("group", shape), [3]);
  for (const { j, c, h, w } of cells(shape)) {
    assert.equal(paramIndex("batch2d", shape, j), c);
    assert.equal(paramIndex("instance", shape, j), c);
    assert.equal(paramIndex("layer", shape, j), (c * 2 + h) * 2 + w);
  }
});

test("PyTorch's refusals in training: its messages, and only where it refuses", () => {
  assert.equal(trainingProblem("batch2d", [1, 3, 1, 1], 1), MESSAGES.perChannel);
  assert.equal(trainingProblem("batch1d", [1, 3, 1, 1], 1), MESSAGES.perChannel);
  assert.equal(trainingProblem("batch2d", [1, 3, 2, 2], 1), null, "BatchNorm2d at N = 1 with H·W > 1 is allowed");
  assert.equal(trainingProblem("batch2d", [2, 3, 1, 1], 1), null);
  assert.equal(trainingProblem("instance", [4, 3, 1, 1], 1), MESSAGES.spatial);
  assert.equal(trainingProblem("instance", [1, 3, 1, 2], 1), null);
  assert.equal(trainingProblem("group", [2, 4, 2, 2], 3), MESSAGES.groups);
  assert.deepEqual(statistics("group", [2, 4, 2, 2], 3), []);
  assert.equal(trainingProblem("group", [1, 4, 1, 1], 4), null, "GroupNorm never needs the batch");
  assert.equal(trainingProblem("layer", [1, 1, 1, 1], 1), null, "nor does LayerNorm");
  assert.equal(MESSAGES.perChannel, "Expected more than 1 value per channel when training");
  assert.equal(MESSAGES.spatial, "Expected more than 1 spatial element when training");
  assert.equal(MESSAGES.groups, "num_channels must be divisible by num_groups");
});

test("only BatchNorm mixes samples", () => {
  assert.deepEqual(NORM_KEYS.filter(mixesSamples), ["batch1d", "batch2d"]);
});
