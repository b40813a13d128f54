// A custom TensorFlow.js (WASM backend) train step for the networks our
// Trainer runs: by default 2-16-16-2; per hidden block Linear ->
// BatchNorm1d (batch moments, running statistics updated with momentum 0.1)
// -> ReLU, plus the block's input when `residual` and the widths match;
// softmax cross-entropy, plain SGD, minibatches from 400 points.
import { EPS, lcgArray } from "../data.mjs";

export function makeTfjsTrainer(tf, { samples = 400, batchSize = 32, hidden = [16, 16], lr = 0.1, residual = false } = {}) {
  const points = lcgArray(samples * 2, 7, 0, 1);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) labels[i] = points[2 * i] * points[2 * i + 1] > 0 ? 1 : 0;
  const X = tf.tensor2d(points, [samples, 2]);
  const Y = tf.oneHot(tf.tensor1d(labels, "int32"), 2);

  const widths = [2, ...hidden, 2];
  const layers = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l], fanOut = widths[l + 1];
    const layer = {
      w: tf.variable(tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn), "float32", 1 + l)),
      b: tf.variable(tf.zeros([fanOut])),
    };
    if (l + 2 < widths.length) {
      layer.gamma = tf.variable(tf.ones([fanOut]));
      layer.beta = tf.variable(tf.zeros([fanOut]));
      layer.runMean = tf.variable(tf.zeros([fanOut]), false);
      layer.runVar = tf.variable(tf.ones([fanOut]), false);
    }
    layers.push(layer);
  }
  const optimizer = tf.train.sgd(lr);
  const order = Array.from({ length: samples }, (_, i) => i);
  let cursor = samples;

  function nextBatch() {
    if (cursor + batchSize > samples) {
      for (let i = samples - 1; i > 0; i--) {   // Fisher-Yates with Math.random: order only
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      cursor = 0;
    }
    const idx = Int32Array.from(order.slice(cursor, cursor + batchSize));
    cursor += batchSize;
    return idx;
  }

  // One step: forward, loss, gradients of every weight, SGD update, running
  // statistics; returns the batch loss (read back, as our step() does).
  function step() {
    const idx = tf.tensor1d(nextBatch(), "int32");
    const loss = optimizer.minimize(() => {
      let h = tf.gather(X, idx);
      for (const [l, layer] of layers.entries()) {
        const z = tf.add(tf.matMul(h, layer.w), layer.b);
        if (!layer.gamma) {
          h = z;
          continue;
        }
        const { mean, variance } = tf.moments(z, 0);
        layer.runMean.assign(tf.add(tf.mul(layer.runMean, 0.9), tf.mul(mean, 0.1)));
        layer.runVar.assign(tf.add(tf.mul(layer.runVar, 0.9), tf.mul(variance, 0.1 * batchSize / (batchSize - 1))));
        const f = tf.relu(tf.batchNorm(z, mean, variance, layer.beta, layer.gamma, EPS));
        h = residual && widths[l] === widths[l + 1] ? tf.add(h, f) : f;
      }
      return tf.losses.softmaxCrossEntropy(tf.gather(Y, idx), h);
    }, true);
    const value = loss.dataSync()[0];
    tf.dispose([loss, idx]);
    return value;
  }

  return {
    step,
    dispose() {
      tf.dispose([X, Y]);
      for (const layer of layers) tf.dispose(Object.values(layer));
    },
  };
}
