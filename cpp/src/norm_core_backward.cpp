// NormCore: the backward pass, through the statistics (when the forward
// normalized with those of x) or through fixed ones (running statistics).
#include <stdexcept>
#include <utility>

#include "bn/kernels.hpp"
#include "bn/norm_core.hpp"
#include "norm_checks.hpp"
#include "norm_errors.hpp"
#include "norm_unfolded.hpp"
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
// backward_dx folds per-feature factors (bn/kernels.hpp); a feature whose
// factors do not fit a normal float takes the unfolded formula (norm_unfolded.hpp).
void NormCore::backward_columns() {
  const NormLayout& l = saved_.plan.layout;
  const int m = l.outer, n = l.stats;
  const float* dy = staging_dy_.data();
  const float* x = saved_x_.data();
  const kernels::Centering c{saved_.mean_hi.data(), saved_.mean_lo.data(), saved_.invstd.data()};
  // The staging statistics are free until the next forward: sums in
  // mean/var (double), per-feature factors in the float arrays.
  double* sum_dy = staging_.mean.data();
  double* sum_dy_xhat = staging_.var.data();
  kernels::fast::backward_reduce(dy, x, m, n, n, c.mean_hi, c.mean_lo, c.invstd, sum_dy, sum_dy_xhat);
  // A NaN or infinity in dy, or sums past float32 (the message says which).
  if (!detail::all_float32(sum_dy, n) || !detail::all_float32(sum_dy_xhat, n))
    detail::throw_dy_not_finite(dy, saved_.plan.layout.elements());
  detail::grow(dx_, l.elements());
  using kernels::Packed;
  constexpr int F = kernels::kDxFields;
  float* f = packed_factors_.data();
  float* mean_dy = staging_.invstd.data();
  float* mean_dy_xhat = staging_.beta.data();
  const bool through = saved_.plan.input_stats;
  bool all_dx_fold = true;
  for (int k = 0; k < n; ++k) {
    const double md = through ? sum_dy[k] / m : 0.0, mdx = through ? sum_dy_xhat[k] / m : 0.0;
    mean_dy[k] = static_cast<float>(md);
    mean_dy_xhat[k] = static_cast<float>(mdx);
    float slope, shift;
    kernels::dx_factors(c.invstd[k], c.mean_lo[k], md, mdx, slope, shift);
    f[Packed::at(k, F, Packed::mean_hi)] = c.mean_hi[k];
    f[Packed::at(k, F, Packed::scale)] = saved_.gamma[k] * c.invstd[k];
    f[Packed::at(k, F, Packed::slope)] = slope;
    f[Packed::at(k, F, Packed::dx_shift)] = shift;
    all_dx_fold &= detail::dx_fold_safe(slope, shift);
    dbeta_[k] = static_cast<float>(sum_dy[k]);
    dgamma_[k] = static_cast<float>(sum_dy_xhat[k]);
  }
  kernels::fast::backward_dx(dy, x, m, n, n, f, dx_.data());
  if (!all_dx_fold)
    for (int k = 0; k < n; ++k)
      if (!detail::dx_fold_safe(f[Packed::at(k, F, Packed::slope)], f[Packed::at(k, F, Packed::dx_shift)]))
        detail::backward_dx_unfolded(dy, x, m, n, k, c, f[Packed::at(k, F, Packed::scale)], mean_dy[k],
                                     mean_dy_xhat[k], dx_.data());
  if (saved_.wide_scale)   // scale_may_overflow of this forward's gamma and invstd
    detail::backward_dx_wide_scale(dy, x, m, n, c, saved_.gamma.data(), mean_dy, mean_dy_xhat, dx_.data());
}

}  // namespace bn
