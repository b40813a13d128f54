// NormCore: the backward pass, through the statistics (when the forward
// normalized with those of x) or through fixed ones (running statistics).
#include <stdexcept>
#include <utility>

#include "bn/kernels.hpp"
#include "bn/norm_core.hpp"
#include "norm_checks.hpp"
#include "norm_errors.hpp"
#include "norm_wide_scale.hpp"

namespace bn {

float* NormCore::staging_dy() {
  if (!saved_.valid) detail::throw_logic("backward called before any forward");
  detail::grow(staging_dy_, saved_.plan.layout.elements());
  return staging_dy_.data();
}

void NormCore::backward_staged() {
  if (!saved_.valid) detail::throw_logic("backward called before any forward");
  if (staging_dy_.size() < saved_.plan.layout.elements())
    detail::throw_logic("backward_staged: staging_dy() was not called");
  if (saved_.plan.layout.columns()) backward_columns();
  else (this->*backward_runs_)();   // set by prepare(), with the run kernels
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
  kernels::fast::backward_reduce(staging_dy_.data(), saved_x_.data(), m, n, n, saved_.mean_hi.data(),
                                 saved_.mean_lo.data(), saved_.invstd.data(), sum_dy, sum_dy_xhat);
  // A NaN or infinity in dy, or sums past float32 (the message says which).
  if (!detail::all_float32(sum_dy, n) || !detail::all_float32(sum_dy_xhat, n))
    detail::throw_dy_not_finite(staging_dy_.data(), saved_.plan.layout.elements());
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
  kernels::fast::backward_dx(staging_dy_.data(), saved_x_.data(), m, n, n, saved_.mean_hi.data(),
                             saved_.mean_lo.data(), saved_.invstd.data(), scale, mean_dy,
                             mean_dy_xhat, dx_.data());
  const kernels::Centering c{saved_.mean_hi.data(), saved_.mean_lo.data(), saved_.invstd.data()};
  if (saved_.wide_scale)   // scale_may_overflow of this forward's gamma and invstd
    detail::backward_dx_wide_scale(staging_dy_.data(), saved_x_.data(), m, n, c, saved_.gamma.data(),
                                   mean_dy, mean_dy_xhat, dx_.data());
}

}  // namespace bn
