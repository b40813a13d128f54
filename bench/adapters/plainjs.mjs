// The plain-JavaScript reference of bench/plain-bn.mjs.
import { PlainBatchNorm1d } from "../plain-bn.mjs";
import { EPS } from "../data.mjs";

export async function openPlainJs() {
  return {
    name: "plain-js",
    setup(batch, features, d) {
      const layer = new PlainBatchNorm1d(features, { eps: EPS });
      layer.gamma.set(d.gamma);
      layer.beta.set(d.beta);
      const evalLayer = new PlainBatchNorm1d(features, { eps: EPS });
      evalLayer.gamma.set(d.gamma);
      evalLayer.beta.set(d.beta);
      evalLayer.runningMean.set(d.gamma);
      evalLayer.runningVar.set(d.gamma);
      evalLayer.training = false;
      return {
        trainStep() {
          const y = layer.forward(d.x, batch);
          return { y, ...layer.backward(d.dy) };
        },
        evalForward: () => evalLayer.forward(d.x, batch),
        dispose() {},
      };
    },
  };
}
