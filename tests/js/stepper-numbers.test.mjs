// How the stepper writes numbers (web/js/stepper/numbers.js) and what it
// says about float32 (float32.js), in Node: fixed significant digits,
// values as typed or as stored, float leftovers where the answer is 0, the
// float32 step at a magnitude, and when a feature's spread is near it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmt, plain, isLeftover, DIGITS } from "../../web/js/stepper/numbers.js";
import { digitsForSpread, storageOf, storedText, ulp32, NEAR_ULP } from "../../web/js/stepper/float32.js";

test("fmt: the same number of significant digits for every computed number, zeros kept", () => {
  assert.equal(DIGITS, 5);
  assert.equal(fmt(0.53190001), "0.53190");
  assert.equal(fmt(0.5318799), "0.53188");
  assert.equal(fmt(2.5), "2.5000");
  assert.equal(fmt(-0.5), "−0.50000");
  assert.equal(fmt(183.14812), "183.15");
  assert.equal(fmt(123456), "1.2346e5");
  assert.equal(fmt(1e-5), "1.0000e−5");
  assert.equal(fmt(-3.53e-7), "−3.5300e−7");
  assert.equal(fmt(0), "0");
  assert.equal(fmt(100000.20052083333, { digits: 12 }), "100000.200521");
  assert.equal(fmt(Infinity), "∞");
  for (const v of [0.1, 1 / 3, -7.25, 9.99999, 12345.6, 0.00012345]) {
    const digits = fmt(v).replace(/[−.]/g, "").replace(/e.*$/, "").replace(/^0+/, "");
    assert.equal(digits.length, 5, `${v} → ${fmt(v)}`);
  }
});

test("plain: typed values and constants as a person writes them", () => {
  assert.equal(plain(3), "3");
  assert.equal(plain(1 - 0.99), "0.01");
  assert.equal(plain(1e-5), "0.00001");
  assert.equal(plain(1e-7), "1e−7");
  assert.equal(plain(-0.5), "−0.5");
});

test("isLeftover: float rounding of an exact 0, and nothing else", () => {
  const stored = [0.1, 0.2, -0.3].map(Math.fround);
  const mean = stored.reduce((a, b) => a + b, 0) / 3;
  assert.notEqual(mean, 0);
  assert.ok(isLeftover(mean, { of: 0.3, ulps: 1, scale: 0.2 }), `mean of 0.1, 0.2, −0.3 as stored: ${mean}`);
  // A small mean that is really there (1 and −0.999999) is not a leftover.
  const real = (1 + Math.fround(-0.999999)) / 2;
  assert.equal(isLeftover(real, { of: 1, ulps: 1, scale: 1 }), false);
  // x − μ = 0.0026 at x ≈ 1e5 (what float32 storage really made) stays a number.
  assert.equal(isLeftover(0.0026042, { of: 2e5, ulps: 2, scale: 0.0798 }), false);
  assert.equal(isLeftover(0, { of: 1 }), false, "an exact 0 is shown as 0");
  assert.ok(isLeftover(5.96e-8, { of: 1.34 }));
});

test("storedText: what float32 keeps of a typed number", () => {
  assert.equal(storedText(100000.1), "100000.1015625");
  assert.equal(storedText(100000.2), "100000.203125");
  assert.equal(storedText(1000.001), "1000.0009765625");
  assert.equal(storedText(123456789), "123456792");
  assert.equal(storedText(0.1), "0.1", "27 exact digits: the shortest text float32 reads back");
  assert.equal(storedText(-0.7), "-0.7", "0.699999988079071044921875 in float32: its shortest double text is not exact");
  assert.equal(storedText(3), "3");
  assert.equal(storedText(-2.75), "-2.75");
  for (const v of [0.1, 3.3, 1e20, 1e-7, 100000.3]) assert.equal(Math.fround(Number(storedText(v))), Math.fround(v), String(v));
});

test("ulp32 and storageOf: a spread near float32's resolution is told apart from an ordinary one", () => {
  assert.equal(ulp32(1e5), 2 ** -7);
  assert.equal(ulp32(1000), 2 ** -14);
  assert.equal(ulp32(1), 2 ** -23);
  assert.equal(ulp32(0.75), 2 ** -24);
  const near = storageOf([100000.1, 100000.2, 100000.3], 3, 1, 0);
  assert.equal(near.near, true);
  assert.ok(near.ratio > 5 && near.ratio < 20, `ratio ${near.ratio}`);
  assert.ok(Math.abs(near.storedVar - 0.0063612) < 1e-6, `stored σ² ${near.storedVar}`);
  assert.ok(Math.abs(near.typedVar - 0.0066667) < 1e-6, `typed σ² ${near.typedVar}`);
  assert.deepEqual(near.changed.map((c) => c.stored), [100000.1015625, 100000.203125, 100000.296875]);
  const merged = storageOf([1e8, 1e8 + 1], 2, 1, 0);
  assert.equal(merged.near, true, "two values float32 stores as one");
  assert.equal(merged.storedVar, 0);
  assert.equal(storageOf([1, 2, 3], 3, 1, 0).near, false, "exact values");
  assert.equal(storageOf([0.1, 0.2, 0.3], 3, 1, 0).near, false, "changed, but far from the resolution");
  assert.equal(storageOf([0.1, 0.1], 2, 1, 0).near, false, "a constant feature");
  assert.equal(storageOf([1000, 1000.001], 2, 1, 0).near, true);
  assert.ok(NEAR_ULP >= 256);
  // column k of a row-major batch
  assert.equal(storageOf([1, 100000.1, 2, 100000.2], 2, 2, 1).near, true);
  assert.equal(storageOf([1, 100000.1, 2, 100000.2], 2, 2, 0).near, false);
});

test("digitsForSpread: enough digits for x − μ to be checked by hand", () => {
  assert.equal(digitsForSpread(100000.2005, 0.0798), 12);
  assert.equal(digitsForSpread(2.5, 1.118), 5);
  assert.equal(digitsForSpread(1000.0005, 0.00049), 12);
  assert.equal(digitsForSpread(5, 0), 5);
  assert.equal(digitsForSpread(1e9, 1e-6, 9), 9, "capped");
});
