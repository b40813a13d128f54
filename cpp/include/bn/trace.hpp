// Every intermediate of one BatchNorm1d forward pass (Trace) and of one
// backward pass (BackwardTrace), for teaching and tests.
#pragma once

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
};

// Every intermediate of the last BatchNorm1d backward pass, for teaching and
// tests: the chain rule one factor at a time, from dy down to dx.
//   dxhat_ik = dy_ik * gamma_k
//   dvar_k   = sum_i dxhat_ik (x_ik - mean_k) (-1/2) (var_k + eps)^(-3/2)
//   dmean_k  = -sum_i dxhat_ik invstd_k + dvar_k (-2/m) sum_i (x_ik - mean_k)
//   dx_ik    = dxhat_ik invstd_k + dvar_k 2 (x_ik - mean_k) / m + dmean_k / m
// After an eval forward the statistics are constants: dvar and dmean are 0
// and dx_ik = dxhat_ik invstd_k.
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
};

}  // namespace bn
