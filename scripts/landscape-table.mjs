// Santurkar et al.'s measures as the trainer page's depth lab takes them
// (web/js/trainer-page/depth-figures.js: the same sampling as the worker,
// every landscapeEvery(layers) steps), for a claim preset's two networks
// over the preset seeds: per seed the median of each measure, BN and plain,
// and their ratio (BN / plain; for icsCosine, of 1 − cosine).
// Usage: node scripts/landscape-table.mjs [preset] [--seeds 1,2,3] [--steps N]
import { loadBN } from "../web/js/bn.js";
import { PRESET_CONFIGS, presetOptions } from "../web/js/presets-config.js";
import { presetArgs } from "./preset-args.mjs";
import { landscapeEvery, stepSampling } from "../web/js/trainer-page/depth-figures.js";

const { seeds, steps: stepsArg, rest: args } = presetArgs();
const id = args[0] ?? "deep";
const preset = PRESET_CONFIGS[id];
if (!preset) throw new Error(`unknown preset ${JSON.stringify(id)}`);
const steps = stepsArg ?? preset.steps;
const bn = await loadBN({ simd: true });

const MEASURES = {
  lossRange: (s) => s.lossMax - s.lossMin, gradChange: (s) => s.gradChangeMax, betaSmoothness: (s) => s.betaSmoothness,
  ics: (s) => s.ics, icsCosine: (s) => 1 - s.icsCosine,
};
const median = (values) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};
const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(3) : "–");

console.log(`# ${preset.name} (${id}): Santurkar measures, ${steps} steps, sampled every ` +
  `${landscapeEvery(preset.base.hidden.length)} steps; medians per seed, BN / plain (ratio)\n`);
console.log(`| seed | ${Object.keys(MEASURES).map((m) => (m === "icsCosine" ? "1 − icsCosine" : m)).join(" | ")} |`);
console.log(`|---|${Object.keys(MEASURES).map(() => "---").join("|")}|`);
for (const seed of seeds) {
  const nets = { bn: new bn.Trainer(presetOptions(id, "bn", { seed })), plain: new bn.Trainer(presetOptions(id, "plain", { seed })) };
  const samples = { bn: [], plain: [] };
  stepSampling(nets, steps, landscapeEvery(preset.base.hidden.length), samples);
  const cells = Object.values(MEASURES).map((value) => {
    const [b, p] = [median(samples.bn.map(value)), median(samples.plain.map(value))];
    return `${fmt(b)} / ${fmt(p)} (${fmt(b / p)})`;
  });
  console.log(`| ${seed} | ${cells.join(" | ")} |`);
  for (const net of Object.values(nets)) net.dispose();
}
