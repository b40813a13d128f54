// Accuracy table per layer: ours (native, WASM SIMD, WASM scalar builds of the
// C++ core) and torch float32, both against the float64 truth, on every
// golden step of every layer (tests/data/golden*.json).
//
// Run: node tests/reference/accuracy_layers.mjs      (after scripts/build.sh)
//
// Each build's Catch2 binary replays the cases ("golden layers: accuracy
// report", tests/cpp/test_golden_layers.cpp) and prints per step
//   y   max |a - t| / max |t|
//   dx  max |a - t| / max(max |t|, max |gamma invstd dy|)
// for ours and for torch's float32 outputs (stored in the golden files).
// "ours" below is the worst of the builds; "min ratio" is the smallest
// per-step torch / ours over the subset (the tests require >= 100 on the
// large-offset steps whose statistics come from x, for y and dx).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const root = new URL("../../", import.meta.url).pathname;
const TEST = "golden layers: accuracy report";
const BUILDS = {
  native: ["build/native/bn_tests", [TEST, "--use-colour", "no"]],
  "wasm SIMD": ["node", ["build/wasm-simd/bn_tests.cjs", TEST, "--use-colour", "no"]],
  "wasm scalar": ["node", ["build/wasm-scalar/bn_tests.cjs", TEST, "--use-colour", "no"]],
};

const runs = {};
for (const [build, [cmd, args]] of Object.entries(BUILDS)) {
  const binary = cmd === "node" ? args[0] : cmd;
  if (!existsSync(root + binary)) {
    console.log(`${build}: ${binary} not built, left out`);
    continue;
  }
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  const line = r.stdout.split("\n").find((l) => l.startsWith("BN_LAYER_ACCURACY "));
  if (!line) throw new Error(`${build}: no BN_LAYER_ACCURACY line (exit ${r.status})`);
  runs[build] = JSON.parse(line.slice("BN_LAYER_ACCURACY ".length));
}
const builds = Object.keys(runs);
if (builds.length === 0) throw new Error("no build to measure: run scripts/build.sh");
const steps = runs[builds[0]].map((s, i) => ({
  ...s,
  y: Math.max(...builds.map((b) => runs[b][i].y)),
  dx: Math.max(...builds.map((b) => runs[b][i].dx)),
}));

const fmt = (v) => (Number.isFinite(v) ? v.toExponential(1) : "-").padStart(9);
const worst = (list, key) => Math.max(...list.map((s) => s[key]));
const minRatio = (list, key, torchKey) => Math.min(...list.map((s) => s[torchKey] / s[key]));

const layers = [...new Set(steps.map((s) => s.layer))];
console.log(`builds: ${builds.join(", ")}; ${steps.length} golden steps; ours = worst build`);
console.log(
  `${"layer".padEnd(22)}${"steps".padStart(6)} | ${"all steps: y ours".padStart(17)}${"torch".padStart(9)}` +
    `${"dx ours".padStart(9)}${"torch".padStart(9)} | ${"large offset (stats of x): steps".padStart(32)}` +
    `${"y ours".padStart(9)}${"torch".padStart(9)}${"min ratio".padStart(10)}${"dx ours".padStart(9)}` +
    `${"torch min".padStart(10)}${"min ratio".padStart(10)}`,
);
for (const layer of layers) {
  const all = steps.filter((s) => s.layer === layer);
  const big = all.filter((s) => s.large_offset && s.input_stats);
  console.log(
    `${layer.padEnd(22)}${String(all.length).padStart(6)} | ${fmt(worst(all, "y")).padStart(17)}${fmt(worst(all, "torch_y"))}` +
      `${fmt(worst(all, "dx"))}${fmt(worst(all, "torch_dx"))} | ${String(big.length).padStart(32)}` +
      `${fmt(worst(big, "y"))}${fmt(Math.min(...big.map((s) => s.torch_y))).padStart(10)}${fmt(minRatio(big, "y", "torch_y")).padStart(10)}` +
      `${fmt(worst(big, "dx"))}${fmt(Math.min(...big.map((s) => s.torch_dx))).padStart(10)}${fmt(minRatio(big, "dx", "torch_dx")).padStart(10)}`,
  );
}
const same = steps.filter((_, i) => builds.every((b) => runs[b][i].y === runs[builds[0]][i].y && runs[b][i].dx === runs[builds[0]][i].dx)).length;
console.log(`\nbuilds with exactly the same errors on ${same} of ${steps.length} steps`);
