// What every normalization layer offers (BatchNorm1d, BatchNorm2d,
// LayerNorm, GroupNorm, InstanceNorm2d): train/eval, forward on a shape,
// backward, parameters, running statistics, traces. Each layer class only
// says how a shape maps onto the [P, Q, R] view of bn/norm_layout.hpp and
// which inputs it refuses (in PyTorch's words); bn::NormCore does the rest.
//
//   NormLayer       the members that need no shape (non-virtual)
//   ShapedLayer<L>  the shape API, for a layer class L that defines
//                     ForwardPlan plan(const Shape&, bool check_mode) const
//                     Shape stats_shape(const Shape&) const
//                   resolved at compile time: a program links the shape
//                   checks and the run kernels (bn/run_kernels.hpp) only if
//                   it calls the shape API (the WebAssembly modules of the
//                   2-D BatchNorm1d API stay as small as before).
// bn/any_norm_layer.hpp puts any of the five behind one virtual interface.
//
// Bad input throws std::invalid_argument naming the parameter (`shape`, `x`,
// `dy`, `eps`, ...); the layer is then exactly as before the call. Calls in
// the wrong order throw std::logic_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "bn/norm_core.hpp"
#include "bn/norm_layout.hpp"
#include "bn/trace.hpp"

namespace bn {

class NormLayer {
 public:
  bool training() const { return training_; }
  void train() { training_ = true; }
  void eval() { training_ = false; }

  // Learnable gamma/beta (PyTorch's weight/bias; empty when not affine) and
  // running statistics (empty when not tracked).
  const std::vector<float>& gamma() const { return core_.gamma(); }
  const std::vector<float>& beta() const { return core_.beta(); }
  const std::vector<float>& running_mean() const { return core_.running_mean(); }
  const std::vector<float>& running_var() const { return core_.running_var(); }
  std::int64_t num_batches_tracked() const { return core_.num_batches_tracked(); }
  float* gamma_data() { return core_.gamma_data(); }
  float* beta_data() { return core_.beta_data(); }
  void set_params(const float* gamma, const float* beta, const float* running_mean,
                  const float* running_var) {
    core_.set_params(gamma, beta, running_mean, running_var);
  }

  const float* output() const { return core_.output(); }   // y of the last forward

  // ---- Backward for the last forward: dy has its shape ----
  // dgamma/dbeta may be null (and are not written when not affine).
  void backward(const float* dy, float* dx, float* dgamma, float* dbeta);
  // Zero-copy: write dy into staging_dy(), call backward_staged().
  float* staging_dy() { return core_.staging_dy(); }
  void backward_staged() { core_.backward_staged(); }
  const float* dx() const { return core_.dx(); }
  const float* dgamma() const { return core_.dgamma(); }
  const float* dbeta() const { return core_.dbeta(); }

  bool has_forward() const { return core_.has_forward(); }
  bool last_training() const { return core_.last_training(); }
  Shape last_shape() const { return core_.last_shape(); }
  // How the last forward viewed x: which elements share a statistic
  // (bn::statistic_of) and a parameter (bn::affine_index).
  const NormLayout& last_layout() const { return core_.last_layout(); }
  std::size_t last_elements() const { return core_.last_elements(); }

 protected:
  explicit NormLayer(const NormConfig& config) : core_(config) {}

  // Forward on the staged input with a plan already checked.
  void forward_planned(const ForwardPlan& plan, const std::int64_t* dims, int rank) {
    core_.forward_staged(plan, dims, rank, training_);
  }

  NormCore core_;
  bool training_ = true;
};

template <class L>
class ShapedLayer : public NormLayer {
 public:
  // ---- Forward on x of `shape` (row-major; NCHW for images) ----
  // x holds x_length floats (must be the product of shape); y gets as many.
  void forward(const float* x, std::size_t x_length, const Shape& shape, float* y) {
    const ForwardPlan p = plan_for(shape, true);
    const std::size_t total = p.layout.elements();
    if (x_length != total)
      throw std::invalid_argument("shape " + shape_string(shape) + " has " + std::to_string(total) +
                                  " elements but x has " + std::to_string(x_length));
    std::memcpy(core_.staging_input(total), x, sizeof(float) * total);
    forward_planned(p, shape.data(), static_cast<int>(shape.size()));
    std::memcpy(y, output(), sizeof(float) * total);
  }
  // Zero-copy: write x into staging_input(shape), call forward_staged(shape);
  // y is then output().
  float* staging_input(const Shape& shape) {
    return core_.staging_input(plan_for(shape, false).layout.elements());
  }
  void forward_staged(const Shape& shape) {
    forward_planned(plan_for(shape, true), shape.data(), static_cast<int>(shape.size()));
  }

  // Every intermediate of the last forward / backward, with stats_shape.
  Trace trace() const {
    Trace t = core_.trace();
    t.stats_shape = self().stats_shape(t.shape);
    return t;
  }
  BackwardTrace backward_trace() const {
    BackwardTrace t = core_.backward_trace();
    t.stats_shape = self().stats_shape(t.shape);
    return t;
  }

 protected:
  using NormLayer::NormLayer;

 private:
  const L& self() const { return static_cast<const L&>(*this); }
  // L's plan, with the core prepared for it (run kernels, room for its statistics).
  ForwardPlan plan_for(const Shape& shape, bool check_mode) {
    const ForwardPlan p = self().plan(shape, check_mode);
    core_.prepare(p.layout);
    return p;
  }
};

}  // namespace bn
