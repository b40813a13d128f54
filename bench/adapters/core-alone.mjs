// The core alone: the C++ BatchNorm1d of the SIMD build through the four
// plain exports that web/js/batchnorm.js calls per training step
// (cpp/bindings/bindings_batchnorm.cpp: staging_input, forward, staging_dy,
// backward), with x and dy already in the core's buffers (both of its
// alternating ones, as the views rows do) and the results left there: no
// argument checks, no copies, no views, no Error handling in JS. What every
// mode of the API costs on top of this row is the seam; at small shapes it
// is the floor of every mode. Training steps only (the eval forward has no
// plain export).
import { readFile } from "node:fs/promises";
import { EPS } from "../data.mjs";

const STEP_EXPORTS = ["staging_input", "forward", "staging_dy", "backward"].map((n) => `_bn_batchnorm_${n}`);

export async function openCoreAlone() {
  const { default: factory } = await import("../../web/wasm/bn.mjs");
  const wasmBinary = await readFile(new URL("../../web/wasm/bn-simd.wasm", import.meta.url));
  const wasm = await factory({ wasmBinary });
  if (wasm.buildVariant() !== "bn-wasm build: simd") throw new Error(`core-alone: not the SIMD build (${wasm.buildVariant()})`);
  const memory = Object.values(wasm.asm).find((v) => v instanceof WebAssembly.Memory);
  return {
    name: "core-alone",
    memory,
    setup(batch, features, d) {
      const native = new wasm.BatchNormBinding(features, { eps: EPS });
      if (!native.ok()) throw new Error(`core-alone: ${native.lastError()}`);
      const handle = native.handle();
      const call = (name, ...args) => {
        const at = wasm[name](handle, ...args);
        if (at === 0) throw new Error(`core-alone: ${name}: ${native.lastError()}`);
        return at;
      };
      // gamma, beta as the other rows set them (paramScratch: 4 blocks of `features`).
      const scratch = native.paramScratch() >>> 2;
      wasm.HEAPF32.set(d.gamma, scratch);
      wasm.HEAPF32.set(d.beta, scratch + features);
      if (native.setParams(3) !== true) throw new Error(`core-alone: setParams: ${native.lastError()}`);
      for (let i = 0; i < 2; i++) {   // both alternating buffers hold x and dy
        const xAt = call(STEP_EXPORTS[0], batch);   // may grow the memory: HEAPF32 read after it
        wasm.HEAPF32.set(d.x, xAt >>> 2);
        call(STEP_EXPORTS[1], batch);
        const dyAt = call(STEP_EXPORTS[2]);
        wasm.HEAPF32.set(d.dy, dyAt >>> 2);
        call(STEP_EXPORTS[3]);
      }
      // Resolved now (the glue's wrappers replace themselves on first use).
      const [stagingInput, forward, stagingDy, backward] = STEP_EXPORTS.map((name) => wasm[name]);
      const total = batch * features;
      const f32 = (at, length) => wasm.HEAPF32.slice(at >>> 2, (at >>> 2) + length);
      return {
        trainStep() {
          stagingInput(handle, batch);
          const y = forward(handle, batch);
          stagingDy(handle);
          return backward(handle) + y;   // addresses only: nothing leaves the heap
        },
        // For the cross-check: the same step, its results copied out.
        checkStep() {
          stagingInput(handle, batch);
          const y = f32(call(STEP_EXPORTS[1], batch), total);
          stagingDy(handle);
          const dx = f32(call(STEP_EXPORTS[3]), total);
          return { y, dx, dgamma: f32(native.dgamma(), features), dbeta: f32(native.dbeta(), features) };
        },
        dispose() { native.delete(); },
      };
    },
  };
}
