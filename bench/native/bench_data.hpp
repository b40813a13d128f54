// Benchmark inputs, identical to bench/data.mjs: a 32-bit LCG
// s <- (1664525 s + 1013904223) mod 2^32, u = s / 2^32 * 2 - 1, value = offset + scale * u.
#pragma once

#include <cstdint>
#include <vector>

namespace bn::bench {

inline std::vector<float> lcg_array(std::size_t count, std::uint32_t seed, double offset = 0.0,
                                    double scale = 1.0) {
  std::vector<float> out(count);
  std::uint32_t s = seed;
  for (std::size_t i = 0; i < count; ++i) {
    s = s * 1664525u + 1013904223u;
    out[i] = static_cast<float>(offset + scale * ((static_cast<double>(s) / 4294967296.0) * 2.0 - 1.0));
  }
  return out;
}

struct CaseData {
  std::vector<float> x, dy, gamma, beta;
};

inline CaseData case_data(int batch, int features) {
  const std::size_t total = static_cast<std::size_t>(batch) * features;
  return {lcg_array(total, 1, 0.5, 2.0), lcg_array(total, 2, 0.0, 1.0),
          lcg_array(features, 3, 1.0, 0.5), lcg_array(features, 4, 0.0, 0.5)};
}

}  // namespace bn::bench
