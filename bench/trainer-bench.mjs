// Child process: trainer steps per second, one JSON line.
//   node bench/trainer-bench.mjs simd|scalar|tfjs [--deep] [--quick]
// Default: the 2-16-16-2 network with BatchNorm1d, batch 32, SGD lr 0.1.
// --deep: the networks of bench/deep-networks.mjs (depth 20, 50, 100 residual).
// Ours: bn.Trainer (the public API) stepped STEPS_PER_CALL steps per call,
// as the live page does per animation frame. TF.js: one custom step per call.
import { loadBN } from "../web/js/bn.js";
import { openTfjs } from "./adapters/tfjs.mjs";
import { makeTfjsTrainer } from "./adapters/tfjs-trainer.mjs";
import { DEEP_BATCH, DEEP_LR, DEEP_NETWORKS, DEEP_STEPS_PER_CALL, DEEP_WIDTH } from "./deep-networks.mjs";
import { measure, emit } from "./timing.mjs";
import { STEPS_PER_CALL, TRAINER_OPTIONS } from "./data.mjs";


const engine = process.argv[2];
const quick = process.argv.includes("--quick");
const deep = process.argv.includes("--deep");
const timing = quick ? { warmupMs: 20, samples: 3, minSampleMs: 5 } : {};

// The networks to time: [key, our Trainer options, TF.js trainer options].
const networks = deep
  ? DEEP_NETWORKS.map((n) => [n.key,
    { ...TRAINER_OPTIONS, hidden: Array(n.depth).fill(DEEP_WIDTH), residual: n.residual, lr: DEEP_LR, batchSize: DEEP_BATCH },
    { hidden: Array(n.depth).fill(DEEP_WIDTH), residual: n.residual, lr: DEEP_LR, batchSize: DEEP_BATCH }])
  : [["default", TRAINER_OPTIONS, {}]];
const perCall = deep ? DEEP_STEPS_PER_CALL : STEPS_PER_CALL;

function result(t, stepsPerCall, loss) {
  return { stepsPerCall, stepMs: t, stepsPerSecond: (1000 * stepsPerCall) / t.medianMs, finiteLoss: Number.isFinite(loss) };
}

if (engine === "simd" || engine === "scalar") {
  const bn = await loadBN({ simd: engine === "simd" });
  const out = {};
  for (const [key, options] of networks) {
    const tr = new bn.Trainer(options);
    const t = measure(() => tr.step(perCall), timing);
    out[key] = result(t, perCall, tr.step(1));
    tr.dispose();
  }
  emit(deep ? { engine: `ours-${engine}`, deep: out } : { engine: `ours-${engine}`, ...out.default });
} else if (engine === "tfjs") {
  const { tf, info } = await openTfjs();
  const out = {};
  for (const [key, , options] of networks) {
    const tr = makeTfjsTrainer(tf, options);
    const t = measure(() => tr.step(), { ...timing, minWarmupCalls: quick ? 5 : deep ? 20 : 60 });   // JIT warm-up
    out[key] = result(t, 1, tr.step());
    tr.dispose();
  }
  emit(deep ? { engine: "tfjs-wasm", info, deep: out } : { engine: "tfjs-wasm", info, ...out.default });
} else {
  console.error("usage: node bench/trainer-bench.mjs simd|scalar|tfjs [--deep] [--quick]");
  process.exit(2);
}
