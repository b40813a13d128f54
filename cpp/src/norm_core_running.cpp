// NormCore: the running statistics -- used in eval mode where tracked, and
// updated by training forwards.
#include <cmath>
#include <stdexcept>
#include <utility>

#include "bn/norm_core.hpp"
#include "norm_checks.hpp"
#include "norm_errors.hpp"

namespace bn {

using detail::kHalfFloatMax;

// The running statistics, statistic q using entry q % running.
// Returns whether some |x - mean| may reach the float range: only where x
// or the mean reaches half of it (|x - mean| <= |x| + |mean|).
bool NormCore::running_statistics(Saved& s, const float* x) const {
  const NormLayout& l = s.plan.layout;
  bool huge = detail::any_huge_or_non_finite(x, l.elements());
  if (huge && !detail::all_finite(x, l.elements()))
    detail::throw_x_not_finite();
  for (int q = 0, k = 0; q < l.stats; ++q) {   // k = q % running, without a division
    s.mean[q] = running_mean_[k];
    s.var[q] = running_var_[k];
    if (++k == config_.running) k = 0;
  }
  return huge || running_mean_huge_;
}

// The running statistics a training forward with statistics s leaves,
// into next_mean_ / next_var_ (committed by commit_running). For each
// running entry k, over the statistics q with q % running = k (one for
// BatchNorm; the N samples for InstanceNorm), count = Q / running:
//   running_mean_k <- (1 - f) running_mean_k + f (1/count) sum_q mean_q
//   running_var_k  <- (1 - f) running_var_k  + f (1/count) sum_q var_q M / (M - 1)
// (unbiased over the M elements of each statistic), f = momentum, or
// 1 / num_batches_tracked when momentum is null; f = 1 keeps the batch
// statistic alone (no 0 * old term). Throws std::invalid_argument naming x,
// before anything changes, when a running variance is not finite in float32
// (a batch variance past 3.4e38 from finite x): set_params refuses such
// running statistics too, and eval forwards would give NaN.
void NormCore::next_running(const Saved& s) {
  const bool counted = config_.count_batches;
  const double f = config_.momentum
                       ? *config_.momentum
                       : 1.0 / static_cast<double>(num_batches_tracked_ + (counted ? 1 : 0));
  const NormLayout& l = s.plan.layout;
  const int k_count = config_.running, per_entry = l.stats / k_count;
  const double m = static_cast<double>(l.reduced());
  bool huge = false;   // what note_running_mean() would say of next_mean_
  for (int k = 0; k < k_count; ++k) {
    double mean = 0.0, unbiased = 0.0;
    for (int q = k; q < l.stats; q += k_count) {
      mean += s.mean[q];
      unbiased += s.var[q] * m / (m - 1.0);
    }
    if (per_entry > 1) {   // InstanceNorm: the average over the samples
      mean /= per_entry;
      unbiased /= per_entry;
    }
    next_mean_[k] = static_cast<float>(f == 1.0 ? mean : (1.0 - f) * running_mean_[k] + f * mean);
    huge |= std::abs(next_mean_[k]) >= kHalfFloatMax;
    next_var_[k] = static_cast<float>(f == 1.0 ? unbiased : (1.0 - f) * running_var_[k] + f * unbiased);
    if (!std::isfinite(next_var_[k])) detail::throw_running_var_overflow(k, unbiased);
  }
  next_mean_huge_ = huge;
}

// Commits what next_running computed (same sizes: no allocation).
void NormCore::commit_running() {
  if (config_.count_batches) ++num_batches_tracked_;
  std::swap(running_mean_, next_mean_);
  std::swap(running_var_, next_var_);
  running_mean_huge_ = next_mean_huge_;   // next_running's note_running_mean(), in its loop
}

void NormCore::note_running_mean() {
  running_mean_huge_ = false;
  for (float v : running_mean_) running_mean_huge_ |= std::abs(v) >= kHalfFloatMax;
}

}  // namespace bn
