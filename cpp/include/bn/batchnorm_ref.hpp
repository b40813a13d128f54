// Reference BatchNorm1d in float64 with xtensor on [batch, features]
// matrices: the formulas as written, no tricks. The oracle the BatchNorm1d
// tests check against; a thin layer over the reference of every
// normalization (bn/norm_ref.hpp), so both are the same formulas.
#pragma once

#include <optional>
#include <xtensor/xtensor.hpp>

namespace bn::ref {

using Matrix = xt::xtensor<double, 2>;  // [batch, features]
using Vector = xt::xtensor<double, 1>;  // [features]

struct Forward {
  bool training = true;
  Vector mean, var, invstd;   // statistics used (batch or running)
  Matrix x_centered, xhat, y;
};

struct Backward {
  Matrix dx;
  Vector dgamma, dbeta;
};

// Training: mean = (1/m) sum_i x_i, var = (1/m) sum_i (x_i - mean)^2,
// xhat = (x - mean) / sqrt(var + eps), y = gamma * xhat + beta.
Forward forward_train(const Matrix& x, const Vector& gamma, const Vector& beta, double eps);

// Eval: the same with mean = running_mean, var = running_var.
Forward forward_eval(const Matrix& x, const Vector& gamma, const Vector& beta,
                     const Vector& running_mean, const Vector& running_var, double eps);

// Training: dbeta = sum_i dy_i, dgamma = sum_i dy_i xhat_i,
//   dxhat = dy gamma, dvar = sum_i dxhat_i (x_i - mean) (-1/2) (var + eps)^(-3/2),
//   dmean = -sum_i dxhat_i invstd + dvar (-2/m) sum_i (x_i - mean),
//   dx = dxhat invstd + dvar 2 (x - mean) / m + dmean / m.
// Eval: dx = dy gamma invstd.
Backward backward(const Matrix& dy, const Forward& f, const Vector& gamma);

// running_mean <- (1 - f) running_mean + f mean; running_var <- (1 - f)
// running_var + f var m / (m - 1); f = momentum, or 1 / batches_tracked.
void update_running(Vector& running_mean, Vector& running_var, const Forward& f, int batch,
                    std::optional<double> momentum, long batches_tracked);

}  // namespace bn::ref
