// TypeScript declarations of the bn-wasm JavaScript API (`import … from "bn-wasm"`).
// One file, one section per object, in the order of docs/api.md: loading, the
// loaded module, folding batch norm, BatchNorm1d, Trainer, the option schema. Adding a member to the runtime? Declare it in
// its section here: tests/js/types.test.mjs compares the members the runtime
// objects have with the ones declared (both ways), and tsc checks
// tests/types/every-member.ts, which must use every declared member.

// ---------------------------------------------------------------- shared

/** Numbers as the API accepts them: a typed array (not BigInt) or a plain array of numbers. */
export type NumberArray =
  | readonly number[]
  | Float32Array | Float64Array
  | Int8Array | Int16Array | Int32Array
  | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;

// ---------------------------------------------------------------- loading

export interface LoadOptions {
  /** true: the SIMD build (rejects where the engine lacks WebAssembly SIMD); false: the scalar build; left out: auto-detect. */
  simd?: boolean;
  /** The URL (in Node also a path or file: URL) of the .wasm file named `name`, for hosts that serve it elsewhere. */
  locateFile?: (name: string) => string;
  /** The .wasm bytes themselves; each call with it gets its own instance. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Instantiates the C++ core compiled to WebAssembly. Browsers, Web Workers and Node 20; default loads share one instance per build. */
export function loadBN(options?: LoadOptions): Promise<BN>;

/** Whether this engine validates WebAssembly SIMD (what `loadBN()` uses to pick a build). */
export function simdSupported(): boolean;

// ---------------------------------------------------------------- the loaded module

export interface BN {
  /** true when the SIMD build is running. */
  readonly simd: boolean;
  /** The package version. */
  readonly version: string;
  /** The instance's memory (tools check that steady-state use does not grow it). */
  readonly memory: WebAssembly.Memory;
  /** Bytes malloc'ed in the WASM heap right now. */
  heapBytesInUse(): number;
  /** Every option's name, type, range or values and default, from the C++ core (frozen plain JSON). */
  readonly schema: OptionSchema;
  readonly BatchNorm1d: BatchNorm1dConstructor;
  readonly BatchNorm2d: BatchNorm2dConstructor;
  readonly LayerNorm: LayerNormConstructor;
  readonly GroupNorm: GroupNormConstructor;
  readonly InstanceNorm2d: InstanceNorm2dConstructor;
  readonly Trainer: TrainerConstructor;
  /** torch.nn.utils.fusion.fuse_linear_bn_eval: the batch norm (in eval mode) folded into the Linear layer before it. */
  fuseLinearBnEval(linear: LinearParams, layer: FoldableLayer): FusedParams;
  /** torch.nn.utils.fusion.fuse_conv_bn_eval: the same for a Conv2d (weight [outChannels, inChannels, kh, kw]). */
  fuseConvBnEval(conv: ConvParams, layer: FoldableLayer): FusedParams;
}

// ---------------------------------------------------------------- folding batch norm (inference)

/** A Linear layer for bn.fuseLinearBnEval: weight [outFeatures, inFeatures] row-major; bias null or left out means zeros. */
export interface LinearParams {
  weight: NumberArray;
  bias?: NumberArray | null;
  inFeatures: number;
  /** Must equal the batch norm's channel count. */
  outFeatures: number;
}

/** A Conv2d layer for bn.fuseConvBnEval: weight [outChannels, inChannels, kh, kw] row-major. */
export interface ConvParams {
  weight: NumberArray;
  bias?: NumberArray | null;
  inChannels: number;
  outChannels: number;
  kernelSize: readonly [number, number];
}

/** The fused layer: W' = diag(a)·W, b' = a·(b − μ) + β with a = γ/√(running_var + ε). Fresh copies. */
export interface FusedParams {
  /** Same layout as the weight given. */
  weight: Float32Array;
  /** outFeatures (outChannels) entries. */
  bias: Float32Array;
}

// ---------------------------------------------------------------- BatchNorm1d

export interface BatchNorm1dOptions {
  /** Added to the variance; > 0. Default 1e-5. */
  eps?: number;
  /** Running-statistics momentum in [0, 1]; null: cumulative moving average. Default 0.1. */
  momentum?: number | null;
  /** Learnable γ and β. Default true. */
  affine?: boolean;
}

export interface BatchNorm1dConstructor {
  /** torch.nn.BatchNorm1d(features, eps, momentum, affine) on a [batch, features] input. */
  new (features: number, options?: BatchNorm1dOptions): BatchNorm1d;
}

/** forward's third argument: an array of your own to receive y, or `view: true` for a zero-copy view into WASM memory (valid until this layer's next call). */
export type ForwardOptions = { out?: Float32Array; view?: false } | { view: true };

/** backward's second argument: arrays of your own to receive the gradients, or `view: true`. */
export type BackwardOptions =
  | { dx?: Float32Array; dgamma?: Float32Array; dbeta?: Float32Array; view?: false }
  | { view: true };

export interface BatchNorm1dParams {
  gamma?: NumberArray;
  beta?: NumberArray;
  runningMean?: NumberArray;
  runningVar?: NumberArray;
}

export interface Gradients {
  dx: Float32Array;
  /** null when the layer has affine: false. */
  dgamma: Float32Array | null;
  dbeta: Float32Array | null;
}

/** Every intermediate of the last forward: mean, var, std, invStd have statsShape (BatchNorm [C], LayerNorm [N], GroupNorm [N, G], InstanceNorm [N, C]); xCentered, xhat, y the input's shape. */
export interface ForwardTrace {
  training: boolean;
  /** N, the input's first dimension. */
  batch: number;
  /** Entries of γ and β (BatchNorm1d: features). */
  features: number;
  shape: number[];
  statsShape: number[];
  /** Batch mean (training) or running mean (eval). */
  mean: Float32Array;
  /** Biased batch variance (training) or running variance (eval). */
  var: Float32Array;
  xCentered: Float32Array;
  /** √(var + ε). */
  std: Float32Array;
  invStd: Float32Array;
  xhat: Float32Array;
  y: Float32Array;
  /** The batch mean of the last training forward (ATen's save_mean), kept after eval forwards; null before any. */
  saveMean: Float32Array | null;
  /** 1/√(σ²_B + ε) of the last training forward (ATen's save_invstd); null before any. */
  saveInvstd: Float32Array | null;
}

/** Every intermediate of the last backward (dvar, dmean are 0 after an eval forward; they have statsShape). */
export interface BackwardTrace {
  training: boolean;
  batch: number;
  features: number;
  shape: number[];
  statsShape: number[];
  dy: Float32Array;
  dxhat: Float32Array;
  dvar: Float32Array;
  dmean: Float32Array;
  dx: Float32Array;
  dgamma: Float32Array | null;
  dbeta: Float32Array | null;
}

export interface BatchNorm1d {
  readonly features: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  /** true after construction and train(); false after eval(). */
  readonly training: boolean;
  train(): this;
  eval(): this;
  /** Fresh copies; null when affine is false. */
  readonly gamma: Float32Array | null;
  readonly beta: Float32Array | null;
  readonly runningMean: Float32Array;
  /** Unbiased running variance, as PyTorch. */
  readonly runningVar: Float32Array;
  readonly numBatchesTracked: number;
  /** Any subset; all-or-nothing (a bad field throws and changes nothing). */
  setParams(params: BatchNorm1dParams): this;
  /**
   * x is row-major [batch, features] (batchOrShape: the batch), or of shape [N, C] or [N, C, L] (batchOrShape: that
   * shape; statistics per channel over N·L, as torch.nn.BatchNorm1d); returns y, a fresh copy unless options say otherwise.
   */
  forward(x: NumberArray, batchOrShape: number | readonly number[], options?: ForwardOptions): Float32Array;
  /** Gradients w.r.t. x, γ, β for the last forward, given dy = ∂L/∂y. */
  backward(dy: NumberArray, options?: BackwardOptions): Gradients;
  /** Zero-copy input: write x into this view and pass it to forward(view, batch) (or forward(view, shape) for a shape). */
  inputView(batchOrShape: number | readonly number[]): Float32Array;
  /** Zero-copy dy, sized for the last forward's batch. */
  gradOutputView(): Float32Array;
  trace(): ForwardTrace;
  backwardTrace(): BackwardTrace;
  /** Frees the WASM memory; later use throws, a second dispose() does nothing. */
  dispose(): void;
}

// ---------------------------------------------------------------- BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d

/** The layers whose eval mode is one fixed affine map per channel (InstanceNorm2d only with trackRunningStats). */
export type FoldableLayer = BatchNorm1d | BatchNorm2d | InstanceNorm2d;

/** The members every layer taking a shape has (torch.nn semantics; x row-major in shape, NCHW for images). */
export interface ShapedLayer {
  /** true after construction and train(); false after eval(). */
  readonly training: boolean;
  train(): this;
  eval(): this;
  /** PyTorch's weight / bias, fresh copies; null without affine parameters. */
  readonly gamma: Float32Array | null;
  readonly beta: Float32Array | null;
  /** Any subset of what the layer has; all-or-nothing. */
  setParams(params: BatchNorm1dParams): this;
  /** y for x of `shape` (e.g. [N, C, H, W]); a fresh copy unless options say otherwise. */
  forward(x: NumberArray, shape: readonly number[], options?: ForwardOptions): Float32Array;
  /** Gradients w.r.t. x, γ, β for the last forward, given dy = ∂L/∂y (the last forward's shape). */
  backward(dy: NumberArray, options?: BackwardOptions): Gradients;
  /** Zero-copy input: write x into this view and pass it to forward(view, shape). */
  inputView(shape: readonly number[]): Float32Array;
  /** Zero-copy dy, sized for the last forward. */
  gradOutputView(): Float32Array;
  trace(): ForwardTrace;
  backwardTrace(): BackwardTrace;
  /** Frees the WASM memory; later use throws, a second dispose() does nothing. */
  dispose(): void;
}

export interface BatchNorm2dConstructor {
  /** torch.nn.BatchNorm2d(numFeatures, eps, momentum, affine) on [N, C, H, W]: per channel over N·H·W. */
  new (numFeatures: number, options?: BatchNorm1dOptions): BatchNorm2d;
}

export interface BatchNorm2d extends ShapedLayer {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly runningMean: Float32Array;
  /** Unbiased running variance (÷ N·H·W − 1), as PyTorch. */
  readonly runningVar: Float32Array;
  readonly numBatchesTracked: number;
}

export interface LayerNormOptions {
  /** Added to the variance; > 0. Default 1e-5. */
  eps?: number;
  /** Learnable γ and β, one per normalized element. Default true. */
  elementwiseAffine?: boolean;
}

export interface LayerNormConstructor {
  /** torch.nn.LayerNorm(normalizedShape, eps, elementwise_affine): per sample over the trailing dims given. */
  new (normalizedShape: number | readonly number[], options?: LayerNormOptions): LayerNorm;
}

export interface LayerNorm extends ShapedLayer {
  /** A copy. */
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
}

export interface GroupNormOptions {
  /** Added to the variance; > 0. Default 1e-5. */
  eps?: number;
  /** Learnable γ and β per channel. Default true. */
  affine?: boolean;
}

export interface GroupNormConstructor {
  /** torch.nn.GroupNorm(numGroups, numChannels, eps, affine) on [N, C, *]: per sample and group of C/G channels. */
  new (numGroups: number, numChannels: number, options?: GroupNormOptions): GroupNorm;
}

export interface GroupNorm extends ShapedLayer {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
}

export interface InstanceNorm2dOptions {
  /** Added to the variance; > 0. Default 1e-5. */
  eps?: number;
  /** Running-statistics momentum in [0, 1] (no null, as torch's instance_norm). Default 0.1. */
  momentum?: number;
  /** Learnable γ and β per channel. Default false. */
  affine?: boolean;
  /** Keep running statistics and use them in eval mode. Default false. */
  trackRunningStats?: boolean;
}

export interface InstanceNorm2dConstructor {
  /** torch.nn.InstanceNorm2d(numFeatures, eps, momentum, affine, track_running_stats) on [N, C, H, W] or [C, H, W]: per sample and channel over H·W. */
  new (numFeatures: number, options?: InstanceNorm2dOptions): InstanceNorm2d;
}

export interface InstanceNorm2d extends ShapedLayer {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** null without trackRunningStats. */
  readonly runningMean: Float32Array | null;
  readonly runningVar: Float32Array | null;
}

// ---------------------------------------------------------------- Trainer

export type Dataset = "spiral" | "moons" | "circles" | "xor" | "gaussians";
export type Activation = "relu" | "tanh" | "sigmoid";
export type Optimizer = "sgd" | "momentum" | "adam";
export type Init = "auto" | "kaiming" | "xavier";
export type Norm = "batch" | "layer" | "group" | "none";
export type NormPlacement = "before" | "after";

export interface TrainerOptions {
  /** Default "spiral". */
  dataset?: Dataset;
  /** Number of points, default 400. */
  samples?: number;
  /** Default 0.1. */
  noise?: number;
  /** Hidden layer widths (1..100 layers, 1..256 wide). Default [16, 16]. */
  hidden?: readonly number[] | Int32Array | Uint32Array | Uint8Array | Uint16Array | Float64Array;
  /** Default "relu". */
  activation?: Activation;
  /** BatchNorm1d in every hidden block: norm "batch" (true) or "none" (false). Default true; given with norm, they must agree. */
  batchNorm?: boolean;
  /** Default "sgd". */
  optimizer?: Optimizer;
  /** Learning rate > 0, default 0.1. */
  lr?: number;
  /** Default 32, or the number of training points when there are fewer. At least 2 with norm "batch". */
  batchSize?: number;
  /** Seed of the data, the initial weights and the batch order. Default 1. */
  seed?: number;
  /** "auto": Kaiming for relu, Xavier otherwise. */
  init?: Init;
  /** Share of the points held out for testing, default 0.2. */
  testFraction?: number;
  /** The normalization of every hidden block. Default "batch" (or what batchNorm says). */
  norm?: Norm;
  /** norm "group": groups per layer; must divide every hidden width. Default 1. */
  groups?: number;
  /** Normalization before (Linear → Norm → act, default) or after (Linear → act → Norm) the activation. */
  normPlacement?: NormPlacement;
  /** x + f(x) around each hidden block whose input and output widths match. Default false. */
  residual?: boolean;
  /** Running-statistics momentum of every BatchNorm, in [0, 1]; null: cumulative average. Default 0.1. */
  momentum?: number | null;
}

/** The options in use: every field filled in, init resolved. */
export interface ResolvedTrainerOptions extends Required<Omit<TrainerOptions, "hidden" | "init">> {
  hidden: number[];
  init: Exclude<Init, "auto">;
}

export interface TrainerConstructor {
  new (options?: TrainerOptions): Trainer;
}

/** Eval mode (running statistics) and train mode (batch statistics, trainMode*); accuracies are fractions in [0, 1]; all NaN once diverged. */
export interface Evaluation {
  /** Over all points. */
  loss: number;
  accuracy: number;
  /** Over the held-out split. */
  testLoss: number;
  testAccuracy: number;
  /** Over the training split. */
  trainLoss: number;
  trainAccuracy: number;
  /** The same with batch statistics: each split in batches of batchSize, nothing changed. */
  trainModeLoss: number;
  trainModeAccuracy: number;
  trainModeTestLoss: number;
  trainModeTestAccuracy: number;
  trainModeTrainLoss: number;
  trainModeTrainAccuracy: number;
  /** The loss stopped being finite: every figure is NaN. */
  diverged: boolean;
}

/** One hidden layer, from the last training step (means and stds over every value of the batch). */
export interface LayerStats {
  /** The activation's input (the normalization's output with normPlacement "before", the linear output otherwise). */
  preMean: number;
  preStd: number;
  /** The activation's output. */
  actMean: number;
  actStd: number;
  /** The block's output (the next block's input). */
  outMean: number;
  outStd: number;
  /** Share of activation outputs in the flat part: tanh |h| > 0.99, sigmoid h < 0.01 or > 0.99, relu h ≤ 0. */
  saturation: number;
  /** ‖∂L/∂W‖ of the layer's linear weights. */
  gradNorm: number;
  /** ‖W‖ after the step. */
  weightNorm: number;
}

export interface LandscapeOptions {
  /** Points along the gradient direction, 1..64. Default 8. */
  steps?: number;
  /** The farthest is w − lr·maxScale·g, (0, 100]. Default 4. */
  maxScale?: number;
}

/** Santurkar et al. (2018)'s measures on the last training batch (docs/api.md). */
export interface Landscape {
  lr: number;
  /** L(w) and ‖g‖, g = ∇L(w). */
  loss: number;
  gradNorm: number;
  /** η_k = lr·maxScale·k/steps. */
  eta: number[];
  /** L(w − η_k g); NaN where not finite. */
  lossAt: number[];
  /** ‖∇L(w − η_k g) − g‖. */
  gradChange: number[];
  lossMin: number;
  lossMax: number;
  gradChangeMax: number;
  /** max_k ‖∇L(w − η_k g) − g‖ / (η_k ‖g‖). */
  betaSmoothness: number;
  /** Per hidden layer: ‖G_i − G′_i‖ after the blocks before i take the step w − lr·g, and the cosine between them. */
  ics: number[];
  icsCosine: number[];
}

/**
 * A hidden layer's BatchNorm1d: its running statistics beside the statistics of its input over the
 * training split (current weights, eval mode), per feature (docs/api.md, tr.runningStats()).
 */
export interface RunningStats {
  layer: number;
  features: number;
  /** Training points the population statistics are over. */
  rows: number;
  /** The layer's buffers, as eval mode uses them. */
  runningMean: Float32Array;
  runningVar: Float32Array;
  /** Mean of the layer's input over the training split (float64; NaN when its values are not finite). */
  populationMean: Float64Array;
  /** Unbiased variance (÷ rows − 1), the value the running variance estimates. */
  populationVar: Float64Array;
}

/** One hidden layer on the last training batch; arrays are batch·width, row-major. */
export interface Activations {
  layer: number;
  batch: number;
  width: number;
  /** The linear output z. */
  pre: Float32Array;
  /** The x̂ = (z − μ_B)/√(σ²_B + ε) the layer's BatchNorm1d computed, before γ and β (equals pre without batch norm). */
  xhat: Float32Array;
  /** @deprecated The same array as xhat, its name before; removed in the next release. */
  post: Float32Array;
  /** The activation's output. */
  activated: Float32Array;
}

export interface Points {
  /** x0, y0, x1, y1, … */
  x: Float32Array;
  /** Labels 0 / 1. */
  y: Uint8Array;
  /** 1 for held-out points. */
  test: Uint8Array;
}

export interface Trainer {
  readonly options: ResolvedTrainerOptions;
  /** Minibatch steps taken. */
  readonly steps: number;
  /** Completed passes over the training split. */
  readonly epoch: number;
  readonly stepsPerEpoch: number;
  /** NaN before the first step. */
  readonly lastBatchLoss: number;
  /** The loss stopped being finite. */
  readonly diverged: boolean;
  /** The largest n of one step(n) call for this network (n · batchSize · parameterCount ≤ 2^34). */
  readonly maxStepsPerCall: number;
  /** Learnable numbers of the network. */
  readonly parameterCount: number;
  /** n minibatch steps (default 1); returns their mean loss (NaN for n = 0). */
  step(n?: number): number;
  evaluate(): Evaluation;
  /** One entry per hidden layer, from the last training step; throws before the first. */
  layerStats(): LayerStats[];
  /** Re-estimates every running statistic over the training split (torch.optim.swa_utils.update_bn). */
  recalibrate(): void;
  /** layerIndex is 0-based; throws for a layer without BatchNorm1d. Changes nothing. */
  runningStats(layerIndex: number): RunningStats;
  /** Santurkar et al.'s measures; throws before the first step and once diverged. */
  landscape(options?: LandscapeOptions): Landscape;
  /** res·res class-1 probabilities, row 0 at the top (ymax). */
  predictGrid(res: number, xmin?: number, xmax?: number, ymin?: number, ymax?: number): Float32Array;
  /** layerIndex is 0-based; throws before the first step. */
  activations(layerIndex: number): Activations;
  points(): Points;
  /** Point indices of the last training batch. */
  batchIndices(): Int32Array;
  dispose(): void;
}

// ---------------------------------------------------------------- the option schema

/** The bounds of an array option's entries. */
export interface ItemDescriptor {
  readonly type: "integer";
  readonly min?: number;
  readonly max?: number;
}

/**
 * One option or argument: its rule (by `type`: boolean; integer in [min, max];
 * finite number ≥ min (> min when minExclusive) and ≤ max, or null when
 * nullable; enum of `values`; array of minLength..maxLength `items`) and its
 * meaning. A bound left out is unbounded; arguments have no default.
 */
export interface OptionDescriptor {
  readonly type: "boolean" | "integer" | "number" | "enum" | "array";
  readonly doc: string;
  readonly default?: boolean | number | string | readonly number[] | null;
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly nullable?: boolean;
  readonly values?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly items?: ItemDescriptor;
  /** What an array entry is, as messages say it ("layer widths"). */
  readonly itemLabel?: string;
}

/** The options of one object (in the order they are checked) and the arguments whose range the core owns. */
export interface SchemaGroup<Option extends string, Argument extends string> {
  readonly arguments: { readonly [name in Argument]: OptionDescriptor };
  readonly options: { readonly [name in Option]: OptionDescriptor };
}

export interface OptionSchema {
  /** arguments: features. */
  readonly BatchNorm1d: SchemaGroup<keyof BatchNorm1dOptions, "features">;
  /** arguments: numFeatures; the options of BatchNorm1d. */
  readonly BatchNorm2d: SchemaGroup<keyof BatchNorm1dOptions, "numFeatures">;
  /** arguments: normalizedShape. */
  readonly LayerNorm: SchemaGroup<keyof LayerNormOptions, "normalizedShape">;
  /** arguments: numGroups, numChannels. */
  readonly GroupNorm: SchemaGroup<keyof GroupNormOptions, "numGroups" | "numChannels">;
  /** arguments: numFeatures. */
  readonly InstanceNorm2d: SchemaGroup<keyof InstanceNorm2dOptions, "numFeatures">;
  /** arguments: n (step), res (predictGrid). */
  readonly Trainer: SchemaGroup<keyof TrainerOptions, "n" | "res">;
  /** tr.landscape({ steps, maxScale }): its arguments, with their defaults; no options. */
  readonly landscape: SchemaGroup<never, keyof LandscapeOptions>;
}
