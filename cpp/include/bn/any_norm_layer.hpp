// Any of the five normalization layers behind one virtual interface, for
// code that picks the layer at run time (tests; a binding for every layer).
// Including it links every shape API it instantiates, and the run kernels.
//
//   std::unique_ptr<bn::AnyNormLayer> l = bn::make_any<bn::GroupNorm>(2, 4);
//   l->forward(x, n, {2, 4, 3, 3}, y);
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "bn/norm_layer.hpp"

namespace bn {

class AnyNormLayer {
 public:
  virtual ~AnyNormLayer() = default;

  // The members every layer has (bn::NormLayer).
  virtual NormLayer& layer() = 0;
  virtual const NormLayer& layer() const = 0;
  // The shape API (bn::ShapedLayer).
  virtual void forward(const float* x, std::size_t x_length, const Shape& shape, float* y) = 0;
  virtual float* staging_input(const Shape& shape) = 0;
  virtual void forward_staged(const Shape& shape) = 0;
  virtual ForwardPlan plan(const Shape& shape, bool check_mode) const = 0;
  virtual Trace trace() const = 0;
  virtual BackwardTrace backward_trace() const = 0;

  // The common members, forwarded.
  bool training() const { return layer().training(); }
  void train() { layer().train(); }
  void eval() { layer().eval(); }
  const std::vector<float>& gamma() const { return layer().gamma(); }
  const std::vector<float>& beta() const { return layer().beta(); }
  const std::vector<float>& running_mean() const { return layer().running_mean(); }
  const std::vector<float>& running_var() const { return layer().running_var(); }
  std::int64_t num_batches_tracked() const { return layer().num_batches_tracked(); }
  void set_params(const float* gamma, const float* beta, const float* running_mean,
                  const float* running_var) {
    layer().set_params(gamma, beta, running_mean, running_var);
  }
  const float* output() const { return layer().output(); }
  void backward(const float* dy, float* dx, float* dgamma, float* dbeta) {
    layer().backward(dy, dx, dgamma, dbeta);
  }
  float* staging_dy() { return layer().staging_dy(); }
  void backward_staged() { layer().backward_staged(); }
  bool has_forward() const { return layer().has_forward(); }
  Shape last_shape() const { return layer().last_shape(); }
  const NormLayout& last_layout() const { return layer().last_layout(); }
};

template <class L>
class AnyNormLayerOf final : public AnyNormLayer {
 public:
  template <class... Args>
  explicit AnyNormLayerOf(Args&&... args) : l_(std::forward<Args>(args)...) {}

  L& get() { return l_; }
  NormLayer& layer() override { return l_; }
  const NormLayer& layer() const override { return l_; }
  void forward(const float* x, std::size_t x_length, const Shape& shape, float* y) override {
    l_.forward(x, x_length, shape, y);
  }
  float* staging_input(const Shape& shape) override { return l_.staging_input(shape); }
  void forward_staged(const Shape& shape) override { l_.forward_staged(shape); }
  ForwardPlan plan(const Shape& shape, bool check_mode) const override { return l_.plan(shape, check_mode); }
  Trace trace() const override { return l_.trace(); }
  BackwardTrace backward_trace() const override { return l_.backward_trace(); }

 private:
  L l_;
};

template <class L, class... Args>
std::unique_ptr<AnyNormLayer> make_any(Args&&... args) {
  return std::make_unique<AnyNormLayerOf<L>>(std::forward<Args>(args)...);
}

}  // namespace bn
