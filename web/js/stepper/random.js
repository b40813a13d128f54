// Seeded random batches (so a "Random batch" or "Next batch" view is a link):
// mulberry32 for uniforms, Box–Muller for normals, values rounded to 2
// decimals so the grid stays readable.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// rows × features normal(mean, spread²) values as strings.
export function randomBatch(seed, rows, features, mean, spread) {
  const uniform = mulberry32(seed);
  const normal = () => {
    const u = 1 - uniform(), v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return Array.from({ length: rows }, () => Array.from({ length: features }, () => {
    const value = Math.round((mean + spread * normal()) * 100) / 100;
    return String(Object.is(value, -0) ? 0 : value);
  }));
}

export function nextSeed(seed) {
  return (Math.imul(seed, 1103515245) + 12345) >>> 1 || 1;
}
