// Turns the raw child results into the report: GB/s and share of the
// streaming bound per engine and shape, the ratios the targets ask for, and a
// cross-check of every engine's outputs against the plain-JS reference.
import { SHAPES, shapeKey } from "./data.mjs";
import { DEEP_NETWORKS } from "./deep-networks.mjs";

export const ENGINE_LABELS = {
  "ours-simd": "ours WASM SIMD, fresh copies (default API)",
  "ours-simd-out": "ours WASM SIMD, with out arrays",
  "ours-scalar": "ours WASM scalar, fresh copies (default API)",
  "ours-scalar-out": "ours WASM scalar, with out arrays",
  "ours-simd-views": "ours WASM SIMD, zero-copy views",
  "ours-simd-views-fill": "ours WASM SIMD, zero-copy views incl. filling x and dy",
  "ours-scalar-views": "ours WASM scalar, zero-copy views",
  "ours-scalar-views-fill": "ours WASM scalar, zero-copy views incl. filling x and dy",
  "ours-native": "ours native C++ (g++ -O3)",
  "plain-js": "plain JS (Float32Array)",
  "tfjs-wasm": "TensorFlow.js WASM",
  pytorch: "PyTorch CPU, 1 thread",
  "ours-simd-keep-memory": "ours WASM SIMD, glibc keeps freed memory (diagnostic)",
  "copy-floor": "the default API's copies alone, no BN (floor of fresh copies in this engine)",
  "core-alone": "ours WASM SIMD, the core alone (its four plain exports, data already in the heap: no JS checks, copies or views)",
};

// The seam at small shapes: each mode of the SIMD API against the core
// alone (bench/adapters/core-alone.mjs) on `key`: µs per step, what the JS
// side adds, and its share of the step; plain JS for scale.
export function seamRows(engines, key = "32x16") {
  const us = (name) => engines[name]?.trainStep?.[key]?.medianMs * 1000;
  const core = us("core-alone");
  const plain = us("plain-js");
  if (!core) return [];
  const modes = OUR_MODES.map((m) => ({ label: `API, ${m.label}`, us: us(`ours-simd${m.suffix}`) }));
  return [{ label: "the core alone", us: core }, ...modes, { label: "plain JS", us: plain }]
    .filter((r) => r.us > 0)
    .map((r) => ({ ...r, overCore: r.us - core, jsShare: r.label.startsWith("API") ? (r.us - core) / r.us : null,
      vsPlain: plain ? plain / r.us : null }));
}

// The trainer has no output arrays to choose: its rows name the build only.
export const TRAINER_LABELS = { "ours-simd": "ours WASM SIMD", "ours-scalar": "ours WASM scalar" };

// Bytes forward + backward must move at least (read x, write y; read x, dy,
// write dx): 5 floats per element. Eval forward: read x, write y.
export const TRAIN_BYTES_PER_ELEMENT = 20;
export const EVAL_BYTES_PER_ELEMENT = 8;

const elements = (key) => key.split("x").map(Number).reduce((a, b) => a * b, 1);

export function rateRows(engines, stream, kind) {
  const bytesPer = kind === "trainStep" ? TRAIN_BYTES_PER_ELEMENT : EVAL_BYTES_PER_ELEMENT;
  const rows = [];
  const boundRow = { engine: "stream-bound", label: `streaming bound (WASM SIMD loop, ${bytesPer} B/element)`, cells: {} };
  for (const shape of SHAPES) {
    const key = shapeKey(shape);
    const ms = stream?.[key]?.[kind]?.medianMs;
    if (ms) boundRow.cells[key] = { ms, gbps: (bytesPer * elements(key)) / (ms * 1e6), ofBound: 1 };
  }
  for (const [name, r] of Object.entries(engines)) {
    if (!r?.[kind]) continue;
    const row = { engine: name, label: ENGINE_LABELS[name] ?? name, cells: {} };
    for (const shape of SHAPES) {
      const key = shapeKey(shape);
      const ms = r[kind][key]?.medianMs;
      if (!ms) continue;
      const boundMs = boundRow.cells[key]?.ms;
      row.cells[key] = { ms, gbps: (bytesPer * elements(key)) / (ms * 1e6), ofBound: boundMs ? boundMs / ms : null };
    }
    rows.push(row);
  }
  return [...rows, boundRow];
}

// Same outputs on the check shape as the plain-JS reference (float32 noise only).
export function crossCheck(engines) {
  const ref = engines["plain-js"]?.check;
  const out = {};
  if (!ref) return out;
  for (const [name, r] of Object.entries(engines)) {
    if (!r?.check || name === "plain-js") continue;
    let worst = 0;
    for (const field of ["y", "dx", "dgamma", "dbeta"]) {
      ref[field].forEach((b, i) => {
        const err = Math.abs(r.check[field][i] - b) / (1e-3 + Math.abs(b));
        worst = Math.max(worst, err);
      });
    }
    out[name] = { worstRelativeError: worst, ok: worst < 1e-3 };
  }
  return out;
}

function ratio(a, b) {
  return a && b ? a / b : null;
}

// The ways our rows call the API (bench/adapters/ours.mjs), one engine
// suffix each; the targets table shows one column per mode.
export const OUR_MODES = [
  { key: "fresh", suffix: "", label: "fresh copies" },
  { key: "out", suffix: "-out", label: "out arrays" },
  { key: "views", suffix: "-views", label: "views" },
  { key: "viewsFill", suffix: "-views-fill", label: "views incl. fill" },
];

