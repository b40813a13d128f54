// NormCore::prepare and what only layouts other than columns need (the run
// kernels, backward_runs, the growth of the per-statistic buffers), on their
// own so that only the programs that plan such layouts link them.
#include "bn/norm_core.hpp"
#include "bn/run_kernels.hpp"
#include "norm_checks.hpp"
#include "norm_errors.hpp"

namespace bn {

void NormCore::prepare(const NormLayout& l) {
  if (!l.columns()) enable_run_kernels();
  const std::size_t q_count = static_cast<std::size_t>(l.stats);
  if (q_count <= stat_capacity_) return;
  for (Saved* s : {&staging_, &saved_}) {   // after a commit swap, staging_ is backward's scratch
    detail::grow(s->mean, q_count);
    detail::grow(s->var, q_count);
    detail::grow(s->mean_hi, q_count);
    detail::grow(s->mean_lo, q_count);
    detail::grow(s->invstd, q_count);
  }
  detail::grow(scale_, q_count);
  detail::grow(fold_shift_, q_count);
  for (std::vector<float>* v : {&save_.mean_hi, &save_.mean_lo, &save_.invstd}) detail::grow(*v, q_count);
  stat_capacity_ = q_count;
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
  // makes one non-finite; a sum past float32 is refused too (the message
  // says which).
  if (!detail::all_float32(param_b_.data(), l.params()) ||
      !detail::all_float32(param_a_.data(), l.params()) ||
      !detail::all_float32(sum_dxhat, l.stats) || !detail::all_float32(sum_dxhat_xhat, l.stats))
    detail::throw_dy_not_finite(staging_dy_.data(), saved_.plan.layout.elements());
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

void NormCore::enable_run_kernels() {
  static constexpr kernels::RunKernels kTable{
      &kernels::fast::run_mean_var, &kernels::fast::run_normalize,
      &kernels::fast::run_backward_sums, &kernels::fast::run_backward_dx};
  runs_ = &kTable;
  backward_runs_ = &NormCore::backward_runs;
}

}  // namespace bn
