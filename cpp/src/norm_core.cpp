// NormCore: parameters and the forward pass (statistics, their checks,
// normalize, commit). The running statistics are in norm_core_running.cpp,
// backward in norm_core_backward.cpp, traces in norm_core_trace.cpp.
#include "bn/norm_core.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "bn/kernels.hpp"
#include "norm_checks.hpp"
#include "norm_errors.hpp"
#include "norm_fallback.hpp"
#include "norm_wide_scale.hpp"

namespace bn {
namespace {

using detail::grow;

using detail::kHalfFloatMax;

// The one-pass statistics are kept where the shift (the statistic's first
// element) lies within kSafeShift standard deviations of the mean: their
// error is then at most 2^-23 (1 + z + 2 z^2) of var and 2^-24 (1 + z)
// standard deviations for the mean, z = |shift - mean| / std (worst case,
// every rounding of x - shift in the same direction; typical errors are far
// smaller). 5 is the smallest threshold that never falls back on the
// trainer's batches (bit-identical losses, tests/data/trainer_losses.json).
constexpr double kSafeShift = 5.0;


}  // namespace

NormCore::NormCore(const NormConfig& config) : config_(config) {
  const std::size_t n = static_cast<std::size_t>(config.params);
  if (config.affine) {
    gamma_.assign(n, 1.0f);
    beta_.assign(n, 0.0f);
  }
  running_mean_.assign(static_cast<std::size_t>(config.running), 0.0f);
  running_var_.assign(static_cast<std::size_t>(config.running), 1.0f);
  next_mean_.assign(static_cast<std::size_t>(config.running), 0.0f);
  next_var_.assign(static_cast<std::size_t>(config.running), 0.0f);
  dgamma_.assign(n, 0.0f);
  dbeta_.assign(n, 0.0f);
  // Per-statistic buffers sized for one statistic per parameter (BatchNorm;
  // the other layers grow them with the batch).
  scale_.assign(n, 0.0f);
  fold_shift_.assign(n, 0.0f);
  for (std::vector<float>* v : {&save_.mean_hi, &save_.mean_lo, &save_.invstd}) v->assign(n, 0.0f);
  for (Saved* s : {&saved_, &staging_}) {
    s->mean.assign(n, 0.0);
    s->var.assign(n, 0.0);
    s->mean_hi.assign(n, 0.0f);
    s->mean_lo.assign(n, 0.0f);
    s->invstd.assign(n, 0.0f);
    s->gamma.assign(n, 1.0f);
    s->beta.assign(n, 0.0f);
  }
  stat_capacity_ = n;
}

void NormCore::set_params(const float* gamma, const float* beta, const float* running_mean,
                          const float* running_var) {
  if ((gamma || beta) && !config_.affine)
    detail::throw_invalid("gamma/beta cannot be set: the layer was built with affine: false");
  if ((running_mean || running_var) && config_.running == 0)
    detail::throw_invalid("runningMean/runningVar cannot be set: the layer tracks no running statistics");
  const int n = config_.params, r = config_.running;
  if (gamma) detail::check_array("gamma", gamma, n, false);
  if (beta) detail::check_array("beta", beta, n, false);
  if (running_mean) detail::check_array("runningMean", running_mean, r, false);
  if (running_var) detail::check_array("runningVar", running_var, r, true);
  if (gamma) std::memcpy(gamma_.data(), gamma, sizeof(float) * n);
  if (beta) std::memcpy(beta_.data(), beta, sizeof(float) * n);
  if (running_mean) {
    std::memcpy(running_mean_.data(), running_mean, sizeof(float) * r);
    note_running_mean();
  }
  if (running_var) std::memcpy(running_var_.data(), running_var, sizeof(float) * r);
}

float* NormCore::staging_input(std::size_t elements) {
  grow(staging_x_, elements);
  return staging_x_.data();
}

// The statistics of x itself (bn/norm_core.hpp): one pass shifted by each
// statistic's first element, kept where that shift was within kSafeShift
// standard deviations of the mean; the others again in two passes around
// their mean, in double (fallback_statistic). Returns whether some
// |x - mean| may reach half the float range.
bool NormCore::input_statistics(Saved& s, const float* x) {
  const NormLayout& l = s.plan.layout;
  const double m = static_cast<double>(l.reduced());
  if (l.columns()) kernels::fast::batch_mean_var(x, l.outer, l.stats, s.mean.data(), s.var.data());
  else runs_->mean_var(x, l, s.mean.data(), s.var.data());
  // Safe: (shift - mean)^2 <= kSafeShift^2 var, var finite (then so is the
  // mean). A branch-free pass first (it vectorizes); only where it fails,
  // statistic by statistic, the fallback.
  const double limit = kSafeShift * kSafeShift, wide = kHalfFloatMax * kHalfFloatMax;
  auto safe = [&](int q) {
    const double off = x[static_cast<std::size_t>(q) * l.inner] - s.mean[q];
    return (off * off <= limit * s.var[q]) & (s.var[q] <= DBL_MAX);
  };
  bool all_safe = true, maybe_wide = false;
  for (int q = 0; q < l.stats; ++q) {
    all_safe &= safe(q);
    maybe_wide |= m * s.var[q] >= wide;
  }
  if (all_safe) return maybe_wide;
  for (int q = 0; q < l.stats; ++q) {
    if (safe(q)) continue;
    detail::fallback_statistic(x, l, q, s.mean[q], s.var[q]);
    // A NaN or an infinity anywhere makes its statistic's double sums
    // non-finite (finite floats cannot overflow them).
    if (!std::isfinite(s.mean[q]) || !std::isfinite(s.var[q]))
      detail::throw_x_not_finite();
    maybe_wide |= m * s.var[q] >= wide;
  }
  return maybe_wide;
}

// mean_hi/lo, invstd = 1 / sqrt(var + eps) and the parameters of this
// forward; throws naming eps when invstd overflows float32, naming x when
// some x - mean does.
void NormCore::finish_statistics(Saved& s, const float* x, bool maybe_wide) const {
  const NormLayout& l = s.plan.layout;
  // Branch-free first (it vectorizes); the check after it, statistic by
  // statistic only where some invstd overflowed.
  bool all_fit = true;
  for (int q = 0; q < l.stats; ++q) {
    const double inv = 1.0 / std::sqrt(s.var[q] + config_.eps);
    all_fit &= inv <= FLT_MAX;
    s.mean_hi[q] = static_cast<float>(s.mean[q]);
    s.mean_lo[q] = static_cast<float>(s.mean[q] - static_cast<double>(s.mean_hi[q]));
    s.invstd[q] = static_cast<float>(inv);
  }
  if (!all_fit)
    for (int q = 0; q < l.stats; ++q) {
      const double inv = 1.0 / std::sqrt(s.var[q] + config_.eps);
      if (!(inv <= FLT_MAX)) detail::throw_eps_too_small(config_.eps, inv, q, s.var[q]);
    }
  if (maybe_wide)
    for (int p = 0; p < l.outer; ++p)
      for (int q = 0; q < l.stats; ++q) {
        const float* run = x + (static_cast<std::size_t>(p) * l.stats + q) * l.inner;
        for (int r = 0; r < l.inner; ++r)
          if (!std::isfinite((run[r] - s.mean_hi[q]) - s.mean_lo[q]))
            detail::throw_x_spreads(run[r], s.mean[q], q);
      }
  for (int a = 0; a < config_.params; ++a) {
    s.gamma[a] = config_.affine ? gamma_[a] : 1.0f;
    s.beta[a] = config_.affine ? beta_[a] : 0.0f;
  }
}

void NormCore::forward_staged(const ForwardPlan& plan, const std::int64_t* dims, int rank,
                              bool training) {
  const NormLayout& l = plan.layout;
  const std::size_t total = l.elements(), q_count = static_cast<std::size_t>(l.stats);
  if (staging_x_.size() < total)
    detail::throw_logic("forward_staged: staging_input was not called for this input");
  if (l.params() != config_.params || (!plan.input_stats && config_.running == 0) ||
      (!l.columns() && runs_ == nullptr) || q_count > stat_capacity_)
    detail::throw_logic("forward_staged: the plan does not fit this layer (or prepare() was not called)");
  grow(saved_y_, total);
  grow(staging_y_, total);   // the folded eval's y: grown with saved_y_, so that no later call grows the heap
  if (l.columns())   // the kernels' packed factors (backward's too): grown here, before anything changes
    grow(packed_factors_, static_cast<std::size_t>(kernels::Packed::floats(l.stats, kernels::kDxFields)));
  staging_.plan = plan;
  staging_.training = training;
  if (rank > kMaxRank) detail::throw_logic("forward_staged: shape of too many dimensions");
  staging_.rank = rank;
  std::copy(dims, dims + rank, staging_.dims);
  const float* x = staging_x_.data();
  if (!plan.input_stats && !plan.update_running && l.columns() && forward_folded(staging_, x))
    return commit_forward(training);
  const bool maybe_wide =
      plan.input_stats ? input_statistics(staging_, x) : running_statistics(staging_, x);
  finish_statistics(staging_, x, maybe_wide);   // may throw: nothing changed yet
  if (plan.update_running) next_running(staging_);   // may throw too
  // Nothing can fail past this point: y goes straight into the output buffer.
  //   y = ((x - mean_hi) - mean_lo) * fl(gamma * invstd) + beta
  const kernels::Centering c{staging_.mean_hi.data(), staging_.mean_lo.data(),
                             staging_.invstd.data()};
  if (l.columns()) {
    // Folded: y = fl(x - mean_hi) * scale + fl(beta - mean_lo * scale).
    using kernels::Packed;
    constexpr int F = kernels::kNormalizeFields;
    float* f = packed_factors_.data();
    for (int q = 0; q < l.stats; ++q) {
      const float scale = staging_.gamma[q] * staging_.invstd[q];
      f[Packed::at(q, F, Packed::mean_hi)] = c.mean_hi[q];
      f[Packed::at(q, F, Packed::scale)] = scale;
      f[Packed::at(q, F, Packed::shift)] = kernels::folded_shift(staging_.beta[q], c.mean_lo[q], scale);
    }
    kernels::fast::normalize(x, l.outer, l.stats, f, saved_y_.data());
  } else {
    runs_->normalize(x, l, c, staging_.gamma.data(), staging_.beta.data(), saved_y_.data());
  }
  staging_.wide_scale = detail::scale_may_overflow(staging_.gamma.data(), config_.params, c.invstd, l.stats);
  if (staging_.wide_scale)
    detail::normalize_wide_scale(x, l, c, staging_.gamma.data(), staging_.beta.data(), saved_y_.data());
  commit_forward(training);
}

// Makes the staged forward (statistics in staging_, y in saved_y_) the last
// one: saved statistics, x, running statistics, save_mean / save_invstd.
void NormCore::commit_forward(bool training) {
  const std::size_t q_count = static_cast<std::size_t>(staging_.plan.layout.stats);
  staging_.valid = true;
  swap(staging_, saved_);
  std::swap(staging_x_, saved_x_);
  backward_valid_ = false;   // the last backward belonged to the previous forward
  if (saved_.plan.update_running) commit_running();
  if (training && saved_.plan.input_stats) {   // buffers of the same room: plain copies
    const std::size_t bytes = sizeof(float) * q_count;
    std::memcpy(save_.mean_hi.data(), saved_.mean_hi.data(), bytes);
    std::memcpy(save_.mean_lo.data(), saved_.mean_lo.data(), bytes);
    std::memcpy(save_.invstd.data(), saved_.invstd.data(), bytes);
    save_.stats = saved_.plan.layout.stats;
    save_.valid = true;
  }
}

}  // namespace bn
