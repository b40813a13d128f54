// The trainer's exports and chart history, in Node: the CSV of the curves
// (one line per network and step, full precision, empty cells for values
// that were not finite) and the bounded history the charts draw from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CSV_NAME, curvesCsv, pngName } from "../../web/js/trainer-page/export.js";
import { createSeriesHistory } from "../../web/js/trainer-page/series-history.js";

test("curvesCsv: a header, then every row of each network with full precision", () => {
  const csv = curvesCsv([
    { key: "bn", rows: [{ x: 0, loss: 0.6931471805599453, accuracy: 0.5 }, { x: 5, loss: 0.5, accuracy: null }] },
    { key: "plain", rows: [{ x: 5, loss: 0.25 }] },
  ], ["loss", "accuracy"]);
  assert.equal(csv, "network,step,loss,accuracy\nbn,0,0.6931471805599453,0.5\nbn,5,0.5,\nplain,5,0.25,\n");
  assert.equal(CSV_NAME, "batchnorm-trainer-curves.csv");
  assert.equal(pngName(120), "batchnorm-trainer-step-120.png");
});

test("series history: a point at the same x replaces the last, non-finite values are gaps, memory is bounded", () => {
  const history = createSeriesHistory(["a", "b"], 8);
  history.add(0, { a: 1, b: NaN });
  history.add(0, { a: 2, b: 3 });
  history.add(1, { a: Infinity, b: 4 });
  assert.deepEqual(history.rows(), [{ x: 0, a: 2, b: 3 }, { x: 1, a: null, b: 4 }]);
  assert.equal(history.max(), 4);
  assert.equal(history.max(["a"]), 2);
  for (let x = 2; x < 100; x++) history.add(x, { a: x, b: -x });
  assert.ok(history.length <= 8, `${history.length} points kept`);
  assert.equal(history.xs[0], 0, "the first point stays");
  assert.equal(history.xs.at(-1), 99, "the last point stays");
  assert.deepEqual(history.xs, [...history.xs].sort((p, q) => p - q));
  history.clear();
  assert.equal(history.length, 0);
  assert.equal(history.max(), -Infinity);
});
