// Embind layer for BatchNorm1d. Only glue: validation and the math live in
// the core; web/js/batchnorm.js owns lifetimes and copies arrays in and out
// of the heap through the addresses these methods return.
#include <emscripten/bind.h>

#include <cmath>
#include <optional>

#include "bn/batchnorm.hpp"
#include "convert.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

class BatchNormBinding {
 public:
  // momentum: NaN stands for null (cumulative moving average).
  BatchNormBinding(int features, double eps, double momentum, bool affine)
      : layer_(guarded([&] {
          BatchNormOptions o;
          o.eps = eps;
          o.momentum = std::isnan(momentum) ? std::nullopt : std::optional<double>(momentum);
          o.affine = affine;
          return BatchNorm1d(features, o);
        })),
        param_scratch_(4 * static_cast<std::size_t>(features)) {}

  int features() const { return layer_.features(); }
  bool training() const { return layer_.training(); }
  void setTraining(bool on) { on ? layer_.train() : layer_.eval(); }
  double numBatchesTracked() const { return static_cast<double>(layer_.num_batches_tracked()); }

  bool affine() const { return layer_.options().affine; }
  val gamma() const { return layer_.options().affine ? float32_copy(layer_.gamma()) : val::null(); }
  val beta() const { return layer_.options().affine ? float32_copy(layer_.beta()) : val::null(); }
  val runningMean() const { return float32_copy(layer_.running_mean()); }
  val runningVar() const { return float32_copy(layer_.running_var()); }

  // setParams: JS writes candidates into paramScratch() (4 blocks of
  // `features` floats: gamma, beta, runningMean, runningVar); mask bit j says
  // block j was given.
  std::uintptr_t paramScratch() { return address(param_scratch_.data()); }
  void setParams(int mask) {
    guarded([&] {
      const float* p = param_scratch_.data();
      const std::size_t n = static_cast<std::size_t>(layer_.features());
      layer_.set_params(mask & 1 ? p : nullptr, mask & 2 ? p + n : nullptr,
                        mask & 4 ? p + 2 * n : nullptr, mask & 8 ? p + 3 * n : nullptr);
    });
  }

  std::uintptr_t stagingInput(int batch) {
    return guarded([&] { return address(layer_.staging_input(batch)); });
  }
  // Returns the address of y.
  std::uintptr_t forward(int batch) {
    return guarded([&] {
      layer_.forward_staged(batch);
      return address(layer_.output());
    });
  }

  std::uintptr_t stagingGradOutput() {
    return guarded([&] { return address(layer_.staging_grad_output()); });
  }
  // Returns the address of dx (dgamma/dbeta stay at gradGamma()/gradBeta()).
  std::uintptr_t backward() {
    return guarded([&] {
      layer_.backward_staged();
      return address(layer_.grad_input());
    });
  }
  std::uintptr_t gradGamma() const { return address(layer_.grad_gamma()); }
  std::uintptr_t gradBeta() const { return address(layer_.grad_beta()); }

  bool hasForward() const { return layer_.has_forward(); }
  int lastBatch() const { return layer_.last_batch(); }

  val trace() const {
    return guarded([&] {
      const Trace t = layer_.trace();
      val out = val::object();
      out.set("training", t.training);
      out.set("batch", t.batch);
      out.set("features", t.features);
      out.set("mean", float32_copy(t.mean));
      out.set("var", float32_copy(t.var));
      out.set("xCentered", float32_copy(t.x_centered));
      out.set("std", float32_copy(t.std));
      out.set("invStd", float32_copy(t.inv_std));
      out.set("xhat", float32_copy(t.xhat));
      out.set("y", float32_copy(t.y));
      return out;
    });
  }

 private:
  BatchNorm1d layer_;
  std::vector<float> param_scratch_;
};

}  // namespace
}  // namespace bn::bindings

EMSCRIPTEN_BINDINGS(bn_batchnorm) {
  using bn::bindings::BatchNormBinding;
  emscripten::class_<BatchNormBinding>("BatchNormBinding")
      .constructor<int, double, double, bool>()
      .function("features", &BatchNormBinding::features)
      .function("training", &BatchNormBinding::training)
      .function("setTraining", &BatchNormBinding::setTraining)
      .function("numBatchesTracked", &BatchNormBinding::numBatchesTracked)
      .function("affine", &BatchNormBinding::affine)
      .function("gamma", &BatchNormBinding::gamma)
      .function("beta", &BatchNormBinding::beta)
      .function("runningMean", &BatchNormBinding::runningMean)
      .function("runningVar", &BatchNormBinding::runningVar)
      .function("paramScratch", &BatchNormBinding::paramScratch)
      .function("setParams", &BatchNormBinding::setParams)
      .function("stagingInput", &BatchNormBinding::stagingInput)
      .function("forward", &BatchNormBinding::forward)
      .function("stagingGradOutput", &BatchNormBinding::stagingGradOutput)
      .function("backward", &BatchNormBinding::backward)
      .function("gradGamma", &BatchNormBinding::gradGamma)
      .function("gradBeta", &BatchNormBinding::gradBeta)
      .function("hasForward", &BatchNormBinding::hasForward)
      .function("lastBatch", &BatchNormBinding::lastBatch)
      .function("trace", &BatchNormBinding::trace);
}
