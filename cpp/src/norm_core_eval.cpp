// NormCore: the eval forward of the column layout (BatchNorm1d on [N, C])
// with its fixed statistics folded into one multiply-add per element,
//   y_ik = x_ik a_k + b_k,  a_k = fl(gamma_k invstd_k),  b_k = fl(beta_k - mean_k a_k)
// (mean_k a_k in double), in one pass over x that also tests every x for
// NaN, Infinity or |x| >= 2^127 on its bits (no separate scan of x).
//
// Accuracy: x a = gamma xhat + mean a, so the product and the shift carry
// rounding errors of |gamma| (|xhat| + |mean invstd|) 2^-24 each, where the
// unfolded formula's are |gamma xhat| 2^-24. Folding is used only where
// every |mean_k| invstd_k <= kFoldLimit: the error stays within a few
// float roundings of gamma (the golden tests, tests/cpp/test_golden.cpp).
// Elsewhere (a running mean far from 0 in standard deviations, e.g. a large
// offset, a gamma invstd that may pass float32, or x that needs the careful
// checks) the unfolded path runs.
#include <cmath>
#include <utility>

#include "bn/kernels.hpp"
#include "bn/norm_core.hpp"
#include "norm_checks.hpp"
#include "norm_wide_scale.hpp"

namespace bn {
namespace {

constexpr double kFoldLimit = 4.0;

}  // namespace

// Returns true with y in saved_y_ (the previous y swapped into staging_y_,
// which forward_staged grows with saved_y_);
// false with nothing changed when folding does not apply. Throws (nothing
// changed) where the unfolded path would: an eps too small for float32.
bool NormCore::forward_folded(Saved& s, const float* x) {
  const NormLayout& l = s.plan.layout;
  if (running_mean_huge_ || config_.running != l.stats) return false;
  for (int q = 0; q < l.stats; ++q) {
    s.mean[q] = running_mean_[q];
    s.var[q] = running_var_[q];
  }
  finish_statistics(s, x, false);   // invstd, mean hi/lo (backward, trace), gamma, beta; may throw
  // A folded factor past float32 (main's wide-scale case) needs the unfolded
  // path and its double recomputation (norm_wide_scale.hpp).
  s.wide_scale = detail::scale_may_overflow(s.gamma.data(), config_.params, s.invstd.data(), l.stats);
  if (s.wide_scale) return false;
  float* a = scale_.data();
  float* b = fold_shift_.data();
  for (int q = 0; q < l.stats; ++q) {
    if (!(std::abs(s.mean[q]) * s.invstd[q] <= kFoldLimit)) return false;
    a[q] = s.gamma[q] * s.invstd[q];
    b[q] = static_cast<float>(static_cast<double>(s.beta[q]) - s.mean[q] * static_cast<double>(a[q]));
  }
  if (!kernels::fast::scale_shift(x, l.outer, l.stats, a, b, staging_y_.data())) return false;
  std::swap(staging_y_, saved_y_);
  return true;
}

}  // namespace bn
