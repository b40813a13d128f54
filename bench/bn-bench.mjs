// Child process: times one JS engine on every shape and prints one JSON line.
//   node bench/bn-bench.mjs simd|simd-out|simd-views|simd-views-fill|scalar|... |plain-js|tfjs|copy-floor|core-alone [--quick] [--as NAME]
// (-out: our API with caller-owned output arrays; -views: zero-copy views with
// x and dy already in WASM memory; -views-fill: views, refilled every call.)
// Per shape: training forward + backward (dx, dgamma, dbeta) and eval forward,
// median ms per call, and for fwd+bwd the page faults and CPU time (user,
// system) per call; plus a sample of the outputs on CHECK_SHAPE and, for our
// builds, the WebAssembly memory size across 10,000 steady-state calls.
// --as renames the engine in the output (for a diagnostic rerun).
import { openOurs } from "./adapters/ours.mjs";
import { openPlainJs } from "./adapters/plainjs.mjs";
import { openTfjs } from "./adapters/tfjs.mjs";
import { openCopyFloor } from "./adapters/copy-floor.mjs";
import { openCoreAlone } from "./adapters/core-alone.mjs";
import { SHAPES, CHECK_SHAPE, caseData, checkSample, shapeKey } from "./data.mjs";
import { measure, emit } from "./timing.mjs";

const OPENERS = {};
for (const variant of ["simd", "scalar"]) {
  OPENERS[variant] = () => openOurs(variant);
  OPENERS[`${variant}-out`] = () => openOurs(variant, { mode: "out" });
  OPENERS[`${variant}-views`] = () => openOurs(variant, { mode: "views" });
  OPENERS[`${variant}-views-fill`] = () => openOurs(variant, { mode: "views-fill" });
}
Object.assign(OPENERS, {
  "plain-js": openPlainJs,
  tfjs: openTfjs,
  "copy-floor": openCopyFloor,
  "core-alone": openCoreAlone,
});

const engineName = process.argv[2];
const quick = process.argv.includes("--quick");
if (!OPENERS[engineName]) {
  console.error(`usage: node bench/bn-bench.mjs ${Object.keys(OPENERS).join("|")} [--quick]`);
  process.exit(2);
}
const asIndex = process.argv.indexOf("--as");
const rename = asIndex > 0 ? process.argv[asIndex + 1] : null;
const timing = quick ? { warmupMs: 20, samples: 3, minSampleMs: 5 } : {};

const engine = await OPENERS[engineName]();
// Minor page faults and CPU time per call over a few more calls: fresh
// output arrays cost the kernel a fault per 4 KiB page when the allocator
// hands back memory it got from the OS.
function costPerCall(fn, calls) {
  const r0 = process.resourceUsage();
  for (let i = 0; i < calls; i++) fn();
  const r1 = process.resourceUsage();
  return {
    calls,
    minorPageFaults: (r1.minorPageFault - r0.minorPageFault) / calls,
    userMs: (r1.userCPUTime - r0.userCPUTime) / 1000 / calls,
    systemMs: (r1.systemCPUTime - r0.systemCPUTime) / 1000 / calls,
  };
}

const result = { engine: rename ?? engine.name, info: engine.info ?? null, trainStep: {}, evalForward: {} };

{
  const [m, n] = CHECK_SHAPE;
  const c = engine.setup(m, n, caseData(m, n));
  // checkStep (views rows): copies the returned views before the next call.
  if (!engine.noCheck) result.check = checkSample(c.checkStep ? c.checkStep() : c.trainStep());
  c.dispose();
}

// No WebAssembly memory growth in steady state: 10,000 fwd+bwd calls on the
// smallest shape after a warm-up, first thing (while the heap is still at its
// initial size, so that even a small leak per call would have to grow it).
if (engine.memory) {
  const [m, n] = SHAPES[0];
  const c = engine.setup(m, n, caseData(m, n));
  for (let i = 0; i < 100; i++) c.trainStep();
  const before = engine.memory.buffer.byteLength;
  for (let i = 0; i < 10000; i++) c.trainStep();
  const after = engine.memory.buffer.byteLength;
  result.memory = { calls: 10000, shape: shapeKey(SHAPES[0]), bytesBefore: before, bytesAfter: after, grew: after !== before };
  c.dispose();
}

for (const shape of SHAPES) {
  const [m, n] = shape;
  const c = engine.setup(m, n, caseData(m, n));
  const t = measure(() => c.trainStep(), timing);
  t.cost = costPerCall(() => c.trainStep(), Math.max(3, Math.min(t.callsPerSample, 50)));
  result.trainStep[shapeKey(shape)] = t;
  if (c.evalForward) result.evalForward[shapeKey(shape)] = measure(() => c.evalForward(), timing);
  c.dispose();
}
if (Object.keys(result.evalForward).length === 0) delete result.evalForward;   // training steps only (core-alone)

emit(result);
