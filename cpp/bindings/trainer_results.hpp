// The trainer's results as plain JS objects (docs/api.md, "Trainer"):
// evaluate()'s figures, layerStats(), landscape() and runningStats(). Only conversion, each
// object built by one loop over its field names (small code: one embind
// call site, not one per field).
#pragma once

#include <emscripten/val.h>

#include <vector>

#include "bn/trainer.hpp"
#include "convert.hpp"

namespace bn::bindings {

// { names[i]: values[i] } for i < n, into out.
inline void set_numbers(emscripten::val& out, const char* const* names, const double* values, int n) {
  for (int i = 0; i < n; ++i) out.set(names[i], values[i]);
}

inline emscripten::val numbers_to_js(const std::vector<double>& v) {
  emscripten::val out = emscripten::val::array();
  for (double x : v) out.call<void>("push", x);
  return out;
}

inline emscripten::val evaluation_to_js(const Evaluation& e) {
  static const char* const names[] = {
      "loss", "accuracy", "testLoss", "testAccuracy", "trainLoss", "trainAccuracy",
      "trainModeLoss", "trainModeAccuracy", "trainModeTestLoss", "trainModeTestAccuracy",
      "trainModeTrainLoss", "trainModeTrainAccuracy"};
  const Figures& t = e.train_mode;
  const double values[] = {e.loss, e.accuracy, e.test_loss, e.test_accuracy, e.train_loss, e.train_accuracy,
                           t.loss, t.accuracy, t.test_loss, t.test_accuracy, t.train_loss, t.train_accuracy};
  emscripten::val out = emscripten::val::object();
  set_numbers(out, names, values, 12);
  out.set("diverged", e.diverged);
  return out;
}

inline emscripten::val layer_stats_to_js(const std::vector<LayerStats>& stats) {
  static const char* const names[] = {"preMean", "preStd", "actMean", "actStd", "outMean", "outStd",
                                      "saturation", "gradNorm", "weightNorm"};
  emscripten::val out = emscripten::val::array();
  for (const LayerStats& s : stats) {
    const double values[] = {s.pre_mean, s.pre_std, s.act_mean, s.act_std, s.out_mean, s.out_std,
                             s.saturation, s.grad_norm, s.weight_norm};
    emscripten::val layer = emscripten::val::object();
    set_numbers(layer, names, values, 9);
    out.call<void>("push", layer);
  }
  return out;
}

inline emscripten::val landscape_to_js(const Landscape& l) {
  static const char* const scalars[] = {"lr", "loss", "gradNorm", "lossMin", "lossMax", "gradChangeMax",
                                        "betaSmoothness"};
  const double values[] = {l.lr, l.loss, l.grad_norm, l.loss_min, l.loss_max, l.grad_change_max, l.beta_smoothness};
  static const char* const arrays[] = {"eta", "lossAt", "gradChange", "ics", "icsCosine"};
  const std::vector<double>* lists[] = {&l.eta, &l.loss_at, &l.grad_change, &l.ics, &l.ics_cosine};
  emscripten::val out = emscripten::val::object();
  set_numbers(out, scalars, values, 7);
  for (int i = 0; i < 5; ++i) out.set(arrays[i], numbers_to_js(*lists[i]));
  return out;
}

// { layer, features, rows, runningMean, runningVar (Float32Array: the
// layer's float32 buffers), populationMean, populationVar (Float64Array) }.
inline emscripten::val running_stats_to_js(const RunningStats& s) {
  const auto float64 = [](const std::vector<double>& v) {
    return emscripten::val::global("Float64Array").new_(emscripten::val(emscripten::typed_memory_view(v.size(), v.data())));
  };
  emscripten::val out = emscripten::val::object();
  out.set("layer", s.layer);
  out.set("features", s.features);
  out.set("rows", s.rows);
  out.set("runningMean", float32_copy(s.running_mean));
  out.set("runningVar", float32_copy(s.running_var));
  out.set("populationMean", float64(s.population_mean));
  out.set("populationVar", float64(s.population_var));
  return out;
}

}  // namespace bn::bindings