// Issue 15's speed targets for the deep networks (bench/deep-networks.mjs):
// ours SIMD at least PyTorch's steps/s at every depth, 10x TF.js WASM, and
// 100 steps/s at depth 100.
function deepTargets(deep) {
  const sps = (engine, key) => deep[engine]?.networks?.[key]?.stepsPerSecond ?? null;
  return DEEP_NETWORKS.flatMap((n) => [
    { name: `Deep trainer ${n.label}, SIMD vs PyTorch 1 thread`, value: ratio(sps("ours-simd", n.key), sps("pytorch", n.key)), target: 1, unit: "x" },
    { name: `Deep trainer ${n.label}, SIMD vs TensorFlow.js WASM`, value: ratio(sps("ours-simd", n.key), sps("tfjs-wasm", n.key)), target: 10, unit: "x" },
    ...(n.depth === 100 ? [{ name: `Deep trainer ${n.label}, SIMD steps/s`, value: sps("ours-simd", n.key), target: 100, unit: "steps/s" }] : []),
  ]);
}

// Each fwd+bwd target is computed for every mode of ours (SIMD against
// scalar in the same mode), in `modes`; the verdict is judged on the best of
// them (`value`, `bestMode`).
export function targets({ engines, trainRows, trainer, deepTrainer = {}, memory, pageLoad = [] }) {
  const ms = (engine, key) => engines[engine]?.trainStep?.[key]?.medianMs;
  const big = "1024x1024", small = "32x16";
  const ofBound = (engine, key = big) => trainRows.find((r) => r.engine === engine)?.cells[key]?.ofBound ?? null;
  const stepper = pageLoad.find((p) => p.page === "stepper" && p.target.startsWith("web "));
  // fn(suffix) -> the figure for one mode; higher is better for all of these.
  // ceiling: the same figure for the copy-floor row (the default API's
  // copies alone): no implementation of fresh copies can beat it here.
  const perMode = (name, target, unit, fn, ceiling = null) => {
    const modes = {};
    for (const m of OUR_MODES) modes[m.key] = fn(m.suffix);
    const best = OUR_MODES.filter((m) => modes[m.key] !== null).sort((a, b) => modes[b.key] - modes[a.key])[0];
    return { name, target, unit, modes, ceiling, value: best ? modes[best.key] : null, bestMode: best?.label ?? null };
  };
  const vs = (other, key) => (s) => ratio(ms(other, key), ms(`ours-simd${s}`, key));
  const floorVs = (other, key) => ratio(ms(other, key), ms("copy-floor", key));
  const list = [
    perMode("1024x1024 fwd+bwd, SIMD share of the streaming bound", 0.5, "fraction", (s) => ofBound(`ours-simd${s}`)),
    perMode("1024x1024 fwd+bwd, SIMD vs TensorFlow.js WASM", 20, "x", vs("tfjs-wasm", big)),
    perMode("1024x1024 fwd+bwd, SIMD vs plain JS", 5, "x", vs("plain-js", big)),
    perMode("1024x1024 fwd+bwd, SIMD vs our scalar build (same mode)", 2, "x", (s) => ratio(ms(`ours-scalar${s}`, big), ms(`ours-simd${s}`, big))),
    perMode("1024x1024 fwd+bwd, SIMD vs PyTorch 1 thread", 1, "x", vs("pytorch", big)),
    perMode("32x16 fwd+bwd, SIMD vs plain JS", 1, "x", vs("plain-js", small)),
    // Issue 16 (batch norm at the memory bound).
    perMode("4096x1024 fwd+bwd, SIMD share of the streaming bound", 0.5, "fraction", (s) => ofBound(`ours-simd${s}`, "4096x1024")),
    ...[[small, 1], ["256x256", 1], [big, 0.75], ["4096x1024", 0.75]].map(([key, target]) =>
      perMode(`${key} fwd+bwd, SIMD vs PyTorch 1 thread (issue 16)`, target, "x", vs("pytorch", key), floorVs("pytorch", key))),
    ...[small, "256x256", "4096x1024"].map((key) => perMode(`${key} fwd+bwd, SIMD vs plain JS (issue 16)`, 5, "x", vs("plain-js", key), floorVs("plain-js", key))),
    { name: "Stepper page: navigation to the first computed number (Chromium, median)", value: stepper?.firstNumberMs ?? null,
      target: 300, unit: "ms", lowerIsBetter: true },
    { name: "Trainer steps/s, SIMD", value: trainer["ours-simd"]?.stepsPerSecond ?? null, target: 30000, unit: "steps/s" },
    { name: "Trainer, SIMD vs TensorFlow.js WASM", value: ratio(trainer["ours-simd"]?.stepsPerSecond, trainer["tfjs-wasm"]?.stepsPerSecond), target: 10, unit: "x" },
    ...deepTargets(deepTrainer),
    { name: "WASM memory growth over 10,000 steady-state calls (SIMD, scalar; every mode)",
      value: memory.length ? memory.filter((m) => m.grew).length : null, target: 0, unit: "growths", lowerIsBetter: true },
  ];
  for (const t of list) {
    t.met = t.value === null ? null : t.lowerIsBetter ? t.value <= t.target : t.value >= t.target;
  }
  return list;
}
