// "Where the time goes": the passes over memory that one training forward +
// backward through our JS API makes on the SIMD build, each timed alone in
// the streaming-bound module (bench/stream/stream.cpp), against the API's
// measured total. Floats moved per element: reads + writes.
const PASSES = [
  { pass: "forward: copy x into the WASM heap (HEAPF32.set)", time: (p) => p.memcpy, floats: 2 },
  { pass: "forward: batch_mean_var (shifted sums, double)", time: (p) => p.simd.batch_mean_var, scalar: (p) => p.scalar.batch_mean_var, floats: 1 },
  { pass: "forward: normalize (x -> y)", time: (p) => p.simd.normalize, scalar: (p) => p.scalar.normalize, floats: 2 },
  { pass: "forward: copy y out (fresh Float32Array)", time: (p) => p.memcpy, floats: 2, note: "plus allocation" },
  { pass: "backward: copy dy into the heap", time: (p) => p.memcpy, floats: 2 },
  { pass: "backward: backward_reduce (sum dy, sum dy*xhat, double)", time: (p) => p.simd.backward_reduce, scalar: (p) => p.scalar.backward_reduce, floats: 2 },
  { pass: "backward: backward_dx (x, dy -> dx)", time: (p) => p.simd.backward_dx, scalar: (p) => p.scalar.backward_dx, floats: 3 },
  { pass: "backward: copy dx out (fresh Float32Array)", time: (p) => p.memcpy, floats: 2, note: "plus allocation" },
];

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
    "",
    `The API moves ${floats} floats per element where the bound moves 5 (the copies in and out are what the ` +
    `contract asks: Float32Array in, fresh Float32Array copies out). The rest of the measured time ` +
    `(${Math.max(0, apiMs - passSum).toFixed(3)} ms) is work outside the passes timed alone: the kernel's page faults ` +
    `for the two fresh output arrays when the allocator maps new memory for them` +
    (api.cost ? ` (${api.cost.minorPageFaults.toFixed(0)} minor faults per call, ${api.cost.systemMs.toFixed(2)} ms system time ` +
      `vs ${api.cost.userMs.toFixed(2)} ms user time` +
      (keepMemory?.cost ? `; with glibc keeping freed memory: ${keepMemory.cost.minorPageFaults.toFixed(0)} faults, ` +
        `${keepMemory.cost.systemMs.toFixed(2)} ms system time` : "") + ")" : "") +
    `, garbage collection, validation and the Embind calls, and, probably, the passes themselves running slower inside the call ` +
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
