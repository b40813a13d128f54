// The trainer's results as plain JS objects (docs/api.md, "Trainer"):
// evaluate()'s figures, layerStats() and landscape(). Only conversion.
#pragma once

#include <emscripten/val.h>

#include <string>
#include <vector>

#include "bn/trainer.hpp"

namespace bn::bindings {

// { loss, accuracy, testLoss, testAccuracy, trainLoss, trainAccuracy } with
// every key prefixed (and its first letter capitalized) when prefix is given.
inline void set_figures(emscripten::val& out, const Figures& f, const std::string& prefix) {
  auto key = [&](const char* name) {
    if (prefix.empty()) return std::string(name);
    std::string k = prefix + name;
    k[prefix.size()] = static_cast<char>(k[prefix.size()] - 'a' + 'A');
    return k;
  };
  out.set(key("loss"), f.loss);
  out.set(key("accuracy"), f.accuracy);
  out.set(key("testLoss"), f.test_loss);
  out.set(key("testAccuracy"), f.test_accuracy);
  out.set(key("trainLoss"), f.train_loss);
  out.set(key("trainAccuracy"), f.train_accuracy);
}

inline emscripten::val evaluation_to_js(const Evaluation& e) {
  emscripten::val out = emscripten::val::object();
  set_figures(out, e, "");
  set_figures(out, e.train_mode, "trainMode");
  out.set("diverged", e.diverged);
  return out;
}

inline emscripten::val layer_stats_to_js(const std::vector<LayerStats>& stats) {
  emscripten::val out = emscripten::val::array();
  for (const LayerStats& s : stats) {
    emscripten::val l = emscripten::val::object();
    l.set("preMean", s.pre_mean);
    l.set("preStd", s.pre_std);
    l.set("actMean", s.act_mean);
    l.set("actStd", s.act_std);
    l.set("outMean", s.out_mean);
    l.set("outStd", s.out_std);
    l.set("saturation", s.saturation);
    l.set("gradNorm", s.grad_norm);
    l.set("weightNorm", s.weight_norm);
    out.call<void>("push", l);
  }
  return out;
}

inline emscripten::val numbers_to_js(const std::vector<double>& v) {
  emscripten::val out = emscripten::val::array();
  for (double x : v) out.call<void>("push", x);
  return out;
}

inline emscripten::val landscape_to_js(const Landscape& l) {
  emscripten::val out = emscripten::val::object();
  out.set("lr", l.lr);
  out.set("loss", l.loss);
  out.set("gradNorm", l.grad_norm);
  out.set("eta", numbers_to_js(l.eta));
  out.set("lossAt", numbers_to_js(l.loss_at));
  out.set("gradChange", numbers_to_js(l.grad_change));
  out.set("lossMin", l.loss_min);
  out.set("lossMax", l.loss_max);
  out.set("gradChangeMax", l.grad_change_max);
  out.set("betaSmoothness", l.beta_smoothness);
  out.set("ics", numbers_to_js(l.ics));
  out.set("icsCosine", numbers_to_js(l.ics_cosine));
  return out;
}

}  // namespace bn::bindings
