// Trainer: the JS face of the C++ live trainer (docs/api.md). Validates the
// options through the core's option schema (bn.schema: names, enum values,
// ranges and defaults; the C++ core checks them again, with the rules that
// tie options together), hands back fresh copies of every array, and owns
// the native object's lifetime (dispose(), through the seam). Every binding
// call goes through seam.js (the failure value becomes an Error thrown from
// plain JS).
import { checkInteger, checkFinite, checkValue, readOptions, fail } from "./validate.js";
import { checked, construct, seamFor } from "./seam.js";

// Training points of a split: samples - round(samples * testFraction), as the core.
export const trainingPoints = ({ samples, testFraction }) => samples - Math.round(samples * testFraction);

// The rules that depend on which options were given, exactly as the core's
// resolve_given_options (cpp/src/trainer_network.cpp), same messages: given
// batchNorm and norm must agree (batchNorm true is norm "batch", false is
// "none"); one of them given sets the other; batchSize left out is 32, or
// the number of training points when there are fewer. o: the values read
// once by readOptions; given: the Set of names the caller gave.
function resolveGiven(given, o) {
  const has = (key) => given.has(key);
  if (has("batchNorm") && has("norm") && o.batchNorm !== (o.norm === "batch")) {
    fail(`batchNorm ${o.batchNorm} and norm "${o.norm}" disagree (batchNorm true means norm "batch", ` +
      `false means norm "none"): give one of them`);
  }
  if (has("batchNorm") && !has("norm")) o.norm = o.batchNorm ? "batch" : "none";
  if (has("norm")) o.batchNorm = o.norm === "batch";
  if (!has("batchSize")) o.batchSize = Math.max(1, Math.min(o.batchSize, trainingPoints(o)));
}

