// Renders the analyzed results: a terminal table, a Markdown report and an
// SVG chart of GB/s against batch size.
import { SHAPES, shapeKey } from "./data.mjs";
import { TRAIN_BYTES_PER_ELEMENT, EVAL_BYTES_PER_ELEMENT, ENGINE_LABELS, OUR_MODES } from "./analyze.mjs";
import { DEEP_BATCH, DEEP_LR, DEEP_NETWORKS, DEEP_STEPS_PER_CALL, DEEP_WIDTH } from "./deep-networks.mjs";

const KEYS = SHAPES.map(shapeKey);
const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms >= 0.1 ? ms.toFixed(3) : ms.toFixed(4));
const fmtNum = (v, digits = 1) => (v === null || v === undefined ? "n/a" : v >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toFixed(digits));
const cell = (c) => (c ? `${fmtMs(c.ms)} ms ${c.gbps.toFixed(2)} GB/s${c.ofBound !== null ? ` ${(100 * c.ofBound).toFixed(0)}%` : ""}` : "—");

const fmtTarget = (t) => (t.unit === "fraction" ? `>= ${100 * t.target}%` : t.unit === "x" ? `>= ${t.target}x`
  : t.unit === "growths" ? `${t.target}` : `${t.lowerIsBetter ? "<=" : ">="} ${fmtNum(t.target)}${t.unit === "ms" ? " ms" : ""}`);
function fmtValue(t, v) {
  if (v === null || v === undefined) return "n/a";
  if (t.unit === "fraction") return `${(100 * v).toFixed(0)}%`;
  if (t.unit === "x") return `${v.toFixed(1)}x`;
  if (t.unit === "growths") return `${v}`;
  return `${fmtNum(v)} ${t.unit}`;
}
// One column per mode of ours for the fwd+bwd targets; the others have one
// figure, shown in the "best" column.
function targetRow(t) {
  const perMode = OUR_MODES.map((m) => (t.modes ? fmtValue(t, t.modes[m.key]) : ""));
  const best = t.modes ? `${fmtValue(t, t.value)}${t.bestMode ? ` (${t.bestMode})` : ""}` : fmtValue(t, t.value);
  const ceiling = t.ceiling !== null && t.ceiling !== undefined ? fmtValue(t, t.ceiling) : "";
  return [t.name, fmtTarget(t), ...perMode, ceiling, best, verdict(t)];
}
const verdict = (t) => (t.met === null ? "skipped" : t.met ? "met" : "MISSED");

