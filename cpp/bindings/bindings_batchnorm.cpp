// Embind layer for BatchNorm1d. Only glue: validation and the math live in
// the core; web/js/batchnorm.js owns lifetimes and copies arrays in and out
// of the heap through the addresses these methods return.
//
// Errors follow the seam protocol of convert.hpp: a method that returns an
// address returns 0 on failure, any other method that can fail returns
// undefined (its message in lastError() either way), the constructor leaves
// ok() false; web/js/seam.js throws the Error from plain JS. Sizes arrive as
// doubles and are checked here too (web/js/seam-args.js checks them first).
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "bn/batchnorm.hpp"
#include "convert.hpp"
#include "trace_values.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

class BatchNormBinding {
 public:
  // options: a JS object read through the option schema (any subset of
  // eps, momentum, affine). Never throws: on failure ok() is false and
  // lastError() says why.
  BatchNormBinding(double features, val options) {
    const bool built = attempt(error_, "the layer's buffers", [&] {
      const int n = count_argument("features", features);
      layer_.emplace(n, read_batchnorm_options(option_value(options)));
      param_scratch_.resize(4 * static_cast<std::size_t>(n));
    });
    if (!built) layer_.reset();   // e.g. the layer fit but its scratch did not: all freed
  }

  bool ok() const { return layer_.has_value(); }
  std::string lastError() const { return error_; }

  void setTraining(bool on) { on ? layer_->train() : layer_->eval(); }
  double numBatchesTracked() const { return static_cast<double>(layer_->num_batches_tracked()); }

  bool affine() const { return layer_->options().affine; }
  val gamma() const { return affine() ? float32_copy(layer_->gamma()) : val::null(); }
  val beta() const { return affine() ? float32_copy(layer_->beta()) : val::null(); }
  val runningMean() const { return float32_copy(layer_->running_mean()); }
  val runningVar() const { return float32_copy(layer_->running_var()); }

  // setParams: JS writes candidates into paramScratch() (4 blocks of
  // `features` floats: gamma, beta, runningMean, runningVar); mask bit j says
  // block j was given. Returns true, or undefined (nothing changed) on bad values.
  std::uintptr_t paramScratch() { return address(param_scratch_.data()); }
  val setParams(int mask) {
    return catching(error_, "the parameters", [&] {
      const float* p = param_scratch_.data();
      const std::size_t n = static_cast<std::size_t>(layer_->features());
      layer_->set_params(mask & 1 ? p : nullptr, mask & 2 ? p + n : nullptr,
                         mask & 4 ? p + 2 * n : nullptr, mask & 8 ? p + 3 * n : nullptr);
      return true;
    });
  }

  // The hot calls return a heap address, 0 on failure (convert.hpp); they
  // are the plain exports at the end of this file, not Embind methods. batch
  // arrives as a double and is checked (an integer, batch * features within
  // max_elements()) before the core multiplies anything.
  // Address to write `batch` rows of x into.
  std::uintptr_t stagingInput(double batch) {
    return catching_address(error_, "the input buffers", [&] {
      return address(layer_->staging_input(batch_argument(batch)));
    });
  }
  // Returns the address of y (the layer is unchanged on failure).
  std::uintptr_t forward(double batch) {
    return catching_address(error_, "the output buffer", [&] {
      layer_->forward_staged(batch_argument(batch));
      return address(layer_->output());
    });
  }

  // The same for x of `shape` ([N, C] or [N, C, L], a JS array of numbers):
  // the address to write x into; forwardShaped() then normalizes it.
  std::uintptr_t stagingInputShaped(val shape) {
    return catching_address(error_, "the input buffers", [&] {
      pending_shape_ = shape_argument(shape);
      return address(layer_->staging_input(pending_shape_));
    });
  }
  std::uintptr_t forwardShaped() {
    return catching_address(error_, "the output buffer", [&] {
      layer_->forward_staged(pending_shape_);
      return address(layer_->output());
    });
  }

