// Child process: trainer steps per second (2-16-16-2 with BatchNorm1d, batch
// 32, SGD lr 0.1), one JSON line.
//   node bench/trainer-bench.mjs simd|scalar|tfjs [--quick]
// Ours: bn.Trainer (the public API) stepped STEPS_PER_CALL steps per call,
// as the live page does per animation frame. TF.js: one custom step per call.
import { loadBN } from "../web/js/bn.js";
import { openTfjs } from "./adapters/tfjs.mjs";
import { makeTfjsTrainer } from "./adapters/tfjs-trainer.mjs";
import { measure, emit } from "./timing.mjs";
import { STEPS_PER_CALL, TRAINER_OPTIONS } from "./data.mjs";


const engine = process.argv[2];
const quick = process.argv.includes("--quick");
const timing = quick ? { warmupMs: 20, samples: 3, minSampleMs: 5 } : {};

if (engine === "simd" || engine === "scalar") {
  const bn = await loadBN({ simd: engine === "simd" });
  if (typeof bn.Trainer !== "function") {
    emit({ engine: `ours-${engine}`, skipped: "bn.Trainer is not available in this build" });
  } else {
    const tr = new bn.Trainer(TRAINER_OPTIONS);
    const t = measure(() => tr.step(STEPS_PER_CALL), timing);
    const loss = tr.step(1);
    tr.dispose();
    emit({ engine: `ours-${engine}`, stepsPerCall: STEPS_PER_CALL, stepMs: t,
      stepsPerSecond: (1000 * STEPS_PER_CALL) / t.medianMs, finiteLoss: Number.isFinite(loss) });
  }
} else if (engine === "tfjs") {
  const { tf, info } = await openTfjs();
  const tr = makeTfjsTrainer(tf);
  const t = measure(() => tr.step(), { ...timing, minWarmupCalls: quick ? 5 : 60 });   // JIT warm-up
  const loss = tr.step();
  tr.dispose();
  emit({ engine: "tfjs-wasm", info, stepsPerCall: 1, stepMs: t, stepsPerSecond: 1000 / t.medianMs,
    finiteLoss: Number.isFinite(loss) });
} else {
  console.error("usage: node bench/trainer-bench.mjs simd|scalar|tfjs [--quick]");
  process.exit(2);
}
