// Per-hidden-layer statistics of one training step, for the depth view:
// computed on request from what the step left in its workspace and in the
// layers (nothing is computed or stored on the training hot path).
#pragma once

#include <vector>

#include "bn/mlp.hpp"

namespace bn {

struct LayerStats {
  // Means and standard deviations over every value of the batch (all rows
  // and units together; population std, dividing by rows * width), in double.
  double pre_mean, pre_std;   // the activation's input: the normalization's output
                              // (gamma, beta included) with placement "before",
                              // the linear output z otherwise
  double act_mean, act_std;   // the activation's output h
  double out_mean, out_std;   // the block's output (the next block's input)
  // Share of the batch's activation outputs in the flat part of the
  // activation, where its derivative is (almost) zero:
  //   tanh |h| > 0.99;  sigmoid h < 0.01 or h > 0.99;  relu h <= 0 (dead)
  double saturation;
  double grad_norm;     // ||dL/dW||_F of the block's linear weights, as the step computed them
  double weight_norm;   // ||W||_F after the step's update
};

// Saturation thresholds (see LayerStats::saturation).
constexpr double kTanhSaturation = 0.99;
constexpr double kSigmoidSaturation = 0.01;   // h < 0.01 or h > 1 - 0.01

// One entry per hidden layer, for the forward and backward that filled ws
// (ws.batch rows).
std::vector<LayerStats> layer_stats(const Mlp& net, const MlpWorkspace& ws);

}  // namespace bn
