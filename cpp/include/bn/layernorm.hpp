// LayerNorm with the semantics of torch.nn.LayerNorm: x of shape
// [*, normalized_shape...]; one mean and (biased) variance per sample (per
// index of the leading dims) over the prod(normalized_shape) trailing values,
// in training and eval alike (no running statistics: the batch never
// matters). gamma/beta have one entry per normalized element.
#pragma once

#include "bn/norm_layer.hpp"

namespace bn {

struct LayerNormOptions {
  double eps = 1e-5;                // added to the variance; finite, > 0
  bool elementwise_affine = true;   // learnable gamma (ones) and beta (zeros)
};

class LayerNorm : public ShapedLayer<LayerNorm> {
 public:
  // Throws std::invalid_argument naming normalized_shape (empty, or a size
  // < 1) or eps.
  explicit LayerNorm(Shape normalized_shape, LayerNormOptions options = {});

  const Shape& normalized_shape() const { return normalized_shape_; }
  const LayerNormOptions& options() const { return options_; }

  // The view of an input of this shape (bn/norm_layout.hpp) in the current
  // mode; throws std::invalid_argument naming shape (in PyTorch's words
  // where it has them). check_mode: also refuse what this mode cannot do.
  ForwardPlan plan(const Shape& shape, bool check_mode) const;
  // The shape of the statistics (Trace::stats_shape) for an input of this shape.
  Shape stats_shape(const Shape& shape) const;

 private:
  Shape normalized_shape_;
  LayerNormOptions options_;
};

}  // namespace bn