function machineLine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, emcc ${m.emcc}; load average ${m.loadAverageAtStart.join("/")} at start, ${m.loadAverageAtEnd?.join("/")} at end`;
}

function rateTable(rows) {
  return rows.map((r) => [r.label, ...KEYS.map((k) => cell(r.cells[k]))]);
}

function padTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (r) => r.map((v, i) => String(v).padEnd(widths[i])).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function mdTable(header, body) {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...body.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function trainerBody(trainer) {
  return Object.entries(trainer).map(([name, t]) => [
    t.label ?? name,
    t.skipped ? `skipped: ${t.skipped}` : fmtNum(t.stepsPerSecond, 0),
    t.stepMs ? `${fmtMs(t.stepMs.medianMs / t.stepsPerCall)} ms` : "",
  ]);
}

// One row per engine, one column per deep network (bench/deep-networks.mjs).
function deepTrainerBody(deep = {}) {
  return Object.values(deep).map((e) => [e.label,
    ...DEEP_NETWORKS.map((n) => {
      const t = e.networks?.[n.key];
      return t ? `${fmtNum(t.stepsPerSecond, 0)} (${fmtMs(t.stepMs.medianMs / (t.stepsPerCall ?? 1))} ms)` : "";
    })]);
}

function sections(r) {
  return [
    { title: `Training forward + backward (dx, dgamma, dbeta): median CPU time per call, GB/s at ${TRAIN_BYTES_PER_ELEMENT} bytes per element, share of the streaming bound`,
      header: ["engine", ...KEYS], body: rateTable(r.trainStep) },
    { title: `Eval forward (folded scale and shift): median CPU time per call, GB/s at ${EVAL_BYTES_PER_ELEMENT} bytes per element, share of its streaming bound (read x, write y)`,
      header: ["engine", ...KEYS], body: rateTable(r.evalForward) },
    { title: "Trainer: 2-16-16-2 MLP with BatchNorm1d, batch 32, SGD", header: ["engine", "steps/s", "per step"], body: trainerBody(r.trainer) },
    { title: `Deep trainer: BN MLPs of width ${DEEP_WIDTH}, batch ${DEEP_BATCH}, SGD; steps/s (time per step)`,
      header: ["engine", ...DEEP_NETWORKS.map((n) => n.label)], body: deepTrainerBody(r.deepTrainer) },
    { title: "Load: loadBN() to resolved / to the first forward result (wall clock, fresh process, median of runs)",
      header: ["build", "loadBN()", "first result"],
      body: Object.entries(r.load).map(([v, l]) => [v, `${l.loadMs.toFixed(1)} ms`, `${l.firstResultMs.toFixed(1)} ms`]) },
    { title: "Page load in Chromium: navigation to the stepper's first computed number / the trainer's first trained frame (fresh context per run, median; bench/page-load.mjs)",
      header: ["page", ".wasm requested", "first formula", "first number / trained frame", "fastest run", "JS (main thread)"],
      body: (r.pageLoad ?? []).map((p) => p.page === "trainer"
        ? [p.target, "(by the worker)", "", `${p.firstTrainedFrameMs.toFixed(0)} ms`, `${p.minFirstTrainedFrameMs.toFixed(0)} ms`, `${p.scriptKB.toFixed(0)} KB`]
        : [p.target, Number.isFinite(p.wasmRequestedMs) ? `${p.wasmRequestedMs.toFixed(0)} ms` : "", `${p.firstFormulaMs.toFixed(0)} ms`,
          `${p.firstNumberMs.toFixed(0)} ms`, `${p.minFirstNumberMs.toFixed(0)} ms`, `${p.scriptKB.toFixed(0)} KB`]) },
    { title: "Targets (ratios within this run; each verdict judged on the best of our modes)",
      header: ["target", "target value", ...OUR_MODES.map((m) => m.label), "ceiling of fresh copies (copies alone)", "best (judged)", "verdict"],
      body: r.targets.map(targetRow) },
  ];
}

const NOTES = [
  "ours WASM SIMD / scalar, fresh copies (default API): the public API (`loadBN({ simd })`, `BatchNorm1d.forward` then `backward`), Float32Array in, fresh Float32Array copies out (bench/adapters/ours.mjs).",
  "ours WASM SIMD / scalar, with out arrays: the same calls with the API's opt-in output arrays, `forward(x, batch, { out })` and `backward(dy, { dx, dgamma, dbeta })`, writing into Float32Arrays allocated once per shape (bench/adapters/ours.mjs).",
  "ours WASM SIMD / scalar, zero-copy views: the API's opt-in views. At setup x and dy are written into the layer's `inputView(batch)` and `gradOutputView()` (two warm-up calls, so both of the core's alternating buffers hold them); each timed call is `forward(layer.inputView(batch), batch, { view: true })` then `backward(layer.gradOutputView(), { view: true })`, without refilling: the data already lives in WASM memory, as for a caller that computes its inputs in place, and y, dx, dgamma, dbeta come back as views into the heap (valid until the layer's next call; the cross-check copies them before that). Eval forward likewise.",
  "ours WASM SIMD / scalar, zero-copy views incl. filling x and dy: the same, but every call first copies x and dy into the views (`view.set(x)`, `view.set(dy)`): the conservative figure for a caller whose data starts in its own arrays.",
  "Targets: every fwd+bwd target is computed for each of our four modes (fresh copies, out arrays, views, views incl. fill; SIMD vs scalar in the same mode), one column each, and the verdict is judged on the best of them, named in the \"best (judged)\" column. The fresh-copies column is what the default API gives.",
  "ours native C++: the same C++ core built with g++ -O3 (scalar kernels, auto-vectorized), through its pointer API with copies in and out (bench/native/bench_native.cpp).",
  "plain JS: the straightforward two-pass BatchNorm1d a course author writes (bench/plain-bn.mjs), checked against ours on every run; optimised as such an author would, with its outputs (y, dx, dgamma, dbeta) and scratch arrays allocated once per shape and reused, so a call allocates nothing (the same footing as our out-arrays rows).",
  "TensorFlow.js WASM: tfjs-core + tfjs-backend-wasm 4.22 (one thread, SIMD), BN from tf.moments + tf.batchNorm, dx/dgamma/dbeta by tf.valueAndGrads through the moments; upload and read-back included (bench/adapters/tfjs.mjs).",
  "PyTorch: torch.nn.BatchNorm1d, float32, torch.set_num_threads(1), autograd backward with dy (bench/torch_bench.py). Its outputs are new tensors each call, but its CPU allocator (malloc) reuses the freed ones' memory, so it pays no page faults per call either (the counts are below).",
  "Trainer: ours = `new bn.Trainer()` with the defaults (spiral, 2-16-16-2, BN, ReLU, SGD lr 0.1, batch 32) stepped 100 steps per call; TF.js = a custom train step of the same network (bench/adapters/tfjs-trainer.mjs); PyTorch = nn.Sequential of the same layers with torch.optim.SGD.",
  `Deep trainer: the networks of bench/deep-networks.mjs, Linear -> BatchNorm1d -> ReLU blocks of width ${DEEP_WIDTH}, batch ${DEEP_BATCH}, SGD lr ${DEEP_LR}, cross-entropy, minibatches from 400 points; depth 100 with residual blocks (x + f(x)). Ours: \`new bn.Trainer({ hidden, residual, batchSize: ${DEEP_BATCH}, lr: ${DEEP_LR} })\` stepped ${DEEP_STEPS_PER_CALL} steps per call; TF.js: the custom step of bench/adapters/tfjs-trainer.mjs with the same blocks; PyTorch: nn.Sequential of the same blocks (bench/torch_bench.py --deep); native: the same C++ Trainer built with g++.`,
  "Load: a fresh Node process per run, from calling loadBN() (read + compile + instantiate the .wasm) to its promise resolving and to the first forward's result.",
  "Page load: Debian's Chromium (playwright-core, headless), the strict CSP, a fresh browser context per run (nothing cached) after one unmeasured round that starts the browser's processes (as a user's browser is running when they follow a link), 10 runs, served from localhost; times from navigation (performance.now()) to the first [data-quantity] number of index.html#step=1, and to the frame where both panels of trainer.html#step=1 show step 1.",
  "The default API's copies alone (bench/adapters/copy-floor.mjs): per step x and dy copied into a WebAssembly.Memory, y and dx copied out into fresh Float32Arrays built from views of it, fresh dgamma and dbeta, as web/js does, and no arithmetic, bindings or checks. No implementation of the contract's default (fresh copies) can be faster in this engine; the targets table's ceiling column is each target's figure for this row: where it is below the target, the fresh-copies column cannot meet it, whatever the kernels.",
  "The core alone (bench/adapters/core-alone.mjs): the SIMD build's BatchNorm1d through the four plain exports web/js/batchnorm.js calls per step (staging_input, forward, staging_dy, backward), x and dy written once into both of the core's alternating buffers, the results left in the heap; no checks, copies, views or Errors in JS. Training steps only (the eval forward has no plain export). At small shapes it is the floor of every mode.",
  "The diagnostic row reruns the SIMD build with MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ set so that glibc keeps freed memory: it is not a target, it shows what the fresh output arrays' page faults cost.",
];

