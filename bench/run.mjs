// npm run bench: runs every benchmark of bench/ in one go on this machine and
// writes bench/results.json, bench/results.md and bench/chart.svg.
//   node bench/run.mjs [--quick]    (--quick: few samples, for a smoke test)
// Each engine runs in its own Node/Python child process, one after another.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeMachine, loadAverage } from "./machine.mjs";
import { rateRows, crossCheck, targets, seamRows, ENGINE_LABELS, TRAINER_LABELS, OUR_MODES } from "./analyze.mjs";
import { profileReport, skeletonReport } from "./profile.mjs";
import { terminalReport, markdownReport, svgChart } from "./report.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const quick = process.argv.includes("--quick");
const LOAD_RUNS = quick ? 1 : 5;
const PAGE_RUNS = quick ? 1 : 10;   // bench/page-load.mjs, after its one warm-up round
const PYTHON = "/usr/bin/python3";
const started = Date.now();
const skipped = [];

function log(msg) {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
}

// Runs a child that prints one JSON line; returns it parsed, or null (logged).
function child(label, cmd, args, env = {}) {
  log(label);
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, NODE_PATH: "/usr/share/nodejs", ...env } });
  if (r.status !== 0) {
    log(`${label} failed (exit ${r.status}): ${(r.stderr || r.error?.message || "").trim().split("\n").slice(-5).join(" | ")}`);
    return null;
  }
  const line = r.stdout.trim().split("\n").pop();
  try {
    return JSON.parse(line);
  } catch {
    log(`${label}: no JSON on stdout`);
    return null;
  }
}

const q = quick ? ["--quick"] : [];
const machine = describeMachine();

