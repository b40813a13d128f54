// NormCore: the backward pass, through the statistics (when the forward
// normalized with those of x) or through fixed ones (running statistics).
#include <stdexcept>
#include <utility>

#include "bn/kernels.hpp"
#include "bn/norm_core.hpp"
#include "norm_checks.hpp"
#include "norm_errors.hpp"

namespace bn {

float* NormCore::staging_dy() {
  if (!saved_.valid) throw std::logic_error("backward called before any forward");
  detail::grow(staging_dy_, saved_.plan.layout.elements());
  return staging_dy_.data();
}

void NormCore::backward_staged() {
  if (!saved_.valid) throw std::logic_error("backward called before any forward");
  if (staging_dy_.size() < saved_.plan.layout.elements())
    throw std::logic_error("backward_staged: staging_dy() was not called");
  if (saved_.plan.layout.columns()) backward_columns();
  else backward_runs();
  // Commit: keep this dy for backward_trace() (a swap, no copy).
  std::swap(staging_dy_, saved_dy_);
  backward_valid_ = true;
}

// Column layout (BatchNorm on [N, C]), m = N:
//   dbeta_k  = sum_i dy_ik,  dgamma_k = sum_i dy_ik xhat_ik
//   through the statistics: dx_ik = gamma_k invstd_k (dy_ik - dbeta_k / m - xhat_ik dgamma_k / m)
//   fixed statistics:       dx_ik = gamma_k invstd_k dy_ik
void NormCore::backward_columns() {
  const NormLayout& l = saved_.plan.layout;
  const int m = l.outer, n = l.stats;
  // The staging statistics are free until the next forward: sums in
  // mean/var (double), per-feature factors in mean_hi/mean_lo (float).
  double* sum_dy = staging_.mean.data();
  double* sum_dy_xhat = staging_.var.data();
  kernels::fast::backward_reduce(staging_dy_.data(), saved_x_.data(), m, n, saved_.mean_hi.data(),
                                 saved_.mean_lo.data(), saved_.invstd.data(), sum_dy, sum_dy_xhat);
  if (!detail::all_finite(sum_dy, n) || !detail::all_finite(sum_dy_xhat, n))
    detail::throw_dy_not_finite();
  detail::grow(dx_, l.elements());
  float* scale = scale_.data();
  float* mean_dy = staging_.mean_hi.data();
  float* mean_dy_xhat = staging_.mean_lo.data();
  const bool through = saved_.plan.input_stats;
  for (int k = 0; k < n; ++k) {
    scale[k] = saved_.gamma[k] * saved_.invstd[k];
    mean_dy[k] = through ? static_cast<float>(sum_dy[k] / m) : 0.0f;
    mean_dy_xhat[k] = through ? static_cast<float>(sum_dy_xhat[k] / m) : 0.0f;
    dbeta_[k] = static_cast<float>(sum_dy[k]);
    dgamma_[k] = static_cast<float>(sum_dy_xhat[k]);
  }
  kernels::fast::backward_dx(staging_dy_.data(), saved_x_.data(), m, n, saved_.mean_hi.data(),
                             saved_.mean_lo.data(), saved_.invstd.data(), scale, mean_dy,
                             mean_dy_xhat, dx_.data());
}

// Any layout, M elements per statistic, dxhat = gamma_a dy:
//   dbeta_a = sum dy, dgamma_a = sum dy xhat (over the elements of parameter a)
//   through the statistics: dx = invstd_q (dxhat - mean_q(dxhat) - xhat mean_q(dxhat xhat))
//   fixed statistics:       dx = gamma_a invstd_q dy
void NormCore::backward_runs() {
  const NormLayout& l = saved_.plan.layout;
  const kernels::Centering c{saved_.mean_hi.data(), saved_.mean_lo.data(), saved_.invstd.data()};
  const float* dy = staging_dy_.data();
  // Scratch as in backward_columns: the staging statistics.
  double* sum_dxhat = staging_.mean.data();
  double* sum_dxhat_xhat = staging_.var.data();
  detail::grow(param_a_, static_cast<std::size_t>(l.params()));   // once (the column layout needs none)
  detail::grow(param_b_, static_cast<std::size_t>(l.params()));
  runs_->backward_sums(dy, saved_x_.data(), l, c, saved_.gamma.data(), sum_dxhat, sum_dxhat_xhat,
                       param_a_.data(), param_b_.data());
  // Every element adds into exactly one dbeta sum: a NaN or infinity in dy
  // makes one non-finite.
  if (!detail::all_finite(param_b_.data(), l.params()) ||
      !detail::all_finite(param_a_.data(), l.params()) ||
      !detail::all_finite(sum_dxhat, l.stats) || !detail::all_finite(sum_dxhat_xhat, l.stats))
    detail::throw_dy_not_finite();
  detail::grow(dx_, l.elements());
  const double m = static_cast<double>(l.reduced());
  const bool through = saved_.plan.input_stats;
  float* k1 = staging_.mean_hi.data();
  float* k2 = staging_.mean_lo.data();
  for (int q = 0; q < l.stats; ++q) {
    k1[q] = through ? static_cast<float>(sum_dxhat[q] / m) : 0.0f;
    k2[q] = through ? static_cast<float>(sum_dxhat_xhat[q] / m) : 0.0f;
  }
  for (int a = 0; a < l.params(); ++a) {
    dgamma_[a] = static_cast<float>(param_a_[a]);
    dbeta_[a] = static_cast<float>(param_b_[a]);
  }
  runs_->backward_dx(dy, saved_x_.data(), l, c, saved_.gamma.data(), k1, k2, dx_.data());
}

}  // namespace bn
