// Trainer: the JS face of the C++ live trainer (shared/API.md). Validates the
// options (the C++ core checks them again), hands back fresh copies of every
// array, and owns the native object's lifetime (dispose()).
import { checkBoolean, checkFinite, checkInteger, checkOneOf, fail, describe } from "./validate.js";

export const DATASETS = Object.freeze(["spiral", "moons", "circles", "xor", "gaussians"]);
export const ACTIVATIONS = Object.freeze(["relu", "tanh", "sigmoid"]);
export const OPTIMIZERS = Object.freeze(["sgd", "momentum", "adam"]);
export const INITS = Object.freeze(["auto", "kaiming", "xavier"]);

// Defaults of shared/API.md, plus init ("auto": Kaiming for relu, Xavier
// otherwise) and testFraction (share of the points held out for testing).
export const TRAINER_DEFAULTS = Object.freeze({
  dataset: "spiral", samples: 400, noise: 0.1, hidden: Object.freeze([16, 16]),
  activation: "relu", batchNorm: true, optimizer: "sgd", lr: 0.1, batchSize: 32, seed: 1,
  init: "auto", testFraction: 0.2,
});

export const LIMITS = Object.freeze({
  minSamples: 10, maxSamples: 20000, maxNoise: 2, maxLayers: 8, maxWidth: 256,
  maxTestFraction: 0.5, maxSeed: 4294967295, maxStepsPerCall: 1000000, maxGridResolution: 1024,
});

// Training points for a number of samples and a test fraction (as the C++ core).
export function trainingPoints(samples, testFraction) {
  return samples - Math.round(samples * testFraction);
}

