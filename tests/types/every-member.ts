// Uses every member declared in types/bn.d.ts, with the package's own types
// (`tsc --noEmit --strict`, tests/js/types.test.mjs), and runs in Node after
// esbuild strips the types: a typed tour of the whole API. Members are used
// through property access and object literals (the test checks that each
// declared member is used here).
import { loadBN, simdSupported } from "bn-wasm";
import type {
  BN, BatchNorm1d, BatchNorm1dOptions, BackwardOptions, ForwardOptions, ForwardTrace, BackwardTrace, Gradients,
  LoadOptions, NumberArray, Trainer, TrainerOptions, Evaluation, Activations, Points, ResolvedTrainerOptions,
  OptionSchema, OptionDescriptor, ItemDescriptor, LinearParams, ConvParams, FusedParams,
  LayerStats, Landscape, LandscapeOptions, RunningStats,
  BatchNorm2d, LayerNorm, LayerNormOptions, GroupNorm, GroupNormOptions, InstanceNorm2d, InstanceNorm2dOptions, ShapedLayer, FoldableLayer,
} from "bn-wasm";

const supported: boolean = simdSupported();
const bn: BN = await loadBN({ simd: supported });

// locateFile says where a build's .wasm is (here: the package's own folder);
// wasmBinary hands over its bytes.
const wasmUrl = (name: string) => new URL(`../wasm/${name}`, import.meta.resolve("bn-wasm")).href;
const located: BN = await loadBN({ simd: false, locateFile: wasmUrl });
const nodeFs: string = "node:fs/promises";
const { readFile } = (await import(nodeFs)) as { readFile(url: URL): Promise<Uint8Array> };
const fromBytes: LoadOptions = { simd: false, wasmBinary: await readFile(new URL(wasmUrl("bn-scalar.wasm"))) };
const own: BN = await loadBN(fromBytes);
const module = { simd: bn.simd, version: bn.version, pages: bn.memory.buffer.byteLength / 65536, heap: bn.heapBytesInUse() };

// ---- BatchNorm1d
const options: BatchNorm1dOptions = { eps: 1e-5, momentum: 0.1, affine: true };
const layer: BatchNorm1d = new bn.BatchNorm1d(2, options);
const settings: [number, number, number | null, boolean, boolean] = [layer.features, layer.eps, layer.momentum, layer.affine, layer.training];
const x: NumberArray = [1, 10, 3, 30, 2, 20];
layer.setParams({ gamma: [1, 2], beta: new Float32Array([0, 0.5]), runningMean: [0, 0], runningVar: [1, 1] });
const out = new Float32Array(6);
const forwardInto: ForwardOptions = { out };
const y: Float32Array = layer.forward(x, 3, forwardInto);
const t: ForwardTrace = layer.trace();
const traced = [t.training, t.batch, t.features, t.shape, t.statsShape, t.mean, t.var, t.xCentered, t.std, t.invStd, t.xhat, t.y, t.saveMean, t.saveInvstd];
const g: Gradients = layer.backward([1, 0, 0, 1, -1, 0]);
const grads = [g.dx, g.dgamma, g.dbeta];
const into: BackwardOptions = { dx: new Float32Array(6), dgamma: new Float32Array(2), dbeta: new Float32Array(2) };
layer.backward([1, 0, 0, 1, -1, 0], into);
const b: BackwardTrace = layer.backwardTrace();
const backTraced = [b.training, b.batch, b.features, b.shape, b.statsShape, b.dy, b.dxhat, b.dvar, b.dmean, b.dx, b.dgamma, b.dbeta];
// Zero-copy: write x into the layer's input buffer, read y as a view.
const input = layer.inputView(3);
input.set(x);
const asView: ForwardOptions = { view: true };
const yView = layer.forward(input, 3, asView);
layer.gradOutputView().fill(1);
const viewGrads = layer.backward(layer.gradOutputView(), { view: true });
const state = [layer.gamma, layer.beta, layer.runningMean, layer.runningVar, layer.numBatchesTracked];
layer.eval().train();

// BatchNorm1d on [N, C, L]: statistics per channel over N·L.
const y3: Float32Array = layer.forward([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2]);

