// BatchNorm1d with the semantics of torch.nn.BatchNorm1d: input [N, C]
// (x[i * C + k] is row i, feature k) or [N, C, L]; one mean and (biased)
// variance per channel over the N * L values of that channel, the running
// variance unbiased (÷ N * L - 1). Storage is float32 (as PyTorch); every
// reduction accumulates in double (see bn/norm_core.hpp), so data with a
// large offset (x = 1000 + noise) keeps its accuracy.
//
// The members common to every normalization layer (train/eval, parameters,
// forward on a shape, backward, traces) are bn::NormLayer's; this class adds
// the 2-D row API the trainer and the bindings use.
#pragma once

#include <cstdint>

#include "bn/norm_layer.hpp"
#include "bn/params.hpp"

namespace bn {

class BatchNorm1d : public ShapedLayer<BatchNorm1d> {
 public:
  explicit BatchNorm1d(int features, BatchNormOptions options = {});

  int features() const { return features_; }
  const BatchNormOptions& options() const { return options_; }

  // PyTorch's reset_running_stats(): running_mean 0, running_var 1,
  // num_batches_tracked 0.
  void reset_running_stats() { core_.reset_running(); }
  // running_mean, running_var and num_batches_tracked from a layer of the
  // same width (PyTorch: loading those buffers of its state_dict); throws
  // std::invalid_argument, changing nothing, when the widths differ.
  void copy_running_stats_from(const BatchNorm1d& other);

  using ShapedLayer::forward;
  using ShapedLayer::forward_staged;
  using ShapedLayer::staging_input;

  // ---- Forward on [batch, features] ----
  // Training mode: normalizes with the batch statistics and updates the
  // running estimates. Eval mode: normalizes with the running estimates and
  // updates nothing. Throws std::invalid_argument (naming the parameter) for
  // batch < 1, batch < 2 in training mode, or a non-finite x; the layer is
  // then exactly as before the call.
  void forward(const float* x, int batch, float* y);

  // Zero-copy variant for bindings: write x into staging_input(batch), then
  // call forward_staged(batch); y is then output(). Same rules as forward().
  float* staging_input(int batch);
  void forward_staged(int batch);

  // Rows (N) of the last forward.
  int last_batch() const { return has_forward() ? static_cast<int>(core_.last_dims()[0]) : 0; }

  // x-hat of `batch` rows x under the statistics of the last TRAINING
  // forward, into xhat: ((x - mean) / sqrt(var + eps), computed as trace()
  // computes it). Given that forward's own input it is bit for bit the x-hat
  // the layer computed, even after eval forwards since. Throws
  // std::logic_error before any training forward.
  void training_xhat(const float* x, int batch, float* xhat) const;

  // The view of an input of this shape (bn/norm_layout.hpp) in the current
  // mode; throws std::invalid_argument naming shape (in PyTorch's words
  // where it has them). check_mode: also refuse what this mode cannot do.
  ForwardPlan plan(const Shape& shape, bool check_mode) const;
  // The shape of the statistics (Trace::stats_shape) for an input of this shape.
  Shape stats_shape(const Shape&) const { return {features_}; }

 private:
  ForwardPlan rows_plan(int batch, bool check_mode) const;

  int features_;
  BatchNormOptions options_;
};

}  // namespace bn
