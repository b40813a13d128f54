// Batch norm folded into the layer before it, for inference (as PyTorch's
// torch.nn.utils.fusion.fuse_linear_bn_eval / fuse_conv_bn_eval).
//
// In eval mode a batch norm is one affine map per channel k,
//   y_k = a_k z_k + (beta_k - a_k mu_k),   a_k = gamma_k / sqrt(var_k + eps)
// (mu, var: the running statistics), so after a Linear or Conv2d layer
// z = W x + b it can be merged into that layer's weight and bias:
//   W'_k = a_k W_k           (every weight feeding output channel k)
//   b'_k = a_k (b_k - mu_k) + beta_k.
// The functions here work on plain arrays; they know nothing of the layers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bn {

// What a normalization layer with running statistics contributes in eval
// mode, as plain arrays of `channels` entries each.
struct EvalNormParams {
  const float* running_mean = nullptr;
  const float* running_var = nullptr;
  const float* gamma = nullptr;   // null: affine false (gamma = 1)
  const float* beta = nullptr;    // null: affine false (beta = 0)
  std::int64_t channels = 0;
  double eps = 1e-5;
};

// The fused layer: weight in the input's layout, bias of `out` entries.
struct FusedLinear {
  std::vector<float> weight;
  std::vector<float> bias;
};

// torch.nn.utils.fusion.fuse_linear_bn_eval: weight [out_features, in_features]
// row-major, bias of out_features entries or null (zeros). Throws
// std::invalid_argument naming the parameter (inFeatures, outFeatures,
// weight, bias, or the layer's runningMean, runningVar, gamma, beta, eps)
// when a size is wrong, a value is not finite, runningVar < 0, eps <= 0,
// out_features differs from the layer's channels, or a fused value would be
// beyond float32.
FusedLinear fuse_linear_bn_eval(const float* weight, std::size_t weight_size, const float* bias, std::size_t bias_size,
                                std::int64_t out_features, std::int64_t in_features, const EvalNormParams& bn);

// torch.nn.utils.fusion.fuse_conv_bn_eval (transpose = false): weight
// [out_channels, in_channels, kh, kw] row-major; otherwise as above, with
// the parameters named inChannels, outChannels, kernelSize.
FusedLinear fuse_conv_bn_eval(const float* weight, std::size_t weight_size, const float* bias, std::size_t bias_size,
                              std::int64_t out_channels, std::int64_t in_channels, std::int64_t kh, std::int64_t kw,
                              const EvalNormParams& bn);

}  // namespace bn
