// Deterministic test data shared by the JS API tests (not a test file).

// Uniform numbers in [0, 1) from a seed (mulberry32).
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Float32Array of `length` values offset + scale * uniform(-1, 1).
export function randomArray(length, seed, { offset = 0, scale = 1 } = {}) {
  const next = rng(seed);
  return Float32Array.from({ length }, () => offset + scale * (2 * next() - 1));
}

// Float32Array of `count` values in (-1, 1).
export const floats = (count, seed) => randomArray(count, seed);

// Integers in [lo, hi] and floats in (-1, 1) from one seeded stream.
export function seededStream(seed) {
  const next = rng(seed);
  return { int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), float: () => 2 * next() - 1 };
}
