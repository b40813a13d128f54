#include "bn/norm_layer.hpp"

#include <cstring>

namespace bn {

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

}  // namespace bn