// 1. The streaming bound and the per-pass profile (emcc -O3 -msimd128).
log("building the streaming-bound module (bench/stream/build.sh)");
const build = spawnSync("bash", ["bench/stream/build.sh"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
if (build.status !== 0) throw new Error("bench/stream/build.sh failed");
const stream = child("streaming bound + per-pass profile", "node", ["build/bench-stream/stream.cjs", ...q]);
if (!stream) throw new Error("the streaming-bound benchmark failed");

// 2. BatchNorm1d on every engine, each in PROCESSES fresh processes, the
// rounds interleaved (every engine once, then again): the same code runs
// ±15 % apart from one process to the next on this machine (its JIT and
// memory layout), enough to flip a ratio near its target. Each figure is
// the median of the processes' medians (the whole record of that process's
// measurement; results.json keeps all of them as processMediansMs).
// TensorFlow.js runs once (14 s a process, far from every threshold).
const PROCESSES = quick ? 1 : 3;
const KEEP_MEMORY_ENV = { MALLOC_MMAP_THRESHOLD_: String(256 << 20), MALLOC_TRIM_THRESHOLD_: String(1 << 30) };
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
const bnChildren = [];
if (existsSync(`${root}build/native/bn_bench_native`)) {
  bnChildren.push({ label: "native C++", cmd: "build/native/bn_bench_native", args: q });
} else {
  skipped.push("native C++: build/native/bn_bench_native is missing (run scripts/build.sh)");
}
for (const e of ["simd", "simd-out", "simd-views", "simd-views-fill", "scalar", "scalar-out", "scalar-views", "scalar-views-fill", "plain-js", "tfjs", "copy-floor", "core-alone"]) {
  bnChildren.push({ label: `BatchNorm1d: ${e}`, cmd: "node", args: ["bench/bn-bench.mjs", e, ...q], processes: e === "tfjs" ? 1 : PROCESSES });
}
// Diagnostic, not a target: the SIMD build again with glibc told to keep
// freed memory (no mmap/munmap per large block), to show what the page
// faults of the fresh output arrays cost.
bnChildren.push({ label: "BatchNorm1d: simd, glibc keeping freed memory (diagnostic)", cmd: "node",
  args: ["bench/bn-bench.mjs", "simd", "--as", "ours-simd-keep-memory", ...q], env: KEEP_MEMORY_ENV, processes: 1 });
if (hasTorch) bnChildren.push({ label: "PyTorch (1 thread)", cmd: PYTHON, args: ["bench/torch_bench.py", "--trainer", "--deep", ...q], torch: true });
const bnRuns = bnChildren.map(() => []);
for (let round = 0; round < PROCESSES; round++) {
  bnChildren.forEach((c, i) => {
    const processes = c.processes ?? PROCESSES;
    if (round >= processes) return;
    const r = child(`${c.label}${processes > 1 ? ` (process ${round + 1}/${processes})` : ""}`, c.cmd, c.args, c.env);
    if (r) bnRuns[i].push(r);
  });
}
const engines = {};
let torchTrainer = null, torchDeep = null;
bnChildren.forEach((c, i) => {
  const runs = bnRuns[i];
  if (!runs.length) {
    skipped.push(`${c.label}: failed (see the log above)`);
    return;
  }
  const r = medianProcess(runs);
  engines[r.engine] = r;
  if (c.torch) {   // its trainer and deep networks: the first process's
    torchTrainer = runs[0].trainer;
    torchDeep = runs[0].deepTrainer;
  }
});

// One engine's record from its processes: per kind and shape, the
// measurement of the process with the median median.
function medianProcess(runs) {
  const out = { ...runs[0], processes: runs.length };
  for (const kind of ["trainStep", "evalForward"]) {
    if (!runs[0][kind]) continue;
    out[kind] = {};
    for (const key of Object.keys(runs[0][kind])) {
      const all = runs.map((r) => r[kind]?.[key]).filter(Boolean).sort((a, b) => a.medianMs - b.medianMs);
      out[kind][key] = { ...all[(all.length - 1) >> 1], processMediansMs: runs.map((r) => r[kind]?.[key]?.medianMs ?? null) };
    }
  }
  return out;
}
if (!hasTorch) {
  skipped.push(`PyTorch: ${PYTHON} has no torch module`);
  log(`PyTorch skipped: ${PYTHON} cannot import torch`);
}

// 3. Trainer steps/s.
const trainer = {};
for (const e of ["simd", "scalar", "tfjs"]) {
  const r = child(`trainer: ${e}`, "node", ["bench/trainer-bench.mjs", e, ...q]);
  if (r) trainer[r.engine] = { ...r, label: TRAINER_LABELS[r.engine] ?? ENGINE_LABELS[r.engine] ?? r.engine };
}
const nativeTrainer = existsSync(`${root}build/native/bn_bench_native`)
  ? child("trainer: native", "build/native/bn_bench_native", ["--trainer", ...q]) : null;
if (nativeTrainer?.trainer) trainer["ours-native"] = { engine: "ours-native", label: ENGINE_LABELS["ours-native"], ...nativeTrainer.trainer };
else skipped.push("native trainer: not available");
if (torchTrainer) trainer.pytorch = { engine: "pytorch", label: ENGINE_LABELS.pytorch, stepsPerCall: 1, ...torchTrainer };

// 3b. Deep networks (bench/deep-networks.mjs): steps/s per depth and engine.
const deepTrainer = {};
for (const e of ["simd", "scalar", "tfjs"]) {
  const r = child(`deep trainer: ${e}`, "node", ["bench/trainer-bench.mjs", e, "--deep", ...q]);
  if (r?.deep) deepTrainer[r.engine] = { label: TRAINER_LABELS[r.engine] ?? ENGINE_LABELS[r.engine] ?? r.engine, networks: r.deep };
  else skipped.push(`deep trainer ${e}: failed (see the log above)`);
}
if (nativeTrainer?.deep) deepTrainer["ours-native"] = { label: ENGINE_LABELS["ours-native"], networks: nativeTrainer.deep };
if (torchDeep) deepTrainer.pytorch = { label: ENGINE_LABELS.pytorch, networks: torchDeep };

// 4. Load time, fresh processes.
const load = {};
for (const v of ["simd", "scalar"]) {
  const runs = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    const r = child(`load ${v} (${i + 1}/${LOAD_RUNS})`, "node", ["bench/load-bench.mjs", v]);
    if (r) runs.push(r);
  }
  const med = (f) => runs.map(f).sort((a, b) => a - b)[runs.length >> 1];
  if (runs.length) load[v] = { loadMs: med((r) => r.loadMs), firstResultMs: med((r) => r.firstResultMs), runs: runs.length };
}

// 4b. Page load in Chromium: the stepper's first number, the trainer's first trained frame.
const pageLoad = child("page load in Chromium (stepper, trainer)", "node", ["bench/page-load.mjs", "--runs", String(PAGE_RUNS)])?.pageLoad ?? [];
if (!pageLoad.length) skipped.push("page load in Chromium: failed (see the log above)");

// 5. Analysis and reports.
machine.loadAverageAtEnd = loadAverage();
const trainStep = rateRows(engines, stream.stream, "trainStep");
const evalForward = rateRows(engines, stream.stream, "evalForward");
const memory = OUR_MODES.flatMap((m) => ["simd", "scalar"].map((v) => `ours-${v}${m.suffix}`)).map((e) => engines[e]?.memory).filter(Boolean);
const checks = crossCheck(engines);
const results = {
  date: new Date().toISOString(),
  quick,
  processes: PROCESSES,
  machine,
  boundDefinition: "forward reads x, writes y; backward reads x and dy, writes dx: 5 float32 = 20 bytes per element (eval forward: 8)",
  trainStep,
  evalForward,
  trainer,
  deepTrainer,
  load,
  pageLoad,
  memory,
  crossCheck: checks,
  targets: targets({ engines, trainRows: trainStep, trainer, deepTrainer, memory, pageLoad }),
  profile: profileReport(stream.passes, engines["ours-simd"]?.trainStep?.["1024x1024"],
    stream.stream?.["1024x1024"]?.trainStep?.medianMs, engines["ours-simd-keep-memory"]?.trainStep?.["1024x1024"],
    engines["ours-simd-out"]?.trainStep?.["1024x1024"], engines["ours-simd-views"]?.trainStep?.["1024x1024"]),
  skeleton: skeletonReport(stream, engines["ours-simd-views"]?.trainStep),
  seam: seamRows(engines),
  keepMemoryEnv: KEEP_MEMORY_ENV,
  passes: stream.passes,
  raw: engines,
  skipped,
  seconds: (Date.now() - started) / 1000,
};

writeFileSync(`${root}bench/results.json`, JSON.stringify(results, null, 2) + "\n");
writeFileSync(`${root}bench/results.md`, markdownReport(results));
writeFileSync(`${root}bench/chart.svg`, svgChart(results));
console.log(terminalReport(results));
if (results.profile) console.log(`\nWhere the time goes (1024x1024, SIMD, passes timed alone):\n${results.profile.markdown}`);
const bad = Object.entries(checks).filter(([, c]) => !c.ok);
for (const [name, c] of bad) console.log(`\nCROSS-CHECK FAILED: ${name} differs from the plain-JS reference (worst relative error ${c.worstRelativeError})`);
console.log(`\nWrote bench/results.json, bench/results.md, bench/chart.svg in ${results.seconds.toFixed(0)} s.`);
if (bad.length) process.exit(1);
