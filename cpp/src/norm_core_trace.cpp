// NormCore: every intermediate of the last forward and backward, for the
// stepper and tests (bn/trace.hpp). Not on the hot path: plain loops.
#include <cmath>
#include <cstddef>
#include <stdexcept>

#include "bn/norm_core.hpp"
#include "norm_errors.hpp"

namespace bn {

namespace {

// The per-element intermediates of one forward, as float32:
//   xc = (x - mean_hi_q) - mean_lo_q,   xhat = xc * invstd_q
// (xc may be null). trace() and training_xhat() share it, so their x-hat
// agree bit for bit.
void center_and_scale(const float* x, const NormLayout& l, const float* mean_hi,
                      const float* mean_lo, const float* invstd, float* xc, float* xhat) {
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q)
      for (int r = 0; r < l.inner; ++r) {
        const std::size_t at = (static_cast<std::size_t>(p) * l.stats + q) * l.inner + r;
        const float c = (x[at] - mean_hi[q]) - mean_lo[q];
        if (xc) xc[at] = c;
        xhat[at] = c * invstd[q];
      }
}

}  // namespace

Trace NormCore::trace() const {
  if (!saved_.valid) detail::throw_logic("trace called before any forward");
  const NormLayout& l = saved_.plan.layout;
  const std::size_t total = l.elements();
  Trace t;
  t.training = saved_.training;
  t.batch = saved_.plan.samples;
  t.features = config_.params;
  t.shape = last_shape();
  for (int q = 0; q < l.stats; ++q) {
    t.mean.push_back(static_cast<float>(saved_.mean[q]));
    t.var.push_back(static_cast<float>(saved_.var[q]));
    t.std.push_back(static_cast<float>(std::sqrt(saved_.var[q] + config_.eps)));
    t.inv_std.push_back(saved_.invstd[q]);
  }
  if (save_.valid) {   // the batch mean in float32, and invstd
    t.save_mean.assign(save_.mean_hi.begin(), save_.mean_hi.begin() + save_.stats);
    t.save_invstd.assign(save_.invstd.begin(), save_.invstd.begin() + save_.stats);
  }
  t.y.assign(saved_y_.begin(), saved_y_.begin() + static_cast<std::ptrdiff_t>(total));
  t.x_centered.resize(total);
  t.xhat.resize(total);
  center_and_scale(saved_x_.data(), l, saved_.mean_hi.data(), saved_.mean_lo.data(),
                   saved_.invstd.data(), t.x_centered.data(), t.xhat.data());
  return t;
}

void NormCore::training_xhat(const float* x, const NormLayout& layout, float* xhat) const {
  if (!save_.valid) detail::throw_logic("training_xhat: no training forward yet");
  if (layout.stats != save_.stats)
    detail::throw_logic("training_xhat: the last training forward had another number of statistics");
  center_and_scale(x, layout, save_.mean_hi.data(), save_.mean_lo.data(), save_.invstd.data(),
                   nullptr, xhat);
}

// The chain rule one factor at a time, in double from the saved x (float)
// and statistics (double), M elements per statistic q, a the parameter of
// each element:
//   dxhat = dy gamma_a
//   dvar_q  = sum dxhat (x - mean_q) (-1/2) (var_q + eps)^(-3/2)
//   dmean_q = -sum dxhat invstd_q + dvar_q (-2/M) sum (x - mean_q)
// so that dx = dxhat invstd_q + dvar_q 2 (x - mean_q) / M + dmean_q / M.
// Fixed statistics: mean and var are constants, dvar = dmean = 0.
// dx, dgamma, dbeta are copies of what backward returned.
BackwardTrace NormCore::backward_trace() const {
  if (!saved_.valid || !backward_valid_)
    detail::throw_logic("backwardTrace called before any backward since the last forward: call backward(dy) first");
  const NormLayout& l = saved_.plan.layout;
  const std::size_t total = l.elements(), q_count = static_cast<std::size_t>(l.stats);
  BackwardTrace t;
  t.training = saved_.training;
  t.batch = saved_.plan.samples;
  t.features = config_.params;
  t.shape = last_shape();
  t.dy.assign(saved_dy_.begin(), saved_dy_.begin() + static_cast<std::ptrdiff_t>(total));
  t.dx.assign(dx_.begin(), dx_.begin() + static_cast<std::ptrdiff_t>(total));
  if (config_.affine) {
    t.dgamma = dgamma_;
    t.dbeta = dbeta_;
  }
  t.dxhat.resize(total);
  std::vector<double> sum_dxhat(q_count, 0.0), sum_dxhat_xc(q_count, 0.0), sum_xc(q_count, 0.0);
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q)
      for (int r = 0; r < l.inner; ++r) {
        const std::size_t at = (static_cast<std::size_t>(p) * l.stats + q) * l.inner + r;
        const double dxhat = static_cast<double>(saved_dy_[at]) * saved_.gamma[affine_index(l, q, r)];
        const double xc = static_cast<double>(saved_x_[at]) - saved_.mean[q];
        t.dxhat[at] = static_cast<float>(dxhat);
        sum_dxhat[q] += dxhat;
        sum_dxhat_xc[q] += dxhat * xc;
        sum_xc[q] += xc;
      }
  t.dvar.assign(q_count, 0.0f);
  t.dmean.assign(q_count, 0.0f);
  if (!saved_.plan.input_stats) return t;   // fixed statistics: no gradient into them
  const double m = static_cast<double>(l.reduced());
  for (std::size_t q = 0; q < q_count; ++q) {
    const double var_eps = saved_.var[q] + config_.eps;
    // (var + eps)^(-3/2) as 1 / (v sqrt(v)): the same within double rounding,
    // without pow (~1 KB of each WebAssembly build for this one use).
    const double dvar = sum_dxhat_xc[q] * -0.5 / (var_eps * std::sqrt(var_eps));
    const double dmean = -sum_dxhat[q] / std::sqrt(var_eps) + dvar * (-2.0 / m) * sum_xc[q];
    t.dvar[q] = static_cast<float>(dvar);
    t.dmean[q] = static_cast<float>(dmean);
  }
  return t;
}

}  // namespace bn
