// Accuracy of the batch-norm fold: replays every golden case
// (tests/data/golden_fuse.json) through bn.fuseLinearBnEval / fuseConvBnEval
// (SIMD and scalar builds) and reads the native C++ figures from the Catch2
// binary, then prints, in float32 ulps:
//   ours vs truth   |ours - float64 truth| / ulp(truth)            (0.5 = one rounding)
//   torch vs truth  torch.nn.utils.fusion in float32 against the same truth
//   ours vs torch
// and, over 20 seeds of a Linear(5→4) → BatchNorm1d and a Conv2d(2→3, 3×3)
// → batch norm per channel: the worst gap between the unfused and the fused
// path in eval (ulps of the size of each output's terms) and the smallest and
// largest worst gap in train mode (absolute; batch statistics ≠ running ones).
//
// Run: node tests/reference/fuse_accuracy.mjs        (after scripts/build.sh)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadBN, simdSupported } from "../../web/js/bn.js";
import { loadGoldenFuse, evalLayer, fuseCase, fuseErrors, linearPaths, convPaths } from "./fuse_golden.mjs";

const cases = loadGoldenFuse();
const rows = [];

async function measureJs(name, simd) {
  const bn = await loadBN({ simd });
  const worst = { ours: 0, torch: 0, oursVsTorch: 0 };
  for (const c of cases) {
    const layer = evalLayer(bn, c);
    const e = fuseErrors(c, fuseCase(bn, c, layer));
    layer.dispose();
    for (const k of Object.keys(worst)) worst[k] = Math.max(worst[k], e[k]);
  }
  const paths = { linearEval: 0, convEval: 0, trainMin: Infinity, trainMax: 0 };
  for (let seed = 1; seed <= 20; seed++) {
    const l = linearPaths(bn, seed * 100), c = convPaths(bn, seed * 100);
    paths.linearEval = Math.max(paths.linearEval, l.evalUlps);
    paths.convEval = Math.max(paths.convEval, c.evalUlps);
    paths.trainMin = Math.min(paths.trainMin, l.trainGap, c.trainGap);
    paths.trainMax = Math.max(paths.trainMax, l.trainGap, c.trainGap);
  }
  rows.push({ build: name, ...worst, ...paths });
}

function measureNative() {
  const binary = new URL("../../build/native/bn_tests", import.meta.url);
  if (!existsSync(binary)) return "build/native/bn_tests not built";
  const run = spawnSync(binary.pathname, ["fuse: accuracy report"], { encoding: "utf8" });
  const line = run.stdout.split("\n").find((l) => l.startsWith("BN_FUSE_ACCURACY "));
  if (!line) return "no BN_FUSE_ACCURACY line";
  const r = JSON.parse(line.slice("BN_FUSE_ACCURACY ".length));
  rows.push({ build: "native", ours: r.oursVsTruthUlps, torch: r.torchVsTruthUlps, oursVsTorch: r.oursVsTorchUlps,
    linearEval: r.linearEvalUlps, convEval: r.convEvalUlps, trainMin: r.trainGapMin, trainMax: r.trainGapMax });
  return null;
}

if (simdSupported()) await measureJs("WASM SIMD", true);
await measureJs("WASM scalar", false);
const nativeProblem = measureNative();

const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(4) : String(v));
console.log(`${cases.length} golden cases (torch.nn.utils.fusion), errors in float32 ulps; eval/train gaps over 20 seeds\n`);
console.log(["build", "ours vs truth", "torch vs truth", "ours vs torch", "Linear eval", "Conv2d eval", "train gap min", "train gap max"].join(" | "));
for (const r of rows) console.log([r.build, r.ours, r.torch, r.oursVsTorch, r.linearEval, r.convEval, r.trainMin, r.trainMax].map((v) => (typeof v === "number" ? fmt(v) : v)).join(" | "));
if (nativeProblem) console.log(`native: ${nativeProblem}`);
