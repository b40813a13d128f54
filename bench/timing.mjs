// Timing: warm-up, then `samples` timed samples of enough calls each to last
// at least `minSampleMs`; the result is the median time per call.
//
// Two clocks per sample: the process's CPU time (user + system, all threads:
// process.cpuUsage) and the wall clock. The reports use CPU time: on a
// machine shared with other work, wall time also counts the moments the
// process waited for a core. The wall-clock figures stay in results.json.
import { performance } from "node:perf_hooks";

export const DEFAULT_TIMING = { warmupMs: 150, minWarmupCalls: 3, samples: 7, minSampleMs: 25 };

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function measure(fn, options = {}) {
  const { warmupMs, minWarmupCalls, samples, minSampleMs } = { ...DEFAULT_TIMING, ...options };
  let calls = 0;
  const warmStart = performance.now(), warmCpu = cpuMs();
  while (calls < minWarmupCalls || performance.now() - warmStart < warmupMs) {
    fn();
    calls++;
  }
  const estimate = Math.min(performance.now() - warmStart, cpuMs() - warmCpu) / calls;
  const perSample = Math.max(1, Math.ceil(minSampleMs / Math.max(estimate, 1e-6)));
  const cpu = [], wall = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now(), c0 = cpuMs();
    for (let i = 0; i < perSample; i++) fn();
    wall.push((performance.now() - t0) / perSample);
    cpu.push((cpuMs() - c0) / perSample);
  }
  return { ...summarize(cpu, perSample), clock: "cpu", wall: summarize(wall, perSample) };
}

export function summarize(timesMs, callsPerSample = 1) {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs: median, minMs: sorted[0], maxMs: sorted[sorted.length - 1], samples: sorted.length, callsPerSample };
}

// Child benchmarks print exactly one JSON line on stdout.
export function emit(result) {
  process.stdout.write(JSON.stringify(result) + "\n");
}
