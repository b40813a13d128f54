// Searches for a trainer setting where "minibatch noise regularizes" can be
// seen: on a small noisy dataset a wide plain network memorizes its training
// split (train accuracy high, test loss climbing), while the batch-norm
// network trained with small batches, whose every example is normalized by
// the statistics of a few random others, fits the training split less
// tightly and generalizes at least as well.
//
// For each setting of a small grid (only what the trainer page can express:
// the page holds out the API's default test fraction, 0.2), over several
// seeds, it trains through the JS API (SIMD build):
//   BN    with small batches (the noise under test) and with one full batch
//         (the same normalization without the noise: the control),
//   plain with the same small batches and with one full batch,
// then reports, in eval mode, the mean train accuracy, test accuracy, test
// loss and generalization gap (train accuracy - test accuracy), and for BN
// vs plain at the same small batch size, on how many seeds BN has the
// smaller gap, the lower test loss and the higher-or-equal test accuracy.
//
// Last, it follows the trainer page's "Minibatch noise" preset (its state
// exactly as the page builds it) per seed through training, BN vs plain.
//
// Usage: node scripts/regularization-search.mjs [--steps 2000] [--seeds 5]
//          [--test-fraction 0.2] [--only moons] [--activation relu]
//          [--optimizer adam] [--lr 0.01] [--scalar]
// --only keeps the settings whose dataset is the given one.
import { loadBN } from "../web/js/bn.js";
import { presetState, trainerOptions } from "../web/js/trainer-page/state.js";

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const steps = Number(arg("steps", 2000));
const seeds = Array.from({ length: Number(arg("seeds", 5)) }, (_, i) => i + 1);
const testFraction = Number(arg("test-fraction", 0.2));
const only = arg("only", null);
const SMALL_BATCHES = [4, 8];
const NETWORK = { hidden: [64, 64], activation: arg("activation", "relu"), optimizer: arg("optimizer", "adam"),
  lr: Number(arg("lr", 0.01)) };

// The grid: small noisy 2-D datasets, few enough points to memorize.
const settings = [];
for (const dataset of ["moons", "circles", "xor", "gaussians"]) {
  for (const samples of [100, 150]) {
    for (const noise of [0.3, 0.5]) settings.push({ dataset, samples, noise, ...NETWORK });
  }
}

const bn = await loadBN({ simd: !args.includes("--scalar") });
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const f3 = (v) => v.toFixed(3);

function train(setting, batchNorm, batchSize, seed) {
  const tr = new bn.Trainer({ ...setting, batchNorm, batchSize, seed, testFraction });
  tr.step(steps);
  const e = tr.evaluate();
  tr.dispose();
  return { train: e.trainAccuracy, test: e.testAccuracy, testLoss: e.testLoss, gap: e.trainAccuracy - e.testAccuracy };
}

const trainPoints = (samples) => samples - Math.round(samples * testFraction);
const label = (s) => `${s.dataset} n=${s.samples} noise ${s.noise}`;

console.log(`# Minibatch noise as a regularizer (${bn.simd ? "WASM SIMD" : "WASM scalar"} build)`);
console.log(`hidden [${NETWORK.hidden}], ${NETWORK.activation}, ${NETWORK.optimizer} lr ${NETWORK.lr}, ${steps} steps, ` +
  `test fraction ${testFraction}, seeds ${seeds.join(", ")}; eval mode; means over seeds; gap = train acc - test acc. ` +
  `"full" is one batch of the whole training split.\n`);
console.log("| setting | net | batch | train acc | test acc | test loss | gap |");
console.log("|---|---|---|---|---|---|---|");

const summaries = [];
const started = Date.now();
for (const setting of settings) {
  if (only && setting.dataset !== only) continue;
  const full = trainPoints(setting.samples);
  const runs = {};
  for (const batchNorm of [true, false]) {
    for (const batch of [...SMALL_BATCHES, full]) {
      const key = `${batchNorm ? "BN" : "plain"} ${batch === full ? "full" : batch}`;
      runs[key] = seeds.map((seed) => train(setting, batchNorm, batch, seed));
      const r = runs[key];
      console.log(`| ${label(setting)} | ${batchNorm ? "BN" : "plain"} | ${batch === full ? `full (${full})` : batch} | ` +
        `${f3(mean(r.map((x) => x.train)))} | ${f3(mean(r.map((x) => x.test)))} | ` +
        `${f3(mean(r.map((x) => x.testLoss)))} | ${f3(mean(r.map((x) => x.gap)))} |`);
    }
  }
  for (const batch of SMALL_BATCHES) {
    const b = runs[`BN ${batch}`], p = runs[`plain ${batch}`];
    const count = (win) => seeds.filter((_, i) => win(b[i], p[i])).length;
    summaries.push({
      setting: label(setting), batch,
      gap: count((x, y) => x.gap < y.gap),
      testLoss: count((x, y) => x.testLoss < y.testLoss),
      testAcc: count((x, y) => x.test >= y.test),
      all: count((x, y) => x.gap < y.gap && x.testLoss < y.testLoss && x.test >= y.test),
    });
  }
}

console.log(`\n## BN vs plain at the same small batch size: seeds (of ${seeds.length}) where BN wins\n`);
console.log("| setting | batch | smaller gap | lower test loss | test acc >= | all three |");
console.log("|---|---|---|---|---|---|");
for (const s of summaries) {
  console.log(`| ${s.setting} | ${s.batch} | ${s.gap} | ${s.testLoss} | ${s.testAcc} | ${s.all} |`);
}

// ---- the page's preset ------------------------------------------------------
const preset = trainerOptions(presetState("noise"));
const CHECKPOINTS = [250, 500, 1000, 2000, 4000];
console.log(`\n# The page's "Minibatch noise" preset, per seed (test fraction 0.2, as on the page)`);
console.log(`${preset.dataset}, ${preset.samples} samples, noise ${preset.noise}, hidden [${preset.hidden}], ` +
  `${preset.activation}, ${preset.optimizer} lr ${preset.lr}, batch ${preset.batchSize}. ` +
  "Each cell: train acc / test acc / test loss, eval mode.\n");
console.log(`| seed | net | ${CHECKPOINTS.map((c) => `${c} steps`).join(" | ")} |`);
console.log(`|---|---|${CHECKPOINTS.map(() => "---").join("|")}|`);
for (const seed of seeds) {
  for (const batchNorm of [true, false]) {
    const tr = new bn.Trainer({ ...preset, batchNorm, seed });
    let done = 0;
    const cells = CHECKPOINTS.map((at) => {
      tr.step(at - done);
      done = at;
      const e = tr.evaluate();
      return `${f3(e.trainAccuracy)} / ${f3(e.testAccuracy)} / ${f3(e.testLoss)}`;
    });
    tr.dispose();
    console.log(`| ${seed} | ${batchNorm ? "BN" : "plain"} | ${cells.join(" | ")} |`);
  }
}
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
