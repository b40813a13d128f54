// Our public JS API (web/js/bn.js) on the SIMD or the scalar WebAssembly build.
// Four ways to call it, each its own engine row:
//   default API      forward / backward return fresh Float32Array copies
//   with out arrays  forward(x, batch, { out }) and backward(dy, { dx, dgamma,
//                    dbeta }) write into arrays allocated once per shape
//   views            zero-copy: x and dy already live in the layer's
//                    inputView() / gradOutputView() (written there at setup,
//                    into both of the core's alternating buffers, as for a
//                    caller that computes its inputs in place), and
//                    forward / backward return views ({ view: true })
//   views + fill     the same, but x and dy are copied into the views on
//                    every call (view.set(x), view.set(dy)): the conservative
//                    figure for a caller whose data starts in its own arrays
import { loadBN } from "../../web/js/bn.js";
import { EPS } from "../data.mjs";

const MODES = ["fresh", "out", "views", "views-fill"];
const SUFFIX = { fresh: "", out: "-out", views: "-views", "views-fill": "-views-fill" };

export async function openOurs(variant, { mode = "fresh" } = {}) {
  if (!MODES.includes(mode)) throw new Error(`unknown mode ${mode} (expected ${MODES.join(", ")})`);
  const bn = await loadBN({ simd: variant === "simd" });
  if (bn.simd !== (variant === "simd")) throw new Error(`asked for the ${variant} build, got simd=${bn.simd}`);
  return {
    name: `ours-${variant}${SUFFIX[mode]}`,
    memory: bn.memory,
    bn,
    setup(batch, features, d) {
      const layer = new bn.BatchNorm1d(features, { eps: EPS });
      layer.setParams({ gamma: d.gamma, beta: d.beta });
      const evalLayer = new bn.BatchNorm1d(features, { eps: EPS });
      evalLayer.setParams({ gamma: d.gamma, beta: d.beta, runningMean: d.gamma, runningVar: d.gamma });
      evalLayer.eval();
      const calls = { fresh, out, views, "views-fill": viewsFill }[mode](layer, evalLayer, batch, features, d);
      return { ...calls, dispose() { layer.dispose(); evalLayer.dispose(); } };
    },
  };
}

function fresh(layer, evalLayer, batch, features, d) {
  return {
    // One training step: forward then dx, dgamma, dbeta, as Float32Array copies.
    trainStep() {
      const y = layer.forward(d.x, batch);
      return { y, ...layer.backward(d.dy) };
    },
    evalForward: () => evalLayer.forward(d.x, batch),
  };
}

function out(layer, evalLayer, batch, features, d) {
  const y = new Float32Array(batch * features), yEval = new Float32Array(batch * features);
  const grads = { dx: new Float32Array(batch * features), dgamma: new Float32Array(features), dbeta: new Float32Array(features) };
  return {
    // The same step, every output written into the arrays above.
    trainStep() {
      layer.forward(d.x, batch, { out: y });
      return { y, ...layer.backward(d.dy, grads) };
    },
    evalForward: () => evalLayer.forward(d.x, batch, { out: yEval }),
  };
}

// Two warm-up calls, writing x and dy into each fresh view: the core
// double-buffers its input and dy, so both buffers then hold the data.
function fillBothBuffers(layer, evalLayer, batch, d) {
  for (let i = 0; i < 2; i++) {
    const input = layer.inputView(batch);
    input.set(d.x);
    layer.forward(input, batch, { view: true });
    const gradOutput = layer.gradOutputView();
    gradOutput.set(d.dy);
    layer.backward(gradOutput, { view: true });
    const evalInput = evalLayer.inputView(batch);
    evalInput.set(d.x);
    evalLayer.forward(evalInput, batch, { view: true });
  }
}

function views(layer, evalLayer, batch, features, d) {
  fillBothBuffers(layer, evalLayer, batch, d);
  return {
    // x and dy are already in the heap buffers the calls read: no copy in or out.
    trainStep() {
      const y = layer.forward(layer.inputView(batch), batch, { view: true });
      return { y, ...layer.backward(layer.gradOutputView(), { view: true }) };
    },
    evalForward: () => evalLayer.forward(evalLayer.inputView(batch), batch, { view: true }),
    // For the cross-check: y is copied before backward, the rest right after.
    checkStep() {
      const y = layer.forward(layer.inputView(batch), batch, { view: true }).slice();
      const g = layer.backward(layer.gradOutputView(), { view: true });
      return { y, dx: g.dx.slice(), dgamma: g.dgamma.slice(), dbeta: g.dbeta.slice() };
    },
  };
}

function viewsFill(layer, evalLayer, batch, features, d) {
  fillBothBuffers(layer, evalLayer, batch, d);
  const forward = () => {
    const input = layer.inputView(batch);
    input.set(d.x);
    return layer.forward(input, batch, { view: true });
  };
  const backward = () => {
    const gradOutput = layer.gradOutputView();
    gradOutput.set(d.dy);
    return layer.backward(gradOutput, { view: true });
  };
  return {
    // Copy x and dy into the views, then the zero-copy calls.
    trainStep() {
      const y = forward();
      return { y, ...backward() };
    },
    evalForward() {
      const input = evalLayer.inputView(batch);
      input.set(d.x);
      return evalLayer.forward(input, batch, { view: true });
    },
    checkStep() {
      const y = forward().slice();
      const g = backward();
      return { y, dx: g.dx.slice(), dgamma: g.dgamma.slice(), dbeta: g.dbeta.slice() };
    },
  };
}
