// Optimizers over a list of parameter arrays, as torch.optim:
//   sgd       p <- p - lr g
//   momentum  v <- mu v + g (v = g on the first step);  p <- p - lr v      (mu = 0.9)
//   adam      m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
//             p <- p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
//             (b1 = 0.9, b2 = 0.999, eps = 1e-8)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bn/name_list.hpp"

namespace bn {

// One parameter array and its gradient, both owned by a layer.
struct ParamRef {
  float* value;
  const float* grad;
  int size;
};

enum class OptimizerKind { sgd, momentum, adam };

// The names, indexed by OptimizerKind: "sgd", "momentum", "adam".
const NameList& optimizer_names();
// One of optimizer_names(); throws std::invalid_argument naming `optimizer`.
OptimizerKind parse_optimizer(const std::string& name);
const char* optimizer_name(OptimizerKind kind);

class Optimizer {
 public:
  static constexpr double kMomentum = 0.9;
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kAdamEps = 1e-8;

  // lr must be finite and > 0 (std::invalid_argument naming `lr`).
  Optimizer(OptimizerKind kind, double lr, std::vector<ParamRef> params);

  // One update of every parameter from its current gradient.
  void step();

  OptimizerKind kind() const { return kind_; }
  double lr() const { return lr_; }
  std::int64_t steps() const { return t_; }

 private:
  OptimizerKind kind_;
  double lr_;
  std::vector<ParamRef> params_;
  std::vector<std::vector<float>> m_, v_;   // per parameter: velocity / Adam moments
  std::int64_t t_ = 0;
  double beta1_power_ = 1.0, beta2_power_ = 1.0;   // b1^t, b2^t by repeated products
};

}  // namespace bn
