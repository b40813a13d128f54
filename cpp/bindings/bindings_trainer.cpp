// Embind layer for the live trainer. Only glue: the options are checked in
// C++ (bn::validate_trainer_options) and again, first, by
// web/js/trainer-api.js, which owns the lifetime and shapes the results.
// Errors: see catching() in convert.hpp; failing calls return undefined (or
// ok() is false after the constructor) and lastError() says why.
#include <emscripten/bind.h>

#include <cmath>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "bn/trainer.hpp"
#include "convert.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

val uint8_copy(const std::vector<std::uint8_t>& v) {
  return val::global("Uint8Array").new_(val(emscripten::typed_memory_view(v.size(), v.data())));
}

TrainerOptions to_options(const std::string& dataset, int samples, double noise, val hidden,
                          const std::string& activation, bool batch_norm,
                          const std::string& optimizer, double lr, int batch_size, double seed,
                          const std::string& init, double test_fraction) {
  TrainerOptions o;
  o.dataset = dataset;
  o.samples = samples;
  o.noise = noise;
  o.hidden = emscripten::vecFromJSArray<int>(hidden);
  o.activation = activation;
  o.batch_norm = batch_norm;
  o.optimizer = optimizer;
  o.lr = lr;
  o.batch_size = batch_size;
  if (!(seed >= 0.0 && seed <= 4294967295.0 && std::floor(seed) == seed))
    throw std::invalid_argument("seed must be an integer in [0, 4294967295]");
  o.seed = static_cast<std::uint32_t>(seed);
  o.init = init;
  o.test_fraction = test_fraction;
  return o;
}

class TrainerBinding {
 public:
  TrainerBinding(std::string dataset, int samples, double noise, val hidden, std::string activation,
                 bool batch_norm, std::string optimizer, double lr, int batch_size, double seed,
                 std::string init, double test_fraction) {
    catching(error_, false, "the network (batchSize, samples or hidden widths)", [&] {
      trainer_ = std::make_unique<Trainer>(to_options(dataset, samples, noise, hidden, activation,
                                                      batch_norm, optimizer, lr, batch_size, seed,
                                                      init, test_fraction));
      return true;
    });
  }

  bool ok() const { return trainer_ != nullptr; }
  std::string lastError() const { return error_; }

  val step(int n) {
    return catching(error_, val::undefined(), "the network", [&] { return val(trainer_->step(n)); });
  }
  double steps() const { return static_cast<double>(trainer_->steps()); }
  double epoch() const { return static_cast<double>(trainer_->epoch()); }
  int stepsPerEpoch() const { return trainer_->steps_per_epoch(); }
  double lastBatchLoss() const { return trainer_->last_batch_loss(); }
  bool diverged() const { return trainer_->diverged(); }

  val evaluate() {
    return catching(error_, val::undefined(), "the network", [&] {
      const Evaluation e = trainer_->evaluate();
      val out = val::object();
      out.set("loss", e.loss);
      out.set("accuracy", e.accuracy);
      out.set("testLoss", e.test_loss);
      out.set("testAccuracy", e.test_accuracy);
      out.set("trainLoss", e.train_loss);
      out.set("trainAccuracy", e.train_accuracy);
      return out;
    });
  }

  val predictGrid(int res, double xmin, double xmax, double ymin, double ymax) {
    return catching(error_, val::undefined(), "res", [&] {
      if (res < 1 || res > Trainer::kMaxGridResolution)
        throw std::invalid_argument("res must be an integer in [1, 1024]");
      grid_.resize(static_cast<std::size_t>(res) * res);   // grows once, then reused
      trainer_->predict_grid(res, xmin, xmax, ymin, ymax, grid_.data());
      return float32_copy(grid_.data(), static_cast<std::size_t>(res) * res);
    });
  }

  val activations(int layer) {
    return catching(error_, val::undefined(), "the network", [&] {
      const LayerActivations a = trainer_->activations(layer);
      val out = val::object();
      out.set("layer", layer);
      out.set("batch", a.batch);
      out.set("width", a.width);
      out.set("pre", float32_copy(a.pre));
      out.set("post", float32_copy(a.post));
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
      .constructor<std::string, int, double, emscripten::val, std::string, bool, std::string, double,
                   int, double, std::string, double>()
      .function("ok", &TrainerBinding::ok)
      .function("lastError", &TrainerBinding::lastError)
      .function("step", &TrainerBinding::step)
      .function("steps", &TrainerBinding::steps)
      .function("epoch", &TrainerBinding::epoch)
      .function("stepsPerEpoch", &TrainerBinding::stepsPerEpoch)
      .function("lastBatchLoss", &TrainerBinding::lastBatchLoss)
      .function("diverged", &TrainerBinding::diverged)
      .function("evaluate", &TrainerBinding::evaluate)
      .function("predictGrid", &TrainerBinding::predictGrid)
      .function("activations", &TrainerBinding::activations)
      .function("points", &TrainerBinding::points)
      .function("lastBatch", &TrainerBinding::lastBatch)
      .function("init", &TrainerBinding::init);
}
