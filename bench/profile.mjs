// "Where the time goes": the passes over memory that one training forward +
// backward through our JS API makes on the SIMD build, each timed alone in
// the streaming-bound module (bench/stream/stream.cpp), against the API's
// measured total. Floats moved per element: reads + writes.
const PASSES = [
  { pass: "forward: copy x into the WASM heap (HEAPF32.set)", time: (p) => p.memcpy, floats: 2 },
  { pass: "forward: batch_mean_var (centred sums, float lanes)", time: (p) => p.simd.batch_mean_var, scalar: (p) => p.scalar.batch_mean_var, floats: 1 },
  { pass: "forward: normalize (x -> y = fl(x - mean_hi) scale + shift, factors packed)", time: (p) => p.simd.normalize, scalar: (p) => p.scalar.normalize, floats: 2 },
  { pass: "forward: copy y out (fresh Float32Array)", time: (p) => p.memcpy, floats: 2, note: "plus allocation" },
  { pass: "backward: copy dy into the heap", time: (p) => p.memcpy, floats: 2 },
  { pass: "backward: backward_reduce (sum dy double; sum dy*xhat float lanes in 8-row blocks, merged in double)", time: (p) => p.simd.backward_reduce, scalar: (p) => p.scalar.backward_reduce, floats: 2 },
  { pass: "backward: backward_dx (x, dy -> dx = ((dy - shift) + fl(x - mean_hi) slope) scale, factors packed)", time: (p) => p.simd.backward_dx, scalar: (p) => p.scalar.backward_dx, floats: 3 },
  { pass: "backward: copy dx out (fresh Float32Array)", time: (p) => p.memcpy, floats: 2, note: "plus allocation" },
];

// Bytes per element each way of calling moves, as run (kernel passes of the
// passes above, plus the API's copies), against the floors: training
// forward + backward 20 B (read x, write y; read x, dy, write dx), eval 8 B.
// Eval forward reads x once (scale_shift: y = x a + b, with the finiteness
// test on the same read) where it folds (bn/norm_core.hpp), else a scan of
// x for NaN / huge values and the normalize pass (12 B).
const KERNEL_TRAIN_FLOATS = 1 + 2 + 2 + 3;   // batch_mean_var, normalize, backward_reduce, backward_dx
const COPY_FLOATS = { views: 0, "views incl. fill": 4, "out arrays": 8, "fresh copies (default API)": 8 };
export function trafficTable() {
  const rows = Object.entries(COPY_FLOATS).map(([mode, copies]) => {
    const evalCopies = copies === 0 ? 0 : copies === 4 ? 2 : 4;
    return `| ${mode} | ${4 * (KERNEL_TRAIN_FLOATS + copies)} | 20 | ${4 * (2 + evalCopies)} | 8 |`;
  });
  return ["| mode | fwd+bwd bytes/element run | floor | eval bytes/element run (folded) | floor |", "|---|---|---|---|---|", ...rows].join("\n");
}