// Minor page faults per fwd+bwd call (the output arrays' cost when fresh
// memory is mapped for them), for the rows that measured them.
function faultLine(raw, key) {
  const counts = Object.entries(raw ?? {})
    .map(([name, e]) => [name, e?.trainStep?.[key]?.cost?.minorPageFaults])
    .filter(([, f]) => typeof f === "number")
    .map(([name, f]) => `${ENGINE_LABELS[name] ?? name} ${f.toFixed(0)}`);
  return counts.length ? `Minor page faults per ${key} fwd+bwd call in this run: ${counts.join("; ")}.` : null;
}

export function terminalReport(r) {
  const parts = [`bn-wasm benchmark — ${machineLine(r.machine)}`];
  for (const s of sections(r)) parts.push(`\n${s.title}\n${padTable(s.header, s.body)}`);
  if (r.skipped.length) parts.push(`\nSkipped: ${r.skipped.join("; ")}`);
  return parts.join("\n");
}

export function markdownReport(r) {
  const parts = [
    "# bn-wasm benchmark results",
    "",
    `Machine: ${machineLine(r.machine)}. Run: ${r.date}${r.quick ? " (--quick: few samples)" : ""}.`,
    "",
    `Every figure is the median over repeated samples after a warm-up, all measured in one run of \`npm run bench\`; ` +
    `each BatchNorm1d engine runs in ${r.processes ?? 1} fresh process${(r.processes ?? 1) > 1 ? "es" : ""} (rounds interleaved; TensorFlow.js and the diagnostic row once) and each figure is the median process's ` +
    `(the same code runs about 15 % apart from one process to the next here; results.json lists every process's median), ` +
    `in CPU time of the process per call (user + system; the machine is shared, and wall time would also count the waits for a core; ` +
    `wall-clock medians are in results.json). ` +
    `The streaming bound is a WebAssembly SIMD loop that moves exactly the bytes BN must move: forward reads x and writes y, ` +
    `backward reads x and dy and writes dx, ${TRAIN_BYTES_PER_ELEMENT} bytes per element (eval forward: ${EVAL_BYTES_PER_ELEMENT}). ` +
    `GB/s = those bytes / time; % = bound time / engine time. Our rows go through the public API, Float32Array in, and out either as fresh Float32Array copies ` +
    `(the default API), written into caller-owned arrays (the opt-in out arrays), or as zero-copy views into WASM memory (the opt-in views, with x and dy already there, and once more including the copies of x and dy into them); ` +
    `every row is shown, and each target's verdict is judged on the best of our four modes (the targets table names which one and lists all four); ` +
    `TensorFlow.js and PyTorch include their input upload/autograd the same way.`,
    "",
    "![GB/s against shape](chart.svg)",
  ];
  for (const s of sections(r)) parts.push("", `## ${s.title}`, "", mdTable(s.header, s.body));
  if (r.profile) parts.push("", "## Where the time goes (1024x1024, SIMD)", "", r.profile.markdown);
  if (r.skeleton) parts.push("", "## The kernels' passes with the least arithmetic: the ceiling of their share of the bound", "",
    "The skeleton makes the four passes the kernels make (read x; read x, write y; read x and dy; read x and dy, write dx: " +
    "32 B per element where the bound moves 20) with one or two operations per element (bench/stream/stream.cpp), on the " +
    "kernels' data and on x and dy alternating between two copies from call to call, as the core stages them (a failed call " +
    "leaves the last input intact). Whatever the arithmetic, an algorithm with these passes cannot pass the skeleton's " +
    "share of the bound; ours is the views row of the first table.", "", r.skeleton.markdown);
  if (r.seam?.length) {
    parts.push("", "## The seam at 32x16 (SIMD): each mode against the core alone", "",
      "The core alone runs the four plain exports a step calls (bench/adapters/core-alone.mjs), with x and dy already in the heap; " +
      "what a mode adds to it is the JS side of the call: argument checks, copies in and out, views, the result objects.", "",
      mdTable(["call", "µs per step", "over the core alone", "JS share of the step", "vs plain JS"],
        r.seam.map((row) => [row.label, row.us.toFixed(2), row.jsShare === null ? "" : `${row.overCore.toFixed(2)} µs`,
          row.jsShare === null ? "" : `${(100 * row.jsShare).toFixed(0)}%`, row.vsPlain === null ? "" : `${row.vsPlain.toFixed(1)}x`])));
  }
  parts.push("", "## What each row runs", "", ...NOTES.map((n) => `- ${n}`));
  const faults = faultLine(r.raw, "1024x1024");
  if (faults) parts.push(`- ${faults}`);
  if (r.skipped.length) parts.push("", `Skipped: ${r.skipped.join("; ")}`);
  parts.push("");
  return parts.join("\n");
}

