// Embind layer for BatchNorm2d, LayerNorm, GroupNorm and InstanceNorm2d:
// one binding class for the four (bn/any_norm_layer.hpp puts each behind
// one interface), picked by name at construction. Only glue: the shapes'
// meaning, every check and the math live in the core; web/js/shaped-layer.js
// owns lifetimes and copies arrays in and out of the heap through the
// addresses these methods return.
//
// Errors follow the seam protocol of convert.hpp, as BatchNormBinding: an
// address is 0 on failure, any other failing method returns undefined, a
// failed constructor leaves ok() false; lastError() says why.
#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bn/any_norm_layer.hpp"
#include "bn/batchnorm2d.hpp"
#include "bn/groupnorm.hpp"
#include "bn/instancenorm.hpp"
#include "bn/layernorm.hpp"
#include "bn/params.hpp"
#include "convert.hpp"
#include "trace_values.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

// The argument `name` (entry i of args) as a count.
int count_at(const val& args, unsigned i, const char* name) {
  return count_argument(name, args[i].isNumber() ? args[i].as<double>() : -1.0);
}

// kind: the class name; args: its constructor's numbers as a JS array
// (LayerNorm: normalizedShape); options: a JS object read through the schema.
std::unique_ptr<AnyNormLayer> make_layer(const std::string& kind, const val& args, const val& options) {
  const OptionValue o = option_value(options);
  if (kind == "BatchNorm2d")
    return make_any<BatchNorm2d>(count_at(args, 0, "numFeatures"),
                                 read_options("BatchNorm2d", batchnorm_option_table(), o));
  if (kind == "LayerNorm")
    return make_any<LayerNorm>(shape_argument(args), read_options("LayerNorm", layernorm_option_table(), o));
  if (kind == "GroupNorm")
    return make_any<GroupNorm>(count_at(args, 0, "numGroups"), count_at(args, 1, "numChannels"),
                               read_options("GroupNorm", groupnorm_option_table(), o));
  if (kind == "InstanceNorm2d")
    return make_any<InstanceNorm2d>(count_at(args, 0, "numFeatures"),
                                    read_options("InstanceNorm2d", instancenorm_option_table(), o));
  throw std::invalid_argument("unknown layer " + kind);
}

class NormLayerBinding {
 public:
  // Never throws: on failure ok() is false and lastError() says why.
  NormLayerBinding(std::string kind, val args, val options) {
    const bool built = attempt(error_, "the layer's buffers", [&] {
      layer_ = make_layer(kind, args, options);
      params_ = layer_->gamma().size();
      running_ = layer_->running_mean().size();
      param_scratch_.resize(2 * params_ + 2 * running_);
    });
    if (!built) layer_.reset();   // all freed
  }

  bool ok() const { return layer_ != nullptr; }
  std::string lastError() const { return error_; }

  bool training() const { return layer_->training(); }
  void setTraining(bool on) { on ? layer_->train() : layer_->eval(); }
  double numBatchesTracked() const { return static_cast<double>(layer_->num_batches_tracked()); }
  // Entries of gamma/beta (0 without affine parameters) and of the running
  // statistics (0 when not tracked).
  double params() const { return static_cast<double>(params_); }
  double running() const { return static_cast<double>(running_); }

  val gamma() const { return params_ ? float32_copy(layer_->gamma()) : val::null(); }
  val beta() const { return params_ ? float32_copy(layer_->beta()) : val::null(); }
  val runningMean() const { return running_ ? float32_copy(layer_->running_mean()) : val::null(); }
  val runningVar() const { return running_ ? float32_copy(layer_->running_var()) : val::null(); }

  // setParams: JS writes candidates into paramScratch() (gamma, beta: params()
  // floats each; runningMean, runningVar: running() each, in that order);
  // mask bit j says block j was given. Returns true, or undefined (nothing
  // changed) on bad values.
  std::uintptr_t paramScratch() { return address(param_scratch_.data()); }
  val setParams(int mask) {
    return catching(error_, "the parameters", [&] {
      const float* p = param_scratch_.data();
      const float* r = p + 2 * params_;
      layer_->set_params(mask & 1 ? p : nullptr, mask & 2 ? p + params_ : nullptr,
                         mask & 4 ? r : nullptr, mask & 8 ? r + running_ : nullptr);
      return true;
    });
  }

  // The address to write x of `shape` (a JS array of numbers) into, sized
  // for it; forward() then normalizes it and returns the address of y. The
  // layer is unchanged when either fails.
  std::uintptr_t stagingInput(val shape) {
    return catching_address(error_, "the input buffers", [&] {
      pending_shape_ = shape_argument(shape);
      return address(layer_->staging_input(pending_shape_));
    });
  }
  std::uintptr_t forward() {
    return catching_address(error_, "the output buffer", [&] {
      layer_->forward_staged(pending_shape_);
      return address(layer_->output());
    });
  }

  // Address to write dy into; backward() returns the address of dx
  // (dgamma/dbeta at dgamma()/dbeta() afterwards).
  std::uintptr_t stagingDy() {
    return catching_address(error_, "the gradient buffers", [&] { return address(layer_->staging_dy()); });
  }
  std::uintptr_t backward() {
    return catching_address(error_, "the gradient buffers", [&] {
      layer_->backward_staged();
      return address(layer_->layer().dx());
    });
  }
  std::uintptr_t dgamma() const { return address(layer_->layer().dgamma()); }
  std::uintptr_t dbeta() const { return address(layer_->layer().dbeta()); }

  val trace() {
    return catching(error_, "the trace", [&] { return trace_value(layer_->trace()); });
  }
  val backwardTrace() {
    return catching(error_, "the backward trace",
                    [&] { return backward_trace_value(layer_->backward_trace(), params_ > 0); });
  }

 private:
  std::unique_ptr<AnyNormLayer> layer_;
  std::size_t params_ = 0, running_ = 0;
  std::vector<float> param_scratch_;
  Shape pending_shape_;   // of the input stagingInput() staged
  std::string error_;     // message of the last failed call
};

}  // namespace
}  // namespace bn::bindings

EMSCRIPTEN_BINDINGS(bn_norm_layers) {
  using bn::bindings::NormLayerBinding;
  emscripten::class_<NormLayerBinding>("NormLayerBinding")
      .constructor<std::string, emscripten::val, emscripten::val>()
      .function("ok", &NormLayerBinding::ok)
      .function("lastError", &NormLayerBinding::lastError)
      .function("training", &NormLayerBinding::training)
      .function("setTraining", &NormLayerBinding::setTraining)
      .function("numBatchesTracked", &NormLayerBinding::numBatchesTracked)
      .function("params", &NormLayerBinding::params)
      .function("running", &NormLayerBinding::running)
      .function("gamma", &NormLayerBinding::gamma)
      .function("beta", &NormLayerBinding::beta)
      .function("runningMean", &NormLayerBinding::runningMean)
      .function("runningVar", &NormLayerBinding::runningVar)
      .function("paramScratch", &NormLayerBinding::paramScratch)
      .function("setParams", &NormLayerBinding::setParams)
      .function("stagingInput", &NormLayerBinding::stagingInput)
      .function("forward", &NormLayerBinding::forward)
      .function("stagingDy", &NormLayerBinding::stagingDy)
      .function("backward", &NormLayerBinding::backward)
      .function("dgamma", &NormLayerBinding::dgamma)
      .function("dbeta", &NormLayerBinding::dbeta)
      .function("trace", &NormLayerBinding::trace)
      .function("backwardTrace", &NormLayerBinding::backwardTrace);
}
