#include "bn/norm_layer.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace bn {

void NormLayer::forward(const float* x, std::size_t x_length, const Shape& shape, float* y) {
  const ForwardPlan p = plan(shape, true);
  const std::size_t total = p.layout.elements();
  if (x_length != total)
    throw std::invalid_argument("shape " + shape_string(shape) + " has " + std::to_string(total) +
                                " elements but x has " + std::to_string(x_length));
  std::memcpy(core_.staging_input(total), x, sizeof(float) * total);
  forward_planned(p, shape.data(), static_cast<int>(shape.size()));
  std::memcpy(y, output(), sizeof(float) * total);
}

float* NormLayer::staging_input(const Shape& shape) {
  return core_.staging_input(plan(shape, false).layout.elements());
}

void NormLayer::forward_staged(const Shape& shape) {
  forward_planned(plan(shape, true), shape.data(), static_cast<int>(shape.size()));
}

void NormLayer::backward(const float* dy, float* dx, float* dgamma, float* dbeta) {
  float* in = core_.staging_dy();
  const std::size_t total = last_elements();
  std::memcpy(in, dy, sizeof(float) * total);
  core_.backward_staged();
  std::memcpy(dx, core_.dx(), sizeof(float) * total);
  if (!core_.config().affine) return;
  const std::size_t n = static_cast<std::size_t>(core_.config().params);
  if (dgamma) std::memcpy(dgamma, core_.dgamma(), sizeof(float) * n);
  if (dbeta) std::memcpy(dbeta, core_.dbeta(), sizeof(float) * n);
}

Trace NormLayer::trace() const {
  Trace t = core_.trace();
  t.stats_shape = stats_shape(t.shape);
  return t;
}

BackwardTrace NormLayer::backward_trace() const {
  BackwardTrace t = core_.backward_trace();
  t.stats_shape = stats_shape(t.shape);
  return t;
}

}  // namespace bn
