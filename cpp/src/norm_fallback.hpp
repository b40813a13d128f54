// The order-independent statistics of one statistic q, for where the
// one-pass kernels' shift (its first element) was unsafe: a large outlier
// first, or x - shift overflowing float32.
#pragma once

#include "bn/norm_layout.hpp"

namespace bn::detail {

// Two passes over the P * R elements of statistic q, all in double:
//   shift = (1/M) sum x;  d = x - shift;  s1 = sum d;  s2 = sum d^2
//   mean = shift + s1 / M;  var = max(0, (s2 - s1^2 / M) / M)
// No data point is special, nothing overflows for finite x; a NaN or an
// infinity in x gives a non-finite mean or var.
void fallback_statistic(const float* x, const NormLayout& l, int q, double& mean, double& var);

}  // namespace bn::detail
