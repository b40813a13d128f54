// Turns the raw child results into the report: GB/s and share of the
// streaming bound per engine and shape, the ratios the targets ask for, and a
// cross-check of every engine's outputs against the plain-JS reference.
import { SHAPES, shapeKey } from "./data.mjs";

export const ENGINE_LABELS = {
  "ours-simd": "ours WASM SIMD",
  "ours-scalar": "ours WASM scalar",
  "ours-native": "ours native C++ (g++ -O3)",
  "plain-js": "plain JS (Float32Array)",
  "tfjs-wasm": "TensorFlow.js WASM",
  pytorch: "PyTorch CPU, 1 thread",
  "ours-simd-keep-memory": "ours WASM SIMD, glibc keeps freed memory (diagnostic)",
};

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

export function targets({ engines, trainRows, trainer, memory }) {
  const ms = (engine, key) => engines[engine]?.trainStep?.[key]?.medianMs;
  const big = "1024x1024", small = "32x16";
  const simdBig = ms("ours-simd", big);
  const bound = trainRows.find((r) => r.engine === "ours-simd")?.cells[big]?.ofBound ?? null;
  const list = [
    { name: "1024x1024 fwd+bwd, SIMD share of the streaming bound", value: bound, target: 0.5, unit: "fraction" },
    { name: "1024x1024 fwd+bwd, SIMD vs TensorFlow.js WASM", value: ratio(ms("tfjs-wasm", big), simdBig), target: 20, unit: "x" },
    { name: "1024x1024 fwd+bwd, SIMD vs plain JS", value: ratio(ms("plain-js", big), simdBig), target: 5, unit: "x" },
    { name: "1024x1024 fwd+bwd, SIMD vs our scalar build", value: ratio(ms("ours-scalar", big), simdBig), target: 2, unit: "x" },
    { name: "1024x1024 fwd+bwd, SIMD vs PyTorch 1 thread", value: ratio(ms("pytorch", big), simdBig), target: 1, unit: "x" },
    { name: "32x16 fwd+bwd, SIMD vs plain JS", value: ratio(ms("plain-js", small), ms("ours-simd", small)), target: 1, unit: "x" },
    { name: "Trainer steps/s, SIMD", value: trainer["ours-simd"]?.stepsPerSecond ?? null, target: 30000, unit: "steps/s" },
    { name: "Trainer, SIMD vs TensorFlow.js WASM", value: ratio(trainer["ours-simd"]?.stepsPerSecond, trainer["tfjs-wasm"]?.stepsPerSecond), target: 10, unit: "x" },
    { name: "WASM memory growth over 10,000 steady-state calls (SIMD, scalar)",
      value: memory.length ? memory.filter((m) => m.grew).length : null, target: 0, unit: "growths", lowerIsBetter: true },
  ];
  for (const t of list) {
    t.met = t.value === null ? null : t.lowerIsBetter ? t.value <= t.target : t.value >= t.target;
  }
  return list;
}
