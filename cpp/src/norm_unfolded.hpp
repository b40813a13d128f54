// backward_dx folds invstd and mean_lo into two per-feature factors
// (bn/kernels.hpp, dx_factors). Where those do not fit a normal float
// (invstd mean_dy_xhat past float32 while gamma invstd mean_dy_xhat is not:
// slope = Infinity, and 0 * Infinity = NaN where x = mean) this recomputes
// the feature's column with the unfolded formula, after the kernel wrote it.
#pragma once

#include <cfloat>
#include <cmath>

#include "bn/run_kernels.hpp"

namespace bn::detail {

// Whether a feature's dx may fold: shift finite, slope 0 or a normal float
// (inline: it runs per feature on every backward, the trainer's included).
inline bool dx_fold_safe(float slope, float shift) {
  const float s = std::fabs(slope);
  return std::isfinite(shift) && (s == 0.0f || (s >= FLT_MIN && s <= FLT_MAX));
}

// Column k of [m, n] (row stride n), xhat_ik = ((x_ik - mean_hi_k) - mean_lo_k) invstd_k:
//   dx_ik = scale_k ((dy_ik - mean_dy_k) - xhat_ik mean_dy_xhat_k)
void backward_dx_unfolded(const float* dy, const float* x, int m, int n, int k,
                          const kernels::Centering& c, float scale, float mean_dy,
                          float mean_dy_xhat, float* dx);

}  // namespace bn::detail