// ---- BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d on an image batch [N, C, H, W]
const image: NumberArray = Array.from({ length: 2 * 2 * 2 * 2 }, (_, i) => Math.sin(i));
const b2: BatchNorm2d = new bn.BatchNorm2d(2, { eps: 1e-5, momentum: 0.1, affine: true });
const b2Settings = [b2.numFeatures, b2.eps, b2.momentum, b2.affine, b2.runningMean, b2.runningVar, b2.numBatchesTracked];
const lnOptions: LayerNormOptions = { eps: 1e-5, elementwiseAffine: true };
const ln: LayerNorm = new bn.LayerNorm([2, 2, 2], lnOptions);
const lnSettings = [ln.normalizedShape, ln.eps, ln.elementwiseAffine];
const lnShape: string = ln.normalizedShape.join();
const gnOptions: GroupNormOptions = { eps: 1e-5, affine: true };
const gn: GroupNorm = new bn.GroupNorm(1, 2, gnOptions);
const gnSettings = [gn.numGroups, gn.numChannels, gn.eps, gn.affine];
const inOptions: InstanceNorm2dOptions = { eps: 1e-5, momentum: 0.1, affine: false, trackRunningStats: true };
const inorm: InstanceNorm2d = new bn.InstanceNorm2d(2, inOptions);
const inSettings = [inorm.numFeatures, inorm.eps, inorm.momentum, inorm.affine, inorm.trackRunningStats, inorm.runningMean, inorm.runningVar];
const shaped: ShapedLayer[] = [b2, ln, gn, inorm];
const statShapes = shaped.map((s) => {
  s.setParams({}).eval().train();
  s.forward(image, [2, 2, 2, 2], { out: new Float32Array(16) });
  const view = s.inputView([2, 2, 2, 2]);
  view.set(image);
  s.forward(view, [2, 2, 2, 2], { view: true });
  s.gradOutputView().fill(1);
  const sg: Gradients = s.backward(image);
  const st: ForwardTrace = s.trace();
  const sb: BackwardTrace = s.backwardTrace();
  return [s.training, s.gamma, s.beta, sg.dx.length, sb.dxhat.length, st.statsShape.join("x")].join(" ");
});
inorm.eval();
const foldable: FoldableLayer = b2.eval();
const fusedConv2d: FusedParams = bn.fuseConvBnEval({ weight: new Float32Array(2 * 3 * 1 * 1), inChannels: 3, outChannels: 2, kernelSize: [1, 1] }, foldable);
for (const s of shaped) s.dispose();

// ---- batch norm folded into the layer before it (eval mode)
layer.eval();
const linear: LinearParams = { weight: [1, 0, 0, 1, 1, 1], bias: [0.5, -0.5], inFeatures: 3, outFeatures: 2 };
const fusedLinear: FusedParams = bn.fuseLinearBnEval(linear, layer);
const conv: ConvParams = { weight: new Float32Array(2 * 1 * 3 * 3), bias: null, inChannels: 1, outChannels: 2, kernelSize: [3, 3] };
const fusedConv: FusedParams = bn.fuseConvBnEval(conv, layer);
const fused = [fusedLinear.weight.length, fusedLinear.bias.length, fusedConv.weight.length, fusedConv.bias.length];
layer.dispose();

// ---- Trainer
const trainerOptions: TrainerOptions = {
  dataset: "moons", samples: 200, noise: 0.1, hidden: [8, 8], activation: "tanh", batchNorm: true,
  optimizer: "adam", lr: 0.01, batchSize: 16, seed: 3, init: "auto", testFraction: 0.25,
  norm: "batch", groups: 1, normPlacement: "after", residual: true, momentum: null,
};
const tr: Trainer = new bn.Trainer(trainerOptions);
const loss: number = tr.step(20);
const used: ResolvedTrainerOptions = tr.options;
const resolved = [used.dataset, used.samples, used.noise, used.hidden, used.activation, used.batchNorm, used.optimizer,
  used.lr, used.batchSize, used.seed, used.init, used.testFraction, used.norm, used.groups, used.normPlacement,
  used.residual, used.momentum];
const e: Evaluation = tr.evaluate();
const figures = [e.loss, e.accuracy, e.testLoss, e.testAccuracy, e.trainLoss, e.trainAccuracy, e.trainModeLoss,
  e.trainModeAccuracy, e.trainModeTestLoss, e.trainModeTestAccuracy, e.trainModeTrainLoss, e.trainModeTrainAccuracy];
