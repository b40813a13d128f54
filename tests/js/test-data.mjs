// Deterministic test data shared by the JS API tests (not a test file).

// Uniform numbers in [0, 1) from a seed: the page's own mulberry32.
import { mulberry32 as rng } from "../../web/js/stepper/random.js";
export { rng };

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

// Two layers with the same options and parameters (gamma, beta applied when
// affine), for running one path against another on the same calls.
export function twinLayers(bn, features, options = {}, { gamma, beta } = {}) {
  const make = () => {
    const layer = new bn.BatchNorm1d(features, options);
    if (options.affine !== false && gamma) layer.setParams({ gamma, beta });
    return layer;
  };
  return [make(), make()];
}

// The raw Embind module of a build (no JS wrapper), for tests that call the
// bindings directly: the C++ core's own checks and the seam protocol.
export async function loadRawModule(variant) {
  const { readFile } = await import("node:fs/promises");
  const { default: factory } = await import("../../web/wasm/bn.mjs");
  return factory({ wasmBinary: await readFile(new URL(`../../web/wasm/bn-${variant}.wasm`, import.meta.url)) });
}

// Everything observable about a layer (trace and backwardTrace when they
// exist), for checking that a call changed nothing, or nothing but what it
// should; compare with assert.deepEqual (bit for bit, NaN equal to NaN).
export function layerState(layer) {
  const attempt = (f) => { try { return f(); } catch { return null; } };
  return {
    training: layer.training, numBatchesTracked: layer.numBatchesTracked,
    gamma: layer.gamma, beta: layer.beta, runningMean: layer.runningMean, runningVar: layer.runningVar,
    trace: attempt(() => layer.trace()), backwardTrace: attempt(() => layer.backwardTrace()),
  };
}

// fn()'s Error (or null when it returned), for asserting on a failure.
export function thrown(fn) {
  try { fn(); } catch (e) { return e; }
  return null;
}

// The loss of each of `calls` calls of step(perCall) of a fresh Trainer.
export function lossSequence(bn, options, calls = 12, perCall = 5) {
  const tr = new bn.Trainer(options);
  const out = Array.from({ length: calls }, () => tr.step(perCall));
  tr.dispose();
  return out;
}
