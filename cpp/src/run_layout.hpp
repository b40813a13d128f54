// What the scalar and SIMD run kernels share: where a run starts and how
// the shifted sums become mean and variance.
#pragma once

#include <cstddef>

#include "bn/norm_layout.hpp"

namespace bn::kernels::detail {

// Offset of the run x[p, q, 0..R).
inline std::size_t run_offset(const NormLayout& l, int p, int q) {
  return (static_cast<std::size_t>(p) * l.stats + q) * static_cast<std::size_t>(l.inner);
}

// mean_q (holding s1_q) <- shift_q + s1_q / M; var_q (holding s2_q) <-
// max(0, (s2_q - s1_q^2 / M) / M), with shift_q = x[0, q, 0].
inline void finish_mean_var(const float* x, const NormLayout& l, double* mean, double* var) {
  const double m = static_cast<double>(l.reduced());
  for (int q = 0; q < l.stats; ++q) {
    const double s1 = mean[q], s2 = var[q];
    mean[q] = static_cast<double>(x[run_offset(l, 0, q)]) + s1 / m;
    const double v = (s2 - s1 * s1 / m) / m;
    var[q] = v > 0.0 ? v : 0.0;
  }
}

}  // namespace bn::kernels::detail