// Checks options (an object, any subset of TRAINER_DEFAULTS' keys) and returns
// them complete, with defaults filled in and hidden copied to a plain array.
// Throws an Error naming the first bad option.
export function normalizeTrainerOptions(options = {}) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    fail(`Trainer options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(key in TRAINER_DEFAULTS)) {
      fail(`unknown Trainer option ${JSON.stringify(key)} (expected ${Object.keys(TRAINER_DEFAULTS).join(", ")})`);
    }
  }
  const o = { ...TRAINER_DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) o[key] = value;
  checkOneOf("dataset", o.dataset, DATASETS);
  checkInteger("samples", o.samples, LIMITS.minSamples, LIMITS.maxSamples);
  checkFinite("noise", o.noise, { min: 0, max: LIMITS.maxNoise });
  const isList = Array.isArray(o.hidden) || (ArrayBuffer.isView(o.hidden) && !(o.hidden instanceof DataView));
  if (!isList || o.hidden.length < 1 || o.hidden.length > LIMITS.maxLayers) {
    fail(`hidden must be an array of 1 to ${LIMITS.maxLayers} layer widths, got ${describe(o.hidden)}`);
  }
  const hidden = Array.from(o.hidden);
  hidden.forEach((width, l) => checkInteger(`hidden[${l}]`, width, 1, LIMITS.maxWidth));
  o.hidden = hidden;
  checkOneOf("activation", o.activation, ACTIVATIONS);
  checkBoolean("batchNorm", o.batchNorm);
  checkOneOf("optimizer", o.optimizer, OPTIMIZERS);
  checkFinite("lr", o.lr, { min: 0, minExclusive: true });
  checkInteger("seed", o.seed, 0, LIMITS.maxSeed);
  checkOneOf("init", o.init, INITS);
  checkFinite("testFraction", o.testFraction, { min: 0, max: LIMITS.maxTestFraction });
  const train = trainingPoints(o.samples, o.testFraction);
  checkInteger("batchSize", o.batchSize, 1, train);
  if (o.batchNorm && o.batchSize < 2) {
    fail("batchSize must be >= 2 with batchNorm: Expected more than 1 value per channel when training");
  }
  return o;
}

export function makeTrainer(wasm) {
  // Frees native trainers that were never disposed once JS drops them.
  const finalizer = typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((native) => native.delete())
    : null;

  return class Trainer {
    #native;
    #options;

    constructor(options = {}) {
      const o = normalizeTrainerOptions(options);
      const native = new wasm.TrainerBinding(o.dataset, o.samples, o.noise, o.hidden, o.activation,
        o.batchNorm, o.optimizer, o.lr, o.batchSize, o.seed, o.init, o.testFraction);
      if (!native.ok()) {
        const message = native.lastError();
        native.delete();
        fail(message);
      }
      this.#native = native;
      o.init = this.#native.init();   // "auto" resolved
      this.#options = o;
      finalizer?.register(this, this.#native, this);
    }

    #live() {
      if (!this.#native) fail("Trainer was disposed: create a new Trainer");
      return this.#native;
    }

    // A binding call returns undefined when the C++ side refused it.
    #checked(result) {
      if (result === undefined) fail(this.#native.lastError());
      return result;
    }

    // The options in use, defaults filled in, init resolved (a fresh copy).
    get options() { this.#live(); return { ...this.#options, hidden: [...this.#options.hidden] }; }
    get steps() { return this.#live().steps(); }              // minibatch steps taken
    get epoch() { return this.#live().epoch(); }              // completed passes over the training split
    get stepsPerEpoch() { return this.#live().stepsPerEpoch(); }
    get lastBatchLoss() { return this.#live().lastBatchLoss(); }   // NaN before the first step
    get diverged() { return this.#live().diverged(); }        // the loss stopped being finite

    // n minibatch steps; returns their mean loss (NaN for n = 0, or once diverged).
    step(n = 1) {
      const native = this.#live();
      checkInteger("n", n, 0, LIMITS.maxStepsPerCall);
      return this.#checked(native.step(n));
    }

    // Eval mode (running statistics): { loss, accuracy } on all points,
    // { testLoss, testAccuracy } on the held-out split, { trainLoss,
    // trainAccuracy } on the training split. Accuracies are fractions.
    evaluate() { return this.#checked(this.#live().evaluate()); }

    // Float32Array(res * res) of class-1 probabilities, eval mode, row-major
    // with row 0 at the TOP: entry r * res + c is the point
    //   x = xmin + (c + 0.5) * (xmax - xmin) / res,  y = ymax - (r + 0.5) * (ymax - ymin) / res
    // i.e. the pixel centres of a res x res canvas showing [xmin, xmax] x [ymin, ymax].
    predictGrid(res, xmin = -1.5, xmax = 1.5, ymin = -1.5, ymax = 1.5) {
      const native = this.#live();
      checkInteger("res", res, 1, LIMITS.maxGridResolution);
      for (const [name, v] of [["xmin", xmin], ["xmax", xmax], ["ymin", ymin], ["ymax", ymax]]) checkFinite(name, v);
      if (!(xmin < xmax)) fail(`xmax must be greater than xmin, got xmin ${xmin}, xmax ${xmax}`);
      if (!(ymin < ymax)) fail(`ymax must be greater than ymin, got ymin ${ymin}, ymax ${ymax}`);
      return this.#checked(native.predictGrid(res, xmin, xmax, ymin, ymax));
    }

    // Hidden layer layerIndex (0-based) on the last training batch:
    // { pre, post, activated, batch, width, layer }, each array
    // Float32Array(batch * width), row-major. pre: the linear output z;
    // post: BatchNorm's x-hat = (z - batch mean) / sqrt(batch var + eps),
    // BEFORE gamma and beta (for a net without batch norm, post equals pre);
    // activated: the activation's output.
    activations(layerIndex) {
      const native = this.#live();
      checkInteger("layerIndex", layerIndex, 0, this.#options.hidden.length - 1);
      if (native.steps() === 0) fail("activations: no training batch yet; call step(n) with n >= 1 first");
      return this.#checked(native.activations(layerIndex));
    }

    // All points: { x: Float32Array(samples * 2) (x0, y0, x1, y1, ...),
    // y: Uint8Array labels 0/1, test: Uint8Array, 1 for held-out points }.
    points() { return this.#live().points(); }

    // Int32Array of the point indices of the last training batch.
    batchIndices() {
      const native = this.#live();
      if (native.steps() === 0) fail("batchIndices: no training batch yet; call step(n) with n >= 1 first");
      return native.lastBatch();
    }

    dispose() {
      if (!this.#native) return;
      finalizer?.unregister(this);
      this.#native.delete();
      this.#native = null;
    }
  };
}
