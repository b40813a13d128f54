// TensorFlow.js (tfjs-core + the WASM backend, one thread as Node always
// runs it). Each step uploads x and dy from Float32Arrays, runs BN forward
// with the batch moments, lets tfjs's autodiff compute dx, dgamma, dbeta
// (through the moments), and reads every output back into Float32Arrays:
// the same "typed arrays in, typed arrays out" work our API does.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { EPS } from "../data.mjs";
import { bundleTfjs } from "../tfjs-bundle.mjs";

export async function openTfjs() {
  const { tf, setWasmPaths, getThreadsCount } = createRequire(import.meta.url)(await bundleTfjs());
  // The .wasm files from node_modules, read from disk: no network.
  setWasmPaths(fileURLToPath(new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend did not initialize");
  await tf.ready();
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");

  // y = gamma * (x - mean_B) / sqrt(var_B + eps) + beta, mean_B/var_B over the batch axis.
  const bnTrain = (x, gamma, beta) => {
    const { mean, variance } = tf.moments(x, 0);
    return tf.batchNorm(x, mean, variance, beta, gamma, EPS);
  };
  const stepGrads = tf.valueAndGrads(bnTrain);

  return {
    name: "tfjs-wasm",
    info: { version: tf.version_core, backend: tf.getBackend(), simd, threads: getThreadsCount() },
    tf,
    setup(batch, features, d) {
      const gamma = tf.tensor1d(d.gamma), beta = tf.tensor1d(d.beta);
      const runMean = tf.tensor1d(d.gamma), runVar = tf.tensor1d(d.gamma);
      return {
        trainStep() {
          const [y, dx, dgamma, dbeta] = tf.tidy(() => {
            const x = tf.tensor2d(d.x, [batch, features]);
            const dy = tf.tensor2d(d.dy, [batch, features]);
            const { value, grads } = stepGrads([x, gamma, beta], dy);
            return [value, ...grads];
          });
          // Read back outside tidy(): tidy would walk every element of a returned typed array.
          const out = { y: y.dataSync(), dx: dx.dataSync(), dgamma: dgamma.dataSync(), dbeta: dbeta.dataSync() };
          tf.dispose([y, dx, dgamma, dbeta]);
          return out;
        },
        evalForward() {
          const y = tf.tidy(() => tf.batchNorm(tf.tensor2d(d.x, [batch, features]), runMean, runVar, beta, gamma, EPS));
          const out = y.dataSync();
          y.dispose();
          return out;
        },
        dispose() { tf.dispose([gamma, beta, runMean, runVar]); },
      };
    },
  };
}
