// Our public JS API (web/js/bn.js) on the SIMD or the scalar WebAssembly build.
// Two ways to call it, each its own engine row:
//   default API      forward / backward return fresh Float32Array copies
//   with out arrays  forward(x, batch, { out }) and backward(dy, { dx, dgamma,
//                    dbeta }) write into arrays allocated once per shape
import { loadBN } from "../../web/js/bn.js";
import { EPS } from "../data.mjs";

export async function openOurs(variant, { outArrays = false } = {}) {
  const bn = await loadBN({ simd: variant === "simd" });
  if (bn.simd !== (variant === "simd")) throw new Error(`asked for the ${variant} build, got simd=${bn.simd}`);
  return {
    name: `ours-${variant}${outArrays ? "-out" : ""}`,
    memory: bn.memory,
    bn,
    setup(batch, features, d) {
      const layer = new bn.BatchNorm1d(features, { eps: EPS });
      layer.setParams({ gamma: d.gamma, beta: d.beta });
      const evalLayer = new bn.BatchNorm1d(features, { eps: EPS });
      evalLayer.setParams({ gamma: d.gamma, beta: d.beta, runningMean: d.gamma, runningVar: d.gamma });
      evalLayer.eval();
      const y = new Float32Array(batch * features), yEval = new Float32Array(batch * features);
      const grads = { dx: new Float32Array(batch * features), dgamma: new Float32Array(features), dbeta: new Float32Array(features) };
      const fresh = {
        // One training step: forward then dx, dgamma, dbeta, as Float32Array copies.
        trainStep() {
          const y = layer.forward(d.x, batch);
          return { y, ...layer.backward(d.dy) };
        },
        evalForward: () => evalLayer.forward(d.x, batch),
      };
      const into = {
        // The same step, every output written into the arrays above.
        trainStep() {
          layer.forward(d.x, batch, { out: y });
          return { y, ...layer.backward(d.dy, grads) };
        },
        evalForward: () => evalLayer.forward(d.x, batch, { out: yEval }),
      };
      return {
        ...(outArrays ? into : fresh),
        dispose() { layer.dispose(); evalLayer.dispose(); },
      };
    },
  };
}
