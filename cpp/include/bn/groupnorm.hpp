// GroupNorm with the semantics of torch.nn.GroupNorm: x of shape [N, C, *]
// (e.g. NCHW, or [N, C]); the C channels form G groups of C/G; one mean and
// (biased) variance per sample and group over its (C/G) * H * W values, in
// training and eval alike (no running statistics). gamma/beta per channel.
// G = 1 normalizes each sample over everything (LayerNorm over [C, H, W]
// with per-channel parameters); G = C each channel of each sample
// (InstanceNorm).
#pragma once

#include "bn/norm_layer.hpp"

namespace bn {

struct GroupNormOptions {
  double eps = 1e-5;   // added to the variance; finite, > 0
  bool affine = true;  // learnable gamma (ones) and beta (zeros)
};

class GroupNorm : public ShapedLayer<GroupNorm> {
 public:
  // Throws std::invalid_argument for num_groups or num_channels < 1,
  // "num_channels must be divisible by num_groups", or a bad eps.
  GroupNorm(int num_groups, int num_channels, GroupNormOptions options = {});

  int num_groups() const { return groups_; }
  int num_channels() const { return channels_; }
  const GroupNormOptions& options() const { return options_; }

  // The view of an input of this shape (bn/norm_layout.hpp) in the current
  // mode; throws std::invalid_argument naming shape (in PyTorch's words
  // where it has them). check_mode: also refuse what this mode cannot do.
  ForwardPlan plan(const Shape& shape, bool check_mode) const;
  // The shape of the statistics (Trace::stats_shape) for an input of this shape.
  Shape stats_shape(const Shape& shape) const { return {shape[0], groups_}; }

 private:
  int groups_, channels_;
  GroupNormOptions options_;
};

}  // namespace bn
