// The normalization lab's numbers, every one from the WASM core's layers
// (docs/api.md, "More normalization layers"): BatchNorm1d on [N, C, H·W],
// BatchNorm2d, LayerNorm([C, H, W]), GroupNorm(G, C), InstanceNorm2d(C,
// affine) in training, forward (trace()) and backward for a fixed dy.
// γ = 1 and β = 0 (the layers' initial values); dy is the pattern
// labDy() (the gradient of L = Σ dy·y). Where the core refuses an input
// (PyTorch's messages) the result carries its message as `error`.
import { parseNumber } from "./cells.js";
import { flatTexts } from "./lab-state.js";
import { coordsOf, NORM_KEYS, reducedCount } from "./norm-axes.js";
import { CONVENTIONS } from "./conventions.js";

// PyTorch's default eps, the lab's for every layer.
export const LAB_EPS = Number(CONVENTIONS.pytorch.eps);

const CLASSES = ["BatchNorm2d", "LayerNorm", "GroupNorm", "InstanceNorm2d"];

// True when this build of the library has the lab's layers.
export const layersAvailable = (bn) => CLASSES.every((name) => typeof bn?.[name] === "function");

// The image's typed text as numbers: { x (Float64Array, NCHW), errors: Map
// "image:n:c:h:w" -> message, ok }.
export function readImage(state) {
  const shape = state.imageShape;
  const texts = flatTexts(state.image, shape);
  const errors = new Map();
  const x = new Float64Array(texts.length);
  texts.forEach((text, j) => {
    const r = parseNumber(text);
    if (r.error) {
      const { n, c, h, w } = coordsOf(shape, j);
      errors.set(`image:${n}:${c}:${h}:${w}`, r.error);
    } else x[j] = r.value;
  });
  return { x, errors, ok: errors.size === 0, shape };
}

// dy_j = −0.5, 0, 0.5, … in a pattern over the elements (not all equal, so
// that dx is not 0).
export const labDy = (count) => Float64Array.from({ length: count }, (_, j) => ((j % 3) - 1) * 0.5 + (j % 2) * 0.25);

function makeLayer(bn, norm, [N, C, H, W], groups) {
  const eps = LAB_EPS;
  if (norm === "batch1d") return { layer: new bn.BatchNorm1d(C, { eps }), shape: [N, C, H * W] };
  if (norm === "batch2d") return { layer: new bn.BatchNorm2d(C, { eps }), shape: [N, C, H, W] };
  if (norm === "layer") return { layer: new bn.LayerNorm([C, H, W], { eps }), shape: [N, C, H, W] };
  if (norm === "group") return { layer: new bn.GroupNorm(groups, C, { eps }), shape: [N, C, H, W] };
  if (norm === "instance") return { layer: new bn.InstanceNorm2d(C, { eps, affine: true }), shape: [N, C, H, W] };
  throw new Error(`norm must be one of ${NORM_KEYS.join(", ")}`);
}

const copy = (a) => (a ? Float64Array.from(a) : null);

// One training forward and backward of layer `norm`: { norm, shape, groups,
// eps, count (elements per statistic), x (as typed; the core stores it as float32), dy, mean, var, std, invStd,
// xCentered, xhat, y, statsShape, dx, dgamma, dbeta } or { norm, error }.
export function runNorm(bn, { norm, shape, groups, x, dy = labDy(x.length) }) {
  let made = null;
  try {
    made = makeLayer(bn, norm, shape, groups);
    const { layer } = made;
    layer.train();
    layer.forward(Float32Array.from(x), made.shape);
    const t = layer.trace();
    const { dx, dgamma, dbeta } = layer.backward(Float32Array.from(dy));
    return {
      norm, shape, groups, eps: LAB_EPS, count: reducedCount(norm, shape, groups), x: Float64Array.from(x),
      dy: Float64Array.from(Float32Array.from(dy)), statsShape: Array.from(t.statsShape ?? []),
      mean: copy(t.mean), var: copy(t.var), std: copy(t.std), invStd: copy(t.invStd),
      xCentered: copy(t.xCentered), xhat: copy(t.xhat), y: copy(t.y), dx: copy(dx), dgamma: copy(dgamma), dbeta: copy(dbeta),
    };
  } catch (e) {
    return { norm, shape, groups, error: e.message };
  } finally {
    made?.layer.dispose();
  }
}

// "Does my sample depend on the others?": sample `probe` (from 0) normalized
// by every layer with the batch as given, and again after every other
// sample's numbers are changed (x → 2x + 3). Per layer: { norm, before,
// after (probe's y), maxChange, changed, error }.
export function dependence(bn, { shape, groups, x, probe }) {
  const [N, C, H, W] = shape;
  const per = C * H * W;
  const other = Float64Array.from(x, (v, j) => (Math.floor(j / per) === probe ? v : 2 * v + 3));
  return NORM_KEYS.map((norm) => {
    const a = runNorm(bn, { norm, shape, groups, x }), b = runNorm(bn, { norm, shape, groups, x: other });
    if (a.error || b.error) return { norm, error: a.error ?? b.error };
    const before = a.y.slice(probe * per, (probe + 1) * per), after = b.y.slice(probe * per, (probe + 1) * per);
    const maxChange = before.reduce((m, v, i) => Math.max(m, Math.abs(after[i] - v)), 0);
    return { norm, before, after, maxChange, changed: maxChange > 0, samples: N };
  });
}
