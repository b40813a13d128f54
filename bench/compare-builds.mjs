// Compares sets of WebAssembly builds in one Node process, paired: the same
// work runs on each set in turn, block after block (about 25 ms of CPU time
// each, the order alternating), so that other work on a shared machine hits
// every set alike, and each ratio is the median of the per-block ratios to
// set A. Times are CPU time (user + system), as bench/timing.mjs measures.
// Rows: BN training forward + backward (dx, dgamma, dbeta) and eval forward
// on every shape of bench/data.mjs through the default API (fresh output
// arrays) and with caller-owned output arrays, and trainer steps/s (the
// bench's 2-16-16-2 BN trainer, 100 steps per call), SIMD and scalar builds.
//   node bench/compare-builds.mjs DIR_A DIR_B [DIR_C ...] [--blocks N]
// Each DIR holds bn.mjs, bn-simd.wasm and bn-scalar.wasm (a web/wasm/ as
// scripts/build.sh writes it, e.g. a copy made before a change).
import { cpSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SHAPES, EPS, STEPS_PER_CALL, TRAINER_OPTIONS, caseData, shapeKey } from "./data.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const dirs = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
if (dirs.length < 2) {
  console.error("usage: node bench/compare-builds.mjs DIR_A DIR_B [DIR_C ...] [--blocks N]");
  process.exit(2);
}
const BLOCKS = Number(flag("--blocks", 21));
const BLOCK_MS = 25;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const letter = (t) => String.fromCharCode(65 + t);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

// A copy of web/js beside each build (bn.js loads ../wasm/), so each set is
// its own module graph in this process.
const work = mkdtempSync(join(tmpdir(), "bn-compare-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const loaders = [];
for (const [i, dir] of dirs.entries()) {
  const tree = join(work, String(i));
  mkdirSync(join(tree, "web"), { recursive: true });
  cpSync(join(root, "web", "js"), join(tree, "web", "js"), { recursive: true });
  cpSync(resolve(dir), join(tree, "web", "wasm"), { recursive: true });
  loaders.push((await import(pathToFileURL(join(tree, "web", "js", "bn.js")).href)).loadBN);
}

// fns[t]() runs one call on set t; returns [ms per call per set], [ratio to A per set].
function paired(fns) {
  for (const fn of fns) for (let i = 0; i < 3; i++) fn();
  const t0 = cpuMs();
  let probe = 0;
  while (cpuMs() - t0 < BLOCK_MS) { fns[0](); probe++; }
  const calls = Math.max(1, probe);
  const times = fns.map(() => []), ratios = fns.map(() => []);
  for (let b = 0; b < BLOCKS; b++) {
    const order = fns.map((_, t) => t);
    if (b % 2) order.reverse();
    const block = [];
    for (const t of order) {
      const s = cpuMs();
      for (let i = 0; i < calls; i++) fns[t]();
      block[t] = (cpuMs() - s) / calls;
    }
    block.forEach((ms, t) => { times[t].push(ms); ratios[t].push(ms / block[0]); });
  }
  return { ms: times.map(median), ratio: ratios.map(median) };
}

const rows = [];
const report = (row, r, rate = false) => {
  const values = rate ? r.ms.map((ms) => (1000 * STEPS_PER_CALL) / ms) : r.ms;
  const ratios = rate ? r.ratio.map((x) => 1 / x) : r.ratio;
  rows.push({ row, values, ratios });
  const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toPrecision(4));
  console.error(`${row.padEnd(38)} ${values.map((v) => fmt(v).padStart(10)).join(" ")}   ${ratios.slice(1).map((x) => x.toFixed(3).padStart(6)).join(" ")}`);
};

console.error(dirs.map((d, t) => `${letter(t)} = ${d}`).join("\n"));
console.error(`${"row (ms per call; trainer steps/s)".padEnd(38)} ${dirs.map((_, t) => letter(t).padStart(10)).join(" ")}   ${dirs.slice(1).map((_, t) => `${letter(t + 1)}/A`.padStart(6)).join(" ")}`);
for (const variant of ["simd", "scalar"]) {
  const bns = [];
  for (const load of loaders) bns.push(await load({ simd: variant === "simd" }));
  for (const shape of SHAPES) {
    const [m, n] = shape;
    const d = caseData(m, n);
    const sets = bns.map((bn) => {
      const layer = new bn.BatchNorm1d(n, { eps: EPS });
      layer.setParams({ gamma: d.gamma, beta: d.beta });
      const evalLayer = new bn.BatchNorm1d(n, { eps: EPS });
      evalLayer.setParams({ gamma: d.gamma, beta: d.beta, runningMean: d.gamma, runningVar: d.gamma });
      evalLayer.eval();
      const y = new Float32Array(m * n), grads = { dx: new Float32Array(m * n), dgamma: new Float32Array(n), dbeta: new Float32Array(n) };
      return {
        fresh: () => { layer.forward(d.x, m); layer.backward(d.dy); },
        evalFresh: () => evalLayer.forward(d.x, m),
        out: () => { layer.forward(d.x, m, { out: y }); layer.backward(d.dy, grads); },
        evalOut: () => evalLayer.forward(d.x, m, { out: y }),
        dispose: () => { layer.dispose(); evalLayer.dispose(); },
      };
    });
    const key = shapeKey(shape);
    report(`${variant} fwd+bwd ${key}`, paired(sets.map((s) => s.fresh)));
    report(`${variant} eval fwd ${key}`, paired(sets.map((s) => s.evalFresh)));
    report(`${variant} fwd+bwd ${key}, out arrays`, paired(sets.map((s) => s.out)));
    report(`${variant} eval fwd ${key}, out arrays`, paired(sets.map((s) => s.evalOut)));
    for (const s of sets) s.dispose();
  }
  const trainers = bns.map((bn) => new bn.Trainer(TRAINER_OPTIONS));
  report(`${variant} trainer (steps/s)`, paired(trainers.map((tr) => () => tr.step(STEPS_PER_CALL))), true);
  for (const tr of trainers) tr.dispose();
}
console.log(JSON.stringify({ dirs, blocks: BLOCKS, statistic: "median of paired blocks", rows }));