// schema: bn.schema (the optionSchema() binding).
export function makeTrainer(wasm, schema) {
  const { arguments: args, options: optionSpecs } = schema.Trainer;
  const seam = seamFor(wasm);
  const landscapeSpecs = schema.landscape.arguments;

  return class Trainer {
    #native;
    #options;

    // options: any subset of bn.schema.Trainer.options; the rest take their
    // defaults. Unknown names and bad values throw, naming the option.
    constructor(options) {
      const given = new Set();
      const o = readOptions("Trainer", optionSpecs, options, given);
      resolveGiven(given, o);
      const native = construct(wasm.TrainerBinding, o);   // also checks batchSize against the split
      seam.adopt(this, native, "Trainer");
      this.#native = native;
      o.init = native.init();   // "auto" resolved
      this.#options = o;
    }

    #live() {
      if (!this.#native) fail("Trainer was disposed: create a new Trainer");
      return this.#native;
    }

    // The options in use, defaults filled in, init resolved (a fresh copy).
    get options() {
      this.#live();
      return Object.fromEntries(Object.entries(this.#options).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
    }
    get steps() { return this.#live().steps(); }              // minibatch steps taken
    get epoch() { return this.#live().epoch(); }              // completed passes over the training split
    get stepsPerEpoch() { return this.#live().stepsPerEpoch(); }
    get lastBatchLoss() { return this.#live().lastBatchLoss(); }   // NaN before the first step
    get diverged() { return this.#live().diverged(); }        // the loss stopped being finite

    // The most steps one step(n) call may take for this network: one call
    // does at most n * batchSize * parameterCount = 2^34 multiply-adds
    // (and n <= 1,000,000). parameterCount: its learnable numbers.
    get maxStepsPerCall() { return this.#live().maxStepsPerCall(); }
    get parameterCount() { return this.#live().parameterCount(); }

    // n minibatch steps; returns their mean loss (NaN for n = 0, or once
    // diverged); n > maxStepsPerCall throws, naming n and the limit.
    step(n = 1) {
      const native = this.#live();
      checkValue("n", args.n, n);
      return checked(native, native.step(n));
    }

    // Eval mode (running statistics): { loss, accuracy } on all points,
    // { testLoss, testAccuracy } on the held-out split, { trainLoss,
    // trainAccuracy } on the training split; the same six prefixed
    // trainMode (trainModeLoss, trainModeAccuracy, ...) with batch
    // statistics, each split in batches of batchSize, changing nothing;
    // diverged. Accuracies are fractions; every figure is NaN once diverged.
    evaluate() {
      const native = this.#live();
      return checked(native, native.evaluate());
    }

    // Per hidden layer, from the last training step: { preMean, preStd,
    // actMean, actStd, outMean, outStd, saturation, gradNorm, weightNorm }
    // (docs/api.md). Throws before the first step; NaN fields once diverged.
    layerStats() {
      const native = this.#live();
      if (native.steps() === 0) fail("layerStats: no training batch yet; call step(n) with n >= 1 first");
      return checked(native, native.layerStats());
    }

    // Re-estimates every running statistic over the training split, as
    // torch.optim.swa_utils.update_bn (docs/api.md). Changes nothing else.
    recalibrate() {
      const native = this.#live();
      checked(native, native.recalibrate());
    }

    // Hidden layer layerIndex's BatchNorm1d: { layer, features, rows,
    // runningMean, runningVar (Float32Array(features): its buffers),
    // populationMean, populationVar (Float64Array(features): its input's
    // statistics over the rows of the training split, current weights, eval
    // mode; the variance unbiased, as the running variance estimates it) }
    // (docs/api.md). Changes nothing. A layer out of range or without
    // BatchNorm1d (norm "layer", "group", "none") throws, naming layerIndex.
    runningStats(layerIndex) {
      const native = this.#live();
      checkInteger("layerIndex", layerIndex, 0, this.#options.hidden.length - 1);
      return checked(native, native.runningStats(layerIndex));   // the core names a layer without BatchNorm1d
    }

    // Santurkar et al.'s measures on the last training batch (docs/api.md):
    // options { steps = 8, maxScale = 4 }; plain numbers and arrays of them.
    landscape(options) {
      const native = this.#live();
      const o = readOptions("landscape", landscapeSpecs, options);
      if (native.steps() === 0) fail("landscape: no training batch yet; call step(n) with n >= 1 first");
      return checked(native, native.landscape(o.steps, o.maxScale));
    }

    // Float32Array(res * res) of class-1 probabilities, eval mode, row-major
    // with row 0 at the TOP: entry r * res + c is the point
    //   x = xmin + (c + 0.5) * (xmax - xmin) / res,  y = ymax - (r + 0.5) * (ymax - ymin) / res
    // i.e. the pixel centres of a res x res canvas showing [xmin, xmax] x [ymin, ymax].
    predictGrid(res, xmin = -1.5, xmax = 1.5, ymin = -1.5, ymax = 1.5) {
      const native = this.#live();
      checkValue("res", args.res, res);
      for (const [name, v] of [["xmin", xmin], ["xmax", xmax], ["ymin", ymin], ["ymax", ymax]]) checkFinite(name, v);
      if (!(xmin < xmax)) fail(`xmax must be greater than xmin, got xmin ${xmin}, xmax ${xmax}`);
      if (!(ymin < ymax)) fail(`ymax must be greater than ymin, got ymin ${ymin}, ymax ${ymax}`);
      return checked(native, native.predictGrid(res, xmin, xmax, ymin, ymax));
    }

    // Hidden layer layerIndex (0-based) on the last training batch:
    // { pre, xhat, activated, batch, width, layer }, each array
    // Float32Array(batch * width), row-major. pre: the linear output z;
    // xhat: the x-hat = (z - batch mean) / sqrt(batch var + eps) that the
    // layer's BatchNorm1d computed for that batch, BEFORE gamma and beta (for a
    // net without batch norm, xhat equals pre); activated: the activation's
    // output. post: the same array as xhat (its name in 0.1; kept one release).
    activations(layerIndex) {
      const native = this.#live();
      checkInteger("layerIndex", layerIndex, 0, this.#options.hidden.length - 1);
      if (native.steps() === 0) fail("activations: no training batch yet; call step(n) with n >= 1 first");
      return checked(native, native.activations(layerIndex));
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
      seam.release(this, this.#native, "Trainer");
      this.#native = null;
    }
  };
}
