#include "bn/norm_ref.hpp"

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xreducer.hpp>

namespace bn::ref {
namespace {

std::size_t product(const std::vector<std::int64_t>& s, std::size_t from, std::size_t to) {
  std::size_t p = 1;
  for (std::size_t i = from; i < to; ++i) p *= static_cast<std::size_t>(s[i]);
  return p;
}

// a's elements in this shape (row-major).
Array shaped(const Array& a, const Axes& shape) {
  Array out = a;
  out.reshape(shape);
  return out;
}

Array flat(const Array& a) { return shaped(a, {a.size()}); }

Array keep_mean(const Array& a, const Axes& axes) {
  return xt::mean(a, axes, xt::keep_dims | xt::evaluation_strategy::immediate);
}

Array keep_sum(const Array& a, const Axes& axes) {
  return xt::sum(a, axes, xt::keep_dims | xt::evaluation_strategy::immediate);
}

// Elements behind one statistic.
double per_statistic(const View& v) {
  double m = 1.0;
  for (std::size_t axis : v.stat_axes) m *= static_cast<double>(v.shape[axis]);
  return m;
}

NormForward normalize_with(const View& v, const Array& xv, const Array& gamma, const Array& beta,
                           const Array& mean, const Array& var, double eps, bool input_stats) {
  NormForward f;
  f.input_stats = input_stats;
  f.mean = mean;
  f.var = var;
  f.invstd = 1.0 / xt::sqrt(var + eps);
  f.x_centered = xv - mean;
  f.xhat = f.x_centered * f.invstd;
  f.y = shaped(gamma, v.param_shape) * f.xhat + shaped(beta, v.param_shape);
  return f;
}

}  // namespace

View batch_norm_view(const std::vector<std::int64_t>& s) {
  const std::size_t c = static_cast<std::size_t>(s[1]);
  return {{static_cast<std::size_t>(s[0]), c, product(s, 2, s.size())}, {0, 2}, {0, 2}, {1, c, 1}};
}

View layer_norm_view(const std::vector<std::int64_t>& s, std::size_t normalized_rank) {
  const std::size_t lead = s.size() - normalized_rank, d = product(s, lead, s.size());
  return {{product(s, 0, lead), d}, {1}, {0}, {1, d}};
}

View group_norm_view(const std::vector<std::int64_t>& s, int groups) {
  const std::size_t g = static_cast<std::size_t>(groups), per = static_cast<std::size_t>(s[1]) / g;
  return {{static_cast<std::size_t>(s[0]), g, per, product(s, 2, s.size())},
          {2, 3}, {0, 3}, {1, g, per, 1}};
}

View instance_norm_view(const std::vector<std::int64_t>& s) {
  const std::size_t lead = s.size() - 3;   // 1 for [N, C, H, W], 0 for [C, H, W]
  const std::size_t n = lead ? static_cast<std::size_t>(s[0]) : 1, c = static_cast<std::size_t>(s[lead]);
  return {{n, c, product(s, lead + 1, s.size())}, {2}, {0, 2}, {1, c, 1}};
}

NormForward norm_forward(const View& v, const Array& x, const Array& gamma, const Array& beta,
                         double eps) {
  const Array xv = shaped(x, v.shape);
  const Array mean = keep_mean(xv, v.stat_axes);
  const Array var = keep_mean(xt::square(xv - mean), v.stat_axes);
  return normalize_with(v, xv, gamma, beta, mean, var, eps, true);
}

NormForward norm_forward_fixed(const View& v, const Array& x, const Array& gamma,
                               const Array& beta, const Array& mean, const Array& var, double eps) {
  return normalize_with(v, shaped(x, v.shape), gamma, beta, shaped(mean, v.param_shape),
                        shaped(var, v.param_shape), eps, false);
}

NormBackward norm_backward(const View& v, const Array& dy, const NormForward& f,
                           const Array& gamma) {
  const Array dyv = shaped(dy, v.shape);
  NormBackward b;
  b.dbeta = flat(keep_sum(dyv, v.param_axes));
  b.dgamma = flat(keep_sum(dyv * f.xhat, v.param_axes));
  const Array dxhat = dyv * shaped(gamma, v.param_shape);
  if (!f.input_stats) {
    b.dx = dxhat * f.invstd;
    return b;
  }
  const double m = per_statistic(v);
  const Array dvar = keep_sum(dxhat * f.x_centered, v.stat_axes) * (-0.5) * xt::pow(f.invstd, 3.0);
  const Array dmean = -keep_sum(dxhat, v.stat_axes) * f.invstd +
                      dvar * (-2.0 / m) * keep_sum(f.x_centered, v.stat_axes);
  b.dx = dxhat * f.invstd + dvar * 2.0 * f.x_centered / m + dmean / m;
  return b;
}

void norm_update_running(const View& v, Array& running_mean, Array& running_var,
                         const NormForward& f, std::optional<double> momentum,
                         long batches_tracked) {
  const double factor = momentum ? *momentum : 1.0 / static_cast<double>(batches_tracked);
  const double m = per_statistic(v);
  const Array mean = flat(keep_mean(f.mean, v.param_axes));
  const Array unbiased = flat(keep_mean(f.var * m / (m - 1.0), v.param_axes));
  running_mean = (1.0 - factor) * running_mean + factor * mean;
  running_var = (1.0 - factor) * running_var + factor * unbiased;
}

}  // namespace bn::ref
