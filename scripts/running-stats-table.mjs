// Running statistics vs the truth in "Slow running statistics" (issue 14
// item 4): per seed, how far hidden layer 1's running mean and variance are
// from the population statistics of its input over the training split
// (tr.runningStats(0), measured with web/js/trainer-page/running-gap.js as
// the page shows them), for the momentum-0.001 network, the momentum-0.1
// control, and the slow one after recalibrate(); then mean (min..max) over
// the seeds. Also units 1-2's running and population variance of the slow
// network, before and after.
// Usage: node scripts/running-stats-table.mjs [--seeds 1,2,3] [--steps N]
import { loadBN } from "../web/js/bn.js";
import { PRESET_CONFIGS } from "../web/js/presets-config.js";
import { runningGap } from "../web/js/trainer-page/running-gap.js";
import { presetArgs } from "./preset-args.mjs";

const { seeds, steps: stepsArg } = presetArgs();
const { base, panels, steps: presetSteps, name } = PRESET_CONFIGS.slowStats;
const steps = stepsArg ?? presetSteps;
const bn = await loadBN({ simd: true });
const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(3) : "–");
const columns = ["slow mean", "slow var", "control mean", "control var", "recalibrated mean", "recalibrated var"];
const rows = [];

console.log(`# ${name}: gap between running and population statistics of hidden layer 1 at ${steps} steps`);
console.log("# mean: average over units of |running − population| / population std; var: of |running − population| / population\n");
console.log(["seed", ...columns, "units 1-2 var: running / population, before -> after"].join(" | "));
for (const seed of seeds) {
  const slow = new bn.Trainer({ ...base, ...panels.bn, seed }), control = new bn.Trainer({ ...base, ...panels.plain, seed });
  slow.step(steps);
  control.step(steps);
  const before = slow.runningStats(0);
  const lag = runningGap(before), follows = runningGap(control.runningStats(0));
  slow.recalibrate();
  const after = slow.runningStats(0), snapped = runningGap(after);
  const row = [lag.mean, lag.var, follows.mean, follows.var, snapped.mean, snapped.var];
  rows.push(row);
  const units = [0, 1].map((k) => `${fmt(before.runningVar[k])}/${fmt(before.populationVar[k])} -> ${fmt(after.runningVar[k])}/${fmt(after.populationVar[k])}`);
  console.log([seed, ...row.map(fmt), units.join(", ")].join(" | "));
  slow.dispose();
  control.dispose();
}
const summary = columns.map((_, c) => {
  const v = rows.map((r) => r[c]);
  return `${fmt(v.reduce((a, b) => a + b, 0) / v.length)} (${fmt(Math.min(...v))}..${fmt(Math.max(...v))})`;
});
console.log(["mean", ...summary].join(" | "));
