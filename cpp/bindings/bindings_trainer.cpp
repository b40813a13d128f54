// Embind layer for the live trainer. Only glue: the options are read and
// checked in C++ through the option schema (bn::read_trainer_options) and,
// first, by web/js/trainer-api.js with the same schema; the wrapper owns the
// lifetime and shapes the results. Errors follow the seam protocol of
// convert.hpp: failing calls return undefined (ok() is false after the
// constructor) and lastError() says why.
#include <emscripten/bind.h>

#include <memory>
#include <new>
#include <string>
#include <vector>

#include "bn/trainer.hpp"
#include "convert.hpp"
#include "trainer_results.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

val uint8_copy(const std::vector<std::uint8_t>& v) {
  return val::global("Uint8Array").new_(val(emscripten::typed_memory_view(v.size(), v.data())));
}

class TrainerBinding {
 public:
  // options: a JS object, any subset of the schema's Trainer options.
  explicit TrainerBinding(val options) {
    attempt(error_, "the network (batchSize, samples or hidden widths)", [&] {
      trainer_ = std::make_unique<Trainer>(read_trainer_options(option_value(options)));
    });
  }

  bool ok() const { return trainer_ != nullptr; }
  std::string lastError() const { return error_; }

  val step(int n) {
    return catching(error_, "the network", [&] { return trainer_->step(n); });
  }
  double steps() const { return static_cast<double>(trainer_->steps()); }
  double epoch() const { return static_cast<double>(trainer_->epoch()); }
  int stepsPerEpoch() const { return trainer_->steps_per_epoch(); }
  double lastBatchLoss() const { return trainer_->last_batch_loss(); }
  bool diverged() const { return trainer_->diverged(); }

  val evaluate() {
    return catching(error_, "the network", [&] { return evaluation_to_js(trainer_->evaluate()); });
  }

  val layerStats() {
    return catching(error_, "the network", [&] { return layer_stats_to_js(trainer_->layer_stats()); });
  }

  val recalibrate() {
    return catching(error_, "the network", [&] {
      trainer_->recalibrate();
      return true;
    });
  }

  val runningStats(int layer) {
    return catching(error_, "the network", [&] { return running_stats_to_js(trainer_->running_stats(layer)); });
  }

  // steps, maxScale: checked by the core against bn.schema.landscape.arguments.
  val landscape(int steps, double max_scale) {
    return catching(error_, "the network", [&] {
      LandscapeOptions o;
      o.steps = steps;
      o.max_scale = max_scale;
      return landscape_to_js(trainer_->landscape(o));
    });
  }

  int maxStepsPerCall() const { return trainer_->max_steps_per_call(); }
  double parameterCount() const { return static_cast<double>(trainer_->parameter_count()); }

  val predictGrid(int res, double xmin, double xmax, double ymin, double ymax) {
    return catching(error_, "res", [&] {
      check_value(spec_named(trainer_arguments(), "res"), OptionValue::of(static_cast<double>(res)));
      grid_.resize(static_cast<std::size_t>(res) * res);   // grows once, then reused
      trainer_->predict_grid(res, xmin, xmax, ymin, ymax, grid_.data());
      return float32_copy(grid_.data(), static_cast<std::size_t>(res) * res);
    });
  }

  val activations(int layer) {
    return catching(error_, "the network", [&] {
      const LayerActivations a = trainer_->activations(layer);
      val out = val::object();
      out.set("layer", layer);
      out.set("batch", a.batch);
      out.set("width", a.width);
      out.set("pre", float32_copy(a.pre));
      const val xhat = float32_copy(a.xhat);
      out.set("xhat", xhat);
      out.set("post", xhat);   // the name of 0.1 (docs/api.md): one release, then gone
      out.set("activated", float32_copy(a.activated));
      return out;
    });
  }

  val points() const {
    const Dataset& d = trainer_->data();
    val out = val::object();
    out.set("x", float32_copy(d.x));
    out.set("y", uint8_copy(d.y));
    out.set("test", uint8_copy(d.is_test));
    return out;
  }

  // Row indices (into points()) of the last training batch.
  val lastBatch() const {
    const std::vector<int>& idx = trainer_->last_batch_indices();
    return val::global("Int32Array").new_(val(emscripten::typed_memory_view(idx.size(), idx.data())));
  }

  std::string init() const { return trainer_->options().init; }

 private:
  std::unique_ptr<Trainer> trainer_;
  std::vector<float> grid_;
  std::string error_;
};

}  // namespace
}  // namespace bn::bindings

EMSCRIPTEN_BINDINGS(bn_trainer) {
  using bn::bindings::TrainerBinding;
  emscripten::class_<TrainerBinding>("TrainerBinding")
      .constructor<emscripten::val>()
      .function("ok", &TrainerBinding::ok)
      .function("lastError", &TrainerBinding::lastError)
      .function("step", &TrainerBinding::step)
      .function("steps", &TrainerBinding::steps)
      .function("epoch", &TrainerBinding::epoch)
      .function("stepsPerEpoch", &TrainerBinding::stepsPerEpoch)
      .function("lastBatchLoss", &TrainerBinding::lastBatchLoss)
      .function("diverged", &TrainerBinding::diverged)
      .function("evaluate", &TrainerBinding::evaluate)
      .function("layerStats", &TrainerBinding::layerStats)
      .function("recalibrate", &TrainerBinding::recalibrate)
      .function("runningStats", &TrainerBinding::runningStats)
      .function("landscape", &TrainerBinding::landscape)
      .function("maxStepsPerCall", &TrainerBinding::maxStepsPerCall)
      .function("parameterCount", &TrainerBinding::parameterCount)
      .function("predictGrid", &TrainerBinding::predictGrid)
      .function("activations", &TrainerBinding::activations)
      .function("points", &TrainerBinding::points)
      .function("lastBatch", &TrainerBinding::lastBatch)
      .function("init", &TrainerBinding::init);
}