const COLORS = { "ours-simd": "#d62728", "ours-scalar": "#ff9896", "ours-simd-out": "#8c0000", "ours-scalar-out": "#e377c2",
  "ours-simd-views": "#17becf", "ours-simd-views-fill": "#0b6e78", "ours-scalar-views": "#bcbd22", "ours-scalar-views-fill": "#8c564b", "ours-native": "#9467bd", "plain-js": "#2ca02c",
  "tfjs-wasm": "#ff7f0e", pytorch: "#1f77b4", "stream-bound": "#555555" };

// GB/s (log scale) against shape, one line per engine, for training fwd+bwd.
export function svgChart(r) {
  const W = 760, H = 380, left = 64, right = 320, top = 40, bottom = 56;
  const pw = W - left - right, ph = H - top - bottom;
  const rows = r.trainStep.filter((row) => !row.engine.endsWith("keep-memory") && row.engine !== "copy-floor" && row.engine !== "core-alone");
  const values = rows.flatMap((row) => Object.values(row.cells).map((c) => c.gbps)).filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values))), hi = Math.ceil(Math.log10(Math.max(...values)));
  const x = (i) => left + (KEYS.length === 1 ? pw / 2 : (i * pw) / (KEYS.length - 1));
  const y = (v) => top + ph - ((Math.log10(v) - lo) / Math.max(1, hi - lo)) * ph;
  const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">BatchNorm1d training forward + backward: GB/s (${TRAIN_BYTES_PER_ELEMENT} B/element)</text>`,
    `<text x="${left}" y="32" fill="#555">${esc(r.machine.cpu)}, ${r.machine.cores} cores, Node ${esc(r.machine.node)}, ${esc(r.date.slice(0, 10))}</text>`];
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e;
    out.push(`<line x1="${left}" x2="${left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v >= 1 ? v : v.toPrecision(1)}</text>`);
  }
  KEYS.forEach((k, i) => out.push(`<text x="${x(i)}" y="${top + ph + 18}" text-anchor="middle">${k}</text>`));
  out.push(`<text x="${left + pw / 2}" y="${H - 12}" text-anchor="middle">batch x features</text>`,
    `<text transform="translate(16 ${top + ph / 2}) rotate(-90)" text-anchor="middle">GB/s (log scale)</text>`);
  rows.forEach((row, j) => {
    const color = COLORS[row.engine] ?? "#000";
    const pts = KEYS.map((k, i) => (row.cells[k] ? [x(i), y(row.cells[k].gbps)] : null)).filter(Boolean);
    const dash = row.engine === "stream-bound" ? ' stroke-dasharray="5 4"' : "";
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" ")}"/>`);
    for (const [px, py] of pts) out.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = top + 10 + j * 18;
    out.push(`<line x1="${left + pw + 14}" x2="${left + pw + 34}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${left + pw + 40}" y="${ly + 4}">${esc(row.engine === "stream-bound" ? "streaming bound" : row.label)}</text>`);
  });
  out.push("</svg>", "");
  return out.join("\n");
}
