// The measures of Santurkar, Tsipras, Ilyas and Madry (2018), "How Does
// Batch Normalization Help Optimization?", for a network as it is now, on
// one minibatch. With w every learnable parameter, L the mean cross-entropy
// on the batch (normalization in training mode: batch statistics) and
// g = grad L(w):
//   loss landscape        L(w - eta_k g) for eta_k = lr * max_scale * k / steps, k = 1..steps
//                         (how much the loss varies along the gradient direction)
//   gradient predictiveness  ||grad L(w - eta_k g) - g||_2 at the same points
//   effective beta-smoothness  max_k ||grad L(w - eta_k g) - g||_2 / (eta_k ||g||_2)
//   internal covariate shift (their Definition 2.1), per hidden layer i:
//     G_i  = dL/dW_i at w
//     G'_i = dL/dW_i after the blocks before i (W, b, gamma, beta) take the
//            plain gradient step w - lr g, with block i and those after it unchanged
//     ics_i = ||G_i - G'_i||_2, and the cosine of the angle between them.
//     (Block 0 has nothing before it: ics 0, cosine 1.)
// It runs on a scratch network that holds the parameters to measure (the
// trainer's twin, bn/trainer.hpp): the trainer's own network, its running
// statistics and its gradients are left exactly as they were.
#pragma once

#include <cstdint>
#include <vector>

#include "bn/mlp.hpp"

namespace bn {

struct LandscapeOptions {
  int steps = 8;            // points along the gradient direction, [1, kMaxSteps]
  double max_scale = 4.0;   // the farthest point is eta = lr * max_scale, (0, kMaxScale]
  static constexpr int kMaxSteps = 64;
  static constexpr double kMaxScale = 100.0;
};

struct Landscape {
  double lr = 0;
  double loss = 0;                   // L(w)
  double grad_norm = 0;              // ||g||_2
  std::vector<double> eta;           // eta_k
  std::vector<double> loss_at;       // L(w - eta_k g); NaN where the network's values are not finite
  std::vector<double> grad_change;   // ||grad L(w - eta_k g) - g||_2; NaN as loss_at
  double loss_min = 0, loss_max = 0;          // over eta_k (loss_max +Infinity if any is NaN)
  double grad_change_max = 0;                 // +Infinity if any is NaN
  double beta_smoothness = 0;                 // +Infinity if any is NaN
  std::vector<double> ics, ics_cosine;        // per hidden layer
};

// Throws std::invalid_argument naming `steps` or `maxScale` (checked against
// the option schema, landscape_arguments()), and std::domain_error when the
// loss at w itself is not finite.
// net: the scratch network, holding the parameters to measure (changed by
// the call); ws: a workspace of at least m rows; params: net.parameters().
Landscape measure_landscape(Mlp& net, MlpWorkspace& ws, const std::vector<ParamRef>& params, const float* x,
                            const std::uint8_t* labels, int m, double lr, const LandscapeOptions& options);

}  // namespace bn
