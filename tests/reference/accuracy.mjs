// Accuracy report: replays every golden case (tests/data/golden.json) through
// the JS API (SIMD and scalar builds) and reads the native C++ numbers from
// the Catch2 binary, then prints the error of y and dx against the float64
// truth for ours and for torch.nn.BatchNorm1d float32 (from the golden file).
//
// Run: node tests/reference/accuracy.mjs        (after scripts/build.sh)
//
// Measures, per array of one step (a = computed, t = float64 truth):
//   normwise     max_i |a_i - t_i| / max_i |t_i|
//   elementwise  max_i |a_i - t_i| / max(|t_i|, 1e-3 * max_j |t_j|)
// Each table cell is the worst (largest) value over the steps of the subset.
// "ratio" is torch / worst of ours; "min step ratio" is the smallest
// per-step torch / ours over the subset (what the tests require to be >= 100
// on large-offset training steps).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadBN, simdSupported } from "../../web/js/bn.js";
import { loadGolden, replay, normwise, elementwise } from "./golden.mjs";

const root = new URL("../../", import.meta.url);
const cases = loadGolden();

// errors[column] = list over (case, step) of { y, dx, y_elem, dx_elem }
const errors = {};

async function measureJs(column, simd) {
  const bn = await loadBN({ simd });
  errors[column] = cases.flatMap((c) => {
    const ours = replay(bn, c);
    return c.steps.map((s, k) => ({
      y: normwise(ours[k].y, s.truth.y), dx: normwise(ours[k].dx, s.truth.dx),
      y_elem: elementwise(ours[k].y, s.truth.y), dx_elem: elementwise(ours[k].dx, s.truth.dx),
    }));
  });
}

function measureNative() {
  const binary = new URL("build/native/bn_tests", root);
  if (!existsSync(binary)) return "build/native/bn_tests not built";
  const run = spawnSync(binary.pathname, ["golden: accuracy report"], { encoding: "utf8" });
  const line = run.stdout.split("\n").find((l) => l.startsWith("BN_ACCURACY "));
  if (!line) return "no BN_ACCURACY line from build/native/bn_tests";
  const steps = JSON.parse(line.slice("BN_ACCURACY ".length)).steps;
  const byKey = new Map(steps.map((s) => [`${s.case}/${s.step}`, s]));
  errors["ours native"] = cases.flatMap((c, ci) => c.steps.map((_, k) => byKey.get(`${ci}/${k}`)));
  return null;
}

if (simdSupported()) await measureJs("ours SIMD", true);
await measureJs("ours scalar", false);
const nativeProblem = measureNative();
errors["torch f32"] = cases.flatMap((c) => c.steps.map((s) => ({
  y: s.torchError.y.normwise, dx: s.torchError.dx.normwise,
  y_elem: s.torchError.y.elementwise, dx_elem: s.torchError.dx.elementwise,
})));

const steps = cases.flatMap((c) => c.steps.map((s) => ({ largeOffset: c.largeOffset, training: s.training })));
const subsets = [
  { name: "overall (all steps)", keep: () => true },
  { name: "large offset, training steps", keep: (s) => s.largeOffset && s.training },
  { name: "large offset, all steps", keep: (s) => s.largeOffset },
];
const ourColumns = Object.keys(errors).filter((k) => k.startsWith("ours"));
const columns = [...ourColumns, "torch f32"];
const fmt = (v) => (v === undefined ? "-" : v.toExponential(2)).padStart(11);

console.log(`golden cases: ${cases.length}, steps: ${steps.length} (${steps.filter((s) => s.largeOffset && s.training).length} large-offset training steps)`);
if (nativeProblem) console.log(`native column left out: ${nativeProblem}`);
console.log("error vs float64 truth: worst over the steps of each subset");
console.log(`${"subset".padEnd(30)} ${"measure".padEnd(14)}${columns.map((c) => c.padStart(12)).join("")}${"ratio".padStart(10)}${"min step ratio".padStart(16)}`);
for (const subset of subsets) {
  const idx = steps.map((s, i) => (subset.keep(s) ? i : -1)).filter((i) => i >= 0);
  for (const measure of ["y", "dx", "y_elem", "dx_elem"]) {
    const worst = Object.fromEntries(columns.map((col) => [col, Math.max(...idx.map((i) => errors[col][i][measure]))]));
    const oursWorst = Math.max(...ourColumns.map((col) => worst[col]));
    const stepRatios = idx.map((i) => errors["torch f32"][i][measure] /
      Math.max(...ourColumns.map((col) => errors[col][i][measure])));
    const label = measure.replace("_elem", " elementwise").replace(/^(y|dx)$/, "$1 normwise");
    console.log(`${subset.name.padEnd(30)} ${label.padEnd(14)}${columns.map((c) => fmt(worst[c]) + " ").join("")}` +
      `${(worst["torch f32"] / oursWorst).toExponential(1).padStart(10)}${Math.min(...stepRatios).toExponential(1).padStart(16)}`);
  }
}

// Per case: worst normwise error over its steps, ours (worst build) and torch.
console.log("\nper case (normwise, worst over the case's steps; ours = worst of the builds above)");
console.log(`${"case".padEnd(58)}${"ours y".padStart(11)}${"torch y".padStart(11)}${"ours dx".padStart(11)}${"torch dx".padStart(11)}`);
let at = 0;
for (const c of cases) {
  const idx = c.steps.map((_, k) => at + k);
  at += c.steps.length;
  const worst = (cols, key) => Math.max(...idx.flatMap((i) => cols.map((col) => errors[col][i][key])));
  console.log(`${c.name.padEnd(58)}${fmt(worst(ourColumns, "y"))}${fmt(worst(["torch f32"], "y"))}` +
    `${fmt(worst(ourColumns, "dx"))}${fmt(worst(["torch f32"], "dx"))}`);
}
const same = steps.filter((_, i) => ["y", "dx", "y_elem", "dx_elem"].every((key) =>
  ourColumns.every((col) => errors[col][i][key] === errors[ourColumns[0]][i][key]))).length;
console.log(`\n${ourColumns.join(", ")}: exactly the same errors on ${same} of ${steps.length} steps`);
