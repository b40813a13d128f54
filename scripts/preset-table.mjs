// Measures every claim preset of web/js/presets-config.js with our Trainer
// over the preset seeds and prints one table per preset: each metric per
// seed and its mean, each check per seed. tests/reference/calibrate_presets.py
// prints the same table for PyTorch (same networks, data, weights, batches).
// Usage: node scripts/preset-table.mjs [preset ...] [--seeds 1,2,3] [--steps N] [--scalar]
import { loadBN } from "../web/js/bn.js";
import { PRESET_CONFIGS } from "../web/js/presets-config.js";
import { presetArgs } from "./preset-args.mjs";
import { PRESET_IDS, measurePreset } from "./preset-claims.mjs";

const { seeds, steps, rest: args } = presetArgs();
const scalar = args.includes("--scalar");
const ids = args.filter((a) => !a.startsWith("--"));
const bn = await loadBN({ simd: !scalar });

const fmt = (v) => (Number.isNaN(v) ? "div" : Math.abs(v) < 1e-2 && v !== 0 ? v.toPrecision(3) : v.toFixed(3));
console.log(`# Preset claims with our Trainer (${bn.simd ? "WASM SIMD" : "WASM scalar"} build), seeds ${seeds.join(", ")}\n`);
let failing = 0;
for (const id of ids.length ? ids : PRESET_IDS) {
  const preset = PRESET_CONFIGS[id];
  const started = Date.now();
  const perSeed = seeds.map((seed) => measurePreset(bn, id, seed, { steps }));
  console.log(`## ${preset.name} (${id}, ${steps ?? preset.steps} steps)\n`);
  console.log(`| metric | ${seeds.map((s) => `seed ${s}`).join(" | ")} | mean |`);
  console.log(`|---|${seeds.map(() => "---|").join("")}---|`);
  for (const key of Object.keys(perSeed[0].metrics)) {
    const values = perSeed.map((r) => r.metrics[key]);
    const finite = values.filter((v) => !Number.isNaN(v));
    const mean = finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
    console.log(`| ${key} | ${values.map(fmt).join(" | ")} | ${fmt(mean)} |`);
  }
  for (const name of Object.keys(perSeed[0].checks)) {
    const ok = perSeed.map((r) => r.checks[name]);
    failing += !ok.every(Boolean);
    console.log(`| check: ${name} | ${ok.map((v) => (v ? "ok" : "FAIL")).join(" | ")} | |`);
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}
console.log(`checks failing on some seed: ${failing}`);