  // Address to write dy into.
  std::uintptr_t stagingDy() {
    return catching_address(error_, "the gradient buffers", [&] { return address(layer_->staging_dy()); });
  }
  // Returns the address of dx (dgamma/dbeta stay at dgamma()/dbeta()).
  std::uintptr_t backward() {
    return catching_address(error_, "the gradient buffers", [&] {
      layer_->backward_staged();
      return address(layer_->dx());
    });
  }
  // Where backward leaves dgamma and dbeta: sized at construction, fixed for
  // the layer's life (web/js/batchnorm.js reads them once).
  std::uintptr_t dgamma() const { return address(layer_->dgamma()); }
  std::uintptr_t dbeta() const { return address(layer_->dbeta()); }

  // This binding's address: the plain exports below take it (handle()).
  std::uintptr_t handle() { return address(this); }


  // Every intermediate of the last forward (with shape and statsShape), and
  // the batch statistics of the last training forward (saveMean,
  // saveInvstd; null before any); undefined on failure.
  val trace() {
    return catching(error_, "the trace", [&] { return trace_value(layer_->trace()); });
  }

  // Every intermediate of the last backward (dy, the chain-rule factors
  // dxhat, dvar, dmean, and dx, dgamma, dbeta); undefined on failure, e.g.
  // no backward since the last forward.
  val backwardTrace() {
    return catching(error_, "the backward trace", [&] {
      return backward_trace_value(layer_->backward_trace(), layer_->options().affine);
    });
  }

 private:
  int batch_argument(double batch) const {
    return count_argument("batch", batch, layer_->features(), "features");
  }

  std::optional<BatchNorm1d> layer_;
  Shape pending_shape_;   // of the input stagingInputShaped() staged
  std::vector<float> param_scratch_;
  std::string error_;   // message of the last failed call
};

}  // namespace
}  // namespace bn::bindings

// The four calls of a training step again as plain exports, which
// web/js/batchnorm.js calls with handle(): the same methods, the same seam
// protocol (an address, 0 on failure), without Embind's generic invoker
// (about 0.1 µs a call, four calls a step).
namespace {
bn::bindings::BatchNormBinding& binding(std::uintptr_t handle) {
  return *reinterpret_cast<bn::bindings::BatchNormBinding*>(handle);
}
}  // namespace
extern "C" {
EMSCRIPTEN_KEEPALIVE std::uintptr_t bn_batchnorm_staging_input(std::uintptr_t handle, double batch) {
  return binding(handle).stagingInput(batch);
}
EMSCRIPTEN_KEEPALIVE std::uintptr_t bn_batchnorm_forward(std::uintptr_t handle, double batch) {
  return binding(handle).forward(batch);
}
EMSCRIPTEN_KEEPALIVE std::uintptr_t bn_batchnorm_staging_dy(std::uintptr_t handle) {
  return binding(handle).stagingDy();
}
EMSCRIPTEN_KEEPALIVE std::uintptr_t bn_batchnorm_backward(std::uintptr_t handle) {
  return binding(handle).backward();
}
}  // extern "C"

EMSCRIPTEN_BINDINGS(bn_batchnorm) {
  using bn::bindings::BatchNormBinding;
  emscripten::class_<BatchNormBinding>("BatchNormBinding")
      .constructor<double, emscripten::val>()
      .function("ok", &BatchNormBinding::ok)
      .function("lastError", &BatchNormBinding::lastError)
      .function("setTraining", &BatchNormBinding::setTraining)
      .function("numBatchesTracked", &BatchNormBinding::numBatchesTracked)
      .function("gamma", &BatchNormBinding::gamma)
      .function("beta", &BatchNormBinding::beta)
      .function("runningMean", &BatchNormBinding::runningMean)
      .function("runningVar", &BatchNormBinding::runningVar)
      .function("paramScratch", &BatchNormBinding::paramScratch)
      .function("setParams", &BatchNormBinding::setParams)
      .function("dgamma", &BatchNormBinding::dgamma)
      .function("dbeta", &BatchNormBinding::dbeta)
      .function("stagingInputShaped", &BatchNormBinding::stagingInputShaped)
      .function("forwardShaped", &BatchNormBinding::forwardShaped)
      .function("handle", &BatchNormBinding::handle)
      .function("trace", &BatchNormBinding::trace)
      .function("backwardTrace", &BatchNormBinding::backwardTrace);
}
