// BatchNorm2d with the semantics of torch.nn.BatchNorm2d: input
// [N, C, H, W] (NCHW, row-major); one mean and (biased) variance per channel
// over the N * H * W values of that channel, the running variance unbiased
// (÷ N * H * W - 1). A batch of one image is fine in training as long as
// H * W > 1 (PyTorch issue #6468): the statistics then run over its pixels.
#pragma once

#include "bn/norm_layer.hpp"
#include "bn/params.hpp"

namespace bn {

class BatchNorm2d : public ShapedLayer<BatchNorm2d> {
 public:
  explicit BatchNorm2d(int num_features, BatchNormOptions options = {});

  int num_features() const { return features_; }
  const BatchNormOptions& options() const { return options_; }

  // The view of an input of this shape (bn/norm_layout.hpp) in the current
  // mode; throws std::invalid_argument naming shape (in PyTorch's words
  // where it has them). check_mode: also refuse what this mode cannot do.
  ForwardPlan plan(const Shape& shape, bool check_mode) const;
  // The shape of the statistics (Trace::stats_shape) for an input of this shape.
  Shape stats_shape(const Shape&) const { return {features_}; }

 private:
  int features_;
  BatchNormOptions options_;
};

}  // namespace bn
