// float32 made visible: the core stores x, γ, β and dy as float32 (24
// significant bits, about 7 decimal digits), so what it computes with is
// the nearest float32 to what was typed. These helpers say what that value
// is, how far apart float32 values are at a magnitude (the ulp), and when a
// feature's spread is close enough to that resolution to matter.

const f32 = Math.fround;

// The distance from |v| to the next float32 up: 2^(e − 23) for a normal
// value with exponent e (the smallest subnormal step below 2^−126).
export function ulp32(value) {
  const a = Math.abs(f32(value));
  if (a === 0 || a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

const significantDigits = (text) => text.replace(/^[-+]?0*\.?0*/, "").replace(/e.*$/i, "").replace(".", "").length;

// The value the core stores for a typed number, as text: the typed number
// when float32 holds it exactly ("3", "0.5"); the stored value's exact
// decimal when it is short ("100000.1" → "100000.1015625", "100000.2" →
// "100000.203125"); otherwise the shortest text that float32 reads back
// as the same value ("0.1", whose exact expansion has 27 digits).
export function storedText(value) {
  const s = f32(value);
  if (s === value) return String(value);
  const exact = exactDecimal(s);
  if (significantDigits(exact) <= 15) return exact;
  for (let p = 1; p <= 9; p++) {
    const t = s.toPrecision(p);
    if (f32(Number(t)) === s) return String(Number(t));
  }
  return String(s);
}

// The exact decimal expansion of a finite float32 `s` (String(s) is the
// shortest double text, which for 0.7 in float32, 0.699999988079071044921875,
// is not exact: 0.699999988079071). s = m·2^e = m·5^−e / 10^−e.
function exactDecimal(s) {
  let m = Math.abs(s), e = 0;
  while (!Number.isInteger(m)) { m *= 2; e -= 1; }   // exact: at most 149 doublings
  const digits = (BigInt(m) * 5n ** BigInt(-e)).toString().padStart(1 - e, "0");
  const point = digits.length + e;
  const text = e === 0 ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/0+$/, "").replace(/\.$/, "");
  return (s < 0 ? "-" : "") + text;
}

// Per feature: how the float32 storage of its values compares with their
// spread. ratio = spread / ulp at the largest |x|: below NEAR_ULP the values
// differ by only a few float32 steps, so storage visibly moves the mean
// and the variance (a ratio of 1024 leaves about 3 significant digits in the
// differences). stored: the typed values that float32 changed.
export const NEAR_ULP = 1024;

export function storageOf(x, rows, features, k) {
  const typed = [], stored = [];
  for (let i = 0; i < rows; i++) {
    typed.push(x[i * features + k]);
    stored.push(f32(x[i * features + k]));
  }
  const largest = Math.max(...stored.map(Math.abs));
  const ulp = ulp32(largest);
  const spread = Math.sqrt(variance(stored));
  const changed = typed.map((v, i) => ({ row: i + 1, typed: v, stored: stored[i] })).filter((c) => c.typed !== c.stored);
  const typedVar = variance(typed);
  // near: the typed values differ, float32 changed some, and the stored
  // ones are within NEAR_ULP steps (0 when storage merged them all).
  return { largest, ulp, spread, ratio: spread / ulp, near: typedVar > 0 && changed.length > 0 && spread / ulp < NEAR_ULP,
    typedVar, storedVar: variance(stored), changed };
}

function variance(values) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
}

// Significant digits that show values of size `largest` down to the 5th
// significant digit of `spread`: a mean of 100000.2005 with a spread of
// 0.08 needs 12 (100000.200521), 2.5 with a spread of 1.1 needs 5.
export function digitsForSpread(largest, spread, cap = 12) {
  if (!(spread > 0) || !(largest > 0)) return 5;
  const digits = Math.floor(Math.log10(largest)) - Math.floor(Math.log10(spread)) + 5;
  return Math.min(cap, Math.max(5, digits));
}