export function profileReport(passes, api, boundMs, keepMemory, outArrays, views = null, key = "1024x1024") {
  const p = passes?.[key];
  const apiMs = api?.medianMs;
  if (!p || !apiMs) return null;
  const elements = key.split("x").map(Number).reduce((a, b) => a * b, 1);
  const rows = PASSES.map((d) => {
    const ms = d.time(p).medianMs;
    return { pass: d.pass, floatsPerElement: d.floats, ms, scalarMs: d.scalar ? d.scalar(p).medianMs : null,
      gbps: (4 * d.floats * elements) / (ms * 1e6), note: d.note ?? "" };
  });
  const passSum = rows.reduce((s, r) => s + r.ms, 0);
  const floats = rows.reduce((s, r) => s + r.floatsPerElement, 0);
  const lines = [
    "| pass | floats moved / element | ms (SIMD) | GB/s | ms (scalar kernel) |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.pass}${r.note ? ` (${r.note})` : ""} | ${r.floatsPerElement} | ${r.ms.toFixed(3)} | ${r.gbps.toFixed(1)} | ${r.scalarMs === null ? "" : r.scalarMs.toFixed(3)} |`),
    `| sum of the passes timed alone | ${floats} | ${passSum.toFixed(3)} | | |`,
    `| the API call measured (forward + backward) | | ${apiMs.toFixed(3)} | | |`,
    keepMemory ? `| the same, glibc keeping freed memory (diagnostic) | | ${keepMemory.medianMs.toFixed(3)} | | |` : null,
    outArrays ? `| the API call with out arrays (no fresh copies) | | ${outArrays.medianMs.toFixed(3)} | | |` : null,
    views ? `| the API call with zero-copy views (x, dy already in WASM memory; no copies in or out) | | ${views.medianMs.toFixed(3)} | | |` : null,
    `| streaming bound | 5 | ${boundMs?.toFixed(3) ?? "n/a"} | | |`,
    p.simd.scale_shift ? `| eval forward, folded: scale_shift (x -> y = x a + b, finiteness tested on the same read) | 2 | ${p.simd.scale_shift.medianMs.toFixed(3)} | ${((8 * elements) / (p.simd.scale_shift.medianMs * 1e6)).toFixed(1)} | ${p.scalar.scale_shift.medianMs.toFixed(3)} |` : null,
    "",
    "Traffic of the algorithm as run, per way of calling (bytes per element; the copies in and out at 8 B each, the fresh copies built from the heap views without a zero-fill):",
    "",
    trafficTable(),
    "",
    `The API moves ${floats} floats per element where the bound moves 5 (the copies in and out are what the ` +
    `contract asks: Float32Array in, fresh Float32Array copies out). The rest of the measured time ` +
    `(${Math.max(0, apiMs - passSum).toFixed(3)} ms) is work outside the passes timed alone: the kernel's page faults ` +
    `for the two fresh output arrays when the allocator maps new memory for them` +
    (api.cost ? ` (${api.cost.minorPageFaults.toFixed(0)} minor faults per call, ${api.cost.systemMs.toFixed(2)} ms system time ` +
      `vs ${api.cost.userMs.toFixed(2)} ms user time` +
      (keepMemory?.cost ? `; with glibc keeping freed memory: ${keepMemory.cost.minorPageFaults.toFixed(0)} faults, ` +
        `${keepMemory.cost.systemMs.toFixed(2)} ms system time` : "") + ")" : "") +
    `, garbage collection, validation and the binding calls (the four step calls are plain exports, the rest Embind), and, probably, the passes themselves running slower inside the call ` +
    `than alone (alone, each pass finds its 4 MB arrays in cache; the call cycles through x, y, dy, dx, their staging copies and ` +
    `the JS arrays, several times the cache).` +
    (outArrays ? ` With out arrays (the copies out go into the caller's arrays, nothing is allocated): ` +
      `${outArrays.medianMs.toFixed(3)} ms` +
      (outArrays.cost ? `, ${outArrays.cost.minorPageFaults.toFixed(0)} minor faults per call, ${outArrays.cost.systemMs.toFixed(2)} ms system time` : "") +
      `.` : ""),
  ].filter((l) => l !== null);
  return { key, rows, passSumMs: passSum, apiMs, boundMs, floatsPerElement: floats, apiCost: api.cost ?? null,
    keepMemoryMs: keepMemory?.medianMs ?? null, keepMemoryCost: keepMemory?.cost ?? null,
    outArraysMs: outArrays?.medianMs ?? null, outArraysCost: outArrays?.cost ?? null, viewsMs: views?.medianMs ?? null, markdown: lines.join("\n") };
}

// The skeleton (bench/stream/stream.cpp): the kernels' four passes over
// memory, 32 B per element, with the least arithmetic, on the same data and
// on x, dy alternating between two copies as the core stages them. Its
// share of the streaming bound is the ceiling of any algorithm that makes
// these passes; the views row is ours (x and dy in the heap, alternating).
export function skeletonReport(stream, views) {
  const shapes = Object.keys(stream?.skeleton ?? {});
  if (shapes.length === 0) return null;
  const share = (boundMs, ms) => (ms ? `${ms.toFixed(4)} ms, ${((100 * boundMs) / ms).toFixed(0)}%` : "");
  const rows = shapes.map((key) => {
    const bound = stream.stream?.[key]?.trainStep?.medianMs;
    const sk = stream.skeleton[key];
    return `| ${key} | ${bound?.toFixed(4)} ms | ${share(bound, sk.same.medianMs)} | ${share(bound, sk.alternating.medianMs)} | ${share(bound, views?.[key]?.medianMs)} |`;
  });
  return {
    skeleton: stream.skeleton,
    markdown: [
      "| shape | streaming bound (20 B/element) | skeleton, same buffers (32 B/element) | skeleton, x and dy alternating | ours, zero-copy views |",
      "|---|---|---|---|---|",
      ...rows,
    ].join("\n"),
  };
}
