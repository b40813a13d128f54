// InstanceNorm2d with the semantics of torch.nn.InstanceNorm2d: x of shape
// [N, C, H, W] (or [C, H, W], one unbatched image); one mean and (biased)
// variance per sample and channel over its H * W values. As in PyTorch,
// affine and track_running_stats are off by default. With
// track_running_stats, training also folds the mean over the samples of the
// per-instance statistics (variance unbiased, ÷ H * W - 1) into running
// statistics with `momentum`, and eval mode normalizes with them; without
// it, eval normalizes with the statistics of x, like training.
// num_batches_tracked stays 0, as in PyTorch (instance_norm never counts).
#pragma once

#include "bn/norm_layer.hpp"

namespace bn {

struct InstanceNormOptions {
  double eps = 1e-5;                 // added to the variance; finite, > 0
  double momentum = 0.1;             // in [0, 1] (PyTorch's instance_norm takes no null)
  bool affine = false;               // learnable gamma (ones) and beta (zeros)
  bool track_running_stats = false;  // running statistics, used in eval mode
};

class InstanceNorm2d : public ShapedLayer<InstanceNorm2d> {
 public:
  // Throws std::invalid_argument naming num_features, eps or momentum.
  explicit InstanceNorm2d(int num_features, InstanceNormOptions options = {});

  int num_features() const { return features_; }
  const InstanceNormOptions& options() const { return options_; }

  // The view of an input of this shape (bn/norm_layout.hpp) in the current
  // mode; throws std::invalid_argument naming shape (in PyTorch's words
  // where it has them). check_mode: also refuse what this mode cannot do.
  ForwardPlan plan(const Shape& shape, bool check_mode) const;
  // The shape of the statistics (Trace::stats_shape) for an input of this shape.
  Shape stats_shape(const Shape& shape) const;

 private:
  int features_;
  InstanceNormOptions options_;
};

}  // namespace bn
