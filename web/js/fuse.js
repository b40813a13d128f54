// bn.fuseLinearBnEval / bn.fuseConvBnEval (docs/api.md, "Inference: batch
// norm folded into the layer before it"), as torch.nn.utils.fusion's
// fuse_linear_bn_eval / fuse_conv_bn_eval. This wrapper reads the layer
// description once, checks the types and reads the batch-norm layer's eval
// state (running statistics, γ, β, eps) through its public members; the
// sizes, the values and the math are the C++ core's (cpp/src/fuse.cpp,
// through the fuseBnEval binding and the seam protocol of seam.js).
import { checkInteger, describe, fail } from "./validate.js";
import { checked, seamFor } from "./seam.js";
import { snapshot, readArray, arrayLength } from "./seam-args.js";

const LINEAR_KEYS = ["weight", "bias", "inFeatures", "outFeatures"];
const CONV_KEYS = ["weight", "bias", "inChannels", "outChannels", "kernelSize"];

// Layers whose eval mode is one fixed affine map per channel (when they
// track running statistics), and those that never are.
const FOLDABLE = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"];
const PER_SAMPLE = ["LayerNorm", "GroupNorm"];
const PER_SAMPLE_WHY = "it normalizes each sample with that sample's own mean and variance, in eval mode too, " +
  "so its output is not one fixed linear map of its input and cannot be folded into the layer before it";

// The own keys of a layer description `spec` (for `fn`), read once; unknown
// keys are refused, naming the known ones. weight and bias are read once
// too (seam-args.js: a plain array or Proxy copied, a typed array fixed).
function readSpec(heap, fn, spec, keys, layout) {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    fail(`${fn}: the first argument must be an object like { ${keys.join(", ")} }, got ${describe(spec)}`);
  }
  const out = {};
  for (const key of Object.keys(spec)) {
    if (!keys.includes(key)) fail(`${fn}: unknown field ${JSON.stringify(key)} (expected ${keys.join(", ")})`);
    out[key] = spec[key];
  }
  if (out.weight === undefined) fail(`${fn}: weight is required (${layout}, row-major)`);
  const k = out.kernelSize;
  if (Array.isArray(k)) {   // read once: its length, then kh and kw
    const length = k.length;
    out.kernelSize = length === 2 ? [k[0], k[1]] : null;
    out.kernelSizeGot = `an array of length ${length}`;
  } else {
    out.kernelSize = null;
    out.kernelSizeGot = describe(k);
  }
  out.weight = snapshot("weight", out.weight);
  if (out.bias !== undefined && out.bias !== null) out.bias = snapshot("bias", out.bias);
  out.weight = readArray(heap, "weight", out.weight);   // no user code runs from here on
  if (out.bias !== undefined && out.bias !== null) out.bias = readArray(heap, "bias", out.bias);
  return out;
}

// The eval state of `layer` for the core, or an Error saying why it has none.
function evalState(api, layer) {
  const kind = Object.keys(api).find((name) => /^[A-Z]/.test(name) && typeof api[name] === "function" && layer instanceof api[name]);
  if (PER_SAMPLE.includes(kind)) fail(`layer: a ${kind} has no running statistics: ${PER_SAMPLE_WHY}`);
  if (!kind && FOLDABLE.includes(layer?.constructor?.name)) {
    fail(`layer: this ${layer.constructor.name} was made by another loadBN() instance (another build or wasmBinary): fold with the module that made it`);
  }
  if (!FOLDABLE.includes(kind)) {
    const made = FOLDABLE.filter((name) => typeof api[name] === "function").map((name) => `bn.${name}`).join(" or ");
    fail(`layer must be a layer with running statistics made by this module (${made}), got ${kind ? `a ${kind}` : layer !== null && typeof layer === "object" ? "an object" : describe(layer)}`);
  }
  let training, state;
  try {
    training = layer.training;
    state = { runningMean: layer.runningMean, runningVar: layer.runningVar, gamma: layer.gamma, beta: layer.beta, eps: layer.eps };
  } catch (e) {
    fail(`layer: ${e.message}`);   // e.g. "BatchNorm1d was disposed: create a new layer"
  }
  if (!state.runningMean || !state.runningVar) {
    fail(`layer: this ${kind} tracks no running statistics (trackRunningStats: false): ${PER_SAMPLE_WHY}`);
  }
  if (training) {
    fail(`layer is in training mode: fusion is for eval only (call layer.eval() first), as PyTorch's fuse functions assert "Fusion only for eval!"`);
  }
  return state;
}

// The fold in the core (the fuseBnEval binding): { weight, bias }, fresh
// Float32Arrays. The arrays travel packed into one (the binding reads them
// with one copy); the core checks every size and value.
function fuse(wasm, conv, spec, [out, inner, kh, kw], state) {
  const { runningMean, runningVar, gamma, beta, eps } = state;
  const bias = spec.bias ?? null;
  const parts = [spec.weight, bias ?? [], runningMean, runningVar, ...(gamma ? [gamma, beta] : [])];
  const packed = new Float32Array(parts.reduce((n, p) => n + arrayLength(p), 0));
  let at = 0;
  for (const p of parts) { packed.set(p, at); at += arrayLength(p); }
  const result = wasm.fuseBnEval(packed, arrayLength(spec.weight), bias ? arrayLength(bias) : -1, runningMean.length, gamma !== null,
    conv, out, inner, kh, kw, eps);
  return checked({ lastError: () => wasm.fuseLastError() }, result);
}

export function makeFuse(wasm, api) {
  const { heap } = seamFor(wasm);
  return {
    // torch.nn.utils.fusion.fuse_linear_bn_eval(linear, bn): W' = diag(a) W,
    // b' = a (b − μ) + β with a = γ / √(running_var + ε).
    fuseLinearBnEval(linear, layer) {
      const spec = readSpec(heap, "fuseLinearBnEval", linear, LINEAR_KEYS, "[outFeatures, inFeatures]");
      checkInteger("inFeatures", spec.inFeatures, 1);
      checkInteger("outFeatures", spec.outFeatures, 1);
      const state = evalState(api, layer);
      return fuse(wasm, false, spec, [spec.outFeatures, spec.inFeatures, 1, 1], state);
    },
    // torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn): the same per output
    // channel, weight [outChannels, inChannels, kh, kw].
    fuseConvBnEval(conv, layer) {
      const spec = readSpec(heap, "fuseConvBnEval", conv, CONV_KEYS, "[outChannels, inChannels, kh, kw]");
      checkInteger("inChannels", spec.inChannels, 1);
      checkInteger("outChannels", spec.outChannels, 1);
      const size = spec.kernelSize;
      if (size === null) fail(`kernelSize must be [kh, kw], two integers >= 1, got ${spec.kernelSizeGot}`);
      checkInteger("kernelSize[0]", size[0], 1);
      checkInteger("kernelSize[1]", size[1], 1);
      const state = evalState(api, layer);
      return fuse(wasm, true, spec, [spec.outChannels, spec.inChannels, size[0], size[1]], state);
    },
  };
}
