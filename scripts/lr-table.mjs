// Prints the figures behind two claims of the trainer page, through the JS
// API (SIMD build):
//  1. Accuracy vs learning rate, BN vs plain: a deep narrow sigmoid net
//     (six hidden layers of 16) on a non-linear dataset, plain SGD, batch 32,
//     eval-mode accuracy on all points after `steps` steps, for each seed.
//  2. Standardization: per hidden layer, the last training batch's features
//     after BN (x-hat: mean 0, variance 1 at any step) vs the plain net's
//     pre-activations (their mean and spread drift as training goes on).
// Usage: node scripts/lr-table.mjs [--dataset circles] [--steps 3000] [--seeds 5] [--scalar]
import { loadBN } from "../web/js/bn.js";

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dataset = arg("dataset", "circles");
const steps = Number(arg("steps", 3000));
const seeds = Array.from({ length: Number(arg("seeds", 5)) }, (_, i) => i + 1);
const lrs = [0.3, 1, 3, 10];
const bn = await loadBN({ simd: !args.includes("--scalar") });

const fmt = (v) => (Number.isNaN(v) ? "  div" : v.toFixed(3));
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;

console.log(`# Accuracy vs learning rate (${bn.simd ? "WASM SIMD" : "WASM scalar"} build)`);
console.log(`dataset ${dataset}, hidden [16 x 6], sigmoid, sgd, batch 32, ${steps} steps, ` +
  `eval-mode accuracy on all points per seed, then the means on all points and on the held-out test split; seeds ${seeds.join(", ")}\n`);
console.log(`| lr | net | ${seeds.map((s) => `seed ${s}`).join(" | ")} | mean | mean test |`);
console.log(`|---|---|${seeds.map(() => "---").join("|")}|---|---|`);
const started = Date.now();
for (const lr of lrs) {
  for (const batchNorm of [true, false]) {
    const acc = [], testAcc = [];
    for (const seed of seeds) {
      const tr = new bn.Trainer({ dataset, hidden: [16, 16, 16, 16, 16, 16], activation: "sigmoid", optimizer: "sgd",
        lr, batchNorm, batchSize: 32, seed });
      tr.step(steps);
      const e = tr.evaluate();
      acc.push(e.accuracy);
      testAcc.push(e.testAccuracy);
      tr.dispose();
    }
    console.log(`| ${lr} | ${batchNorm ? "BN" : "plain"} | ${acc.map(fmt).join(" | ")} | ${fmt(mean(acc))} | ${fmt(mean(testAcc))} |`);
  }
}
console.log(`\n(${lrs.length * 2 * seeds.length} runs in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

// ---- standardization --------------------------------------------------------
function featureStats(v, batch, width) {
  const m = new Float64Array(width), s = new Float64Array(width);
  for (let i = 0; i < batch; i++) for (let k = 0; k < width; k++) m[k] += v[i * width + k] / batch;
  for (let i = 0; i < batch; i++) for (let k = 0; k < width; k++) s[k] += (v[i * width + k] - m[k]) ** 2 / batch;
  return { mean: Array.from(m), std: Array.from(s, Math.sqrt) };
}

const hidden = [16, 16, 16];
console.log("# Standardization (spiral, hidden [16, 16, 16], relu, sgd lr 0.1, batch 32, seed 1)");
console.log("Per hidden layer, over its 16 features of the last training batch:");
console.log("BN: x-hat after BatchNorm (before gamma/beta): mean |feature mean| and mean feature variance.");
console.log("plain: pre-activations z (no BN): mean |feature mean| and mean feature std; they drift as training goes on.\n");
console.log("| step | layer | BN mean abs(mean) | BN mean var | plain mean abs(mean) | plain mean std |");
console.log("|---|---|---|---|---|---|");
const withBN = new bn.Trainer({ dataset: "spiral", hidden, lr: 0.1 });
const plain = new bn.Trainer({ dataset: "spiral", hidden, lr: 0.1, batchNorm: false });
let done = 0;
for (const at of [1, 100, 1000, 3000]) {
  withBN.step(at - done);
  plain.step(at - done);
  done = at;
  for (let l = 0; l < hidden.length; l++) {
    const a = withBN.activations(l), p = plain.activations(l);
    const s = featureStats(a.post, a.batch, a.width), z = featureStats(p.pre, p.batch, p.width);
    console.log(`| ${at} | ${l} | ${mean(s.mean.map(Math.abs)).toExponential(1)} | ${mean(s.std.map((v) => v * v)).toFixed(4)} | ` +
      `${mean(z.mean.map(Math.abs)).toFixed(3)} | ${mean(z.std).toFixed(3)} |`);
  }
}
const e1 = withBN.evaluate(), e2 = plain.evaluate();
console.log(`\nafter 3000 steps: accuracy BN ${e1.accuracy.toFixed(3)}, plain ${e2.accuracy.toFixed(3)}`);
withBN.dispose();
plain.dispose();
