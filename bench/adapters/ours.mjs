// Our public JS API (web/js/bn.js) on the SIMD or the scalar WebAssembly build.
import { loadBN } from "../../web/js/bn.js";
import { EPS } from "../data.mjs";

export async function openOurs(variant) {
  const bn = await loadBN({ simd: variant === "simd" });
  if (bn.simd !== (variant === "simd")) throw new Error(`asked for the ${variant} build, got simd=${bn.simd}`);
  return {
    name: `ours-${variant}`,
    memory: bn.memory,
    bn,
    setup(batch, features, d) {
      const layer = new bn.BatchNorm1d(features, { eps: EPS });
      layer.setParams({ gamma: d.gamma, beta: d.beta });
      const evalLayer = new bn.BatchNorm1d(features, { eps: EPS });
      evalLayer.setParams({ gamma: d.gamma, beta: d.beta, runningMean: d.gamma, runningVar: d.gamma });
      evalLayer.eval();
      return {
        // One training step: forward then dx, dgamma, dbeta, as Float32Array copies.
        trainStep() {
          const y = layer.forward(d.x, batch);
          return { y, ...layer.backward(d.dy) };
        },
        evalForward: () => evalLayer.forward(d.x, batch),
        dispose() { layer.dispose(); evalLayer.dispose(); },
      };
    },
  };
}