const stats: LayerStats = tr.layerStats()[1];
const statValues = [stats.preMean, stats.preStd, stats.actMean, stats.actStd, stats.outMean, stats.outStd,
  stats.saturation, stats.gradNorm, stats.weightNorm];
const landscapeOptions: LandscapeOptions = { steps: 4, maxScale: 2 };
const l: Landscape = tr.landscape(landscapeOptions);
const measured = [l.lr, l.loss, l.gradNorm, l.eta, l.lossAt, l.gradChange, l.lossMin, l.lossMax, l.gradChangeMax,
  l.betaSmoothness, l.ics, l.icsCosine];
tr.recalibrate();
const rs: RunningStats = tr.runningStats(0);
const runningValues = [rs.layer, rs.features, rs.rows, rs.runningMean, rs.runningVar, rs.populationMean, rs.populationVar];
const limits = [tr.maxStepsPerCall, tr.parameterCount];
const a: Activations = tr.activations(0);
const layerValues = [a.layer, a.batch, a.width, a.pre, a.xhat, a.activated, a.post];
const p: Points = tr.points();
const data = [p.x, p.y, p.test];
const grid: Float32Array = tr.predictGrid(8, -1.5, 1.5, -1.5, 1.5);
const progress = [tr.steps, tr.epoch, tr.stepsPerEpoch, tr.lastBatchLoss, tr.diverged, tr.batchIndices()];
tr.dispose();

// ---- the option schema
const schema: OptionSchema = bn.schema;
const momentum: OptionDescriptor = schema.BatchNorm1d.options.momentum;
const eps = schema.BatchNorm1d.options.eps;
const hidden = schema.Trainer.options.hidden;
const items: ItemDescriptor | undefined = hidden.items;
const rules = [momentum.type, momentum.doc, momentum.default, momentum.min, momentum.max, momentum.nullable,
  eps.minExclusive, schema.Trainer.options.dataset.values, hidden.minLength, hidden.maxLength, hidden.itemLabel,
  items?.type, items?.min, items?.max, schema.BatchNorm1d.arguments.features.min,
  schema.Trainer.arguments.n.max, schema.Trainer.arguments.res.max, schema.landscape.arguments.steps.default];
const layerSchemas = [schema.BatchNorm2d.arguments.numFeatures, schema.BatchNorm2d.options.momentum,
  schema.LayerNorm.arguments.normalizedShape, schema.LayerNorm.options.elementwiseAffine,
  schema.GroupNorm.arguments.numGroups, schema.GroupNorm.arguments.numChannels, schema.GroupNorm.options.affine,
  schema.InstanceNorm2d.arguments.numFeatures, schema.InstanceNorm2d.options.trackRunningStats];

const checks = [
  module.version === located.version && own.simd === false && located.simd === false,
  settings.length === 5 && y === out && Math.abs(y[0] + 1.2247) < 1e-3,
  traced.length === 14 && grads[0] instanceof Float32Array && backTraced.length === 12,
  y3.length === 12 && b2Settings.length === 7 && lnShape === "2,2,2" && lnSettings.length === 3 && gnSettings.length === 4 && inSettings.length === 7 &&
    statShapes.join("|") === "true 1,1 0,0 16 16 2|true 1,1,1,1,1,1,1,1 0,0,0,0,0,0,0,0 16 16 2|true 1,1 0,0 16 16 2x1|true   16 16 2x2" &&
    fusedConv2d.weight.length === 6 && layerSchemas.every((d) => d !== undefined),
  yView.length === 6 && viewGrads.dx.length === 6 && state.length === 5,
  fused.join() === "6,2,18,2",
  Number.isFinite(loss) && resolved.length === 17 && used.init === "xavier" && used.momentum === null,
  figures.every((f) => Number.isFinite(f)) && !e.diverged && layerValues.length === 7 && a.post === a.xhat && data[0].length === 400 && grid.length === 64,
  statValues.every((v) => Number.isFinite(v)) && measured.length === 12 && l.eta.length === 4 && limits[0] === 1e6,
  progress[0] === 20,
  runningValues.length === 7 && rs.features === rs.runningMean.length && rs.populationVar instanceof Float64Array,
  rules.length === 18 && momentum.nullable === true && items?.max === 256 && rules[16] === 1024 && rules[17] === 8,
];
console.log(checks.every(Boolean) ? "every member ran" : `failed checks: ${checks.map((c, i) => (c ? "" : i)).join(" ")}`);
