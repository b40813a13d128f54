// Timing as bench/timing.mjs: warm-up (>= 150 ms and >= 3 calls), then 7
// samples of enough calls to last >= 25 ms each; median ms per call, on the
// process CPU-time clock (user + system; what the reports use on a shared
// machine) and on the wall clock.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
// Node's process.cpuUsage(): user + system CPU time of the process, in ms.
EM_JS(double, bn_bench_cpu_ms, (), {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
});
#else
#include <ctime>
inline double bn_bench_cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
#endif

namespace bn::bench {

struct Stats {
  double median_ms, min_ms, max_ms;
};

struct Timing {
  double median_ms, min_ms, max_ms;  // CPU time per call
  Stats wall;                        // wall-clock time per call
  int samples, calls_per_sample;
};

inline Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  const double median = v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return {median, v.front(), v.back()};
}

template <typename F>
Timing measure(F&& fn, bool quick) {
  using clock = std::chrono::steady_clock;
  const double warmup_ms = quick ? 20 : 150, min_sample_ms = quick ? 5 : 25;
  const int samples = quick ? 3 : 7;
  auto ms_since = [](clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock::now() - t0).count();
  };
  int calls = 0;
  const auto warm = clock::now();
  const double warm_cpu = bn_bench_cpu_ms();
  while (calls < 3 || ms_since(warm) < warmup_ms) {
    fn();
    ++calls;
  }
  const double estimate = std::min(ms_since(warm), bn_bench_cpu_ms() - warm_cpu) / calls;
  const int per_sample = std::max(1, static_cast<int>(std::ceil(min_sample_ms / std::max(estimate, 1e-6))));
  std::vector<double> cpu, wall;
  for (int s = 0; s < samples; ++s) {
    const auto t0 = clock::now();
    const double c0 = bn_bench_cpu_ms();
    for (int i = 0; i < per_sample; ++i) fn();
    wall.push_back(ms_since(t0) / per_sample);
    cpu.push_back((bn_bench_cpu_ms() - c0) / per_sample);
  }
  const Stats c = stats(cpu);
  return {c.median_ms, c.min_ms, c.max_ms, stats(wall), samples, per_sample};
}

}  // namespace bn::bench
