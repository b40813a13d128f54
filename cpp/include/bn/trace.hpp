// Every intermediate of one forward pass (Trace) and of one backward pass
// (BackwardTrace) of a normalization layer (BatchNorm1d/2d, LayerNorm,
// GroupNorm, InstanceNorm2d), for teaching and tests. "Per feature" below
// reads "per statistic" for the layers other than BatchNorm: one entry per
// mean/var, laid out as stats_shape (BatchNorm [C], LayerNorm [N],
// GroupNorm [N, G], InstanceNorm [N, C]).
#pragma once

#include <cstdint>
#include <vector>

namespace bn {

struct Trace {
  bool training = false;
  int batch = 0;
  int features = 0;
  // Per feature (`features` entries): the statistics used to normalize.
  // Training: batch mean and biased batch variance. Eval: running estimates.
  std::vector<float> mean, var, std, inv_std;   // std = sqrt(var + eps)
  // The batch statistics of the last TRAINING forward (ATen's save_mean,
  // save_invstd = 1 / sqrt(var_B + eps)): the same as mean / inv_std after a
  // training forward, still there after eval forwards; empty before any.
  std::vector<float> save_mean, save_invstd;
  // Per element (batch * features entries, row-major).
  std::vector<float> x_centered, xhat, y;       // x - mean, (x - mean) / std, gamma * xhat + beta
  std::vector<std::int64_t> shape;              // of x (BatchNorm1d on 2-D: [batch, features])
  std::vector<std::int64_t> stats_shape;        // of mean, var, std, inv_std
};

// Every intermediate of the last backward pass, for teaching and tests: the
// chain rule one factor at a time, from dy down to dx. Written for
// BatchNorm1d on [m, n]; for any layer read k as the statistic of element i,
// the sums as running over the m = M elements that statistic reduces, and
// gamma_k as the element's own parameter.
//   dxhat_ik = dy_ik * gamma_k
//   dvar_k   = sum_i dxhat_ik (x_ik - mean_k) (-1/2) (var_k + eps)^(-3/2)
//   dmean_k  = -sum_i dxhat_ik invstd_k + dvar_k (-2/m) sum_i (x_ik - mean_k)
//   dx_ik    = dxhat_ik invstd_k + dvar_k 2 (x_ik - mean_k) / m + dmean_k / m
// After a forward with fixed statistics (running ones: BatchNorm in eval
// mode, InstanceNorm tracking them in eval mode) dvar and dmean are 0 and
// dx_ik = dxhat_ik invstd_k.
struct BackwardTrace {
  bool training = false;
  int batch = 0;
  int features = 0;
  // Per element (batch * features entries, row-major).
  std::vector<float> dy, dxhat;
  // Per feature (`features` entries).
  std::vector<float> dvar, dmean;
  std::vector<float> dx;             // batch * features: what backward() returned
  std::vector<float> dgamma, dbeta;  // features; empty when affine is false
  std::vector<std::int64_t> shape, stats_shape;   // as in Trace
};

}  // namespace bn
