#include "bn/batchnorm_ref.hpp"

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

namespace bn::ref {
namespace {

// Broadcast a per-feature vector along the batch axis.
auto per_feature(const Vector& v) { return xt::view(v, xt::newaxis(), xt::all()); }

Forward normalize_with(const Matrix& x, const Vector& gamma, const Vector& beta,
                       const Vector& mean, const Vector& var, double eps, bool training) {
  Forward f;
  f.training = training;
  f.mean = mean;
  f.var = var;
  f.invstd = 1.0 / xt::sqrt(var + eps);
  f.x_centered = x - per_feature(mean);
  f.xhat = f.x_centered * per_feature(f.invstd);
  f.y = per_feature(gamma) * f.xhat + per_feature(beta);
  return f;
}

}  // namespace

Forward forward_train(const Matrix& x, const Vector& gamma, const Vector& beta, double eps) {
  const Vector mean = xt::mean(x, {0});
  const Vector var = xt::mean(xt::square(x - per_feature(mean)), {0});
  return normalize_with(x, gamma, beta, mean, var, eps, true);
}

Forward forward_eval(const Matrix& x, const Vector& gamma, const Vector& beta,
                     const Vector& running_mean, const Vector& running_var, double eps) {
  return normalize_with(x, gamma, beta, running_mean, running_var, eps, false);
}

Backward backward(const Matrix& dy, const Forward& f, const Vector& gamma) {
  Backward b;
  const double m = static_cast<double>(dy.shape()[0]);
  b.dbeta = xt::sum(dy, {0});
  b.dgamma = xt::sum(dy * f.xhat, {0});
  const Matrix dxhat = dy * per_feature(gamma);
  if (!f.training) {
    b.dx = dxhat * per_feature(f.invstd);
    return b;
  }
  const Vector dvar = xt::sum(dxhat * f.x_centered, {0}) * (-0.5) * xt::pow(f.invstd, 3.0);
  const Vector dmean = -xt::sum(dxhat, {0}) * f.invstd +
                       dvar * (-2.0 / m) * xt::sum(f.x_centered, {0});
  b.dx = dxhat * per_feature(f.invstd) + per_feature(dvar) * 2.0 * f.x_centered / m +
         per_feature(dmean) / m;
  return b;
}

void update_running(Vector& running_mean, Vector& running_var, const Forward& f, int batch,
                    std::optional<double> momentum, long batches_tracked) {
  const double factor = momentum ? *momentum : 1.0 / static_cast<double>(batches_tracked);
  const double m = batch;
  running_mean = (1.0 - factor) * running_mean + factor * f.mean;
  running_var = (1.0 - factor) * running_var + factor * f.var * m / (m - 1.0);
}

}  // namespace bn::ref
