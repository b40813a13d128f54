#include "bn/optimizer.hpp"

#include <cmath>
#include <stdexcept>

#include "bn/option_schema.hpp"

namespace bn {

const NameList& optimizer_names() {
  static const char* const names[] = {"sgd", "momentum", "adam"};
  static const NameList list{names, 3};
  return list;
}

OptimizerKind parse_optimizer(const std::string& name) {
  return static_cast<OptimizerKind>(parse_choice("optimizer", optimizer_names(), name));
}

const char* optimizer_name(OptimizerKind kind) { return optimizer_names()[static_cast<std::size_t>(kind)]; }

Optimizer::Optimizer(OptimizerKind kind, double lr, std::vector<ParamRef> params)
    : kind_(kind), lr_(lr), params_(std::move(params)) {
  if (!std::isfinite(lr) || lr <= 0.0) throw std::invalid_argument("lr must be a finite number > 0");
  for (const ParamRef& p : params_) {
    m_.emplace_back(kind == OptimizerKind::sgd ? 0 : p.size, 0.0f);
    v_.emplace_back(kind == OptimizerKind::adam ? p.size : 0, 0.0f);
  }
}

void Optimizer::step() {
  ++t_;
  const float lr = static_cast<float>(lr_);
  switch (kind_) {
    case OptimizerKind::sgd:
      // p <- p - lr g
      for (const ParamRef& p : params_)
        for (int k = 0; k < p.size; ++k) p.value[k] -= lr * p.grad[k];
      return;
    case OptimizerKind::momentum: {
      // v <- mu v + g (v = g at t = 1); p <- p - lr v
      const float mu = t_ == 1 ? 0.0f : static_cast<float>(kMomentum);
      for (std::size_t q = 0; q < params_.size(); ++q) {
        const ParamRef& p = params_[q];
        float* v = m_[q].data();
        for (int k = 0; k < p.size; ++k) {
          v[k] = mu * v[k] + p.grad[k];
          p.value[k] -= lr * v[k];
        }
      }
      return;
    }
    case OptimizerKind::adam: {
      // m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2
      // p <- p - lr m_hat / (sqrt(v_hat) + eps), m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)
      beta1_power_ *= kBeta1;
      beta2_power_ *= kBeta2;
      const float b1 = static_cast<float>(kBeta1), b2 = static_cast<float>(kBeta2);
      const float c1 = static_cast<float>(1.0 / (1.0 - beta1_power_));
      const float c2 = static_cast<float>(1.0 / (1.0 - beta2_power_));
      const float eps = static_cast<float>(kAdamEps);
      for (std::size_t q = 0; q < params_.size(); ++q) {
        const ParamRef& p = params_[q];
        float* m = m_[q].data();
        float* v = v_[q].data();
        for (int k = 0; k < p.size; ++k) {
          const float g = p.grad[k];
          m[k] = b1 * m[k] + (1.0f - b1) * g;
          v[k] = b2 * v[k] + (1.0f - b2) * g * g;
          p.value[k] -= lr * (m[k] * c1) / (std::sqrt(v[k] * c2) + eps);
        }
      }
      return;
    }
  }
}

}  // namespace bn
