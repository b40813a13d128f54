// Benchmark inputs, the same in every engine (JS, C++, Python): a 32-bit
// linear congruential generator, s <- (1664525 s + 1013904223) mod 2^32,
// mapped to u = s / 2^32 * 2 - 1 in [-1, 1) and stored as offset + scale * u.
// bench/native/bench_data.hpp and bench/torch_bench.py implement the same.

export const SHAPES = [
  [32, 16],
  [256, 256],
  [1024, 1024],
  [4096, 1024],
];

export const EPS = 1e-5;

// The trainer the bench times (bench/trainer-bench.mjs, bench/compare-builds.mjs):
// 2-16-16-2 with BatchNorm1d, batch 32, SGD lr 0.1, STEPS_PER_CALL steps per
// call as the live page does per animation frame.
export const STEPS_PER_CALL = 100;
export const TRAINER_OPTIONS = { dataset: "spiral", samples: 400, hidden: [16, 16], activation: "relu",
  batchNorm: true, optimizer: "sgd", lr: 0.1, batchSize: 32, seed: 1 };

export function lcgArray(count, seed, offset = 0, scale = 1) {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = offset + scale * ((s / 4294967296) * 2 - 1);
  }
  return out;
}

// x, dy (batch*features) and gamma, beta (features) for one shape.
export function caseData(batch, features) {
  const total = batch * features;
  return {
    x: lcgArray(total, 1, 0.5, 2),
    dy: lcgArray(total, 2, 0, 1),
    gamma: lcgArray(features, 3, 1, 0.5),
    beta: lcgArray(features, 4, 0, 0.5),
  };
}

export const shapeKey = ([batch, features]) => `${batch}x${features}`;

// The first entries of each output of fwd+bwd on the check shape, so that
// run.mjs can confirm every engine computes the same thing.
export const CHECK_SHAPE = [32, 16];
export function checkSample({ y, dx, dgamma, dbeta }) {
  const head = (a) => Array.from(a.slice(0, 8), Number);
  return { y: head(y), dx: head(dx), dgamma: head(dgamma), dbeta: head(dbeta) };
}
