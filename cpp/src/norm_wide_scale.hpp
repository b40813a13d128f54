// Where the fast kernels' folded factor fl(gamma_a * invstd_q) overflows
// float32 (a huge gamma, or an eps so small that invstd is huge) although
// the result does not: the folded factor is Infinity, and y = c * Inf is
// Infinity where it is finite, or NaN where c = 0 (a constant run). The
// elements of those parameters are computed again here, in double.
#pragma once

#include "bn/norm_layout.hpp"
#include "bn/run_kernels.hpp"

namespace bn::detail {

// true when some fl(gamma_a * invstd_q) may overflow float32:
//   max_a |gamma_a| * max_q invstd_q > FLT_MAX / 2
// (cheap: one pass over the parameters and the statistics).
bool scale_may_overflow(const float* gamma, int params, const float* invstd, int stats);

// For every element (q, r) whose |gamma_a * invstd_q| passes FLT_MAX, a = affine_index(q, r):
//   c = fl(fl(x - mean_hi_q) - mean_lo_q)
//   y = fl((double(c) * invstd_q) * gamma_a + beta_a)
void normalize_wide_scale(const float* x, const NormLayout& l, const kernels::Centering& c,
                          const float* gamma, const float* beta, float* y);

// The column layout's dx (bn/kernels.hpp backward_dx), for every column k
// whose |gamma_k * invstd_k| passes FLT_MAX:
//   xhat = fl(c * invstd_k);  g = fl(fl(dy - mean_dy_k) - fl(xhat * mean_dy_xhat_k))
//   dx = fl((double(g) * invstd_k) * gamma_k)
void backward_dx_wide_scale(const float* dy, const float* x, int m, int n,
                            const kernels::Centering& c, const float* gamma,
                            const float* mean_dy, const float* mean_dy_xhat, float* dx);

}  // namespace bn::detail
